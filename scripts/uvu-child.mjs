// Imports the given compiled test files in order and runs their suites as one uvu run.
import { resolve } from 'node:path';
import { run } from 'uvu/run';

const files = process.argv.slice(2).map((file) => ({ name: file, file: resolve(file) }));
process.on('unhandledRejection', (reason) => {
  console.error('Unhandled rejection during the tests:', reason);
  process.exitCode = 1;
});
await run(files, { bail: false });

// One archive-bench process: `startup` modes configure a 1,000-file token view (with or without
// its release archive) and report how long the commit took; `serve` runs it and sends its port.
// Usage: node archive-process.js <app-dir> <plain|archive|serve> <token>
import { join } from 'node:path';
import { Configurator } from '@tet/core';
import { tetStatic } from '@tet/static';

const [dir, mode, token] = process.argv.slice(2) as [string, 'plain' | 'archive' | 'serve', string];
const started = performance.now();
const config = new Configurator({ package: dir });
config.include(tetStatic);
config.setCachebreaker(token);
config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: 'archive-bench:static', ...(mode === 'plain' ? {} : { archive: join(dir, 'archive') }) });
const app = await config.makeApp();
if (mode === 'serve') {
  const server = await app.listen(0, '127.0.0.1');
  const address = server.address();
  process.send!({ port: typeof address === 'object' && address !== null ? address.port : 0 });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  process.stdout.write(`${JSON.stringify({ milliseconds: performance.now() - started })}\n`);
}

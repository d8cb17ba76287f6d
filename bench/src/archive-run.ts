// Only the release archive's figures (issue 14): `node bench/dist/src/archive-run.js`.
// `npm run bench` measures the same as part of a full run.
import { fileURLToPath } from 'node:url';
import { archiveSection, measureArchiveCost } from './archive-bench.js';
import { startLoadGenerator } from './loadgen.js';
import { startWrk, wrkVersion } from './wrk.js';

const root = fileURLToPath(new URL('../../fixture-archive/', import.meta.url));
const autocannon = await startLoadGenerator();
const load = wrkVersion() === undefined ? autocannon : startWrk();
try {
  process.stdout.write(`${archiveSection(await measureArchiveCost(root, load))}\n`);
} finally {
  await autocannon.stop();
}

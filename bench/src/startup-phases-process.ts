// One server's start-up in a fresh process, phase by phase, for startup-phases.ts:
// `node startup-phases-process.js <tet|sirv> <fixture-dir>` prints the phases' milliseconds as JSON.
import type { AddressInfo } from 'node:net';

const [name, fixtureDir = ''] = process.argv.slice(2);
const phases: Record<string, number> = {};
let last = performance.now();
const mark = (phase: string) => {
  const now = performance.now();
  phases[phase] = now - last;
  last = now;
};

// Node's modules every server needs, so that "load" is the server's own code.
await Promise.all(['node:http', 'node:crypto', 'node:net', 'node:stream', 'node:fs/promises', 'node:url'].map((id) => import(id)));
const { request } = await import('node:http');
const { openFixture } = await import('./fixture.js');
const { FILES, TOKEN } = await import('./site.js');
const fixture = openFixture(fixtureDir);
mark('builtins');

let address: AddressInfo;
if (name === 'tet') {
  const { buildTetApp } = await import('./servers/tet.js');
  mark('load');
  const app = await buildTetApp(fixture, () => mark('configure'));
  const server = await app.listen(0, '127.0.0.1');
  mark('index and listen');
  address = server.address() as AddressInfo;
} else {
  const { start } = await import('./servers/sirv.js');
  mark('load');
  phases['configure'] = 0;
  const { server } = await start(fixture);
  mark('index and listen');
  address = server.address() as AddressInfo;
}
const path = name === 'tet' ? `/static/${TOKEN}/${FILES.small}` : `/static/${FILES.small}`;
await new Promise<void>((resolve, reject) => {
  request({ host: '127.0.0.1', port: address.port, path }, (res) => {
    res.resume();
    res.on('end', resolve);
  })
    .on('error', reject)
    .end();
});
mark('first request');
process.stdout.write(`${JSON.stringify(phases)}\n`);
process.exit(0);

// The wrk load generator against a real server on 127.0.0.1: what it counts, what it costs,
// and that its summary parser reads wrk's own output (not a made-up sample).
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withTimeout } from '@tet/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pinnedCommand, pinningEnabled } from '../src/pinning.js';
import { parseTimes, startWrk, wrkVersion } from '../src/wrk.js';

const load = suite<{ server: Server; base: string }>('bench wrk load generator');
const missing = wrkVersion() === undefined;

load.before(async (context) => {
  context.server = createServer((req, res) => {
    if (req.url === '/missing') {
      res.writeHead(404, { 'content-length': 2 });
      res.end('no');
    } else if (req.headers['if-none-match'] === '"x"') {
      res.writeHead(304);
      res.end();
    } else {
      res.writeHead(200, { 'content-length': 1024 });
      res.end(Buffer.alloc(1024, 97));
    }
  });
  await new Promise<void>((resolve) => context.server.listen(0, '127.0.0.1', resolve));
  context.base = `http://127.0.0.1:${(context.server.address() as AddressInfo).port}`;
});

load.after((context) => new Promise<void>((resolve) => context.server.close(() => resolve())));

const job = (base: string, path: string, headers: Record<string, string>, expectedStatus: number) => ({
  base,
  requests: [{ path, headers }],
  connections: 4,
  pipelining: 1,
  seconds: 1,
  maxSeconds: 8,
  expectedStatus,
});

load('measures a 200, counts its bytes and its own CPU time', async ({ base }) => {
  if (missing) return console.log('  (skipped: wrk is not installed; apt-get install wrk)');
  await withTimeout(async () => {
    const result = await startWrk().run(job(base, '/', {}, 200));
    assert.ok(result.requests > 100, `${result.requests} requests`);
    assert.equal(Object.keys(result.statuses), ['200']);
    assert.ok(result.bytesPerSecond > 1024 * result.rps * 0.9, 'at least the bodies were read');
    assert.ok(result.p99 >= result.p50 && result.p50 > 0, `p50 ${result.p50} p99 ${result.p99}`);
    assert.ok(result.clientCpuMicros > 0 && result.clientCpuMicros < 1000, `client ${result.clientCpuMicros} µs/req`);
    assert.is(result.errors, 0);
  }, 15_000);
});

load('sends the job headers and tells expected from unexpected statuses', async ({ base }) => {
  if (missing) return console.log('  (skipped: wrk is not installed; apt-get install wrk)');
  await withTimeout(async () => {
    const notModified = await startWrk().run(job(base, '/', { 'If-None-Match': '"x"' }, 304));
    assert.equal(Object.keys(notModified.statuses), ['304']);
    assert.ok(notModified.bytesPerSecond < 300 * notModified.rps, 'no bodies: the header reached the server');
    const notFound = await startWrk().run(job(base, '/missing', {}, 404));
    assert.equal(Object.keys(notFound.statuses), ['404']);
    const wrong = await startWrk().run(job(base, '/missing', {}, 200));
    assert.ok((wrong.statuses['4xx/5xx'] ?? 0) > 0 && wrong.statuses['200'] === 0, JSON.stringify(wrong.statuses));
  }, 30_000);
});

load('refuses jobs wrk cannot express (a fixed request count, pipelining)', async ({ base }) => {
  const error = await startWrk()
    .run({ ...job(base, '/', {}, 200), amount: 10 })
    .then(
      () => undefined,
      (e: Error) => e,
    );
  assert.match(String(error?.message), /use autocannon/);
});

load("parses bash's times output for the children's CPU", () => {
  assert.is(parseTimes('0m0.010s 0m0.002s\n0m1.500s 0m0.250s\n'), 1.75);
  assert.is(parseTimes('no times here'), undefined);
});

load('pins a command to one CPU with taskset when pinning is on', () => {
  if (!pinningEnabled()) return console.log('  (skipped: one CPU or no taskset)');
  const argv = pinnedCommand(['sh', '-c', 'grep Cpus_allowed_list /proc/self/status'], 1);
  const run = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 5000 });
  assert.match(run.stdout, /Cpus_allowed_list:\s+1\s*$/m);
});

load.run();

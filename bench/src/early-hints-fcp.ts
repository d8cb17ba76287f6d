// First contentful paint of the example (myapp's home page) with and without 103 Early Hints,
// in Debian's Chromium with DevTools network emulation (150 ms round trip), over HTTP/2 with
// TLS: Chromium acts on 103 only over HTTP/2 and HTTP/3. Run: `npm run build && node
// bench/dist/src/early-hints-fcp.js [--runs 9] [--rtt 150]`. Results go to docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { App, Settings } from '@tet/core';
import { CHROMIUM_ARGS } from '@tet/core/testing';
import { chromium } from 'playwright-core';

const { values: flags } = parseArgs({
  options: { runs: { type: 'string', default: '9' }, rtt: { type: 'string', default: '150' }, delays: { type: 'string', default: '0,300' }, emulation: { type: 'string', default: 'proxy' } },
});
// 'cdp': DevTools' Network.emulateNetworkConditions, which delays whole requests and responses
// (not packets: the 103 is not delayed like the final response is). 'proxy': a TCP proxy that
// holds every chunk half the round trip in each direction, as a real link does.
const EMULATION = flags.emulation === 'cdp' ? 'cdp' : 'proxy';
const RUNS = Number(flags.runs);
const RTT = Number(flags.rtt);
const exampleApp = new URL('../../../examples/myapp/dist/src/app.js', import.meta.url);
const { main } = (await import(pathToFileURL(exampleApp.pathname).href)) as { main: (settings: Settings) => Promise<App> };

const dir = mkdtempSync(join(tmpdir(), 'tet-early-hints-'));
const made = spawnSync(
  'openssl',
  ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
  { encoding: 'utf8' },
);
if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
const tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
// Chromium trusts this certificate by its key's hash: with a certificate *error* (the usual
// --ignore-certificate-errors) it does not act on Early Hints.
const spki = spawnSync('sh', ['-c', `openssl x509 -in '${join(dir, 'cert.pem')}' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`], {
  encoding: 'utf8',
}).stdout.trim();

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spki}`],
});

// Every chunk, each way, waits half the round trip; order is kept (equal timeouts run in order).
function delayingProxy(port: number, oneWayMs: number): Promise<Server> {
  const relay = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => setTimeout(() => to.write(chunk), oneWayMs));
    from.on('end', () => setTimeout(() => to.end(), oneWayMs));
    from.on('error', () => to.destroy());
  };
  const proxy = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    relay(client, upstream);
    relay(upstream, client);
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}

interface Run {
  fcp: number;
  hinted: number;
  requests: number;
  errors: number;
}

async function measure(hints: boolean, delay: number): Promise<Run[]> {
  const app = await main({ 'myapp.release': 'bench', 'tet.static.early_hints': String(hints), 'myapp.home_delay_ms': String(delay) });
  // Tet's applicationUrl reads Host, which HTTP/2 replaces with :authority: copy it over.
  const server = createSecureServer({ ...tls, allowHTTP1: true }, (req, res) => {
    req.headers.host ??= req.headers[':authority'];
    app.handler(req as never, res as never);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = EMULATION === 'proxy' ? await delayingProxy((server.address() as AddressInfo).port, RTT / 2) : undefined;
  const base = `https://127.0.0.1:${((proxy ?? server).address() as AddressInfo).port}`;
  const runs: Run[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext(); // a cold cache and a new connection each time
      const page = await context.newPage();
      let errors = 0;
      let requests = 0;
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          errors++;
          if (process.env.DEBUG_HINTS) console.error(message.type(), message.text());
        }
      });
      page.on('requestfailed', () => errors++);
      page.on('request', () => requests++);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      if (EMULATION === 'cdp') await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: RTT, downloadThroughput: -1, uploadThroughput: -1 });
      await page.goto(`${base}/`, { waitUntil: 'load' });
      const { fcp, hinted } = await page.evaluate(async () => {
        const paint = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
        for (let tries = 0; paint() === undefined && tries < 50; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
        const hintedCount = performance.getEntriesByType('resource').filter((entry) => (entry as unknown as { initiatorType: string }).initiatorType === 'early-hints').length;
        return { fcp: paint() ?? Number.NaN, hinted: hintedCount };
      });
      runs.push({ fcp, hinted, requests, errors });
      await context.close();
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
    proxy?.close();
    await app.close({ timeout: 1000 });
  }
  return runs;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows: string[] = [];
for (const delay of flags.delays.split(',').map(Number)) {
  for (const hints of [false, true]) {
    const runs = await measure(hints, delay);
    const fcps = runs.map((run) => run.fcp);
    rows.push(
      `| ${delay} ms | ${hints ? 'on' : 'off'} | ${median(fcps).toFixed(0)} ms | ${Math.min(...fcps).toFixed(0)}–${Math.max(...fcps).toFixed(0)} ms | ${median(runs.map((run) => run.hinted))} | ${median(runs.map((run) => run.requests))} | ${runs.reduce((sum, run) => sum + run.errors, 0)} |`,
    );
    console.error(rows.at(-1));
  }
}
await browser.close();
rmSync(dir, { recursive: true, force: true });
console.log(
  `FCP of myapp's home page, Chromium ${browser.version()}, HTTP/2 + TLS on 127.0.0.1, ${RTT} ms round trip (${EMULATION === 'cdp' ? 'DevTools network emulation' : 'a delaying TCP proxy'}), ${RUNS} cold loads each\n`,
);
console.log('| view time | early hints | FCP median | range | hinted fetches | requests | console errors + warnings |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);

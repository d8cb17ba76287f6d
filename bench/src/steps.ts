// Where Tet's own time goes on a 304 and a 404, in-process: each step of the general way
// (the Request object, routing, the view) and each way whole (before routing, after routing
// behind one no-op tween, the view itself behind a wrapping deriver), driven by fake
// requests so the socket is left out. `node bench/dist/src/steps.js` (after `npm run build`);
// the figures in docs/benchmarks.md ("Where the time goes") come from it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type App, Request, type Response } from '@tet/core';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { generateFixture } from './fixture.js';
import { buildTetApp } from './servers/tet.js';
import { FILES, MISSING, TOKEN } from './site.js';

const ROUNDS = 5;
const CALLS = 500_000;

/** The best of five rounds of `calls` calls, in nanoseconds per call (the least disturbed round). */
function nanosPerCall(work: () => unknown, calls = CALLS): number {
  for (let i = 0; i < calls / 5; i++) work();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) work();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / calls);
  }
  return best;
}

// Just enough of Node's request and response for Tet's code: writes go nowhere.
const socket = { cork() {}, uncork() {}, on() {}, once() {}, removeListener() {} };
const response = {
  socket,
  headersSent: false,
  writeHead() {
    return this;
  },
  write: () => true,
  end() {},
  setHeader() {},
  getHeader() {},
  on() {
    return this;
  },
  once() {
    return this;
  },
  removeListener() {
    return this;
  },
  emit() {},
} as unknown as ServerResponse;

function fakeRequest(path: string, headers: Record<string, string>): IncomingMessage {
  const all = { host: '127.0.0.1', ...headers };
  return { url: path, method: 'GET', headers: all, rawHeaders: Object.entries(all).flat(), socket, httpVersionMajor: 1, httpVersionMinor: 1, on() {}, once() {} } as unknown as IncomingMessage;
}

async function etagOf(app: App, path: string): Promise<string> {
  const answer = await app.inject({ url: path });
  return String(answer.headers['etag']);
}

const fixture = generateFixture(join(tmpdir(), 'tet-bench-steps'), 100);
const before = await buildTetApp(fixture);
const after = await buildTetApp(fixture, (config) => config.addTween('noop', (handler) => (request) => handler(request)));
const general = await buildTetApp(fixture, (config) => config.addViewDeriver((view) => (request) => view(request), { name: 'wrapping' }));
const current = `/static/${TOKEN}/`;
const rows: [string, number][] = [];
for (const [name, path, headers] of [
  ['304', `${current}${FILES.small}`, { 'if-none-match': await etagOf(before, `${current}${FILES.small}`) }],
  ['404', `${current}${MISSING}`, {}],
] as const) {
  const raw = fakeRequest(path, headers);
  const context = { registry: general.registry, trustProxy: false, maxBodySize: 1 << 20 };
  const route = general.registry.routes.match(path)!.group.routes[0]!;
  const view = route.views[0]!;
  const request = new Request(raw, context, path, '', '');
  const fastPath = before.registry.routes.match(path)!.group.routes[0]!.views[0]!.fastPath!;
  rows.push(
    [`${name}, whole: before routing (no tween)`, nanosPerCall(() => before.handler(raw, response))],
    [`${name}, whole: after routing (one no-op tween)`, nanosPerCall(() => after.handler(raw, response))],
    [`${name}, whole: the view itself (a wrapping deriver)`, nanosPerCall(() => general.handler(raw, response))],
    [`${name}, step: the Request object`, nanosPerCall(() => new Request(raw, context, path, '', ''))],
    [`${name}, step: routing (find-my-way, the view for GET)`, nanosPerCall(() => general.registry.routes.match(path)!.group.routes[0]!.viewFor(request))],
    [`${name}, step: the view (token check, lookup, preconditions, headers)`, nanosPerCall(() => view.derived(request) as Response)],
    [`${name}, step: the fast path's answer (lookup, preconditions)`, nanosPerCall(() => fastPath(raw, path, ''))],
  );
}
console.log('| step | ns per request (best of 5) |\n| --- | ---: |');
for (const [what, nanos] of rows) console.log(`| ${what} | ${nanos.toFixed(0)} |`);
process.exit(0);

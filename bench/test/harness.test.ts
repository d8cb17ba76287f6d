// Keeps the benchmark harness from rotting without running a benchmark: every server starts
// in its own process on a small generated fixture and answers each scenario it is measured on
// (status, body bytes, Location); no load, no timing. The ratio logic of the report is checked
// on made-up numbers.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTimeout } from '@tet/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Fixture, generateFixture } from '../src/fixture.js';
import { startLoadGenerator } from '../src/loadgen.js';
import { startServerProcess } from '../src/processes.js';
import { bestPeer, type Cell, judgeTargets, renderReport, type RunResults, withLatestRun } from '../src/report.js';
import { answerShape, assetPath, checkScenario, readEtag, readFormSession, SCENARIOS, type ScenarioContext } from '../src/scenarios.js';
import { SERVER_NAMES } from '../src/servers/index.js';
import { FILES } from '../src/site.js';
import { phasesTable, STARTUP_SERVERS, startupPhases } from '../src/startup-phases.js';

const servers = suite<{ fixture: Fixture; dir: string }>('bench servers');

servers.before((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'tet-bench-'));
  context.fixture = generateFixture(join(context.dir, 'site'), 30);
});

servers.after((context) => {
  rmSync(context.dir, { recursive: true, force: true });
});

for (const name of SERVER_NAMES) {
  servers(`${name} answers every scenario it is measured on`, (context) =>
    withTimeout(
      async () => {
        const server = await startServerProcess(name, context.fixture.dir, { timeoutMs: 15_000 });
        try {
          const etag = await readEtag(name, server.base);
          assert.match(etag, /^(W\/)?"[^"]+"$/);
          const forms = name === 'tet' || name === 'fastify' ? { [name]: await readFormSession(name, server.base) } : {};
          const scenarioContext: ScenarioContext = { fixture: context.fixture, etags: { [name]: etag }, forms };
          const measured = SCENARIOS.filter((scenario) => scenario.servers.includes(name));
          assert.ok(measured.length >= 5, `${name} takes part in ${measured.length} scenarios`);
          for (const scenario of measured) {
            assert.is(await checkScenario(scenario, name, server.base, scenarioContext), undefined, `${name}: ${scenario.title}`);
            const shape = await answerShape(scenario, name, server.base, scenarioContext);
            assert.is(shape.status, scenario.expect(name, scenarioContext, server.base).status);
            assert.not.ok(shape.headers.includes('date') || shape.headers.includes('content-length'), 'what every answer has is left out');
            if (name === 'tet' && scenario.id === 'not-modified') assert.equal([...shape.headers, shape.bodyBytes], ['cache-control', 'etag', 0]);
            if (name === 'tet' && scenario.id === 'not-found') assert.equal(shape.headers, ['cache-control', 'content-type']);
          }
          // Answering 300 requests takes milliseconds of CPU; answering the IPC queries alone, far less.
          const idleFrom = await server.cpu();
          const idle = (await server.cpu()) - idleFrom;
          const busyFrom = await server.cpu();
          for (let i = 0; i < 300; i++) {
            const res = await fetch(`${server.base}${assetPath(name, FILES.small)}`);
            await res.arrayBuffer();
            assert.is(res.status, 200);
          }
          const busy = (await server.cpu()) - busyFrom;
          assert.ok(busy > Math.max(10 * idle, 3000), `CPU time while serving (${busy} µs) is far more than while idle (${idle} µs)`);
        } finally {
          await server.stop();
        }
      },
      30_000,
      `${name} smoke test`,
    ),
  );
}

servers('startup phases: each server reports every phase of its start, up to its first 200', (context) =>
  withTimeout(
    async () => {
      const measured = { tet: startupPhases('tet', context.fixture.dir), sirv: startupPhases('sirv', context.fixture.dir) };
      for (const server of STARTUP_SERVERS) {
        assert.equal(Object.keys(measured[server]), ['builtins', 'load', 'configure', 'index and listen', 'first request'], server);
        for (const [phase, ms] of Object.entries(measured[server])) assert.ok(ms >= 0 && ms < 10_000, `${server} ${phase}: ${ms} ms`);
      }
      assert.ok(measured.tet.configure! > 0, 'Tet has a configuration phase');
      assert.match(phasesTable(measured, 1), /^\| load \| \d+\.\d \| \d+\.\d \|$/m);
    },
    30_000,
    'startup phases',
  ),
);

servers.run();

const loadgen = suite('load generator');

loadgen('reports its own CPU time per request, more for answers that take more reading', () =>
  withTimeout(
    async () => {
      const big = Buffer.alloc(1024 * 1024, 'x');
      const server = createServer((req, res) => {
        const body = req.url === '/big' ? big : Buffer.from('ok');
        res.writeHead(200, { 'content-length': body.length });
        res.end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const load = await startLoadGenerator();
      try {
        const job = (path: string, amount: number) => ({ base, requests: [{ path, headers: {} }], connections: 4, pipelining: 1, seconds: 0, amount, maxSeconds: 20 });
        // Warmed first: a cold autocannon spends several times more per request while it compiles.
        await load.run(job('/small', 3000));
        await load.run(job('/big', 100));
        const small = await load.run(job('/small', 3000));
        const large = await load.run(job('/big', 300));
        assert.is(small.statuses['200'], small.requests);
        assert.is(large.statuses['200'], large.requests);
        assert.ok(small.clientCpuMicros > 0 && Number.isFinite(small.clientCpuMicros), `client CPU per small answer: ${small.clientCpuMicros} µs`);
        assert.ok(large.clientCpuMicros > 3 * small.clientCpuMicros, `1 MiB answers (${large.clientCpuMicros} µs) cost the client more than 2-byte ones (${small.clientCpuMicros} µs)`);
      } finally {
        await load.stop();
        server.close();
        server.closeAllConnections();
      }
    },
    60_000,
    'load generator CPU',
  ),
);

loadgen.run();

const report = suite('bench report');

const cell = (rps: number): Cell => ({ rps, p99: 1, rounds: [rps] });

function results(cells: RunResults['cells']): RunResults {
  return {
    date: '2026-01-01 00:00 UTC',
    machine: { cpu: 'cpu', cores: 2, memoryGiB: 1, node: 'v20', platform: 'linux x64', autocannon: '9' },
    settings: { connections: 50, pipelining: 1, warmupSeconds: 1, seconds: 2, rounds: 3, coldStarts: 1, treeFiles: 30, leakRequests: 0 },
    scenarios: SCENARIOS.filter((scenario) => ['small', 'old-token', 'large'].includes(scenario.id)),
    cells,
    pending: {},
    coldStarts: {},
    memory: {},
    leak: undefined,
    micro: undefined,
    elapsedSeconds: 1,
  };
}

report('the best peer is the fastest of sirv, Fastify and Express, never Tet or the ceiling', () => {
  const best = bestPeer({ tet: cell(900), sirv: cell(300), fastify: cell(500), express: cell(100), raw: cell(1000) });
  assert.is(best?.server, 'fastify');
  assert.is(bestPeer({ tet: cell(900), raw: cell(1000) }), undefined);
});

report("targets are the performance issue's: ≥ 1.0× sirv and ≥ 0.9× raw on small answers, p99 no worse than sirv's", () => {
  const judged = judgeTargets(
    results({
      small: { tet: { ...cell(790), p99: 0.9 }, sirv: cell(800), raw: cell(1000) },
      'old-token': { tet: { ...cell(19), lowerBound: true }, raw: cell(20) },
      large: { tet: cell(10), raw: cell(9) },
    }),
  );
  assert.equal(
    judged.map(({ what, met }) => [what, met]),
    [
      ['1 KB 200: Tet ≥ 1.0× sirv', false],
      ['1 KB 200: Tet ≥ 0.9× raw', false],
      ['old token 301 (Tet only): Tet ≥ 0.9× raw', true],
      ['1 MB 200: Tet ≥ 1.0× raw', true],
      ["1 KB 200: Tet p99 ≤ sirv's", true],
    ],
  );
  assert.is(judged[0]?.actual, '0.99×');
  assert.is(judged[2]?.actual, '0.95× (lower bound)', 'a saturated client is said');
});

report('a cell whose load generator saturated shows its req/s as a lower bound', () => {
  const text = renderReport(results({ small: { tet: { ...cell(790), lowerBound: true }, sirv: cell(800), raw: cell(1000) } }));
  assert.match(text, '| 1 KB 200 | **Tet** | ≥ 790 |');
  assert.match(text, 'A req/s marked ≥ is a lower bound');
});

report("the load table shows the server's and the client's CPU time per request", () => {
  const text = renderReport(results({ small: { tet: { ...cell(790), cpuMicros: 10.96, clientCpuMicros: 9.04 }, sirv: { ...cell(800), cpuMicros: 82.04, clientCpuMicros: 12.5 }, raw: cell(1000) } }));
  assert.match(text, '| 1 KB 200 | **Tet** | 790 |  | 1.0 | 11.0 | 9.0 | 0.79× | 0.99× |');
  assert.match(text, '|  | sirv | 800 |  | 1.0 | 82.0 | 12.5 | 0.80× | best peer |');
  assert.match(text, '|  | raw node:http (ceiling) | 1,000 |  | 1.0 |  |  |  | n/a |');
});

report('the report shows what each server answered where answers differ', () => {
  const run = { ...results({ small: { tet: cell(2), sirv: cell(1) } }), scenarios: SCENARIOS.filter((scenario) => scenario.id === 'not-modified') };
  const text = renderReport({ ...run, shapes: { 'not-modified': { tet: { status: 304, headers: ['cache-control', 'etag'], bodyBytes: 0 }, sirv: { status: 304, headers: [], bodyBytes: 0 } } } });
  assert.match(text, '| conditional GET 304 | **Tet** | cache-control, etag | 0 B |');
  assert.match(text, '|  | sirv | none | 0 B |');
  assert.not.match(renderReport(run), 'What each sent', 'no shapes, no table');
});

report('a full run replaces only the Latest run block of the docs, never the hand-written text after it', () => {
  const docs = [
    '# Benchmarks',
    '## Latest run',
    '<!-- The block below is bench/results/latest.md as `npm run bench` wrote it. -->',
    '',
    '### Tet benchmark, an earlier run',
    'old table',
    '',
    '<!-- The block above ends here. -->',
    '',
    'The table of runs, written by hand.',
    '## Where the time goes',
    'An analysis.',
    '## Reproduce',
    '',
  ].join('\n');
  const updated = withLatestRun(docs, '# Tet benchmark, 2026-12-02\nnew table\n');
  assert.ok(updated !== undefined);
  assert.match(updated, '### Tet benchmark, 2026-12-02\nnew table\n\n<!-- The block above ends here. -->');
  assert.not.match(updated, 'old table');
  assert.ok(updated.endsWith(docs.slice(docs.indexOf('<!-- The block above'))), updated);
  assert.is(withLatestRun('# no markers\n## Reproduce\n', 'x'), undefined);
  assert.is(withLatestRun(docs.replace('<!-- The block above ends here. -->', ''), 'x'), undefined);
});

report.run();

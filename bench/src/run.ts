// `npm run bench`: Tet against sirv, Fastify + @fastify/static, Express + serve-static and a
// raw node:http ceiling, all in one run. Progress goes to stderr; the report is printed to
// stdout and written to bench/results/latest.md (raw numbers to bench/results/raw/).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, arch, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateFixture } from './fixture.js';
import { type LoadGenerator, type LoadResult, startLoadGenerator } from './loadgen.js';
import { disablePinning, LOADGEN_CPU, pinningEnabled, SERVER_CPU } from './pinning.js';
import { startWrk, wrkVersion } from './wrk.js';
import { measureArchiveCost } from './archive-bench.js';
import { measureContentStartup } from './content-startup.js';
import { measureModuleStartup } from './module-startup.js';
import { leakCheck, measureColdStarts, microBenchmark } from './measurements.js';
import { type ServerProcess, startServerProcess } from './processes.js';
import { summarizeProfile } from './profile-summary.js';
import { type Cell, renderReport, type RunResults, type RunSettings, withLatestRun } from './report.js';
import { answerShape, checkScenario, type FormSession, readEtag, readFormSession, SCENARIOS, type Scenario, type ScenarioContext } from './scenarios.js';
import { SERVER_NAMES, type ServerName } from './servers/index.js';
import { median } from './stats.js';
import { measureWorkers, type WorkersResult } from './workers.js';

/** The rows `tet serve --workers` repeats: the 1 KB file and the templated page. */
const WORKER_ROWS = ['small', 'page'];

const benchRoot = fileURLToPath(new URL('../../', import.meta.url));
// The scenarios where servers answer the same request differently, shown in the report.
const SHAPES_SHOWN = ['not-modified', 'not-found'];
const startedAt = performance.now();

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '0.5' },
    rounds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '50' },
    pipelining: { type: 'string', default: '1' },
    'cold-starts': { type: 'string', default: '5' },
    'leak-requests': { type: 'string', default: '100000' },
    tree: { type: 'string', default: '1000' },
    only: { type: 'string' },
    servers: { type: 'string' },
    profile: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    loadgen: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
  },
});
if (flags['no-pin']) disablePinning();

// --quick is for trying the harness, never for numbers anyone quotes.
const settings: RunSettings = flags.quick
  ? { connections: 50, pipelining: 1, warmupSeconds: 0.25, seconds: 0.5, rounds: 1, coldStarts: 1, treeFiles: Number(flags.tree), leakRequests: 10_000 }
  : {
      connections: Number(flags.connections),
      pipelining: Number(flags.pipelining),
      warmupSeconds: Number(flags.warmup),
      seconds: Number(flags.seconds),
      rounds: Number(flags.rounds),
      coldStarts: Number(flags['cold-starts']),
      treeFiles: Number(flags.tree),
      leakRequests: Number(flags['leak-requests']),
    };
const only = flags.only?.split(',').filter((id) => id !== '');
const serverNames: readonly ServerName[] = flags.servers === undefined ? SERVER_NAMES : SERVER_NAMES.filter((name) => flags.servers!.split(',').includes(name));
const scenarios: readonly Scenario[] = (only === undefined ? SCENARIOS : SCENARIOS.filter((scenario) => only.includes(scenario.id)))
  .map((scenario) => ({ ...scenario, servers: scenario.servers.filter((name) => serverNames.includes(name)) }))
  .filter((scenario) => scenario.servers.length > 0);

function progress(message: string): void {
  process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(benchRoot, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** A measured run must be all answers of the expected status: anything else is a broken server or harness. */
function checkRun(result: LoadResult, expectedStatus: number, where: string): void {
  const unexpected = Object.entries(result.statuses).filter(([status]) => Number(status) !== expectedStatus);
  if (result.errors > 0 || unexpected.length > 0 || result.requests === 0) {
    throw new Error(`${where}: ${result.requests} answers, ${result.errors} errors, statuses ${JSON.stringify(result.statuses)}; expected only ${expectedStatus}`);
  }
}

let loadgenLabel = 'autocannon';

/** A run whose load generator used ≥ 90% of its core: its req/s is a lower bound for the server. */
function clientSaturated(result: LoadResult): boolean {
  return result.seconds > 0 && (result.clientCpuMicros * result.requests) / 1e6 / result.seconds >= 0.9;
}

async function main(): Promise<void> {
  const rounds = settings.rounds;
  const estimate = scenarios.reduce((sum, scenario) => sum + scenario.servers.length, 0) * rounds * (settings.warmupSeconds + settings.seconds);
  progress(`benchmark: ${scenarios.length} scenarios, about ${Math.round(estimate)} s of load plus cold starts, leak check and micro-benchmark`);

  const fixture = generateFixture(join(benchRoot, 'fixture'), settings.treeFiles);
  progress(`fixture written to ${fixture.dir}`);

  progress(`cold starts (${settings.coldStarts} per server)`);
  const coldStarts = await measureColdStarts(serverNames, fixture, settings.coldStarts);

  const profileDir = join(benchRoot, 'results', 'raw', 'profiles');
  // autocannon stays for what wrk cannot do (the leak check's fixed request count) and as the
  // fallback where wrk is missing; the measured cells use wrk when it is there.
  const load: LoadGenerator = await startLoadGenerator();
  const version = flags.loadgen === 'autocannon' ? undefined : wrkVersion();
  if (flags.loadgen === 'wrk' && version === undefined) throw new Error('--loadgen wrk: wrk is not installed (apt-get install wrk)');
  const measuring: LoadGenerator = version === undefined ? load : startWrk();
  loadgenLabel = version === undefined ? `autocannon ${packageVersion('autocannon')}` : `wrk ${version}`;
  progress(`load generator: ${loadgenLabel}; ${pinningEnabled() ? `server pinned to CPU ${SERVER_CPU}, load generator to CPU ${LOADGEN_CPU}` : 'not pinned'}`);
  const cells: RunResults['cells'] = {};
  const shapes: NonNullable<RunResults['shapes']> = {};
  const pending: Record<string, string> = {};
  const rssByServer = new Map<ServerName, number[]>();
  const measured = new Map<string, Array<LoadResult & { cpuMicros: number }>>();
  const context: ScenarioContext = { fixture, etags: {}, forms: {} };
  const job = (scenario: Scenario, server: ServerProcess, seconds: number) => ({
    base: server.base,
    requests: [scenario.request(server.name, context)],
    connections: settings.connections,
    pipelining: settings.pipelining,
    seconds,
    maxSeconds: seconds + 10,
    expectedStatus: scenario.expect(server.name, context, server.base).status,
  });

  // Every round gets fresh server processes. A process keeps whatever luck it had at start-up
  // (one Tet process ran 0.7x raw for its whole life, the next 0.9x, with rounds within a
  // process agreeing to ±3%), so rounds in one process would hide that spread, not sample it.
  for (let round = 0; round < rounds; round++) {
    progress(`round ${round + 1} of ${rounds}: starting servers`);
    const servers = new Map<ServerName, ServerProcess>();
    try {
      for (const name of serverNames) {
        const execArgv = flags.profile && name === 'tet' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
        servers.set(name, await startServerProcess(name, fixture.dir, { execArgv }));
      }
      const pagePending = (servers.get('tet')?.notes ?? []).find((note) => note.startsWith('templated page pending'));
      if (pagePending !== undefined) pending['page:tet'] = pagePending;
      for (const [name, server] of servers) (context.etags as Record<string, string>)[name] = await readEtag(name, server.base);
      for (const name of ['tet', 'fastify'] as const) {
        const server = servers.get(name);
        if (server !== undefined) (context.forms as Record<string, FormSession>)[name] = await readFormSession(name, server.base);
      }

      // Pre-flight: every measured pair answers correctly once, or nothing is timed.
      const pairs: Array<{ scenario: Scenario; server: ServerProcess }> = [];
      for (const scenario of scenarios) {
        for (const name of scenario.servers) {
          if (pending[`${scenario.id}:${name}`] !== undefined) continue;
          const server = servers.get(name)!;
          const problem = await checkScenario(scenario, name, server.base, context);
          if (problem !== undefined) throw new Error(`pre-flight: ${problem}`);
          if (round === 0 && SHAPES_SHOWN.includes(scenario.id)) (shapes[scenario.id] ??= {})[name] = await answerShape(scenario, name, server.base, context);
          pairs.push({ scenario, server });
        }
      }
      if (settings.warmupSeconds > 0) {
        progress(`round ${round + 1} of ${rounds}: warm-up`);
        for (const { scenario, server } of pairs) await measuring.run(job(scenario, server, settings.warmupSeconds));
      }
      progress(`round ${round + 1} of ${rounds}: measuring ${pairs.length} server/scenario pairs`);
      for (const scenario of scenarios) {
        const taking = pairs.filter((pair) => pair.scenario === scenario);
        // Servers take turns going first, so none always runs right after the same neighbour.
        for (let i = 0; i < taking.length; i++) {
          const { server } = taking[(i + round) % taking.length]!;
          const cpuBefore = await server.cpu();
          const result = await measuring.run(job(scenario, server, settings.seconds));
          const cpuMicros = ((await server.cpu()) - cpuBefore) / result.requests;
          checkRun(result, scenario.expect(server.name, context, server.base).status, `${server.name} ${scenario.title}, round ${round + 1}`);
          const key = `${scenario.id}:${server.name}`;
          measured.set(key, [...(measured.get(key) ?? []), { ...result, cpuMicros }]);
        }
      }
      for (const [name, server] of servers) rssByServer.set(name, [...(rssByServer.get(name) ?? []), (await server.memory()).rss]);
    } finally {
      for (const server of servers.values()) await server.stop();
    }
  }
  for (const scenario of scenarios) {
    for (const name of scenario.servers) {
      const results = measured.get(`${scenario.id}:${name}`);
      if (results === undefined) continue;
      const cell: Cell = {
        rps: median(results.map((r) => r.rps)),
        p99: median(results.map((r) => r.p99)),
        rounds: results.map((r) => r.rps),
        cpuMicros: median(results.map((r) => r.cpuMicros)),
        clientCpuMicros: median(results.map((r) => r.clientCpuMicros)),
        // The client saturated its core in most rounds: the server may have had more to give.
        lowerBound: results.filter((r) => clientSaturated(r)).length * 2 > results.length,
      };
      (cells[scenario.id] ??= {})[name] = cell;
    }
  }
  const memory: RunResults['memory'] = Object.fromEntries([...rssByServer].map(([name, values]) => [name, median(values)]));

  let leak;
  if (settings.leakRequests > 0) {
    progress(`leak check: 2 × ${settings.leakRequests} requests to a fresh Tet process`);
    leak = await leakCheck(fixture, load, settings.leakRequests, settings.connections, pending['page:tet'] === undefined);
  }
  let archiveCost;
  if (only === undefined && !flags.quick) {
    progress('release archive: start-up with 10 archived releases, archived 200s');
    archiveCost = await measureArchiveCost(join(benchRoot, 'fixture-archive'), measuring, { connections: settings.connections });
  }
  // The 1 KB and page rows once more, served by `tet serve --workers N` (0: skip).
  let workers: WorkersResult | undefined;
  const workerScenarios = scenarios.filter((scenario) => WORKER_ROWS.includes(scenario.id) && scenario.servers.includes('tet') && pending[`${scenario.id}:tet`] === undefined);
  if (Number(flags.workers) > 1 && workerScenarios.length > 0) {
    progress(`tet serve --workers ${flags.workers}: ${workerScenarios.map((scenario) => scenario.id).join(', ')}`);
    workers = await measureWorkers({ fixture, context, measuring, ...settings }, workerScenarios, Number(flags.workers));
  }
  await load.stop();
  progress('request.staticUrl micro-benchmark');
  const micro = await microBenchmark(fixture);
  let contentStartup;
  if (only === undefined && !flags.quick) {
    progress('content-hashed start-up: 1,000 and 10,000 files');
    contentStartup = await measureContentStartup(join(benchRoot, 'fixture-content'));
  }
  let moduleStartup;
  if (only === undefined && !flags.quick) {
    progress('module-graph start-up: 1,000 ES modules');
    moduleStartup = await measureModuleStartup(join(benchRoot, 'fixture-modules'));
  }

  const cpu = cpus();
  const results: RunResults = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: {
      cpu: cpu[0]?.model.trim() ?? 'unknown',
      cores: cpu.length,
      memoryGiB: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      platform: `${platform()} ${arch()}`,
      autocannon: packageVersion('autocannon'),
      loadgen: loadgenLabel,
      pinned: pinningEnabled(),
    },
    settings,
    scenarios,
    cells,
    pending,
    coldStarts,
    memory,
    leak,
    micro,
    contentStartup,
    moduleStartup,
    archiveCost,
    shapes,
    workers,
    elapsedSeconds: (performance.now() - startedAt) / 1000,
  };
  const report = renderReport(results);
  process.stdout.write(`\n${report}`);
  const resultsDir = join(benchRoot, 'results');
  mkdirSync(join(resultsDir, 'raw'), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(resultsDir, 'raw', `run-${stamp}.json`), `${JSON.stringify({ ...results, scenarios: scenarios.map((s) => s.id) }, null, 2)}\n`);
  // Partial runs (--only, --quick) must not overwrite the committed full report.
  if (only === undefined && flags.servers === undefined && !flags.quick) {
    writeFileSync(join(resultsDir, 'latest.md'), report);
    publishInDocs(report);
  } else progress('partial run: bench/results/latest.md and docs/benchmarks.md left as they were');
  if (flags.profile) {
    const newest = readdirSync(profileDir)
      .filter((file) => file.endsWith('.cpuprofile'))
      .map((file) => join(profileDir, file))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (newest !== undefined) process.stdout.write(`\nTet server profile ${newest}:\n${summarizeProfile(newest, 25)}\n`);
  }
}

/** Puts the report into docs/benchmarks.md's "Latest run" section, so the docs show real output. */
function publishInDocs(report: string): void {
  const path = join(benchRoot, '..', 'docs', 'benchmarks.md');
  const updated = withLatestRun(readFileSync(path, 'utf8'), report);
  if (updated === undefined) progress('docs/benchmarks.md has no "Latest run" block to fill');
  else writeFileSync(path, updated);
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});

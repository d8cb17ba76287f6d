// The workers rows: the 1 KB file and the templated page served by `tet serve --workers 2`,
// measured once each beside the single-process figures. Not pinned: the two workers and the
// load generator share the machine's cores, so on two cores they compete.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Fixture } from './fixture.js';
import type { LoadGenerator, LoadResult } from './loadgen.js';
import { checkScenario, type Scenario, type ScenarioContext } from './scenarios.js';

const CLI = fileURLToPath(new URL('../../../packages/core/bin/tet.js', import.meta.url));
const MAIN = fileURLToPath(new URL('./servers/tet-main.js', import.meta.url));

/** One workers row: what the load generator measured against `tet serve --workers N`. */
export interface WorkersCell {
  readonly rps: number;
  readonly p99: number;
}

/** The workers rows of a run, by scenario id. */
export interface WorkersResult {
  readonly workers: number;
  readonly cells: Record<string, WorkersCell>;
}

/** What a measurement needs from the harness. */
export interface WorkersRun {
  readonly fixture: Fixture;
  readonly context: ScenarioContext;
  readonly measuring: LoadGenerator;
  readonly connections: number;
  readonly pipelining: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
}

/**
 * Starts `tet serve` with `workers` workers on the fixture, checks and measures each scenario
 * once (after a warm-up), and stops it.
 * @example
 * const result = await measureWorkers(run, scenarios.filter((s) => ['small', 'page'].includes(s.id)), 2)
 */
export async function measureWorkers(run: WorkersRun, scenarios: readonly Scenario[], workers: number): Promise<WorkersResult> {
  const settingsFile = join(run.fixture.dir, 'tet-serve.json');
  // Request logging off, as in the single-process rows: this row measures the workers alone.
  writeFileSync(settingsFile, JSON.stringify({ 'app:main': { use: MAIN, 'bench.fixture': run.fixture.dir, 'tet.logging.level': 'silent' }, 'server:main': { host: '127.0.0.1', port: 0, workers } }));
  const { child, base } = await startServe(settingsFile);
  const cells: Record<string, WorkersCell> = {};
  try {
    for (const scenario of scenarios) {
      const problem = await checkScenario(scenario, 'tet', base, run.context);
      if (problem !== undefined) throw new Error(`workers pre-flight: ${problem}`);
      const job = (seconds: number) => ({
        base,
        requests: [scenario.request('tet', run.context)],
        connections: run.connections,
        pipelining: run.pipelining,
        seconds,
        maxSeconds: seconds + 10,
        expectedStatus: scenario.expect('tet', run.context, base).status,
      });
      if (run.warmupSeconds > 0) await run.measuring.run(job(run.warmupSeconds));
      const result: LoadResult = await run.measuring.run(job(run.seconds));
      const wrong = Object.keys(result.statuses).filter((status) => Number(status) !== job(0).expectedStatus);
      if (result.errors > 0 || wrong.length > 0) throw new Error(`workers ${scenario.title}: ${result.errors} errors, statuses ${JSON.stringify(result.statuses)}`);
      cells[scenario.id] = { rps: result.rps, p99: result.p99 };
    }
  } finally {
    await stop(child);
  }
  return { workers, cells };
}

async function startServe(settingsFile: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', settingsFile], { env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  for (let i = 0; i < 600; i++) {
    const port = /on http:\/\/localhost:(\d+)\//.exec(output)?.[1];
    if (port !== undefined) return { child, base: `http://127.0.0.1:${port}` };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop(child);
  throw new Error(`tet serve --workers did not start:\n${output}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

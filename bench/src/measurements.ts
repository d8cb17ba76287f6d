// The measurements that are not load tables: cold start, the leak check and the micro-benchmark.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rawRequest } from '@tet/core/testing';
import type { Fixture } from './fixture.js';
import type { LoadGenerator, LoadRequest } from './loadgen.js';
import type { MicroResult } from './micro-process.js';
import { startServerProcess } from './processes.js';
import { assetPath, SCENARIOS, type ScenarioContext, readEtag } from './scenarios.js';
import type { ServerName } from './servers/index.js';
import { FILES } from './site.js';

/**
 * Milliseconds from forking a server process to the end of its first 200 (the 1 KB file),
 * `runs` times per server, servers taking turns so no server always goes first.
 */
export async function measureColdStarts(servers: readonly ServerName[], fixture: Fixture, runs: number): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = Object.fromEntries(servers.map((server) => [server, []]));
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < servers.length; i++) {
      const server = servers[(i + run) % servers.length]!;
      const started = await startServerProcess(server, fixture.dir);
      try {
        const response = await rawRequest(started.base, assetPath(server, FILES.small));
        const elapsed = performance.now() - started.spawnedAt;
        if (response.status !== 200) throw new Error(`cold start of ${server}: first request answered ${response.status}`);
        times[server]!.push(elapsed);
      } finally {
        await started.stop();
      }
    }
  }
  return times;
}

/** Memory of the Tet process around two batches of requests, after forced garbage collection. */
export interface LeakCheck {
  readonly requestsPerBatch: number;
  readonly before: { rss: number; heapUsed: number };
  readonly afterFirst: { rss: number; heapUsed: number };
  readonly afterSecond: { rss: number; heapUsed: number };
  readonly statuses: Record<string, number>;
  /** True when the second batch grew neither the heap by 1 MiB nor RSS by 4 MiB. */
  readonly steady: boolean;
}

/**
 * Leak check: a fresh Tet process (with --expose-gc) is warmed, then sent two batches of
 * `amount` requests mixing every Tet scenario; memory is read after a full GC before and after
 * each. A leak grows memory with every batch; a warm process should stay flat.
 */
export async function leakCheck(fixture: Fixture, load: LoadGenerator, amount: number, connections: number, withPage: boolean): Promise<LeakCheck> {
  // V8 grows its young generation under load, by up to 3 × 16 MiB of RSS, sooner in a process
  // that allocates more per request: started at full size, that growth is not read as a leak
  // (a Tet serving from its fast paths allocates so little that it was still growing in the
  // measured batches: RSS +13 then +4 MiB, flat heap; +0.2 MiB with this flag).
  const tet = await startServerProcess('tet', fixture.dir, { execArgv: ['--expose-gc', '--min-semi-space-size=16'] });
  try {
    const context: ScenarioContext = { fixture, etags: { tet: await readEtag('tet', tet.base) } };
    const tetScenarios = SCENARIOS.filter((scenario) => scenario.servers.includes('tet') && scenario.id !== 'form-post' && (withPage || scenario.id !== 'page'));
    const quick = tetScenarios.filter((scenario) => scenario.id !== 'large').map((scenario) => scenario.request('tet', context));
    const large = tetScenarios.filter((scenario) => scenario.id === 'large').map((scenario) => scenario.request('tet', context));
    // The streamed 1 MB file is one request in ~20 (it is where file handles could leak); as
    // often as the others, it would make the check take minutes.
    const requests: LoadRequest[] = [...quick, ...quick, ...quick, ...large];
    const batch = async (count: number) => load.run({ base: tet.base, requests, connections, pipelining: 1, seconds: 0, amount: count, maxSeconds: 120 });
    await batch(Math.min(20_000, amount));
    const before = await tet.memory(true);
    const first = await batch(amount);
    const afterFirst = await tet.memory(true);
    const second = await batch(amount);
    const afterSecond = await tet.memory(true);
    const statuses: Record<string, number> = {};
    for (const result of [first, second]) for (const [status, count] of Object.entries(result.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
    const steady = afterSecond.heapUsed - afterFirst.heapUsed < 1024 * 1024 && afterSecond.rss - afterFirst.rss < 4 * 1024 * 1024;
    return { requestsPerBatch: amount, before, afterFirst, afterSecond, statuses, steady };
  } finally {
    await tet.stop();
  }
}

const MICRO_PROCESS = fileURLToPath(new URL('./micro-process.js', import.meta.url));

/** Runs the `request.staticUrl` micro-benchmark in its own process. */
export function microBenchmark(fixture: Fixture): Promise<MicroResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [MICRO_PROCESS, fixture.dir], { timeout: 60_000, env: { ...process.env, NODE_ENV: 'production' } }, (error, stdout) => {
      if (error !== null) return reject(error);
      try {
        resolve(JSON.parse(stdout) as MicroResult);
      } catch {
        reject(new Error(`the micro-benchmark printed something else: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

// `tet serve --workers N`: a node:cluster primary. It chooses the one cache-breaker token all
// workers use, restarts crashed workers with back-off, drains them all on SIGTERM/SIGINT, and
// replaces them one at a time on SIGHUP so the port never stops answering.
import cluster, { type Worker } from 'node:cluster';
import type { ServePlan } from './plan.js';
import { displayUrl, type ServeMessage } from './run-app.js';
import { childExecArgv } from './child-flags.js';

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 10_000;
/** A worker that lived this long was healthy: its slot's back-off starts over. */
const HEALTHY_MS = 10_000;
const START_TIMEOUT_MS = 30_000;

interface Slot {
  worker: Worker;
  crashes: number;
  startedAt: number;
}

/**
 * Runs `plan.workers` workers of `tet serve` sharing one port. `token` (the per-start
 * cache-breaker, chosen here once) reaches every worker as `TET_STATIC_CACHEBREAKER`.
 * @example
 * await runPrimary(plan, cliPath, ['production.ini', '--workers', '2'], token)
 */
export async function runPrimary(plan: ServePlan, cli: string, args: string[], token: string | undefined): Promise<void> {
  // Each worker accepts from the shared socket itself (the OS balances). With Node's default
  // round-robin the primary accepts and hands each connection to a worker over IPC; a hand-off
  // in flight to a worker that is retiring was sometimes never answered, and its client waited
  // forever (1 request in ~2,000 through a SIGHUP, a hang, not a reset). With SCHED_NONE a
  // retiring worker only closes its own copy of the listening socket: queued connections stay
  // in the kernel's backlog for the others.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: cli, args: ['serve', ...args], execArgv: childExecArgv() });
  const env: NodeJS.ProcessEnv = { TET_SERVE_ROLE: 'worker' };
  if (token !== undefined) env.TET_STATIC_CACHEBREAKER = token;
  const slots: Slot[] = [];
  const retiring = new Set<Worker>();
  let stopping = false;
  let rolling = false;
  let port = plan.port;

  const fork = (slot?: Slot): Promise<Worker> => {
    const worker = cluster.fork(env);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${worker.process.pid} did not listen within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      worker.once('listening', (address) => {
        clearTimeout(timer);
        port = address.port;
        resolve(worker);
      });
      worker.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`worker ${worker.process.pid} exited before listening (${signal ?? `code ${code}`})`));
      });
      if (slot !== undefined) slot.worker = worker;
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping || retiring.delete(worker)) return;
    const slot = slots.find((candidate) => candidate.worker === worker);
    if (slot === undefined) return;
    if (Date.now() - slot.startedAt > HEALTHY_MS) slot.crashes = 0;
    const delay = Math.min(FIRST_BACKOFF_MS * 2 ** slot.crashes, MAX_BACKOFF_MS);
    slot.crashes++;
    console.error(`tet serve: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another in ${delay} ms`);
    setTimeout(() => {
      if (stopping) return;
      slot.startedAt = Date.now();
      fork(slot).catch((error: Error) => console.error(`tet serve: ${error.message}`));
    }, delay);
  });

  // Start every worker; if the application cannot start at all, say so and stop.
  const first = await Promise.allSettled(Array.from({ length: plan.workers }, () => fork()));
  const failed = first.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    stopping = true;
    for (const result of first) if (result.status === 'fulfilled') result.value.kill('SIGKILL');
    console.error(`tet serve: the application failed to start in a worker (${(failed as PromiseRejectedResult).reason.message}); see the error above`);
    process.exit(1);
  }
  for (const result of first) slots.push({ worker: (result as PromiseFulfilledResult<Worker>).value, crashes: 0, startedAt: Date.now() });
  console.log(
    `tet serve: ${plan.workers} workers serving ${plan.source} on ${displayUrl(plan.host, port)}${token === undefined ? '' : ` (cache-breaker ${token})`}; pid ${process.pid}, SIGHUP restarts them one by one`,
  );

  const retire = (worker: Worker): Promise<void> =>
    new Promise((resolve) => {
      retiring.add(worker);
      if (worker.isDead()) {
        resolve();
        return;
      }
      const timer = setTimeout(() => worker.kill('SIGKILL'), plan.shutdownTimeout + 2000);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (worker.isConnected()) worker.send({ type: 'tet:shutdown' } satisfies ServeMessage);
    });

  const roll = async () => {
    console.log(`tet serve: SIGHUP; restarting ${slots.length} workers one at a time`);
    for (const slot of slots) {
      if (stopping) return;
      const old = slot.worker;
      let fresh: Worker;
      try {
        fresh = await fork();
      } catch (error) {
        console.error(`tet serve: a new worker failed to start (${(error as Error).message}); keeping the running workers`);
        return;
      }
      slot.worker = fresh;
      slot.crashes = 0;
      slot.startedAt = Date.now();
      await retire(old);
    }
    console.log('tet serve: every worker restarted');
  };

  process.on('SIGHUP', () => {
    if (rolling) return; // one roll at a time; a second SIGHUP during it changes nothing
    rolling = true;
    void roll().finally(() => {
      rolling = false;
    });
  });
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`tet serve: ${signal}; draining ${slots.length} workers (${plan.shutdownTimeout / 1000} s at most)`);
    void Promise.all(Object.values(cluster.workers ?? {}).map((worker) => (worker === undefined ? undefined : retire(worker)))).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

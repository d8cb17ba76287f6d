// Which CPU each process of a run may use. With the server on one core and the load generator
// on the other, the server is the bottleneck and its req/s measure its own cost; unpinned, the
// two share both cores and a costlier client reads as a slower server.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

/** The core the measured server runs on. */
export const SERVER_CPU = 0;
/** The core the load generator runs on. */
export const LOADGEN_CPU = 1;

let enabled: boolean | undefined;

/** True when processes are pinned: `taskset` exists, the machine has two cores or more, and the run did not opt out. */
export function pinningEnabled(): boolean {
  if (enabled === undefined) enabled = cpus().length >= 2 && spawnSync('taskset', ['-V'], { timeout: 5000 }).error === undefined;
  return enabled;
}

/** Turns pinning off for this run (`--no-pin`), e.g. on a one-core machine. */
export function disablePinning(): void {
  enabled = false;
}

/** `argv` run on `cpu` only, when pinning is enabled. */
export function pinnedCommand(argv: readonly string[], cpu: number): string[] {
  return pinningEnabled() ? ['taskset', '-c', String(cpu), ...argv] : [...argv];
}

/** Pins every thread of a running process to `cpu` (threads it starts later inherit it). */
export function pinProcess(pid: number, cpu: number): void {
  if (!pinningEnabled()) return;
  const result = spawnSync('taskset', ['-a', '-pc', String(cpu), String(pid)], { timeout: 5000, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskset could not pin process ${pid} to CPU ${cpu}: ${result.stderr || result.error?.message}`);
}

// The harness's side of the load generator: one autocannon process, jobs sent one at a time.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromLoadgen, ToLoadgen } from './loadgen-process.js';
import { LOADGEN_CPU, pinProcess } from './pinning.js';

const LOADGEN_PROCESS = fileURLToPath(new URL('./loadgen-process.js', import.meta.url));

/** One request of a load job; autocannon cycles through them on every connection. */
export interface LoadRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  /** GET unless given (the form scenario POSTs). */
  readonly method?: string;
  readonly body?: string;
}

/** What to send, how hard and for how long. */
export interface LoadJob {
  readonly base: string;
  readonly requests: readonly LoadRequest[];
  readonly connections: number;
  readonly pipelining: number;
  /** Duration in seconds; ignored when `amount` is set. */
  readonly seconds: number;
  /** A number of requests instead of a duration. */
  readonly amount?: number;
  /** Hard limit: the run is stopped after this many seconds whatever it was asked. */
  readonly maxSeconds: number;
  /** The status every answer should have; wrk, which counts only non-2xx/3xx answers, needs it. */
  readonly expectedStatus?: number;
}

/** One run's numbers. Latencies are milliseconds. */
export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly bytesPerSecond: number;
  /** Responses by status code. */
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly timeouts: number;
  /** True when `maxSeconds` cut the run short. */
  readonly stoppedEarly: boolean;
  /** The load generator's own CPU time (user + system) per answered request, in µs. */
  readonly clientCpuMicros: number;
}

/** A started load generator process. */
export interface LoadGenerator {
  run(job: LoadJob): Promise<LoadResult>;
  stop(): Promise<void>;
}

/**
 * Forks the autocannon process.
 * @example
 * const load = await startLoadGenerator(); const result = await load.run(job); await load.stop()
 */
export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child: ChildProcess = fork(LOADGEN_PROCESS, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the load generator did not start within 20 s')), 20_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`the load generator exited (${code})`)));
  });
  pinProcess(child.pid!, LOADGEN_CPU);
  let nextId = 0;
  return {
    run(job) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`load run ${id} did not end within ${job.maxSeconds + 15} s`)), (job.maxSeconds + 15) * 1000);
        const onMessage = (message: FromLoadgen) => {
          if (message.id !== id) return;
          if (message.type === 'result') finish(undefined, message.result);
          else finish(new Error(`autocannon: ${message.message}`));
        };
        function finish(error: Error | undefined, result?: LoadResult) {
          clearTimeout(timer);
          child.off('message', onMessage);
          if (error !== undefined) reject(error);
          else resolve(result!);
        }
        child.on('message', onMessage);
        child.send({ type: 'run', id, job } satisfies ToLoadgen);
      });
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

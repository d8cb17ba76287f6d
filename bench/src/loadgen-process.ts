// The load generator's own process: autocannon, driven over IPC by the harness, so it never
// shares an event loop (or a core) with a server or with the harness. One long-lived process
// instead of one per measurement saves a Node start-up per run.
import { createRequire } from 'node:module';
import type { LoadJob, LoadResult } from './loadgen.js';

interface Histogram {
  readonly total: number;
  readonly p50: number;
  readonly p99: number;
  readonly average: number;
}
interface AutocannonResult {
  readonly requests: Histogram;
  readonly latency: Histogram;
  readonly throughput: Histogram;
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodeStats: Record<string, { count: number }>;
}
interface Instance {
  stop(): void;
}
type Autocannon = (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => Instance;

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;

// autocannon appends every body chunk to a string (`body += chunk`) for its verifyBody and
// expectBody options, which this harness does not use. For the 1 MB binary that UTF-8
// decoding is the bottleneck: autocannon topped out near 50 req/s whatever the server (raw
// node:http included), against ~2,000 without it. Dropping the copy helps every server equally.
const queue = require('autocannon/lib/pipelinedRequestsQueue.js') as { prototype: { addBody(data: Buffer): void } };
queue.prototype.addBody = () => {};

export type ToLoadgen = { type: 'run'; id: number; job: LoadJob };
export type FromLoadgen = { type: 'result'; id: number; result: LoadResult } | { type: 'error'; id: number; message: string };

function run(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const options: Record<string, unknown> = {
      url: job.base,
      requests: job.requests.map((request) => ({ method: request.method ?? 'GET', path: request.path, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) })),
      connections: job.connections,
      pipelining: job.pipelining,
      // `amount` runs are still bounded in time: the timer below stops them.
      ...(job.amount === undefined ? { duration: job.seconds } : { amount: job.amount }),
      timeout: 10,
      // autocannon checks for the end of a run at each sample; sampled every 250 ms, a run
      // lasts what it was asked (to a quarter second), not up to the next whole second.
      sampleInt: 250,
    };
    let stoppedEarly = false;
    const cpuFrom = process.cpuUsage();
    const instance = autocannon(options, (error, result) => {
      clearTimeout(timer);
      if (error !== null) return reject(error);
      const cpu = process.cpuUsage(cpuFrom);
      const statuses: Record<string, number> = {};
      for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = Number(count);
      resolve({
        requests: result.requests.total,
        seconds: result.duration,
        rps: result.requests.total / result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        bytesPerSecond: result.throughput.average,
        statuses,
        errors: result.errors,
        timeouts: result.timeouts,
        stoppedEarly,
        clientCpuMicros: result.requests.total === 0 ? 0 : (cpu.user + cpu.system) / result.requests.total,
      });
    });
    const timer = setTimeout(() => {
      stoppedEarly = true;
      instance.stop();
    }, job.maxSeconds * 1000);
  });
}

process.on('disconnect', () => process.exit(0));
process.on('message', (message: ToLoadgen) => {
  if (message.type !== 'run') return;
  run(message.job).then(
    (result) => process.send?.({ type: 'result', id: message.id, result } satisfies FromLoadgen),
    (error: Error) => process.send?.({ type: 'error', id: message.id, message: error.message } satisfies FromLoadgen),
  );
});
process.send?.({ type: 'ready' });

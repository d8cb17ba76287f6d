// wrk, a C load generator, as the benchmark's measuring client. autocannon (Node) spent as
// much CPU per answer as the servers it measured, so on two cores it, not the server, set the
// pace; wrk pinned to the other core leaves the server as the bottleneck. One wrk process per
// run, started under `bash -c '...; times'` so the run also reports wrk's own CPU time.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LoadGenerator, LoadJob, LoadResult } from './loadgen.js';
import { LOADGEN_CPU, pinnedCommand } from './pinning.js';

/** wrk's version line, or undefined when wrk is not installed. */
export function wrkVersion(): string | undefined {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8', timeout: 5000 });
  if (probe.error !== undefined) return undefined;
  const match = /wrk (\S+)/.exec(`${probe.stdout}${probe.stderr}`);
  return match?.[1] ?? 'unknown';
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function milliseconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (match === null) return Number.NaN;
  return Number(match[1]) * UNITS[match[2]!]!;
}

function bytes(text: string): number {
  const match = /^([\d.]+)([KMGT]?B)$/.exec(text.trim());
  if (match === null) return Number.NaN;
  const scale = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }[match[2]!] ?? 1;
  return Number(match[1]) * scale;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// wrk sends a method other than GET, and a body, only from a Lua script.
function methodScript(method: string, body: string | undefined): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tet-bench-wrk-')), 'request.lua');
  writeFileSync(file, `wrk.method = ${JSON.stringify(method)}\n${body === undefined ? '' : `wrk.body = ${JSON.stringify(body)}\n`}`);
  return file;
}

/** wrk's summary: everything a cell needs. Throws when the output is not wrk's. */
export function parseWrkOutput(output: string, expectedStatus: number): Omit<LoadResult, 'clientCpuMicros' | 'stoppedEarly'> {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m),\s+([\d.]+[KMGT]?B) read/.exec(output);
  if (total === null) throw new Error(`wrk printed no summary:\n${output}`);
  const requests = Number(total[1]);
  const seconds = milliseconds(`${total[2]}${total[3]}`) / 1000;
  const latency = (percent: number) => {
    const line = new RegExp(`^\\s+${percent}%\\s+(\\S+)$`, 'm').exec(output);
    return line === null ? Number.NaN : milliseconds(line[1]!);
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const errors = socket === null ? 0 : Number(socket[1]) + Number(socket[2]) + Number(socket[3]);
  const timeouts = socket === null ? 0 : Number(socket[4]);
  // wrk counts answers outside 2xx/3xx, not each status. The pre-flight check has already
  // compared one answer of every pair byte for byte; here a run is all-expected when the
  // count falls on the expected side of that line.
  const non2xx3xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const expectedIsError = expectedStatus >= 400;
  const unexpected = expectedIsError ? requests - non2xx3xx : non2xx3xx;
  const statuses: Record<string, number> = { [String(expectedStatus)]: requests - unexpected };
  if (unexpected > 0) statuses[expectedIsError ? '2xx/3xx' : '4xx/5xx'] = unexpected;
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50: latency(50),
    p99: latency(99),
    bytesPerSecond: bytes(total[4]!) / seconds,
    statuses,
    errors,
    timeouts,
  };
}

/** The CPU seconds (user + system) of the children a `times` builtin reports. */
export function parseTimes(output: string): number | undefined {
  const lines = output
    .trim()
    .split('\n')
    .filter((line) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(line.trim()));
  const children = lines.at(-1);
  if (children === undefined) return undefined;
  return children
    .trim()
    .split(' ')
    .map((part) => {
      const [, minutes, secs] = /^(\d+)m([\d.]+)s$/.exec(part)!;
      return Number(minutes) * 60 + Number(secs);
    })
    .reduce((a, b) => a + b, 0);
}

/**
 * A load generator that runs one pinned wrk process per job. Jobs that wrk cannot express
 * (a fixed request count, pipelining) are refused: the harness uses autocannon for those.
 * @example
 * const load = startWrk(); const result = await load.run({ ...job, expectedStatus: 200 })
 */
export function startWrk(): LoadGenerator & { readonly name: 'wrk' } {
  return {
    name: 'wrk',
    run(job: LoadJob & { expectedStatus?: number }): Promise<LoadResult> {
      if (job.amount !== undefined || job.pipelining > 1 || job.requests.length !== 1) {
        return Promise.reject(new Error('wrk runs duration-based, unpipelined jobs of one request; use autocannon for this job'));
      }
      const request = job.requests[0]!;
      const args = ['-t1', `-c${job.connections}`, `-d${Math.max(1, Math.round(job.seconds))}s`, '--latency', '--timeout', '10s'];
      for (const [name, value] of Object.entries(request.headers)) args.push('-H', `${name}: ${value}`);
      const script = request.method !== undefined || request.body !== undefined ? methodScript(request.method ?? 'GET', request.body) : undefined;
      if (script !== undefined) args.push('-s', script);
      args.push(`${job.base}${request.path}`);
      const command = `${pinnedCommand(['wrk', ...args], LOADGEN_CPU)
        .map(shellQuote)
        .join(' ')}; status=$?; times; exit $status`;
      return new Promise((resolve, reject) => {
        const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        let stoppedEarly = false;
        const timer = setTimeout(() => {
          stoppedEarly = true;
          child.kill('SIGKILL');
        }, job.maxSeconds * 1000);
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.once('close', (code) => {
          clearTimeout(timer);
          if (script !== undefined) rmSync(dirname(script), { recursive: true, force: true });
          if (code !== 0) return reject(new Error(`wrk exited with ${code}:\n${output}`));
          try {
            const result = parseWrkOutput(output, job.expectedStatus ?? 200);
            const cpuSeconds = parseTimes(output);
            resolve({ ...result, stoppedEarly, clientCpuMicros: cpuSeconds === undefined || result.requests === 0 ? 0 : (cpuSeconds * 1e6) / result.requests });
          } catch (error) {
            reject(error);
          }
        });
      });
    },
    stop: () => Promise.resolve(),
  };
}

// The harness's side of the server processes: fork, wait for the port, query memory, stop.
// Every wait is bounded, and a process that does not stop in time is killed.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromServer, ToServer } from './server-process.js';
import { pinProcess, SERVER_CPU } from './pinning.js';
import type { ServerName } from './servers/index.js';

const SERVER_PROCESS = fileURLToPath(new URL('./server-process.js', import.meta.url));

/** A running server process. */
export interface ServerProcess {
  readonly name: ServerName;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly notes: readonly string[];
  /** `performance.now()` just before the process was forked. */
  readonly spawnedAt: number;
  memory(gc?: boolean): Promise<{ rss: number; heapUsed: number }>;
  /** CPU time the process has used so far (user + system), in microseconds. */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Node flags for the server (`--cpu-prof`, `--expose-gc`). */
  readonly execArgv?: readonly string[];
  readonly timeoutMs?: number;
}

function nextMessage<T extends FromServer['type']>(child: ChildProcess, types: readonly T[], timeoutMs: number, what: string): Promise<Extract<FromServer, { type: T | 'failed' }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: FromServer) => {
      if ((types as readonly string[]).includes(message.type) || message.type === 'failed') finish(undefined, message as Extract<FromServer, { type: T | 'failed' }>);
    };
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`${what}: the process exited (${signal ?? code})`));
    function finish(error: Error | undefined, message?: Extract<FromServer, { type: T | 'failed' }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error !== undefined) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess, timeoutMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Forks a server process on a fixture and resolves once it listens.
 * @example
 * const tet = await startServerProcess('tet', fixture.dir); ...; await tet.stop()
 */
export async function startServerProcess(name: ServerName, fixtureDir: string, options: StartOptions = {}): Promise<ServerProcess> {
  const spawnedAt = performance.now();
  const child = fork(SERVER_PROCESS, [name, fixtureDir], {
    execArgv: [...(options.execArgv ?? [])],
    // Every server runs in production mode: Express and @fastify/view key their caching on it.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let ready;
  try {
    ready = await nextMessage(child, ['ready'], options.timeoutMs ?? 30_000, `starting ${name}`);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  if (ready.type === 'failed') {
    await stopChild(child);
    throw new Error(`${name} failed to start: ${ready.message}`);
  }
  const { port, notes } = ready;
  // Every thread of the server on one core, the load generator on the other (pinning.ts).
  pinProcess(child.pid!, SERVER_CPU);
  return {
    name,
    port,
    base: `http://127.0.0.1:${port}`,
    notes,
    spawnedAt,
    async memory(gc = false) {
      const answer = nextMessage(child, ['memory'], 10_000, `memory of ${name}`);
      child.send({ type: 'memory', gc } satisfies ToServer);
      const message = await answer;
      if (message.type === 'failed') throw new Error(message.message);
      return { rss: message.rss, heapUsed: message.heapUsed };
    },
    async cpu() {
      const answer = nextMessage(child, ['cpu'], 10_000, `CPU time of ${name}`);
      child.send({ type: 'cpu' } satisfies ToServer);
      const message = await answer;
      if (message.type === 'failed') throw new Error(message.message);
      return message.micros;
    },
    stop: () => stopChild(child),
  };
}

// One serving process: load the application, listen, say where, and stop gracefully on
// SIGTERM/SIGINT (or the supervisor's message). tet serve's supervisor and cluster workers
// run this same code.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { type AddressInfo, Server as NetServer } from 'node:net';
import type { App } from '../app.js';
import { ConfigurationError } from '../errors.js';
import type { ServePlan } from './plan.js';
import { loadApplication } from './resolve-app.js';

/** How this process was started: by the user, by the --reload supervisor, or as a cluster worker. */
export type Role = 'main' | 'child' | 'worker';

/** Messages between tet serve's processes. */
export type ServeMessage = { type: 'tet:listening'; port: number; token?: string } | { type: 'tet:shutdown' };

/** The URL to print: `localhost` for loopback and wildcard addresses, which a browser can open. */
export function displayUrl(host: string, port: number): string {
  const shown = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}/`;
}

/**
 * Loads and serves the application until a signal stops it; resolves when it is listening.
 * @example
 * await runApplication(makePlan(['development.ini'], process.env), 'main')
 */
export async function runApplication(plan: ServePlan, role: Role): Promise<void> {
  const app = await loadApplication(plan.appModule, plan.exportName, plan.settings);
  const server = await listen(app, plan);
  const { port } = server.address() as AddressInfo;
  // @tet/static's token, when it is included (core does not know the package's types).
  const token = (app.registry as { cachebreaker?: string }).cachebreaker;
  if (role === 'main') {
    console.log(`tet serve: serving ${plan.source} on ${displayUrl(plan.host, port)}${token === undefined ? '' : ` (cache-breaker ${token})`}; Ctrl-C stops it`);
  }
  if (process.send !== undefined) process.send({ type: 'tet:listening', port, ...(token === undefined ? {} : { token }) } satisfies ServeMessage);
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    if (role === 'main') console.log(`tet serve: ${why}; finishing requests in flight (${plan.shutdownTimeout / 1000} s at most)`);
    void drain(app, server, plan.shutdownTimeout).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('message', (message: ServeMessage) => {
    if (message?.type === 'tet:shutdown') stop('shutdown');
  });
  // A supervisor that dies (even by SIGKILL) closes the channel: never outlive it on the port.
  if (role === 'child') process.on('disconnect', () => stop('the supervisor went away'));
}

async function listen(app: App, plan: ServePlan): Promise<Server> {
  try {
    return await app.listen(plan.port, plan.host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      const why = code === 'EADDRINUSE' ? 'is in use' : code === 'EACCES' ? 'needs privileges' : 'is not an address of this machine';
      throw new ConfigurationError(
        `tet serve: cannot listen on ${plan.host}:${plan.port}: it ${why} (${code}). Stop the other server, or choose another with --port/--host or [server:main] in ${plan.configFile ?? 'a settings file'}.`,
        'TET_ERR_SERVE_LISTEN',
        { cause: error },
      );
    }
    throw error;
  }
}

/** How long a draining process keeps answering its open connections before app.close(). */
const GRACE_MS = 1000;

/**
 * Stops accepting (a cluster primary then routes new connections to the other workers), answers
 * every request still arriving on open connections with `Connection: close` for a moment, then
 * runs the framework's graceful close. Closing idle keep-alive connections at once, as
 * app.close() does, races a client that is sending its next request on one at that instant,
 * and a connection accepted a moment ago may not have sent its request yet: under steady load
 * both happen on every restart. After the grace only connections idle for all of it are left.
 */
async function drain(app: App, server: Server, timeout: number): Promise<void> {
  const grace = Math.min(GRACE_MS, timeout / 2);
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => res.setHeader('connection', 'close'));
  await new Promise<void>((resolve) => {
    NetServer.prototype.close.call(server, () => resolve());
    setTimeout(resolve, grace);
  });
  await app.close({ timeout: timeout - grace });
}

// @tet/core/testing: helpers for tests that talk to a real server over a socket.
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import type { App } from './app.js';
import { Configurator, type Includeable } from './configurator.js';
import type { Settings } from './settings.js';

/** A running test server. */
export interface TestServer {
  readonly server: Server;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts an application on 127.0.0.1 with a free port.
 * @example
 * const { base, close } = await startTestServer(await main())
 */
export async function startTestServer(app: App | Promise<App>): Promise<TestServer> {
  const server = await (await app).listen(0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What {@link rawRequest} returns. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
}

/** Options for {@link rawRequest}. */
export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Milliseconds before the request is abandoned (default 5000). */
  timeout?: number;
}

/**
 * Sends a request with the path exactly as given (`/static/../x`, `%2e%2e`), which `fetch`
 * would normalise away.
 * @example
 * const res = await rawRequest(base, '/static/%2e%2e/secret')
 */
export function rawRequest(base: string, path: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers, agent: false, timeout: options.timeout ?? 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`rawRequest ${path}: no response within ${options.timeout ?? 5000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Rejects when `work` takes longer than `ms`: uvu has no per-test timeout.
 * @example
 * test('answers', () => withTimeout(async () => { ... }, 5000))
 */
export async function withTimeout<T>(work: () => Promise<T>, ms = 10_000, label = 'test'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What {@link memoryLogger} returns: a logger with what it was told. */
export interface MemoryLogger {
  /** Every message, as `error: ...`, `warn: ...` or `info: ...`. */
  readonly lines: string[];
  /** The error passed with each `error()` call. */
  readonly errors: unknown[];
  error(message: string, error?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
}

/**
 * A logger that keeps what it is told, for asserting on logged errors.
 * @example
 * const logger = memoryLogger(); config.registry.logger = logger; ... assert.match(logger.lines[0], 'unhandled')
 */
export function memoryLogger(): MemoryLogger {
  const lines: string[] = [];
  const errors: unknown[] = [];
  return {
    lines,
    errors,
    error(message, error) {
      lines.push(`error: ${message}`);
      errors.push(error);
    },
    warn(message) {
      lines.push(`warn: ${message}`);
    },
    info(message) {
      lines.push(`info: ${message}`);
    },
  };
}

/** Options for {@link configureTestApp} and {@link startTestApp}. */
export interface TestAppOptions {
  /** A file or folder inside the application's package (its asset specs resolve from there). */
  package: string | URL;
  settings?: Settings;
  /** Included before `configure` runs, e.g. `[tetStatic]`. */
  include?: readonly Includeable[];
}

/**
 * A Configurator for a test application: `options.include` included, a {@link memoryLogger} as
 * its logger, then `configure` run. Commit it with `config.makeApp()`.
 * @example
 * const config = configureTestApp((c) => c.addRoute('home', '/'), { package: import.meta.url })
 */
export function configureTestApp(configure: (config: Configurator) => void, options: TestAppOptions): Configurator {
  const config = new Configurator({ package: options.package, settings: { ...options.settings } });
  config.registry.logger = memoryLogger();
  for (const include of options.include ?? []) config.include(include);
  configure(config);
  return config;
}

/** A committed test application serving on 127.0.0.1: what {@link startTestApp} returns. */
export interface TestApp extends TestServer {
  readonly app: App;
  readonly config: Configurator;
  /** The application's logger, unless `configure` replaced it. */
  readonly logger: MemoryLogger;
}

/**
 * Configures (see {@link configureTestApp}), commits and serves a test application on a free port.
 * @example
 * const app = await startTestApp((c) => { c.addRoute('home', '/'); c.addView(() => 'hi', { routeName: 'home', renderer: 'string' }) }, { package: import.meta.url })
 * await fetch(app.base); await app.close()
 */
export async function startTestApp(configure: (config: Configurator) => void, options: TestAppOptions): Promise<TestApp> {
  const logger = memoryLogger();
  const config = configureTestApp((c) => {
    c.registry.logger = logger;
    configure(c);
  }, options);
  const app = await config.makeApp();
  return { ...(await startTestServer(app)), app, config, logger };
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for a server a test starts in another
 * process (nginx, a child `tet serve`). In-process servers should listen on port 0 instead.
 * The port is taken below the kernel's ephemeral range: a port from that range (what
 * listening on port 0 gives) can be taken, before the other process binds it, by any outgoing
 * connection on the machine (a test's own client, in a parallel test), which failed runs with
 * "port in use".
 * @example
 * const port = await freePort(); spawn('nginx', [...]) // listens on port
 */
export async function freePort(): Promise<number> {
  const [low, high] = belowEphemeralRange();
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await canListen(port)) return port;
  }
  return listenOnce(0);
}

// Linux gives outgoing connections ports from ip_local_port_range (32768–60999 by default):
// the ten thousand ports below it, above the registered services' usual ones.
function belowEphemeralRange(): [number, number] {
  let first = 32768;
  try {
    first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || first;
  } catch {
    // not Linux: the IANA dynamic range starts at 49152, which is above this one
  }
  const high = Math.max(2048, first - 1);
  return [Math.max(1024, high - 10_000), high];
}

function canListen(port: number): Promise<boolean> {
  return listenOnce(port).then(
    () => true,
    () => false,
  );
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', () => {
      const { port: bound } = probe.address() as AddressInfo;
      probe.close(() => resolve(bound));
    });
  });
}

/**
 * The error `work` throws; throws itself when `work` returns (so the test fails) or throws
 * something that is not an Error.
 * @example
 * const error = thrown(() => config.addRoute('', '/')); assert.is((error as ConfigurationError).code, 'TET_ERR_ROUTE_NAME')
 */
export function thrown(work: () => unknown): Error {
  let result: unknown;
  try {
    result = work();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`expected an Error to be thrown, got ${String(error)}`);
  }
  throw new Error(`expected an error to be thrown, but it returned ${String(result)}`);
}

/**
 * The error `work` throws or its promise rejects with; rejects when it succeeds.
 * @example
 * const error = await rejected(() => main({})); assert.instance(error, ConfigurationError)
 */
export async function rejected(work: () => unknown): Promise<Error> {
  let result: unknown;
  try {
    result = await work();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`expected an Error, got ${String(error)}`);
  }
  throw new Error(`expected an error, but it resolved to ${String(result)}`);
}

/**
 * Flags for Debian's Chromium in browser tests (playwright-core's `chromium.launch({ args })`):
 * headless as root, and no background connections, which this machine's closed network would
 * refuse many at a time.
 * @example
 * await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS] })
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export { DummyRequest, type DummyRequestOptions, testConfig } from './dummy-request.js';

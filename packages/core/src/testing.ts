// @tet/core/testing: helpers for tests that talk to a real server over a socket.
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './app.js';

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

/** A logger that keeps what it is told, for asserting on logged errors. */
export function memoryLogger(): { lines: string[]; errors: unknown[]; error(message: string, error?: unknown): void; warn(message: string): void; info(message: string): void } {
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

export { DummyRequest, type DummyRequestOptions, testConfig } from './dummy-request.js';

// Pyramid's `testing.DummyRequest` and `testing.setUp`: unit-test a view without a server.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { stringifyCookie } from 'cookie';
import { Configurator, type ConfiguratorOptions } from './configurator.js';
import { Registry } from './registry.js';
import { Request } from './request.js';
import type { Session } from './session.js';
import { presetSession } from './session-request.js';
import type { Settings } from './settings.js';

/** What a {@link DummyRequest} is made of; everything is optional. */
export interface DummyRequestOptions {
  /** Defaults to GET. */
  method?: string;
  /** Path and query, e.g. `/users/7?tab=posts` (default `/`). */
  url?: string;
  headers?: IncomingHttpHeaders;
  /** Sent as the `Cookie` header. */
  cookies?: Record<string, string>;
  /** The body `request.form()`, `text()` and `json()` read; give a `content-type` header with it. */
  body?: string | Buffer;
  /** Shorthand for a urlencoded form body (sets the content type and method POST). */
  post?: Record<string, string>;
  matchdict?: Record<string, string>;
  /** The registry of a configured application (`config.registry`); a fresh one otherwise. */
  registry?: Registry;
  /** Defaults to `http`. */
  scheme?: 'http' | 'https';
  /** The request's `request.session` (Pyramid's `DummyRequest` has one); no session factory needed. */
  session?: Session;
}

function fakeIncoming(options: DummyRequestOptions): IncomingMessage {
  const stream = new PassThrough();
  const headers: IncomingHttpHeaders = { host: 'example.com', ...options.headers };
  let body = options.body;
  if (options.post !== undefined) {
    body = new URLSearchParams(options.post).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  if (options.cookies !== undefined) headers.cookie = stringifyCookie(options.cookies);
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  stream.end(body);
  return Object.assign(stream, {
    method: options.method ?? (options.post === undefined ? 'GET' : 'POST'),
    url: options.url ?? '/',
    headers,
    socket: { localAddress: '127.0.0.1', localPort: 80, remoteAddress: '127.0.0.1', encrypted: options.scheme === 'https' },
  }) as unknown as IncomingMessage;
}

/**
 * A real {@link Request} over a fake connection, for calling a view directly: Pyramid's
 * `DummyRequest`. Request methods the registry's application added are there too.
 * @example
 * const request = new DummyRequest({ post: { name: 'Ada' }, registry: config.registry })
 * const response = await myView(request)
 */
export class DummyRequest extends Request {
  constructor(options: DummyRequestOptions = {}) {
    const raw = fakeIncoming(options);
    const registry = options.registry ?? new Registry();
    const url = raw.url!;
    const q = url.indexOf('?');
    const maxBodySize = Number(registry.settings['tet.max_body_size'] ?? 1024 * 1024);
    super(raw, { registry, trustProxy: false, maxBodySize }, q === -1 ? url : url.slice(0, q), q === -1 ? '' : url.slice(q + 1), '');
    if (options.matchdict !== undefined) this.matchdict = options.matchdict;
    if (options.session !== undefined) presetSession(this, options.session);
    for (const [name, { fn, reify }] of registry.requestExtensions) {
      const call = fn as (request: Request, ...args: unknown[]) => unknown;
      if (reify) {
        Object.defineProperty(this, name, {
          configurable: true,
          get: () => {
            const value = call(this);
            Object.defineProperty(this, name, { value, writable: true, configurable: true, enumerable: true });
            return value;
          },
        });
      } else Object.defineProperty(this, name, { configurable: true, writable: true, value: (...args: unknown[]) => call(this, ...args) });
    }
  }
}

/**
 * Pyramid's `testing.setUp()`: a Configurator for a test, with settings; `commit()` it (or
 * `makeApp()`) and hand `config.registry` to a {@link DummyRequest}.
 * @example
 * const config = testConfig({ 'tet.debug': true }); config.addRoute('home', '/'); await config.commit()
 */
export function testConfig(settings: Settings = {}, options: Omit<ConfiguratorOptions, 'settings'> = {}): Configurator {
  return new Configurator({ ...options, settings });
}

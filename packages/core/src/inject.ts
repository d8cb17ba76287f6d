// In-process requests: light-my-request feeds a fake socket to the application's handler.
import type { OutgoingHttpHeaders, RequestListener } from 'node:http';

/** What {@link App.inject} sends. */
export interface InjectOptions {
  /** Defaults to GET. */
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** Path and query, e.g. `/search?q=tet`. */
  url: string;
  headers?: Record<string, string | string[]>;
  /** The body: text, bytes, a stream, or an object sent as JSON. */
  payload?: string | Buffer | NodeJS.ReadableStream | object;
  /** Sent as one `Cookie` header. */
  cookies?: Record<string, string>;
  /** The client address the application sees (default 127.0.0.1). */
  remoteAddress?: string;
}

/** A cookie the application set, as the `Set-Cookie` header described it. */
export interface InjectCookie {
  name: string;
  value: string;
  maxAge?: number;
  expires?: Date;
  path?: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
}

/** What {@link App.inject} answers. */
export interface InjectResponse {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
  /** Every `Set-Cookie` header, parsed. */
  readonly cookies: readonly InjectCookie[];
  json<T = unknown>(): T;
}

/**
 * Sends one request through `handler` without a socket and collects the answer.
 * @example
 * const res = await injectRequest(app.handler, { method: 'POST', url: '/login', payload: 'user=ada' })
 */
export async function injectRequest(handler: RequestListener, options: InjectOptions): Promise<InjectResponse> {
  // Loaded on first use: a server that is never injected into does not pay for it at start-up.
  const { default: lightMyRequest } = await import('light-my-request');
  const res = await lightMyRequest(handler, {
    method: options.method ?? 'GET',
    url: options.url,
    headers: options.headers,
    payload: options.payload,
    cookies: options.cookies,
    remoteAddress: options.remoteAddress,
  });
  return {
    status: res.statusCode,
    headers: res.headers,
    body: res.rawPayload,
    text: res.payload,
    cookies: res.cookies as InjectCookie[],
    json: <T>() => JSON.parse(res.payload) as T,
  };
}

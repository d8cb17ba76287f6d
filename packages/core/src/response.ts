import type { Readable } from 'node:stream';
import { appendDeleteCookie, appendSetCookie, type CookieOptions } from './cookies.js';

/** What a response can carry: text, bytes, a readable stream, or nothing. */
export type ResponseBody = string | Uint8Array | Readable | null;

/** Response headers, keyed by lower-case name. */
export type ResponseHeaders = Record<string, string | number | readonly string[]>;

/** Options for a new {@link Response}. */
export interface ResponseInit {
  status?: number;
  headers?: ResponseHeaders;
  /** Shorthand for the `content-type` header. */
  contentType?: string;
}

/**
 * What a view returns: status, headers and a body (string, Buffer or stream).
 * @example
 * return new Response('<h1>Hello</h1>', { contentType: 'text/html; charset=utf-8' })
 */
export class Response {
  status: number;
  readonly headers: ResponseHeaders;
  body: ResponseBody;

  constructor(body: ResponseBody = null, init: ResponseInit = {}) {
    this.body = body;
    this.status = init.status ?? 200;
    this.headers = {};
    if (init.headers !== undefined) for (const name in init.headers) this.headers[name.toLowerCase()] = init.headers[name]!;
    if (init.contentType !== undefined) this.headers['content-type'] = init.contentType;
  }

  /**
   * A response that keeps `headers` as its headers object instead of copying it, for code
   * that builds a fresh object (lower-case names, shared with nothing) for every response:
   * the copy the constructor makes was a tenth of a static file's time in Tet (--cpu-prof).
   * @example
   * return Response.withHeaders(body, 200, { 'content-type': 'text/css', etag })
   */
  static withHeaders(body: ResponseBody, status: number, headers: ResponseHeaders): Response {
    const response = new Response(body, { status });
    (response as { headers: ResponseHeaders }).headers = headers;
    return response;
  }

  /** The `content-type` header, if set. */
  get contentType(): string | undefined {
    const value = this.headers['content-type'];
    return value === undefined ? undefined : String(value);
  }

  set contentType(value: string | undefined) {
    if (value === undefined) delete this.headers['content-type'];
    else this.headers['content-type'] = value;
  }

  /** Sets a header (the name is lower-cased); returns this response for chaining. */
  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  /**
   * Adds a `Set-Cookie` header (several calls send several headers); returns this response.
   * @example
   * response.setCookie('theme', 'dark', { httpOnly: true, sameSite: 'lax', maxAge: 86400 })
   */
  setCookie(name: string, value: string, options?: CookieOptions): this {
    appendSetCookie(this.headers, name, value, options);
    return this;
  }

  /**
   * Tells the browser to drop a cookie (give the `path`/`domain` it was set with); returns this response.
   * @example
   * response.deleteCookie('theme')
   */
  deleteCookie(name: string, options?: Pick<CookieOptions, 'path' | 'domain' | 'secure' | 'sameSite' | 'partitioned'>): this {
    appendDeleteCookie(this.headers, name, options);
    return this;
  }

  /**
   * A JSON response.
   * @example
   * return Response.json({ ok: true }, { status: 201 })
   */
  static json(value: unknown, init: ResponseInit = {}): Response {
    return new Response(JSON.stringify(value), { contentType: 'application/json', ...init });
  }
}

// What an HTTP exception is (Pyramid's `pyramid.httpexceptions` base) and how it becomes a
// response when no exception view takes it. The status classes are in http-success.ts,
// http-redirects.ts, http-client-errors.ts and http-server-errors.ts.
import { exceptionBody, exceptionContentType, exceptionFormat } from './exception-bodies.js';
import type { Request } from './request.js';
import { Response, type ResponseHeaders } from './response.js';

/** Options shared by every HTTP exception. */
export interface HTTPExceptionInit {
  /** Extra response headers. */
  headers?: ResponseHeaders;
  /** A body to send instead of the generated text. */
  body?: string;
  cause?: unknown;
}

/**
 * An HTTP response that can be thrown or returned from a view, in the spirit of
 * `pyramid.httpexceptions`. Subclasses fix the status; `detail` explains it in the body.
 * @example
 * throw new HTTPNotFound(`No user ${request.matchdict.id}`)
 */
export class HTTPException extends Error {
  static status = 500;
  static title = 'Internal Server Error';
  /**
   * Whether instances record a stack trace. Only server errors do: a 404 or a redirect is a
   * routine answer, nobody reads its stack, and capturing one from deep inside node:http cost
   * more than the rest of a 404 (--cpu-prof).
   */
  static captureStack = true;
  override name: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly headers: ResponseHeaders;
  readonly body: string | undefined;

  constructor(detail?: string, init: HTTPExceptionInit = {}) {
    const type = new.target as typeof HTTPException;
    const limit = Error.stackTraceLimit;
    if (!type.captureStack) Error.stackTraceLimit = 0;
    super(detail === undefined ? `${type.status} ${type.title}` : `${type.status} ${type.title}: ${detail}`, { cause: init.cause });
    Error.stackTraceLimit = limit;
    this.name = type.name;
    this.status = type.status;
    this.title = type.title;
    this.detail = detail;
    this.body = init.body;
    this.headers = lowerCased(init.headers);
  }

  /**
   * What the application sends for this exception when no exception view takes it. Given the
   * request, the generated body follows its `Accept` (HTML, JSON or text, see docs/views.md);
   * without one it is text. A `body` given at construction is sent as it is.
   * @example
   * const response = new HTTPNotFound('No such user.').toResponse(request)
   */
  toResponse(request?: Request): Response {
    // A copy, lower-cased again: headers may have been added since construction.
    const headers = lowerCased(this.headers);
    if (request === undefined || this.body !== undefined || EMPTY.has(this.status)) return textResponse(this.status, this.title, this.detail, this.body, headers);
    const format = exceptionFormat(request.headers.accept);
    headers['content-type'] = exceptionContentType(format);
    headers['vary'] = headers['vary'] === undefined ? 'Accept' : `${headers['vary']}, Accept`;
    return Response.withHeaders(exceptionBody(format, this.status, this.title, this.detail), this.status, headers);
  }

  /**
   * The response an instance would make, without making one: for answers given many times a
   * second (a static view's 404s and redirects), where building the Error, even with no stack,
   * was most of their cost (--cpu-prof). It is a plain Response, so exception views never see it.
   * @example
   * return HTTPNotFound.response('No such asset.', { headers: { 'cache-control': 'no-store' } })
   */
  static response(this: typeof HTTPException, detail?: string, init: HTTPExceptionInit = {}): Response {
    return textResponse(this.status, this.title, detail, init.body, lowerCased(init.headers));
  }
}

/** A copy of headers with lower-cased names. */
export function lowerCased(headers: ResponseHeaders | undefined): ResponseHeaders {
  const copy: ResponseHeaders = {};
  if (headers !== undefined) for (const key in headers) copy[key.toLowerCase()] = headers[key]!;
  return copy;
}

// Statuses whose responses have no body (RFC 9110 15.3.5, 15.3.6, 15.4.5).
const EMPTY = new Set([204, 205, 304]);

// The body is the exception's own, or a short text naming the status; a 204, 205 or 304 has none.
export function textResponse(status: number, title: string, detail: string | undefined, body: string | undefined, headers: ResponseHeaders): Response {
  const text = EMPTY.has(status) ? null : (body ?? (detail === undefined ? `${status} ${title}\n` : `${status} ${title}\n\n${detail}\n`));
  if (text !== null) headers['content-type'] ??= 'text/plain; charset=utf-8';
  return Response.withHeaders(text, status, headers);
}

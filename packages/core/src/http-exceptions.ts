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

function lowerCased(headers: ResponseHeaders | undefined): ResponseHeaders {
  const copy: ResponseHeaders = {};
  if (headers !== undefined) for (const key in headers) copy[key.toLowerCase()] = headers[key]!;
  return copy;
}

// Statuses whose responses have no body (RFC 9110 15.3.5, 15.3.6, 15.4.5).
const EMPTY = new Set([204, 205, 304]);

// The body is the exception's own, or a short text naming the status; a 204, 205 or 304 has none.
function textResponse(status: number, title: string, detail: string | undefined, body: string | undefined, headers: ResponseHeaders): Response {
  const text = EMPTY.has(status) ? null : (body ?? (detail === undefined ? `${status} ${title}\n` : `${status} ${title}\n\n${detail}\n`));
  if (text !== null) headers['content-type'] ??= 'text/plain; charset=utf-8';
  return Response.withHeaders(text, status, headers);
}

/** 3xx responses carry a `Location`. */
export class HTTPRedirection extends HTTPException {
  static override captureStack = false;
  static override status = 302;
  static override title = 'Found';
  readonly location: string;
  constructor(location: string, init: HTTPExceptionInit = {}) {
    super(`The resource is at ${location}`, init);
    this.location = location;
    this.headers['location'] = location;
  }

  /**
   * The redirect as a plain Response, without creating the exception (see HTTPException.response).
   * @example
   * return HTTPMovedPermanently.response('/static/2/app.css', { headers: { 'cache-control': 'public, max-age=300' } })
   */
  static override response(this: typeof HTTPRedirection, location: string, init: HTTPExceptionInit = {}): Response {
    const headers = lowerCased(init.headers);
    headers['location'] = location;
    return textResponse(this.status, this.title, `The resource is at ${location}`, init.body, headers);
  }
}

/** 4xx: the client's mistake. */
export class HTTPClientError extends HTTPException {
  static override captureStack = false;
  static override status = 400;
  static override title = 'Bad Request';
}

/** 5xx: the server's mistake. */
export class HTTPServerError extends HTTPException {}

/**
 * 2xx: success, as an exception (Pyramid has them too): a view can return or throw one to end
 * with that status and a generated body, e.g. a `202` with a note.
 * @example
 * return new HTTPAccepted('The export is queued.')
 */
export class HTTPSuccessful extends HTTPException {
  static override captureStack = false;
  static override status = 200;
  static override title = 'OK';
}

export class HTTPOk extends HTTPSuccessful {
  static override status = 200;
  static override title = 'OK';
}
export class HTTPCreated extends HTTPSuccessful {
  static override status = 201;
  static override title = 'Created';
}
export class HTTPAccepted extends HTTPSuccessful {
  static override status = 202;
  static override title = 'Accepted';
}
export class HTTPNonAuthoritativeInformation extends HTTPSuccessful {
  static override status = 203;
  static override title = 'Non-Authoritative Information';
}
/** 204: sent without a body. */
export class HTTPNoContent extends HTTPSuccessful {
  static override status = 204;
  static override title = 'No Content';
}
/** 205: sent without a body. */
export class HTTPResetContent extends HTTPSuccessful {
  static override status = 205;
  static override title = 'Reset Content';
}
export class HTTPPartialContent extends HTTPSuccessful {
  static override status = 206;
  static override title = 'Partial Content';
}

export class HTTPMultipleChoices extends HTTPRedirection {
  static override status = 300;
  static override title = 'Multiple Choices';
}
export class HTTPMovedPermanently extends HTTPRedirection {
  static override status = 301;
  static override title = 'Moved Permanently';
}
export class HTTPFound extends HTTPRedirection {
  static override status = 302;
  static override title = 'Found';
}
export class HTTPSeeOther extends HTTPRedirection {
  static override status = 303;
  static override title = 'See Other';
}
export class HTTPUseProxy extends HTTPRedirection {
  static override status = 305;
  static override title = 'Use Proxy';
}
export class HTTPTemporaryRedirect extends HTTPRedirection {
  static override status = 307;
  static override title = 'Temporary Redirect';
}
export class HTTPPermanentRedirect extends HTTPRedirection {
  static override status = 308;
  static override title = 'Permanent Redirect';
}
/** 304: sent without a body. */
export class HTTPNotModified extends HTTPException {
  static override captureStack = false;
  static override status = 304;
  static override title = 'Not Modified';
}

export class HTTPBadRequest extends HTTPClientError {
  static override status = 400;
  static override title = 'Bad Request';
}
export class HTTPUnauthorized extends HTTPClientError {
  static override status = 401;
  static override title = 'Unauthorized';
}
export class HTTPPaymentRequired extends HTTPClientError {
  static override status = 402;
  static override title = 'Payment Required';
}
export class HTTPForbidden extends HTTPClientError {
  static override status = 403;
  static override title = 'Forbidden';
}
export class HTTPNotFound extends HTTPClientError {
  static override status = 404;
  static override title = 'Not Found';
}
export class HTTPMethodNotAllowed extends HTTPClientError {
  static override status = 405;
  static override title = 'Method Not Allowed';
}
export class HTTPNotAcceptable extends HTTPClientError {
  static override status = 406;
  static override title = 'Not Acceptable';
}
export class HTTPProxyAuthenticationRequired extends HTTPClientError {
  static override status = 407;
  static override title = 'Proxy Authentication Required';
}
export class HTTPRequestTimeout extends HTTPClientError {
  static override status = 408;
  static override title = 'Request Timeout';
}
export class HTTPConflict extends HTTPClientError {
  static override status = 409;
  static override title = 'Conflict';
}
export class HTTPGone extends HTTPClientError {
  static override status = 410;
  static override title = 'Gone';
}
export class HTTPLengthRequired extends HTTPClientError {
  static override status = 411;
  static override title = 'Length Required';
}
export class HTTPPreconditionFailed extends HTTPClientError {
  static override status = 412;
  static override title = 'Precondition Failed';
}
export class HTTPRequestEntityTooLarge extends HTTPClientError {
  static override status = 413;
  static override title = 'Request Entity Too Large';
}
export class HTTPRequestURITooLong extends HTTPClientError {
  static override status = 414;
  static override title = 'Request-URI Too Long';
}
export class HTTPUnsupportedMediaType extends HTTPClientError {
  static override status = 415;
  static override title = 'Unsupported Media Type';
}
export class HTTPRequestRangeNotSatisfiable extends HTTPClientError {
  static override status = 416;
  static override title = 'Requested Range Not Satisfiable';
}
export class HTTPExpectationFailed extends HTTPClientError {
  static override status = 417;
  static override title = 'Expectation Failed';
}
export class HTTPUnprocessableEntity extends HTTPClientError {
  static override status = 422;
  static override title = 'Unprocessable Entity';
}
export class HTTPLocked extends HTTPClientError {
  static override status = 423;
  static override title = 'Locked';
}
export class HTTPFailedDependency extends HTTPClientError {
  static override status = 424;
  static override title = 'Failed Dependency';
}
export class HTTPPreconditionRequired extends HTTPClientError {
  static override status = 428;
  static override title = 'Precondition Required';
}
export class HTTPTooManyRequests extends HTTPClientError {
  static override status = 429;
  static override title = 'Too Many Requests';
}

export class HTTPRequestHeaderFieldsTooLarge extends HTTPClientError {
  static override status = 431;
  static override title = 'Request Header Fields Too Large';
}
export class HTTPUnavailableForLegalReasons extends HTTPClientError {
  static override status = 451;
  static override title = 'Unavailable For Legal Reasons';
}

export class HTTPInternalServerError extends HTTPServerError {
  static override status = 500;
  static override title = 'Internal Server Error';
}
export class HTTPNotImplemented extends HTTPServerError {
  static override status = 501;
  static override title = 'Not Implemented';
}
export class HTTPBadGateway extends HTTPServerError {
  static override status = 502;
  static override title = 'Bad Gateway';
}
export class HTTPServiceUnavailable extends HTTPServerError {
  static override status = 503;
  static override title = 'Service Unavailable';
}
export class HTTPGatewayTimeout extends HTTPServerError {
  static override status = 504;
  static override title = 'Gateway Timeout';
}
export class HTTPVersionNotSupported extends HTTPServerError {
  static override status = 505;
  static override title = 'HTTP Version Not Supported';
}
export class HTTPInsufficientStorage extends HTTPServerError {
  static override status = 507;
  static override title = 'Insufficient Storage';
}

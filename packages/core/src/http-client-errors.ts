// 4xx: the client's mistakes. Routine answers: no stack is recorded for them.
import { HTTPException } from './http-exception.js';

/** 4xx: the client's mistake. */
export class HTTPClientError extends HTTPException {
  static override captureStack = false;
  static override status = 400;
  static override title = 'Bad Request';
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

// 5xx: the server's mistakes, which keep their stack for the log.
import { HTTPException } from './http-exception.js';

/** 5xx: the server's mistake. */
export class HTTPServerError extends HTTPException {}

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

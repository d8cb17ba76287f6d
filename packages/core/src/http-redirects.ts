// 3xx: the redirects, which carry a `Location`, and 304.
import { HTTPException, type HTTPExceptionInit, lowerCased, textResponse } from './http-exception.js';
import type { Response } from './response.js';

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

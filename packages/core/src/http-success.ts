// 2xx as exceptions: a view may return or throw one to end with that status and a generated body.
import { HTTPException } from './http-exception.js';

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

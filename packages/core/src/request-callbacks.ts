import type { ServerResponse } from 'node:http';
import { finished } from 'node:stream';
import type { Logger } from './registry.js';
import type { Request } from './request.js';
import type { Response } from './response.js';
import { isThenable } from './thenable.js';

/**
 * Runs the request's response callbacks in order; returns a Promise only once one of them
 * does (the rest then wait for it). A throwing callback is left for the caller to report.
 */
export function runResponseCallbacks(request: Request, response: Response): void | Promise<void> {
  const callbacks = request['responseCallbacks'];
  if (callbacks === undefined) return undefined;
  request['responseCallbacks'] = undefined; // a callback added by a callback runs too, once
  for (let i = 0; i < callbacks.length; i++) {
    const result = callbacks[i]!(request, response);
    if (isThenable(result)) {
      return (async () => {
        await result;
        for (let j = i + 1; j < callbacks.length; j++) await callbacks[j]!(request, response);
        const more = runResponseCallbacks(request, response);
        if (more !== undefined) await more;
      })();
    }
  }
  return runResponseCallbacks(request, response);
}

/**
 * Runs the request's finished callbacks once `res` has finished or closed (those added later
 * run as they are added, see `Request.addFinishedCallback`). Their errors
 * (thrown or rejected) are logged: the response is gone, so nobody else could see them.
 */
export function whenFinished(request: Request, res: ServerResponse, logger: Logger): void {
  request['writtenTo'] = res;
  request['writtenLogger'] = logger;
  if (request['finishedCallbacks'] === undefined) return;
  finished(res, () => {
    void (async () => {
      for (let callbacks = request['finishedCallbacks']; callbacks !== undefined; callbacks = request['finishedCallbacks']) {
        request['finishedCallbacks'] = undefined;
        for (const callback of callbacks) {
          try {
            await callback(request);
          } catch (error) {
            logger.error(`${request.method} ${request.path}: a finished callback failed`, error);
          }
        }
      }
    })();
  });
}

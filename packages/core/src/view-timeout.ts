// A view whose promise never settles would hold its client, and its connection, forever.
// Past `tet.view_timeout` the client gets a 503 it may retry, and the log says which view.
import { HTTPServiceUnavailable } from './http-exceptions.js';
import type { Logger } from './registry.js';
import type { Response } from './response.js';

/** Seconds a client is told to wait before retrying a request whose view timed out. */
const RETRY_AFTER_SECONDS = 5;

/**
 * `pending`, or a 503 (`Retry-After`, `Cache-Control: no-store`) if it has not settled within
 * `ms`. A late answer is dropped; a late failure is logged, never left unhandled.
 * @example
 * withinTimeLimit(result, 30_000, 'GET /report', logger)
 */
export function withinTimeLimit(pending: Promise<Response>, ms: number, what: string, logger: Logger): Promise<Response> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      logger.error(`${what}: the view did not answer within ${ms} ms (tet.view_timeout); answered 503`);
      resolve(
        HTTPServiceUnavailable.response(`The server did not answer in time (${ms} ms); retry later.`, {
          headers: { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' },
        }),
      );
    }, ms);
    pending.then(
      (response) => {
        clearTimeout(timer);
        if (timedOut) logger.warn(`${what}: the view answered ${response.status} after its 503 for tet.view_timeout; the answer was dropped`);
        else resolve(response);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (timedOut) logger.error(`${what}: the view failed after its 503 for tet.view_timeout`, error);
        else reject(error);
      },
    );
  });
}

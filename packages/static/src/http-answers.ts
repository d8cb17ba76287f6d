// The HTTP answers static views give besides a file: each made in one place.
import { HTTPMovedPermanently, HTTPNotFound, HTTPServiceUnavailable, type Request, Response, shareable } from '@tet/core';

/** A routine 503 (a rolling deploy, no descriptors left): like a 4xx, it needs no stack trace. */
class RetryLater extends HTTPServiceUnavailable {
  static override captureStack = false;
}

// Made once (length included): scanners and stale pages can send many of these.
const NOT_FOUND = HTTPNotFound.response('The resource could not be found.', { headers: { 'cache-control': 'no-store' } });
NOT_FOUND.headers['content-length'] = Buffer.byteLength(NOT_FOUND.body as string);

/**
 * The response for a missing file under a token prefix: never cached, so a rollout cannot be
 * negatively cached. A plain Response: exception views (custom 404 pages) are for pages, and
 * must not make it cacheable.
 * @example
 * return found === undefined ? uncachedNotFound() : serve(request, found)
 */
export function uncachedNotFound(): Response {
  return Response.withHeaders(NOT_FOUND.body, 404, { ...NOT_FOUND.headers });
}

/** The same 404, made once for every request a fast path answers with it (fast-answers.ts). */
export const SHARED_NOT_FOUND: Response = shareable(uncachedNotFound());

/**
 * 503 for a transient failure (a rolling deploy, no file descriptors left): retry shortly, never cache.
 * @example
 * return retryLater('Asset version v9 is not served by this instance; retry shortly.')
 */
export function retryLater(detail: string): HTTPServiceUnavailable {
  return new RetryLater(detail, { headers: { 'retry-after': '3', 'cache-control': 'no-store' } });
}

/** The 503 for a server out of file descriptors (EMFILE): it recovers when some are closed. */
export function outOfDescriptors(): HTTPServiceUnavailable {
  return retryLater('The server is out of file descriptors; retry shortly.');
}

const REDIRECT_CACHE = 'public, max-age=300'; // short: a rollback must not be pinned to the newer URL

/**
 * A 301 to another path of this application, kept for five minutes. Built from canonical
 * parts, never from the raw input: one leading slash, same host; the query string is kept.
 * @example
 * return movedTo(request, `/static/${current}/style.css`)
 */
export function movedTo(request: Pick<Request, 'scriptName' | 'queryString'>, path: string): Response {
  const query = request.queryString === '' ? '' : `?${request.queryString}`;
  return HTTPMovedPermanently.response(`${request.scriptName}${path}${query}`, { headers: { 'cache-control': REDIRECT_CACHE } });
}

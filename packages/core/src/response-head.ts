// What may go into a response's status line and headers. Node throws from `res.writeHead`
// (ERR_INVALID_CHAR, ERR_HTTP_INVALID_STATUS_CODE, ...) when a value is outside Latin-1,
// holds CR/LF, or the status is not a number; thrown from inside a promise callback that
// ended the process. Here such a head becomes a logged 500, and every `Location` is
// percent-encoded first, so a redirect built from user input is never refused at all.
import type { ServerResponse } from 'node:http';
import encodeUrl from 'encodeurl';
import type { Logger } from './registry.js';
import type { ResponseHeaders } from './response.js';

/**
 * The final statuses a view may answer with: RFC 9110 §15 defines 100-599, and a 1xx is an
 * interim answer that Node sends for us (`100 Continue`), never a view's final one. Node
 * itself accepts 100-999 and truncates 200.5 to 200, so these are checked here.
 */
export function isFinalStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 200 && status <= 599;
}

// encodeurl's own set of characters it leaves alone, without `%` (an escape needs checking):
// one test instead of its two replaces, for the redirects a static view answers all day.
const NOTHING_TO_ENCODE = /^[\x21\x23\x24\x26-\x3B\x3D\x3F-\x5F\x61-\x7A\x7C\x7E]*$/;

/**
 * Percent-encodes a `Location` (or `Content-Location`) the way Express does, with
 * `encodeurl`: valid `%XX` escapes are kept, anything a URL cannot hold raw (non-ASCII,
 * spaces, CR/LF, a lone `%`) is encoded. Every response passes through here in
 * `writeResponse`, so HTTPFound, `HTTPMovedPermanently.response()` and a header a view
 * set itself are all covered.
 */
export function encodeLocationHeaders(headers: ResponseHeaders): void {
  const location = headers['location'];
  if (typeof location === 'string' && !NOTHING_TO_ENCODE.test(location)) headers['location'] = encodeUrl(location);
  const contentLocation = headers['content-location'];
  if (typeof contentLocation === 'string' && !NOTHING_TO_ENCODE.test(contentLocation)) headers['content-location'] = encodeUrl(contentLocation);
}

/** Why a response cannot be written as it is; `undefined` when its status and body are sendable. */
export function refusedShape(status: unknown, body: unknown): string | undefined {
  if (!isFinalStatus(status)) return `the status ${typeof status === 'number' ? String(status) : `${typeof status} ${JSON.stringify(status)}`} is not an integer from 200 to 599`;
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) return undefined;
  if (typeof (body as { pipe?: unknown } | undefined)?.pipe === 'function') return undefined;
  return `the body is ${typeof body}, not a string, Uint8Array, Readable or null`;
}

/**
 * Answers a plain 500 instead of a head Node refused (or a status or body that cannot be
 * sent), and logs what was wrong with the request it answered. Headers set on `res` by
 * middleware before Tet are dropped with the rest: one of them may be the refused one.
 */
export function answerRefusedHead(res: ServerResponse, reason: string, error: unknown, logger: Logger): void {
  const { method = 'GET', url = '/' } = res.req ?? {};
  logger.error(`${method} ${url}: the response could not be sent (${reason}); answered 500 instead`, error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  const text = '500 Internal Server Error\n';
  res.writeHead(500, 'Internal Server Error', { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(method === 'HEAD' ? undefined : text);
}

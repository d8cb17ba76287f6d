import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { Logger } from './registry.js';
import type { Response } from './response.js';
import { answerRefusedHead, encodeLocationHeaders, refusedShape } from './response-head.js';

function hasNoBody(method: string, status: number): boolean {
  return method === 'HEAD' || status === 304 || status === 204 || (status >= 100 && status < 200);
}

/** Releases a stream body that will not be sent (an open file stays open otherwise). */
function discard(body: unknown): void {
  const destroy = (body as { destroy?: unknown } | null)?.destroy;
  if (typeof destroy === 'function' && !(body instanceof Uint8Array)) destroy.call(body);
}

/**
 * Sends a text body and the head in one socket write. `res.end(text)` joins them too, but then
 * queues an empty chunk, so Node sends the two as a `writev`: about 1 µs more server CPU per
 * response on this project's benchmark machine (a 404 or a small page, `bench/`). Written
 * while the socket is corked, the joined string leaves alone, and `end()` has nothing left to send.
 */
function writeWithHead(res: ServerResponse, text: string): void {
  const socket = res.socket;
  if (socket === null) {
    res.end(text); // not on the socket yet (behind a pipelined response): Node queues it
    return;
  }
  socket.cork();
  res.write(text);
  socket.uncork();
  res.end();
}

/**
 * What writing adds to a Response's headers, the one definition: an encoded `Location`,
 * `content-length` and, as in Pyramid, `text/html; charset=utf-8` for a string unless a type
 * is set. (A header already there is left as it is, so a completed Response is not changed.)
 */
function completeHeaders(response: Response, method: string): void {
  const { status, headers, body } = response;
  encodeLocationHeaders(headers);
  if (typeof body === 'string') {
    headers['content-length'] ??= Buffer.byteLength(body);
    headers['content-type'] ??= 'text/html; charset=utf-8';
  } else if (body instanceof Uint8Array) {
    headers['content-length'] ??= body.byteLength;
  } else if (body === null && !hasNoBody(method, status)) {
    headers['content-length'] ??= 0;
  }
}

/**
 * Makes a Response that many requests may be answered with (a fast path's, see
 * fast-paths.ts): its headers completed as writing would complete them, then frozen, so
 * writing it never changes it and nothing else can.
 * @example
 * const notFound = shareable(HTTPNotFound.response('No such asset.', { headers: { 'cache-control': 'no-store' } }))
 */
export function shareable(response: Response): Response {
  const refused = refusedShape(response.status, response.body);
  if (refused !== undefined) throw new TypeError(`shareable(): ${refused}`);
  completeHeaders(response, 'GET');
  Object.freeze(response.headers);
  return Object.freeze(response);
}

/**
 * Writes a Response whose headers are complete and whose body is bytes, text or none: a
 * {@link shareable} one as it is (a fast path's answer, checked and completed when it was
 * made), and the end of {@link writeResponse} for such bodies.
 */
export function writeCompleted(res: ServerResponse, response: Response, method: string, logger: Logger): void {
  const { status, headers, body } = response;
  try {
    res.writeHead(status, headers as OutgoingHttpHeaders);
  } catch (error) {
    // A header value outside Latin-1 or holding CR/LF, or an invalid header name: Node
    // refuses the whole head before writing any of it, so a clean 500 can still go out.
    answerRefusedHead(res, (error as Error).message, error, logger);
    return;
  }
  if (body === null || hasNoBody(method, status)) res.end();
  else if (typeof body === 'string') writeWithHead(res, body);
  else res.end(body as Uint8Array);
}

/**
 * Writes a Response to Node's response. Strings get a `content-length` and, as in Pyramid,
 * `text/html; charset=utf-8` unless a type is set. Streams are piped with back-pressure;
 * a failing stream (a file deleted mid-response) ends that response, nothing else.
 */
export function writeResponse(res: ServerResponse, response: Response, method: string, logger: Logger): void {
  const { status, headers, body } = response;
  const refused = refusedShape(status, body);
  if (refused !== undefined) {
    discard(body);
    answerRefusedHead(res, refused, undefined, logger);
    return;
  }
  completeHeaders(response, method);
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) {
    writeCompleted(res, response, method, logger);
    return;
  }
  try {
    res.writeHead(status, headers as OutgoingHttpHeaders);
  } catch (error) {
    discard(body);
    answerRefusedHead(res, (error as Error).message, error, logger);
    return;
  }
  if (hasNoBody(method, status)) {
    body.destroy();
    res.end();
    return;
  }
  const declared = Number(headers['content-length']);
  if (Number.isInteger(declared)) {
    // A stream that ends early (a file truncated mid-response) must not leave a keep-alive
    // connection waiting for bytes that never come: cut it, so the client sees an abort.
    // File streams count their own bytes (`bytesRead`); only other streams get a 'data'
    // listener, which, next to the pipe, halved the throughput of 1 MB files.
    const counts = typeof (body as { bytesRead?: unknown }).bytesRead === 'number';
    let sent = 0;
    if (!counts) {
      body.on('data', (chunk: Uint8Array) => {
        sent += chunk.length;
      });
    }
    body.once('end', () => {
      if ((counts ? (body as unknown as { bytesRead: number }).bytesRead : sent) < declared) res.destroy();
    });
  }
  pipeline(body, res, (error) => {
    // A client that goes away is routine; anything else is worth a line in the log.
    if (error !== undefined && error !== null && (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      logger.warn(`response body stream failed after headers were sent: ${error.message}`);
    }
  });
}

// Reading a request body into memory, bounded. A body whose Content-Length is over the limit
// is refused before a byte is read; one that grows past it (chunked) stops being kept, and
// either way the 413 says `Connection: close`, so Node does not read on through the rest.
// The stream is never destroyed by the reader: destroying an unfinished request destroys its
// socket, and the client got ECONNRESET instead of the 413 (a 50 MiB upload did).
import type { IncomingMessage } from 'node:http';
import { HTTPBadRequest, HTTPRequestEntityTooLarge } from './http-exceptions.js';

function tooLarge(limit: number): HTTPRequestEntityTooLarge {
  return new HTTPRequestEntityTooLarge(`The body is larger than ${limit} bytes (tet.max_body_size)`, { headers: { connection: 'close' } });
}

/**
 * The whole body as UTF-8 text: 413 past `limit` bytes (declared or received), 400 when the
 * client goes away before the body is complete.
 * @example
 * const text = await readBodyText(request.raw, 1024 * 1024)
 */
export function readBodyText(raw: IncomingMessage, limit: number): Promise<string> {
  const declared = raw.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  if (raw.readableEnded) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: Error | undefined) => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
      raw.off('close', onClose);
      if (error === undefined) resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        settle(tooLarge(limit));
        raw.resume(); // the rest is discarded until the 413 has gone and the connection closes
      }
    };
    const onEnd = () => settle(undefined);
    const onError = (error: Error) => settle(new HTTPBadRequest('The request body was not received completely: the client went away.', { cause: error }));
    const onClose = () => {
      if (!raw.readableEnded) onError(new Error('the connection closed before the body ended'));
    };
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('error', onError);
    raw.once('close', onClose);
  });
}

import { constants, createReadStream, open as fsOpen } from 'node:fs';
import { HTTPNotFound, HTTPServiceUnavailable, type Request, Response, type ResponseHeaders } from '@tet/core';
import type { FileEntry } from './file-index.js';
import { chooseEncoding, ifRangeMatches, noneMatch, notModifiedSince, parseRange } from './negotiation.js';

const NOFOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/** A file and its precompressed siblings (`style.css.br`, `style.css.gz`). */
export interface Representations {
  readonly entry: FileEntry;
  readonly br?: FileEntry | undefined;
  readonly gzip?: FileEntry | undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A routine 503 (a rolling deploy, no descriptors left): like a 4xx, it needs no stack trace. */
class RetryLater extends HTTPServiceUnavailable {
  static override captureStack = false;
}

/**
 * The response for a missing file under a token prefix: never cached, so a rollout cannot be
 * negatively cached. A plain Response: exception views (custom 404 pages) are for pages, and
 * must not make it cacheable.
 */
export function uncachedNotFound(): Response {
  return Response.withHeaders(NOT_FOUND.body, 404, { ...NOT_FOUND.headers });
}

// Made once (length included): scanners and stale pages can send many of these.
const NOT_FOUND = HTTPNotFound.response('The resource could not be found.', { headers: { 'cache-control': 'no-store' } });
NOT_FOUND.headers['content-length'] = Buffer.byteLength(NOT_FOUND.body as string);

/** 503 for a transient failure (a rolling deploy, no file descriptors left): retry shortly, never cache. */
export function retryLater(detail: string): HTTPServiceUnavailable {
  return new RetryLater(detail, { headers: { 'retry-after': '3', 'cache-control': 'no-store' } });
}

/**
 * Answers a GET or HEAD for a file: content negotiation (precompressed siblings), conditional
 * requests (304), byte ranges (206/416), and the body from memory or streamed from disk.
 */
export function serveFile(request: Request, files: Representations, cacheControl: string): Response | HTTPServiceUnavailable | Promise<Response | HTTPServiceUnavailable> {
  const file = files.entry;
  const headers = request.raw.headers;
  const rangeHeader = headers.range;
  const negotiable = files.br !== undefined || files.gzip !== undefined;
  // Ranges address the file's own bytes, so a Range request gets the identity representation.
  const encoding = rangeHeader === undefined && negotiable ? chooseEncoding(headers['accept-encoding'], files) : null;
  const chosen = encoding === null ? file : files[encoding]!;

  const ifNoneMatch = single(headers['if-none-match']);
  const ifModifiedSince = headers['if-modified-since'];
  if (ifNoneMatch !== undefined ? noneMatch(ifNoneMatch, chosen.etag) : ifModifiedSince !== undefined && notModifiedSince(ifModifiedSince, file.mtimeMs)) {
    // RFC 9110 §15.4.5: a 304 carries the validators and caching fields, not other metadata.
    const notModified: ResponseHeaders = { etag: chosen.etag, 'cache-control': cacheControl };
    if (negotiable) notModified['vary'] = 'Accept-Encoding';
    return Response.withHeaders(null, 304, notModified);
  }

  const responseHeaders: ResponseHeaders = {
    'content-type': file.contentType,
    etag: chosen.etag,
    'last-modified': file.lastModified,
    'cache-control': cacheControl,
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
  };
  if (negotiable) responseHeaders['vary'] = 'Accept-Encoding';
  if (encoding !== null) responseHeaders['content-encoding'] = encoding;

  let start = 0;
  let end = chosen.size - 1;
  let status = 200;
  const ifRange = single(headers['if-range']);
  if (rangeHeader !== undefined && (ifRange === undefined || ifRangeMatches(ifRange, file.etag, file.mtimeMs))) {
    const range = parseRange(rangeHeader, chosen.size);
    if (range === 'unsatisfiable') {
      return new Response(null, { status: 416, headers: { 'content-range': `bytes */${chosen.size}`, 'cache-control': cacheControl, 'accept-ranges': 'bytes' } });
    }
    if (range !== null) {
      ({ start, end } = range);
      status = 206;
      responseHeaders['content-range'] = `bytes ${start}-${end}/${chosen.size}`;
    }
  }
  responseHeaders['content-length'] = Math.max(end - start + 1, 0);

  if (chosen.body !== undefined) {
    const body = status === 206 ? chosen.body.subarray(start, end + 1) : chosen.body;
    return Response.withHeaders(body, status, responseHeaders);
  }
  if (request.method === 'HEAD' || chosen.size === 0) return Response.withHeaders(null, status, responseHeaders);
  return streamFile(chosen, start, end, status, responseHeaders);
}

// Bigger reads than fs streams' 64 KiB default: a 1 MB file in four reads and four socket
// writes instead of sixteen.
const STREAM_CHUNK = 256 * 1024;

function openNoFollow(path: string): Promise<number> {
  return new Promise((resolve, reject) => fsOpen(path, NOFOLLOW, (error, fd) => (error === null ? resolve(fd) : reject(error))));
}

async function streamFile(entry: FileEntry, start: number, end: number, status: number, headers: ResponseHeaders): Promise<Response | HTTPServiceUnavailable> {
  let fd;
  try {
    // O_NOFOLLOW: if the indexed file was swapped for a symlink, refuse rather than follow it.
    fd = await openNoFollow(entry.realPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EMFILE' || code === 'ENFILE') return retryLater('The server is out of file descriptors; retry shortly.');
    return uncachedNotFound();
  }
  // A plain descriptor, not a FileHandle: FileHandle streams read through promises, which made
  // Tet's 1 MB responses half as fast as sirv's. autoClose closes it at the end, on error and
  // when the response is cut short (pipeline destroys the stream).
  return Response.withHeaders(createReadStream('', { fd, start, end, highWaterMark: STREAM_CHUNK, autoClose: true }), status, headers);
}

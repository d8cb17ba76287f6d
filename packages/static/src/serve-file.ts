import { closeSync, createReadStream, open as fsOpen } from 'node:fs';
import { HTTPNotFound, HTTPServiceUnavailable, type Request, Response, type ResponseHeaders } from '@tet/core';
import { type FileEntry, fstatAsync, isSameFile, OPEN_FLAGS, type Reindexed } from './file-reader.js';
import { chooseEncoding, type Encoding, parseRange } from './negotiation.js';
import { evaluatePreconditions, ifRangeMatches } from './preconditions.js';

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

/** What serving asks of the owner of a view's files about a streamed entry. */
export interface FileAccess {
  /** The entry now in the place of one found earlier; null when its file is gone. */
  current(entry: FileEntry): FileEntry | null;
  /**
   * Re-indexes an entry whose file changed on disk; undefined where a change cannot be served
   * (a content-hashed URL names the old bytes), which answers 503.
   */
  readonly refresh: ((stale: FileEntry) => Promise<Reindexed>) | undefined;
}

/** How a view serves its files. */
export interface ServeOptions {
  readonly cacheControl: string;
  readonly files: FileAccess;
}

type Answer = Response | HTTPServiceUnavailable;

// In-memory bytes are the bytes the ETag was computed from; a streamed entry may have been
// re-indexed since this Representations was found.
function currentOf(files: Representations, access: FileAccess): Representations | null {
  const { entry, br, gzip } = files;
  if (entry.body !== undefined && (br === undefined || br.body !== undefined) && (gzip === undefined || gzip.body !== undefined)) return files;
  const now = access.current(entry);
  if (now === null) return null;
  const nowBr = br === undefined ? undefined : (access.current(br) ?? undefined);
  const nowGzip = gzip === undefined ? undefined : (access.current(gzip) ?? undefined);
  return now === entry && nowBr === br && nowGzip === gzip ? files : { entry: now, br: nowBr, gzip: nowGzip };
}

/**
 * Answers a GET or HEAD for a file: content negotiation (precompressed siblings), conditional
 * requests (412, 304), byte ranges (206/416), and the body from memory or streamed from disk.
 * A streamed file is opened and checked against its entry before anything is decided, so no
 * answer (not even a 304) vouches for an ETag the file on disk no longer has.
 */
export function serveFile(request: Request, found: Representations, options: ServeOptions, retried = false): Answer | Promise<Answer> {
  const files = currentOf(found, options.files);
  if (files === null) return uncachedNotFound();
  const headers = request.raw.headers;
  const negotiable = files.br !== undefined || files.gzip !== undefined;
  // Ranges address the file's own bytes, so a Range request gets the identity representation.
  const encoding = headers.range === undefined && negotiable ? chooseEncoding(headers['accept-encoding'], files) : null;
  const chosen = encoding === null ? files.entry : files[encoding]!;
  if (chosen.body !== undefined) return respond(request, files, encoding, chosen, options.cacheControl, undefined);
  return openIndexed(chosen).then((fd) => {
    if (typeof fd === 'number') return respond(request, files, encoding, chosen, options.cacheControl, fd);
    if (fd !== 'changed') return fd;
    // The file on disk is not the one indexed: never send its bytes under the indexed ETag.
    const refresh = options.files.refresh;
    if (refresh === undefined || retried) return retryLater(`${chosen.relativePath} changed on disk after start-up; retry shortly.`);
    return refresh(chosen).then((result) => {
      if (result === 'changing') return retryLater(`${chosen.relativePath} is being written; retry shortly.`);
      return serveFile(request, found, options, true); // the index now has the new entry, or none
    });
  });
}

// Bigger reads than fs streams' 64 KiB default: a 1 MB file in four reads and four socket
// writes instead of sixteen.
const STREAM_CHUNK = 256 * 1024;

function respond(request: Request, files: Representations, encoding: Encoding | null, chosen: FileEntry, cacheControl: string, fd: number | undefined): Answer {
  const file = files.entry;
  const headers = request.raw.headers;
  const negotiable = files.br !== undefined || files.gzip !== undefined;
  const precondition = evaluatePreconditions(headers, chosen.etag, file.mtimeMs);
  if (precondition !== 'proceed') {
    if (fd !== undefined) closeSync(fd);
    if (precondition === 'failed') return Response.withHeaders(null, 412, { etag: chosen.etag, 'cache-control': 'no-store' });
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
  const rangeHeader = headers.range;
  const ifRange = single(headers['if-range']);
  if (rangeHeader !== undefined && (ifRange === undefined || ifRangeMatches(ifRange, file.etag, file.mtimeMs))) {
    const range = parseRange(rangeHeader, chosen.size);
    if (range === 'unsatisfiable') {
      if (fd !== undefined) closeSync(fd);
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
  if (fd === undefined || request.method === 'HEAD' || chosen.size === 0) {
    if (fd !== undefined) closeSync(fd);
    return Response.withHeaders(null, status, responseHeaders);
  }
  // A plain descriptor, not a FileHandle: FileHandle streams read through promises, which made
  // Tet's 1 MB responses half as fast as sirv's. autoClose closes it at the end, on error and
  // when the response is cut short (pipeline destroys the stream).
  return Response.withHeaders(createReadStream('', { fd, start, end, highWaterMark: STREAM_CHUNK, autoClose: true }), status, responseHeaders);
}

function openFile(path: string): Promise<number> {
  return new Promise((resolve, reject) => fsOpen(path, OPEN_FLAGS, (error, fd) => (error === null ? resolve(fd) : reject(error))));
}

/**
 * Opens a streamed entry's file, or says it 'changed': the descriptor must show the indexed
 * file's device and inode (not whatever a folder swapped for a symlink leads to now), its
 * size and mtime, and be a regular file (not a FIFO or device swapped in).
 */
async function openIndexed(entry: FileEntry): Promise<number | 'changed' | HTTPServiceUnavailable> {
  let fd;
  try {
    fd = await openFile(entry.realPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EMFILE' || code === 'ENFILE') return retryLater('The server is out of file descriptors; retry shortly.');
    return 'changed'; // deleted, swapped for a symlink (ELOOP) or a socket (ENXIO): see what is there now
  }
  try {
    if (isSameFile(entry, await fstatAsync(fd))) return fd;
  } catch {
    // fstat failing on an open descriptor: treat the file as changed
  }
  closeSync(fd);
  return 'changed';
}

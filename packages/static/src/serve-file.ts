import type { HTTPServiceUnavailable, Request, ResponseHeaders } from '@tet/core';
import { Response } from '@tet/core';
import type { FileEntry } from './file-entry.js';
import { closeDescriptor, streamDescriptor } from './file-reader.js';
import { outOfDescriptors, retryLater, uncachedNotFound } from './http-answers.js';
import { chooseEncoding, type Encoding, parseRange } from './negotiation.js';
import { evaluatePreconditions, ifRangeMatches } from './preconditions.js';
import type { Representations, ServedFiles } from './representations.js';

/** A repeated header as one value (Node gives some as arrays). */
function joinedHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** How a view serves its files. */
export interface ServeOptions {
  readonly cacheControl: string;
  /** The view's own files: who answers for what it found, unless a found file names its own source. */
  readonly files: ServedFiles;
  /**
   * What a streamed file found changed on disk gets: re-indexed and served from its new entry,
   * or (a content-hashed view, whose URL names the old bytes) refused with a 503.
   */
  readonly onChange: 'reindex' | 'refuse';
}

type Answer = Response | HTTPServiceUnavailable;

// In-memory bytes are the bytes the ETag was computed from; a streamed entry may have been
// re-indexed since this Representations was found.
function currentOf(files: Representations, access: ServedFiles): Representations | null {
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
  const source = found.source ?? options.files;
  const files = currentOf(found, source);
  if (files === null) return uncachedNotFound();
  const headers = request.raw.headers;
  const negotiable = files.br !== undefined || files.gzip !== undefined;
  // Ranges address the file's own bytes, so a Range request gets the identity representation.
  const encoding = headers.range === undefined && negotiable ? chooseEncoding(headers['accept-encoding'], files) : null;
  const chosen = encoding === null ? files.entry : files[encoding]!;
  if (chosen.body !== undefined) return respond(request, files, encoding, chosen, options.cacheControl, undefined);
  return source.open(chosen).then((fd) => {
    if (typeof fd === 'number') return respond(request, files, encoding, chosen, options.cacheControl, fd);
    if (fd === 'no-descriptors') return outOfDescriptors();
    // The file on disk is not the one indexed: never send its bytes under the indexed ETag.
    if (options.onChange === 'refuse' || retried) return retryLater(`${chosen.relativePath} changed on disk after start-up; retry shortly.`);
    return source.refresh(chosen).then((result) => {
      if (result === 'changing') return retryLater(`${chosen.relativePath} is being written; retry shortly.`);
      return serveFile(request, found, options, true); // the index now has the new entry, or none
    });
  });
}

/** A 304's headers: RFC 9110 §15.4.5, the validators and caching fields, not other metadata. */
export function notModifiedHeaders(chosen: FileEntry, cacheControl: string, negotiable: boolean): ResponseHeaders {
  const headers: ResponseHeaders = { etag: chosen.etag, 'cache-control': cacheControl };
  if (negotiable) headers['vary'] = 'Accept-Encoding';
  return headers;
}

/** A file's headers for its representation `chosen` (the file, or a sibling in `encoding`), length aside. */
export function fileHeaders(files: Representations, encoding: Encoding | null, chosen: FileEntry, cacheControl: string): ResponseHeaders {
  const file = files.entry;
  const headers: ResponseHeaders = {
    'content-type': file.contentType,
    etag: chosen.etag,
    'last-modified': file.lastModified,
    'cache-control': cacheControl,
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
  };
  if (files.br !== undefined || files.gzip !== undefined) headers['vary'] = 'Accept-Encoding';
  if (encoding !== null) headers['content-encoding'] = encoding;
  return headers;
}

function respond(request: Request, files: Representations, encoding: Encoding | null, chosen: FileEntry, cacheControl: string, fd: number | undefined): Answer {
  const file = files.entry;
  const headers = request.raw.headers;
  const negotiable = files.br !== undefined || files.gzip !== undefined;
  const precondition = evaluatePreconditions(headers, chosen.etag, file.mtimeMs);
  if (precondition !== 'proceed') {
    if (fd !== undefined) closeDescriptor(fd);
    if (precondition === 'failed') return Response.withHeaders(null, 412, { etag: chosen.etag, 'cache-control': 'no-store' });
    return Response.withHeaders(null, 304, notModifiedHeaders(chosen, cacheControl, negotiable));
  }

  const responseHeaders = fileHeaders(files, encoding, chosen, cacheControl);

  let start = 0;
  let end = chosen.size - 1;
  let status = 200;
  const rangeHeader = headers.range;
  const ifRange = joinedHeader(headers['if-range']);
  if (rangeHeader !== undefined && (ifRange === undefined || ifRangeMatches(ifRange, file.etag, file.mtimeMs))) {
    const range = parseRange(rangeHeader, chosen.size);
    if (range === 'unsatisfiable') {
      if (fd !== undefined) closeDescriptor(fd);
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
    if (fd !== undefined) closeDescriptor(fd);
    return Response.withHeaders(null, status, responseHeaders);
  }
  return Response.withHeaders(streamDescriptor(fd, start, end), status, responseHeaders);
}

// Conditional requests (RFC 9110 §13): the validators a static file answers to, evaluated in
// the order §13.2.2 prescribes.
import type { IncomingHttpHeaders } from 'node:http';
import { parseHttpDate } from './http-date.js';

/** What the preconditions of a GET or HEAD decided. */
export type Precondition = 'proceed' | 'not-modified' | 'failed';

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

// HTTP dates have second precision: a file modified at 10:00:00.450 was modified "at 10:00:00".
function seconds(mtimeMs: number): number {
  return Math.floor(mtimeMs / 1000) * 1000;
}

/** `If-None-Match` against an ETag, with the weak comparison RFC 9110 asks for here. */
export function noneMatch(header: string, etag: string): boolean {
  if (header === etag) return true; // what a browser revalidating its copy sends: no parsing needed
  if (header.trim() === '*') return true;
  const target = stripWeak(etag);
  for (const candidate of header.split(',')) if (stripWeak(candidate.trim()) === target) return true;
  return false;
}

/** `If-Match` against an ETag: `*`, or the strong comparison (a weak tag never matches). */
export function ifMatch(header: string, etag: string): boolean {
  if (header === etag || header.trim() === '*') return true;
  for (const candidate of header.split(',')) if (candidate.trim() === etag) return true;
  return false;
}

/** True when `If-Modified-Since` is a valid HTTP-date at or after the file's mtime. */
export function notModifiedSince(header: string, mtimeMs: number): boolean {
  const since = parseHttpDate(header);
  return since !== undefined && seconds(mtimeMs) <= since;
}

/** False when `If-Unmodified-Since` is a valid HTTP-date before the file's mtime (412); an invalid date is ignored. */
export function unmodifiedSince(header: string, mtimeMs: number): boolean {
  const since = parseHttpDate(header);
  return since === undefined || seconds(mtimeMs) <= since;
}

/** `If-Range`: true when the validator still matches, so the Range may be honoured (strong comparison). */
export function ifRangeMatches(header: string, etag: string, mtimeMs: number): boolean {
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  const date = parseHttpDate(value);
  return date !== undefined && seconds(mtimeMs) === date;
}

/**
 * Evaluates `If-Match`, `If-Unmodified-Since`, `If-None-Match` and `If-Modified-Since` for a
 * GET or HEAD in RFC 9110 §13.2.2's order: a false If-Match (or, without it, a false
 * If-Unmodified-Since) is 412 whatever follows; If-None-Match, when present, decides 304
 * and If-Modified-Since is then ignored. `If-Range` comes after, with the Range.
 * @example
 * evaluatePreconditions({ 'if-match': '"other"' }, '"abc"', mtime) // 'failed'
 */
export function evaluatePreconditions(headers: IncomingHttpHeaders, etag: string, mtimeMs: number): Precondition {
  const match = headers['if-match'];
  if (match !== undefined) {
    if (!ifMatch(match, etag)) return 'failed';
  } else {
    const since = headers['if-unmodified-since'];
    if (since !== undefined && !unmodifiedSince(since, mtimeMs)) return 'failed';
  }
  const noneMatchHeader = headers['if-none-match'];
  if (noneMatchHeader !== undefined) return noneMatch(noneMatchHeader, etag) ? 'not-modified' : 'proceed';
  const modifiedSince = headers['if-modified-since'];
  return modifiedSince !== undefined && notModifiedSince(modifiedSince, mtimeMs) ? 'not-modified' : 'proceed';
}

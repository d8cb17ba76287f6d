// HTTP negotiation for static files: Accept-Encoding with q-values, Range, and validators.

/** A precompressed encoding Tet can serve. */
export type Encoding = 'br' | 'gzip';

const acceptCache = new Map<string, ReadonlyMap<string, number>>();

/** Parses `Accept-Encoding` into coding → q (`br;q=0` means "no brotli"). Results are memoised. */
export function parseAcceptEncoding(header: string): ReadonlyMap<string, number> {
  const cached = acceptCache.get(header);
  if (cached !== undefined) return cached;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';');
    const coding = name!.trim().toLowerCase();
    if (coding === '') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'q') {
        const parsed = Number(value?.trim());
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    weights.set(coding, q);
  }
  if (acceptCache.size < 256) acceptCache.set(header, weights); // bounded: headers are attacker-chosen
  return weights;
}

function weightOf(weights: ReadonlyMap<string, number>, coding: string): number {
  const explicit = weights.get(coding) ?? (coding === 'gzip' ? weights.get('x-gzip') : undefined);
  if (explicit !== undefined) return explicit;
  const star = weights.get('*');
  if (star !== undefined) return star;
  return coding === 'identity' ? 1 : 0;
}

/**
 * Picks the best available encoding for a request, or null for the file itself. The client's
 * q-values decide; on a tie brotli beats gzip beats identity (smallest first).
 */
export function chooseEncoding(header: string | undefined, available: { br?: unknown; gzip?: unknown }): Encoding | null {
  if (header === undefined || header === '' || (available.br === undefined && available.gzip === undefined)) return null;
  const weights = parseAcceptEncoding(header);
  let best: Encoding | null = null;
  let bestWeight = weightOf(weights, 'identity');
  if (available.gzip !== undefined) {
    const q = weightOf(weights, 'gzip');
    if (q > 0 && q >= bestWeight) [best, bestWeight] = ['gzip', q];
  }
  if (available.br !== undefined) {
    const q = weightOf(weights, 'br');
    if (q > 0 && q >= bestWeight) best = 'br';
  }
  return best;
}

/** A satisfiable byte range, inclusive. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Parses a `Range` header for a file of `size` bytes: a range, 'unsatisfiable' (416), or
 * null to ignore it and send the whole file (no `bytes=` unit, malformed, or several ranges,
 * which RFC 9110 lets a server answer with the full representation).
 */
export function parseRange(header: string, size: number): ByteRange | 'unsatisfiable' | null {
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (match === null) return null;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(size - suffix, 0), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end };
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** `If-None-Match` against an ETag, with the weak comparison RFC 9110 asks for here. */
export function noneMatch(header: string, etag: string): boolean {
  if (header === etag) return true; // what a browser revalidating its copy sends: no parsing needed
  if (header.trim() === '*') return true;
  const target = stripWeak(etag);
  for (const candidate of header.split(',')) if (stripWeak(candidate.trim()) === target) return true;
  return false;
}

/** True when `If-Modified-Since` is at or after the file's mtime (HTTP dates have second precision). */
export function notModifiedSince(header: string, mtimeMs: number): boolean {
  const since = Date.parse(header);
  return Number.isFinite(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
}

/** `If-Range`: true when the validator still matches, so the Range may be honoured (strong comparison). */
export function ifRangeMatches(header: string, etag: string, mtimeMs: number): boolean {
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  const date = Date.parse(value);
  return Number.isFinite(date) && Math.floor(mtimeMs / 1000) * 1000 === date;
}

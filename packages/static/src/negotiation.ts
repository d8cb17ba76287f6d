// HTTP negotiation for static files: Accept-Encoding with q-values, and Range.

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
  // RFC 9110 §12.5.3: identity is acceptable unless excluded, but a client that lists codings
  // prefers them, so an unlisted identity ranks below any listed coding with a non-zero q.
  return coding === 'identity' ? Number.MIN_VALUE : 0;
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

// Longer is never a single sane byte range; parsing it would only cost time.
const MAX_RANGE_LENGTH = 200;

function skipBlanks(header: string, at: number): number {
  while (at < header.length && (header.charCodeAt(at) === 32 || header.charCodeAt(at) === 9)) at++;
  return at;
}

function skipDigits(header: string, at: number): number {
  while (at < header.length && header.charCodeAt(at) >= 48 && header.charCodeAt(at) <= 57) at++;
  return at;
}

/**
 * Parses a `Range` header for a file of `size` bytes: a range, 'unsatisfiable' (416), or
 * null to ignore it and send the whole file (no `bytes=` unit, malformed, longer than 200
 * characters, or several ranges, which RFC 9110 lets a server answer with the full
 * representation). One pass over the header: its cost is linear in its length.
 */
export function parseRange(header: string, size: number): ByteRange | 'unsatisfiable' | null {
  if (header.length > MAX_RANGE_LENGTH) return null;
  let at = skipBlanks(header, 0);
  if (header.slice(at, at + 5).toLowerCase() !== 'bytes') return null;
  at = skipBlanks(header, at + 5);
  if (header.charCodeAt(at) !== 61 /* = */) return null;
  at = skipBlanks(header, at + 1);
  const firstEnd = skipDigits(header, at);
  const first = header.slice(at, firstEnd);
  at = skipBlanks(header, firstEnd);
  if (header.charCodeAt(at) !== 45 /* - */) return null;
  at = skipBlanks(header, at + 1);
  const lastEnd = skipDigits(header, at);
  const last = header.slice(at, lastEnd);
  if (skipBlanks(header, lastEnd) !== header.length) return null;
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

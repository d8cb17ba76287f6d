// Node keeps the first of two `Host` (or `Content-Type`, `Authorization`, ...) headers and
// drops the second without a word; a proxy or cache in front may keep the last. Two parts of
// one deployment then disagree on which host or credentials a request carries (RFC 9112 §3.2:
// a request with more than one Host is answered 400), so Tet refuses such requests.

/**
 * Request headers that must appear at most once: the ones Node silently de-duplicates that
 * decide where a request goes, who sends it, how its body is read, or whether it is answered
 * from a cache. Two `Content-Length` or `Transfer-Encoding` with `Content-Length` are refused
 * by Node's own parser already.
 */
const SINGLETONS = ['host', 'content-type', 'content-length', 'authorization', 'proxy-authorization', 'if-modified-since', 'if-unmodified-since'];

/**
 * The name of the first singleton header that `rawHeaders` holds twice, or `undefined`.
 * Runs on every request: a header whose name has none of the singletons' lengths is skipped,
 * no name is copied to compare it, and what was seen is a bit mask, not a collection.
 * @example
 * duplicatedSingleton(['Host', 'a', 'host', 'b']) // 'host'
 */
export function duplicatedSingleton(rawHeaders: readonly string[]): string | undefined {
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const index = singletonIndex(rawHeaders[i]!);
    if (index === -1) continue;
    const bit = 1 << index;
    if ((seen & bit) !== 0) return SINGLETONS[index];
    seen |= bit;
  }
  return undefined;
}

// Which singleton a header name is, compared without case and without making a lower-cased
// copy of every name of every request (most names have no singleton's length at all).
function singletonIndex(name: string): number {
  const length = name.length;
  if (length !== 4 && length !== 12 && length !== 13 && length !== 14 && length !== 17 && length !== 19) return -1;
  for (let index = 0; index < SINGLETONS.length; index++) {
    const singleton = SINGLETONS[index]!;
    if (singleton.length === length && sameLetters(name, singleton)) return index;
  }
  return -1;
}

function sameLetters(name: string, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    let code = name.charCodeAt(i);
    if (code >= 65 && code <= 90) code += 32; // A-Z
    if (code !== lower.charCodeAt(i)) return false;
  }
  return true;
}

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
 * Runs on every request: a header whose name has none of the singletons' lengths is skipped
 * without being lower-cased, and what was seen is a bit mask, not a collection.
 * @example
 * duplicatedSingleton(['Host', 'a', 'host', 'b']) // 'host'
 */
export function duplicatedSingleton(rawHeaders: readonly string[]): string | undefined {
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const raw = rawHeaders[i]!;
    const length = raw.length;
    if (length !== 4 && length !== 12 && length !== 13 && length !== 14 && length !== 17 && length !== 19) continue;
    const index = SINGLETONS.indexOf(raw.toLowerCase());
    if (index === -1) continue;
    const bit = 1 << index;
    if ((seen & bit) !== 0) return SINGLETONS[index];
    seen |= bit;
  }
  return undefined;
}

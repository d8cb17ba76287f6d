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
const SINGLETONS = new Set(['host', 'content-type', 'content-length', 'authorization', 'proxy-authorization', 'if-modified-since', 'if-unmodified-since']);
// The lengths of the names above, so most headers are dismissed without being lower-cased.
const LENGTHS = new Set([...SINGLETONS].map((name) => name.length));

/**
 * The name of the first singleton header that `rawHeaders` holds twice, or `undefined`.
 * @example
 * duplicatedSingleton(['Host', 'a', 'host', 'b']) // 'host'
 */
export function duplicatedSingleton(rawHeaders: readonly string[]): string | undefined {
  let seen: string[] | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const raw = rawHeaders[i]!;
    if (!LENGTHS.has(raw.length)) continue;
    const name = raw.toLowerCase();
    if (!SINGLETONS.has(name)) continue;
    if (seen === undefined) seen = [name];
    else if (seen.includes(name)) return name;
    else seen.push(name);
  }
  return undefined;
}

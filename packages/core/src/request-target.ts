// What the request line's target may be. Node's parser already refuses raw spaces, control
// characters and non-ASCII bytes; what is left to check is the percent-encoding, the NUL byte
// and, for an absolute-form target (`GET http://host/path`, sent to proxies), its host.

/**
 * A `host[:port]`: a name of unreserved characters or an IPv6 literal. Host headers and
 * absolute-form targets become part of absolute URLs (redirects, staticUrl), so anything
 * else is ignored or refused rather than echoed back.
 */
export const VALID_HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * True when `path` cannot be decoded (bad `%` escapes, invalid or overlong UTF-8) or holds an
 * escaped NUL (`%00`), which no route means and which file-system calls refuse.
 * @example
 * isMalformedPath('/%zz') // true
 */
export function isMalformedPath(path: string): boolean {
  if (path.indexOf('%') === -1) return false;
  if (path.indexOf('%00') !== -1) return true;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

// `http://` or `https://` and the authority up to the path: the one reading of an absolute-form target.
const ABSOLUTE_FORM = /^https?:\/\/([^/?#]*)/i;

/**
 * The path and query of an absolute-form target (`http://host/path?q`), kept as sent, without
 * the dot-segment normalisation `new URL()` would apply. A target whose host is not a valid
 * `host[:port]` (`http://[::1/x`, `http://user@host/`) comes back unchanged, so it does not
 * start with `/` and is answered 400.
 * @example
 * absoluteFormPath('http://example.com/a?b') // '/a?b'
 */
export function absoluteFormPath(target: string): string {
  const match = ABSOLUTE_FORM.exec(target);
  if (match === null || !VALID_HOST.test(match[1]!)) return target;
  const rest = target.slice(match[0].length);
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

/**
 * The `host[:port]` of an absolute-form target, which an origin server uses instead of the Host
 * header (RFC 9112 §3.2.2); undefined for an origin-form target (`/path`) or an invalid host.
 * @example
 * absoluteFormAuthority('http://example.com:8080/a') // 'example.com:8080'
 */
export function absoluteFormAuthority(target: string | undefined): string | undefined {
  if (target === undefined || target.charCodeAt(0) === 47 /* / */) return undefined;
  const authority = ABSOLUTE_FORM.exec(target)?.[1];
  return authority !== undefined && VALID_HOST.test(authority) ? authority : undefined;
}

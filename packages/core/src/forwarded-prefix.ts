// `X-Forwarded-Prefix` becomes the start of every URL the application generates (redirects,
// routeUrl, staticUrl), some of them cached. Anything but a plain path prefix is an open
// redirect waiting to happen: `/\evil.com` and `//evil.com` are read by browsers as another
// host, `/../x` and `%2F` change which path is meant. So only a canonical prefix counts.

// RFC 3986 pchar: unreserved, sub-delims, ':' and '@', or a percent-escape.
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+;=:@]|%[0-9A-Fa-f]{2})+$/;
// Escapes that would smuggle a separator or a control character into a segment.
const FORBIDDEN_ESCAPE = /%(?:2f|5c|[01][0-9a-f]|7f)/i;
const MAX_LENGTH = 1024;

/**
 * The prefix without its trailing slash (`''` for `/`), or `undefined` when the value is not
 * a canonical path prefix: `/` and then segments of URL path characters, no empty segment
 * (`//`), no `.` or `..` (raw or escaped), no backslash, no control character, no escaped
 * `/`, `\` or control character, at most 1024 characters.
 * @example
 * canonicalPrefix('/shop/') // '/shop'
 * canonicalPrefix('/\\evil.com') // undefined
 */
export function canonicalPrefix(value: string): string | undefined {
  if (value.length > MAX_LENGTH || value.charCodeAt(0) !== 47 /* / */) return undefined;
  const path = value.endsWith('/') ? value.slice(0, -1) : value;
  if (path === '') return '';
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || FORBIDDEN_ESCAPE.test(segment)) return undefined;
    const decoded = segment.replace(/%2e/gi, '.');
    if (decoded === '.' || decoded === '..') return undefined;
  }
  return path;
}

import { ConfigurationError } from '@tet/core';

/**
 * A new per-deploy token: the current time in milliseconds since the epoch, as decimal
 * digits zero-padded to at least 12, so tokens of one scheme sort by age.
 * @example
 * generateCachebreaker() // '1763877600123'
 */
export function generateCachebreaker(now: number = Date.now()): string {
  return String(Math.floor(now)).padStart(12, '0');
}

// Unreserved URL characters plus '+': safe in a path segment without encoding, and in HTML.
const TOKEN = /^[A-Za-z0-9._~+-]+$/;

/** True for a URL-path-safe token: letters, digits and `. _ ~ + -`, and not `.` or `..`. */
export function isValidToken(token: string): boolean {
  return TOKEN.test(token) && token !== '.' && token !== '..';
}

/** Throws a ConfigurationError unless `token` is a non-empty, URL-path-safe string. */
export function validateCachebreaker(token: unknown, where: string): string {
  const shown = typeof token === 'string' ? `'${token}'` : String(token);
  if (typeof token !== 'string' || token === '') {
    throw new ConfigurationError(
      `${where}(${shown}): the cache-breaker token must be a non-empty string, such as a release number or git hash. ` +
        'If it comes from a setting, check the setting is defined, or do not call setCachebreaker() to keep the per-deploy timestamp.',
      'TET_ERR_STATIC_TOKEN',
    );
  }
  if (!isValidToken(token)) {
    throw new ConfigurationError(
      `${where}(${shown}): the token must be URL-path-safe: letters, digits and . _ ~ + - only ` + "(no '/', '?', '#', '%' or whitespace), and not '.' or '..'.",
      'TET_ERR_STATIC_TOKEN',
    );
  }
  return token;
}

/** How a token in a request relates to the current one. */
export type TokenAge = 'current' | 'older' | 'newer' | 'unknown';

const DIGITS = /^[0-9]+$/;

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=.)/, '');
  const y = b.replace(/^0+(?=.)/, '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

/**
 * Classifies a request's token against the current one. All-digit tokens compare as numbers
 * (Python Tet compared strings, so '999' looked newer than a 13-digit timestamp). Other tokens
 * have no order, nor do content tokens (`ordered` false): only those listed in `previous` are
 * known to be older; the rest are unknown.
 * @example
 * classifyToken('1700000000000', '1763877600123', new Set()) // 'older'
 */
export function classifyToken(requested: string, current: string, previous: ReadonlySet<string>, ordered = true): TokenAge {
  if (requested === current) return 'current';
  if (previous.has(requested)) return 'older';
  // Content tokens are hashes: one that happens to be all digits still has no order.
  if (ordered && DIGITS.test(requested) && DIGITS.test(current)) return compareDigits(requested, current) < 0 ? 'older' : 'newer';
  return 'unknown';
}

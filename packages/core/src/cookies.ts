// Cookies: reading the `Cookie` header and writing `Set-Cookie`, both with the `cookie` library.
import { parse, serialize } from 'cookie';
import { TetError } from './errors.js';
import type { ResponseHeaders } from './response.js';

/** Attributes of a cookie set with `response.setCookie()`. */
export interface CookieOptions {
  /** Hidden from `document.cookie`. */
  httpOnly?: boolean;
  /** Sent over HTTPS only. */
  secure?: boolean;
  /** `'lax'`, `'strict'` or `'none'` (`true` means `'strict'`). */
  sameSite?: boolean | 'lax' | 'strict' | 'none';
  /** Lifetime in seconds (`Max-Age`). */
  maxAge?: number;
  /** Expiry date (`Expires`); `maxAge` wins in browsers that see both. */
  expires?: Date;
  /** Defaults to `/`, so the cookie reaches every page of the site. */
  path?: string;
  domain?: string;
  /** CHIPS partitioned cookie (needs `secure`). */
  partitioned?: boolean;
}

const NO_COOKIES: Readonly<Record<string, string>> = Object.freeze({});

// A value the library could not decode (a stray `%`) is kept as sent rather than thrown on.
function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The cookies of a `Cookie` header, by name. A malformed header yields what could be read
 * and never throws: cookies come from anyone.
 * @example
 * parseCookies('theme=dark; lang=en') // { theme: 'dark', lang: 'en' }
 */
export function parseCookies(header: string | string[] | undefined): Readonly<Record<string, string>> {
  if (header === undefined || header === '') return NO_COOKIES;
  const text = Array.isArray(header) ? header.join('; ') : header;
  const cookies: Record<string, string> = Object.create(null);
  let parsed: Record<string, string | undefined>;
  try {
    parsed = parse(text, { decode });
  } catch {
    return NO_COOKIES;
  }
  for (const name in parsed) {
    const value = parsed[name];
    if (value !== undefined && name !== '') cookies[name] = value;
  }
  return cookies;
}

/**
 * Appends one `Set-Cookie` header to `headers`; earlier ones stay, so a response can set
 * several cookies. The value is percent-encoded; `path` defaults to `/`.
 * @example
 * appendSetCookie(response.headers, 'theme', 'dark', { httpOnly: true, sameSite: 'lax' })
 */
export function appendSetCookie(headers: ResponseHeaders, name: string, value: string, options: CookieOptions = {}): void {
  let line: string;
  try {
    line = serialize(name, value, { path: '/', ...options });
  } catch (error) {
    throw new TetError(`setCookie(${JSON.stringify(name)}): ${(error as Error).message}. Cookie names are RFC 6265 tokens (letters, digits, !#$%&'*+-.^_\`|~).`, 'TET_ERR_COOKIE', { cause: error });
  }
  const existing = headers['set-cookie'];
  if (existing === undefined) headers['set-cookie'] = [line];
  else if (Array.isArray(existing)) (existing as string[]).push(line);
  else headers['set-cookie'] = [String(existing), line];
}

/**
 * Appends a `Set-Cookie` that makes the browser drop the cookie now. Give the same `path`
 * and `domain` it was set with.
 * @example
 * appendDeleteCookie(response.headers, 'theme')
 */
export function appendDeleteCookie(headers: ResponseHeaders, name: string, options: Pick<CookieOptions, 'path' | 'domain' | 'secure' | 'sameSite' | 'partitioned'> = {}): void {
  appendSetCookie(headers, name, '', { ...options, maxAge: 0, expires: new Date(0) });
}

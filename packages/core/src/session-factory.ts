// The default session factory: the whole session in one sealed (encrypted and signed) cookie.
import type { CookieOptions } from './cookies.js';
import { TetError } from './errors.js';
import type { Request } from './request.js';
import type { Response } from './response.js';
import { Session, type SessionData } from './session.js';
import { type Opened, SessionCrypto } from './session-crypto.js';

/**
 * Makes and saves `request.session`: `config.setSessionFactory(factory)`. `load` may return a
 * Promise (a store lookup): such factories set `preload`, so views get the session ready.
 */
export interface SessionFactory {
  /** Load before the view runs (the session lives in a store); cookie sessions load lazily. */
  readonly preload?: boolean;
  load(request: Request): Session | Promise<Session>;
  /** Called before the response is written; writes nothing for an unchanged session. */
  save(request: Request, session: Session, response: Response): void | Promise<void>;
}

/** Options shared by the session factories. */
export interface SessionCookieOptions extends Pick<CookieOptions, 'secure' | 'httpOnly' | 'sameSite' | 'path' | 'domain' | 'partitioned'> {
  /** Secrets, newest first: the first seals, all are read (key rotation). At least 32 characters each. */
  secrets: string | readonly string[];
  /** The cookie's name (default `session`). */
  cookieName?: string;
  /** Seconds a session lives after its last change (default 86400); also the cookie's Max-Age. */
  maxAge?: number;
  /** HKDF salt, to keep keys of different uses apart (default `tet.session`). */
  salt?: string;
}

/**
 * A browser sends the same session cookie with every request until the session changes, and
 * opening it (HMAC, then AES-GCM) was a sixth of a form POST's CPU time (--cpu-prof): the
 * payloads of recently opened cookies are kept, by their exact sealed value, so a repeated
 * cookie skips the crypto. Only values that opened are kept, so a forged one never matches;
 * the payload's own age is still checked on every request.
 */
class OpenedCache {
  private readonly crypto: SessionCrypto;
  private readonly entries = new Map<string, Opened>();

  constructor(crypto: SessionCrypto) {
    this.crypto = crypto;
  }

  open(value: string): Opened | undefined {
    const hit = this.entries.get(value);
    if (hit !== undefined) return hit;
    const opened = this.crypto.open(value);
    if (opened === undefined) return undefined;
    if (this.entries.size >= OPENED_CACHE_SIZE) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(value, opened);
    return opened;
  }
}

const OPENED_CACHE_SIZE = 1000;

/** Pyramid rejects session cookies past the 4 KB browsers keep. */
const MAX_COOKIE_BYTES = 4093;

/** The cookie attributes of a factory's options, with Tet's defaults (HttpOnly, SameSite=Lax). */
export function cookieAttributes(options: SessionCookieOptions): CookieOptions & { name: string; maxAge: number } {
  return {
    name: options.cookieName ?? 'session',
    maxAge: options.maxAge ?? 86400,
    httpOnly: options.httpOnly ?? true,
    sameSite: options.sameSite ?? 'lax',
    secure: options.secure ?? false,
    path: options.path ?? '/',
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    ...(options.partitioned === undefined ? {} : { partitioned: options.partitioned }),
  };
}

/**
 * Sessions kept in the browser, in a cookie encrypted with AES-256-GCM and signed with
 * HMAC-SHA256 (keys derived from the secrets). A tampered cookie, one sealed with a removed
 * secret, or one past `maxAge` gives a new, empty session. One sealed with an older secret is
 * read and re-sealed with the newest on the way out.
 * @example
 * config.setSessionFactory(cookieSessionFactory({ secrets: [settings['myapp.session_secret']], secure: true }))
 */
export function cookieSessionFactory(options: SessionCookieOptions): SessionFactory {
  const crypto = new SessionCrypto(options.secrets, options.salt);
  const { name, maxAge, ...attributes } = cookieAttributes(options);
  const openedCache = new OpenedCache(crypto);
  return {
    load(request) {
      const value = request.cookies[name];
      if (value === undefined) return new Session();
      const opened = openedCache.open(value);
      if (opened === undefined) return new Session({}, { rejected: 'the session cookie was tampered with or sealed with a secret that is no longer configured' });
      let parsed: unknown;
      try {
        parsed = JSON.parse(opened.payload);
      } catch {
        return new Session({}, { rejected: 'the session cookie did not hold a session' });
      }
      const [issued, created, data] = Array.isArray(parsed) ? (parsed as [number, number, SessionData]) : [];
      if (typeof issued !== 'number' || typeof created !== 'number' || data === null || typeof data !== 'object') return new Session({}, { rejected: 'the session cookie did not hold a session' });
      if (Date.now() - issued * 1000 > maxAge * 1000) return new Session({}, { rejected: 'the session expired' });
      const session = new Session(data, { created: created * 1000, isNew: false });
      if (opened.rotated) session.changed(); // move it to the newest secret
      return session;
    },
    save(_request, session, response) {
      const { changed, invalidated, data } = session.state;
      if (!changed) return;
      if (invalidated && Object.keys(data).length === 0) {
        response.deleteCookie(name, attributes);
        return;
      }
      const value = crypto.seal(JSON.stringify([Math.floor(Date.now() / 1000), Math.floor(session.created / 1000), data]));
      if (value.length + name.length + 1 > MAX_COOKIE_BYTES) {
        throw new TetError(
          `The session is too large for a cookie (${value.length} bytes sealed, browsers keep ${MAX_COOKIE_BYTES}): keep less in it, or use storeSessionFactory() with a store.`,
          'TET_ERR_SESSION_TOO_LARGE',
        );
      }
      response.setCookie(name, value, { ...attributes, maxAge });
    },
  };
}

// Pyramid's ISession: a dictionary with flash queues, CSRF tokens, invalidation and
// change tracking, so an untouched session costs no Set-Cookie and no store write.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** What a session holds: JSON values by key. */
export type SessionData = Record<string, unknown>;

const CSRF_KEY = '_csrft_';
const FLASH_PREFIX = '_f_';

/**
 * The session of one request (`request.session`). Changes are saved when the response goes
 * out; a session nobody changed is not saved. Values must survive `JSON.stringify`.
 * @example
 * request.session.set('cart', ['tea']); request.session.flash('Added to your cart')
 */
export class Session {
  /** The moment (ms since the epoch) this session was created. */
  readonly created: number;
  /** True when the request brought no (valid) session: this one is new. */
  readonly isNew: boolean;
  /** Why the request's session cookie was not accepted (tampered, expired, unknown secret), if it was not. */
  readonly rejected: string | undefined;
  private data: SessionData;
  private dirty = false;
  private dropped = false;

  constructor(data: SessionData = {}, options: { created?: number; isNew?: boolean; rejected?: string } = {}) {
    this.data = data;
    this.created = options.created ?? Date.now();
    this.isNew = options.isNew ?? true;
    this.rejected = options.rejected;
  }

  get<T = unknown>(key: string): T | undefined {
    return Object.hasOwn(this.data, key) ? (this.data[key] as T) : undefined;
  }

  set(key: string, value: unknown): void {
    this.data[key] = value;
    this.dirty = true;
  }

  delete(key: string): void {
    if (!Object.hasOwn(this.data, key)) return;
    delete this.data[key];
    this.dirty = true;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.data, key);
  }

  keys(): string[] {
    return Object.keys(this.data);
  }

  /** Marks the session as changed, after mutating a value in place (`session.get('cart').push(x)`). */
  changed(): void {
    this.dirty = true;
  }

  /** Empties the session and forgets its identity: the response drops the cookie (or issues a new one). */
  invalidate(): void {
    this.data = {};
    this.dirty = true;
    this.dropped = true;
  }

  /** Queues a message for the next page (Pyramid's `flash`); `queue` separates kinds ('error', 'info'). */
  flash(message: string, queue = '', allowDuplicate = true): void {
    const key = FLASH_PREFIX + queue;
    const messages = (this.get<string[]>(key) ?? []).slice();
    if (!allowDuplicate && messages.includes(message)) return;
    messages.push(message);
    this.set(key, messages);
  }

  /** The queued messages, removed from the session. */
  popFlash(queue = ''): string[] {
    const messages = this.get<string[]>(FLASH_PREFIX + queue) ?? [];
    this.delete(FLASH_PREFIX + queue);
    return messages;
  }

  /** The queued messages, left in place. */
  peekFlash(queue = ''): string[] {
    return this.get<string[]>(FLASH_PREFIX + queue) ?? [];
  }

  /** The session's CSRF token, made (and saved) on first use. */
  getCsrfToken(): string {
    return this.get<string>(CSRF_KEY) ?? this.newCsrfToken();
  }

  /** A fresh CSRF token, replacing the old one (e.g. after signing in). */
  newCsrfToken(): string {
    const token = randomBytes(20).toString('hex');
    this.set(CSRF_KEY, token);
    return token;
  }

  /** Whether `token` is this session's CSRF token (compared in constant time). */
  checkCsrfToken(token: string | undefined): boolean {
    const expected = this.get<string>(CSRF_KEY);
    if (typeof expected !== 'string' || typeof token !== 'string') return false;
    const a = Buffer.from(expected);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** For session factories: whether to save, and whether the old identity must go. */
  get state(): { readonly changed: boolean; readonly invalidated: boolean; readonly data: SessionData } {
    return { changed: this.dirty, invalidated: this.dropped, data: this.data };
  }
}

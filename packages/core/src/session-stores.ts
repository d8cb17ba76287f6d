// Sessions kept on the server: the cookie holds only a sealed session id; the data lives in a
// store (memory for one process, Redis for several), so every instance reads the same session.
import { randomBytes } from 'node:crypto';
import type { Request } from './request.js';
import { Session, type SessionData } from './session.js';
import { SessionCrypto } from './session-crypto.js';
import { cookieAttributes, type SessionCookieOptions, type SessionFactory } from './session-factory.js';

/** One stored session: when it began and what it holds. */
export interface StoredSession {
  readonly created: number;
  readonly data: SessionData;
}

/**
 * Where {@link storeSessionFactory} keeps sessions. `set` is given the session's lifetime in
 * seconds; a store forgets the session after it.
 * @example
 * const store: SessionStore = new RedisSessionStore(redisClient)
 */
export interface SessionStore {
  get(id: string): Promise<StoredSession | undefined>;
  set(id: string, session: StoredSession, maxAge: number): Promise<void>;
  delete(id: string): Promise<void>;
}

/**
 * Sessions in this process's memory, for development and tests (they do not survive a restart
 * and are not shared between processes).
 * @example
 * storeSessionFactory({ store: new MemorySessionStore(), secrets })
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, { json: string; expires: number }>();

  async get(id: string): Promise<StoredSession | undefined> {
    const entry = this.sessions.get(id);
    if (entry === undefined) return undefined;
    if (entry.expires <= Date.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return JSON.parse(entry.json) as StoredSession;
  }

  async set(id: string, session: StoredSession, maxAge: number): Promise<void> {
    this.sessions.set(id, { json: JSON.stringify(session), expires: Date.now() + maxAge * 1000 });
  }

  async delete(id: string): Promise<void> {
    this.sessions.delete(id);
  }
}

/** The part of a Redis client a {@link RedisSessionStore} uses: node-redis v4/v5 `createClient()`. */
export interface RedisLike {
  get(key: string): Promise<string | null | unknown>;
  set(key: string, value: string, options: { EX: number }): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/**
 * Sessions in Redis (a connected node-redis client), as JSON under `prefix + id` with Redis
 * expiring them after their `maxAge`.
 * @example
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect()
 * config.setSessionFactory(storeSessionFactory({ store: new RedisSessionStore(client), secrets }))
 */
export class RedisSessionStore implements SessionStore {
  private readonly client: RedisLike;
  private readonly prefix: string;

  constructor(client: RedisLike, options: { prefix?: string } = {}) {
    this.client = client;
    this.prefix = options.prefix ?? 'tet:session:';
  }

  async get(id: string): Promise<StoredSession | undefined> {
    const json = await this.client.get(this.prefix + id);
    if (typeof json !== 'string') return undefined;
    try {
      return JSON.parse(json) as StoredSession;
    } catch {
      return undefined;
    }
  }

  async set(id: string, session: StoredSession, maxAge: number): Promise<void> {
    await this.client.set(this.prefix + id, JSON.stringify(session), { EX: Math.max(1, Math.ceil(maxAge)) });
  }

  async delete(id: string): Promise<void> {
    await this.client.del(this.prefix + id);
  }
}

/** Options of {@link storeSessionFactory}. */
export interface StoreSessionOptions extends SessionCookieOptions {
  store: SessionStore;
}

/**
 * Sessions in a {@link SessionStore}; the cookie carries only the session id, sealed as the
 * cookie factory seals a whole session. Invalidating a session deletes it from the store and
 * gives the next one a new id (no session fixation).
 * @example
 * config.setSessionFactory(storeSessionFactory({ store: new MemorySessionStore(), secrets: ['…32+ characters…'] }))
 */
export function storeSessionFactory(options: StoreSessionOptions): SessionFactory {
  const crypto = new SessionCrypto(options.secrets, options.salt ?? 'tet.session.id');
  const { name, maxAge, ...attributes } = cookieAttributes(options);
  const store = options.store;
  const ids = new WeakMap<Session, { id: string; reseal: boolean }>();
  return {
    preload: true,
    load(request: Request) {
      const value = request.cookies[name];
      if (value === undefined) return new Session();
      const opened = crypto.open(value);
      if (opened === undefined) return new Session({}, { rejected: 'the session cookie was tampered with or sealed with a secret that is no longer configured' });
      const id = opened.payload;
      return store.get(id).then((stored) => {
        if (stored === undefined) return new Session({}, { rejected: 'the session expired or is unknown to the store' });
        const session = new Session(stored.data, { created: stored.created, isNew: false });
        ids.set(session, { id, reseal: opened.rotated });
        return session;
      });
    },
    async save(_request, session, response) {
      const { changed, invalidated, data } = session.state;
      const known = ids.get(session);
      if (!changed) {
        if (known?.reseal === true) response.setCookie(name, crypto.seal(known.id), { ...attributes, maxAge });
        return;
      }
      if (invalidated && known !== undefined) await store.delete(known.id);
      if (invalidated && Object.keys(data).length === 0) {
        response.deleteCookie(name, attributes);
        return;
      }
      const id = known !== undefined && !invalidated ? known.id : randomBytes(24).toString('base64url');
      await store.set(id, { created: session.created, data }, maxAge);
      response.setCookie(name, crypto.seal(id), { ...attributes, maxAge });
    },
  };
}

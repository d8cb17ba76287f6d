// How long a client may hold a connection and how many it may hold: without limits, a socket
// that never sends a byte stays open forever, and about a thousand of them lock every client
// out. Each limit is a setting with a safe default; docs/operations.md explains each one.
import type { Server, ServerOptions } from 'node:http';
import { ConfigurationError } from './errors.js';
import type { Logger } from './registry.js';
import type { Settings } from './settings.js';

/** The limits `app.listen()` gives its servers, and the time limit of a view. */
export interface ServerLimits {
  /** Receiving a request's head (the slowloris limit); Node answers 408 and closes. */
  readonly headersTimeout: number;
  /** Receiving a whole request, body included. */
  readonly requestTimeout: number;
  /** An idle keep-alive connection between two requests. */
  readonly keepAliveTimeout: number;
  /** A connection with no bytes moving either way, also mid-response (a client that stops reading). */
  readonly idleTimeout: number;
  /** Open connections at most; beyond, new connections are closed as they arrive. */
  readonly maxConnections: number;
  /** A view (with its tweens and renderer) that has not answered by then is answered 503; 0 turns it off. */
  readonly viewTimeout: number;
}

/** The defaults, in milliseconds and connections. */
export const DEFAULT_LIMITS: ServerLimits = {
  headersTimeout: 20_000,
  requestTimeout: 60_000,
  keepAliveTimeout: 5_000,
  idleTimeout: 60_000,
  maxConnections: 4096,
  viewTimeout: 30_000,
};

const SETTINGS: readonly (readonly [keyof ServerLimits, string, number])[] = [
  ['headersTimeout', 'tet.server.headers_timeout', 1],
  ['requestTimeout', 'tet.server.request_timeout', 1],
  ['keepAliveTimeout', 'tet.server.keep_alive_timeout', 1],
  ['idleTimeout', 'tet.server.idle_timeout', 1],
  ['maxConnections', 'tet.server.max_connections', 1],
  ['viewTimeout', 'tet.view_timeout', 0],
];

/**
 * Reads the limits from the settings (numbers, or strings from an ini file or the
 * environment); a value that is not a whole number in range is a `ConfigurationError`.
 * @example
 * serverLimits({ 'tet.server.headers_timeout': '10000' }).headersTimeout // 10000
 */
export function serverLimits(settings: Settings): ServerLimits {
  const limits: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [field, key, min] of SETTINGS) {
    const raw = settings[key];
    if (raw === undefined || raw === null || raw === '') continue;
    const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      const unit = field === 'maxConnections' ? 'a whole number of connections' : 'a whole number of milliseconds';
      throw new ConfigurationError(
        `${key} = ${JSON.stringify(raw)}: must be ${unit}, ${min} or more${min === 0 ? ' (0 turns it off)' : ''}; the default is ${DEFAULT_LIMITS[field]}`,
        'TET_ERR_SERVER_LIMIT',
      );
    }
    limits[field] = value;
  }
  const checked = limits as unknown as ServerLimits;
  if (checked.headersTimeout > checked.requestTimeout) {
    throw new ConfigurationError(
      `tet.server.headers_timeout (${checked.headersTimeout}) is longer than tet.server.request_timeout (${checked.requestTimeout}): the head is part of the request; lower the first or raise the second`,
      'TET_ERR_SERVER_LIMIT',
    );
  }
  return checked;
}

/**
 * The options for `http.createServer`. Node checks the head and request timeouts on an
 * interval (30 s by default), which would let a 20 s limit stretch to 50 s: check often enough
 * that a limit holds within a quarter of itself.
 */
export function serverOptions(limits: ServerLimits): ServerOptions {
  const shortest = Math.min(limits.headersTimeout, limits.requestTimeout);
  return {
    headersTimeout: limits.headersTimeout,
    requestTimeout: limits.requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(shortest / 4))),
  };
}

/** Sets what `createServer` options cannot: the connection cap; logs refused connections. (The inactivity timeout is ServerLifecycle's sweep.) */
export function applyServerLimits(server: Server, limits: ServerLimits, logger: Logger): void {
  server.maxConnections = limits.maxConnections;
  // The idle timeout is the application's sweep (stalled-connections.ts), not a timer per socket.
  server.timeout = 0;
  // One line per burst, not one per refused connection: a flood must not flood the log too.
  let refused = 0;
  server.on('drop', () => {
    if (refused++ > 0) return;
    setTimeout(() => {
      logger.warn(`tet.server.max_connections (${limits.maxConnections}) reached: ${refused} new connection${refused === 1 ? '' : 's'} refused`);
      refused = 0;
    }, 1000).unref();
  });
}

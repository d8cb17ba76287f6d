import { randomBytes } from 'node:crypto';
import { ConfigurationError, type Settings } from '@tet/core';

/** Where the server listens. */
export interface ListenOptions {
  readonly port: number;
  readonly host: string;
}

/**
 * Settings from the environment, with defaults for a developer's machine:
 * PORT (6543), HOST (127.0.0.1), RELEASE (the cache-breaker token; a timestamp per start
 * when unset), ASSET_ARCHIVE (a directory for the release archives of static/ and assets/,
 * see docs/deploying.md), TET_DEBUG (stack traces in 500 pages), TET_RELOAD (re-read changed
 * static files and templates), SESSION_SECRET (seals the session cookie: 32+ characters, several
 * separated by spaces to rotate, newest first), SECURE_COOKIES (`true` behind HTTPS).
 * Without SESSION_SECRET a developer's machine gets a random secret per start (which signs
 * everyone out on restart and cannot be shared by several processes); with
 * NODE_ENV=production that is a ConfigurationError instead, so a deploy never runs on one.
 */
export function fromEnvironment(env: NodeJS.ProcessEnv): { settings: Settings; listen: ListenOptions } {
  const port = Number(env.PORT ?? 6543);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got '${env.PORT}'`);
  const reload = env.TET_RELOAD ?? 'false';
  if (env.SESSION_SECRET === undefined && env.NODE_ENV === 'production') {
    throw new ConfigurationError(
      'SESSION_SECRET is not set, and NODE_ENV=production: set it to 32+ random characters, the same for every process of a deploy ' +
        '(e.g. SESSION_SECRET=$(openssl rand -hex 32)); several, space-separated and newest first, rotate keys.',
      'TET_ERR_SESSION_SECRET',
    );
  }
  return {
    settings: {
      'myapp.release': env.RELEASE ?? '',
      'myapp.archive': env.ASSET_ARCHIVE ?? '',
      'tet.debug': env.TET_DEBUG ?? 'false',
      'tet.static.reload': reload,
      'tet.reload_templates': reload,
      'myapp.session_secret': env.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
      'myapp.secure_cookies': env.SECURE_COOKIES ?? 'false',
    },
    listen: { port, host: env.HOST ?? '127.0.0.1' },
  };
}

// The rule for session secrets, and reading them from a setting, so that a missing one is an
// error naming the setting (and the environment variable) to fix.
import { ConfigurationError } from './errors.js';
import { envNameOf } from './serve/setting-rules.js';
import type { Settings } from './settings.js';

/** The shortest secret the session factories accept. */
export const MIN_SECRET_LENGTH = 32;

/** How to make a secret, for messages. */
export const GENERATE_SECRET = `\`node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"\``;

/** What is wrong with a list of secrets (newest first), or undefined when nothing is. Never shows a secret. */
export function secretsProblem(secrets: readonly unknown[]): string | undefined {
  if (secrets.length === 0) return 'there is none; give at least one secret (the first is the newest and seals; the others are only read)';
  for (const [index, secret] of secrets.entries()) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      return `secret #${index + 1} is ${typeof secret === 'string' ? `${secret.length} characters` : `a ${typeof secret}`}: use a random string of at least ${MIN_SECRET_LENGTH} characters`;
    }
  }
  return undefined;
}

/**
 * The session secrets a setting holds: space-separated, newest first (Pyramid keeps them in the
 * ini file the same way). A missing or empty setting, or a secret shorter than 32 characters,
 * is a `ConfigurationError` (`TET_ERR_SESSION_SECRET`) that names the setting and the
 * environment variable `tet serve` overrides it with, so a production settings file that
 * leaves it out fails at start-up, never with a made-up secret.
 * @example
 * const secrets = sessionSecrets(config.registry.settings, 'myapp.session_secret')
 * config.setSessionFactory(cookieSessionFactory({ secrets, secure: true }))
 */
export function sessionSecrets(settings: Settings, key: string): string[] {
  const value = settings[key];
  const secrets = typeof value === 'string' ? value.split(/\s+/).filter((secret) => secret !== '') : Array.isArray(value) ? [...(value as unknown[])] : [];
  const problem = secretsProblem(secrets);
  if (problem !== undefined) {
    throw new ConfigurationError(
      `Setting '${key}': ${problem}. Set it in the settings file ('${key} = <secret>' under [app:main]) or in the environment (${envNameOf(key)}=<secret> for tet serve); ` +
        `several, space-separated and newest first, rotate keys. Generate one with ${GENERATE_SECRET}.`,
      'TET_ERR_SESSION_SECRET',
    );
  }
  return secrets as string[];
}

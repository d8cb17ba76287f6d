// What tet serve knows about the settings it reads: which keys exist, what values they take,
// and how an environment variable names a key. One table, used for files and the environment.
import { ConfigurationError } from '../errors.js';

type Rule = 'bool' | 'size' | 'list' | 'text' | 'token' | { readonly oneOf: readonly string[] };

const BOOLEAN_WORDS = ['true', 'false', 'yes', 'no', 'on', 'off', '1', '0', 't', 'f', 'y', 'n'];

/** The settings Tet's packages read, and the values each accepts. */
export const KNOWN_SETTINGS: Readonly<Record<string, Rule>> = {
  'tet.debug': 'bool',
  'tet.trust_proxy': 'bool',
  'tet.max_body_size': 'size',
  'tet.view_timeout': 'size',
  'tet.form.max_field_size': 'size',
  'tet.form.max_fields': 'size',
  'tet.form.max_file_size': 'size',
  'tet.form.max_files': 'size',
  'tet.form.upload_dir': 'text',
  'tet.server.headers_timeout': 'size',
  'tet.server.idle_timeout': 'size',
  'tet.server.keep_alive_timeout': 'size',
  'tet.server.max_connections': 'size',
  'tet.server.request_timeout': 'size',
  'tet.logging.level': { oneOf: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
  'tet.logging.format': { oneOf: ['json', 'pretty'] },
  'tet.reload_templates': 'bool',
  'tet.static.reload': 'bool',
  'tet.static.cachebreaker': 'token',
  'tet.static.previous_breakers': 'list',
  'tet.static.cache_max_size': 'size',
  'tet.static.cache_max_file_size': 'size',
  'tet.vite.dev_server': 'text',
};

/**
 * The environment variable that overrides a dotted key: upper-cased, dots and dashes as
 * underscores (`tet.static.reload` → `TET_STATIC_RELOAD`, `myapp.release` → `MYAPP_RELEASE`).
 */
export function envNameOf(key: string): string {
  return key.toUpperCase().replace(/[.-]/g, '_');
}

/**
 * Checks a value against the rule for its key; `where` says where it came from
 * (`development.ini:4 [app:main] tet.debug`). Unknown `tet.*` keys close to a known one fail
 * with a suggestion, since a misspelt setting is otherwise silently ignored.
 */
export function checkSetting(key: string, value: unknown, where: string): void {
  const rule = KNOWN_SETTINGS[key];
  if (rule === undefined) {
    const near = key.startsWith('tet.') ? Object.keys(KNOWN_SETTINGS).find((known) => distance(known, key) <= 2) : undefined;
    if (near !== undefined) fail(where, `'${key}' is not a Tet setting; did you mean '${near}'? Rename the key.`);
    return;
  }
  const text = typeof value === 'string' ? value.trim() : value;
  if (rule === 'bool') {
    if (typeof text === 'boolean' || (typeof text === 'string' && BOOLEAN_WORDS.includes(text.toLowerCase()))) return;
    fail(where, `${key} must be true or false (or yes/no, on/off, 1/0), got ${shown(value)}. Write e.g. '${key} = true'.`);
  }
  if (rule === 'size') {
    if ((typeof text === 'number' || (typeof text === 'string' && /^[0-9]+$/.test(text))) && Number(text) >= 0 && Number.isSafeInteger(Number(text))) return;
    fail(where, `${key} must be a whole number (bytes, milliseconds or a count), got ${shown(value)}. Write e.g. '${key} = 1048576'.`);
  }
  if (rule === 'list' || rule === 'text') return;
  if (rule === 'token') {
    if (typeof text === 'string' && /^[A-Za-z0-9._~+-]*$/.test(text) && text !== '.' && text !== '..') return;
    fail(where, `${key} must be a URL-path-safe token (letters, digits and . _ ~ + -), got ${shown(value)}. Use a release number or git hash.`);
  }
  if (typeof rule === 'object' && (typeof text !== 'string' || !rule.oneOf.includes(text))) {
    fail(where, `${key} must be one of ${rule.oneOf.join(', ')}, got ${shown(value)}.`);
  }
}

function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function fail(where: string, message: string): never {
  throw new ConfigurationError(`${where}: ${message}`, 'TET_ERR_SETTINGS_VALUE');
}

// Levenshtein distance, for "did you mean"; keys are short.
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

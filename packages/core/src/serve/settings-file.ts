// Reads a settings file in Pyramid's shape: `[app:main]` (the application and its settings)
// and `[server:main]` (where to listen), as ini or as JSON with the same two sections.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'ini';
import { ConfigurationError } from '../errors.js';
import type { Settings } from '../settings.js';
import { checkSetting } from './setting-rules.js';

/** `[server:main]`: where and how to serve. */
export interface ServerSection {
  host?: string;
  port?: number;
  workers?: number;
  shutdownTimeout?: number;
}

/** A settings file, read and checked. */
export interface SettingsFile {
  /** Its absolute path. */
  readonly file: string;
  /** `[app:main] use`: the module or package whose `main` is the application. */
  readonly use: string | undefined;
  readonly settings: Settings;
  readonly server: ServerSection;
  /** `file:line` of a key, for messages (just the file when the line is unknown). */
  where(section: string, key: string): string;
}

const SERVER_KEYS = ['host', 'port', 'workers', 'shutdown_timeout'];

/**
 * Reads `development.ini` (or `.json`): `%(here)s` in a value is the file's directory, as in
 * Pyramid. Every error names the file, the line and the key, and says how to fix it.
 * @example
 * const { settings, server } = readSettingsFile('development.ini')
 */
export function readSettingsFile(path: string): SettingsFile {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`tet serve: cannot read the settings file ${file}: ${(error as Error).message}. Check the path (relative paths are from ${process.cwd()}).`, 'TET_ERR_SETTINGS_FILE', {
      cause: error,
    });
  }
  const json = file.endsWith('.json');
  const lines = json ? new Map<string, number>() : scanIni(file, text);
  const where = (section: string, key: string) => {
    const line = lines.get(`${section}\0${key}`);
    return `${file}${line === undefined ? '' : `:${line}`} [${section}] ${key}`;
  };
  const sections = json ? parseJson(file, text) : (parse(text) as Record<string, unknown>);
  const app = sections['app:main'];
  if (typeof app !== 'object' || app === null) {
    throw new ConfigurationError(
      `${file}: no [app:main] section. Add one naming the application and its settings:\n  [app:main]\n  use = ./dist/src/app.js\n  tet.debug = true`,
      'TET_ERR_SETTINGS_FILE',
    );
  }
  const here = dirname(file);
  const settings: Settings = {};
  let use: string | undefined;
  for (const [key, raw] of Object.entries(app as Record<string, unknown>)) {
    const value = typeof raw === 'string' ? raw.replaceAll('%(here)s', here) : raw;
    if (key === 'use') use = String(value);
    else {
      checkSetting(key, value, where('app:main', key));
      settings[key] = value;
    }
  }
  return { file, use, settings, server: readServer(sections['server:main'], where), where };
}

function readServer(section: unknown, where: (section: string, key: string) => string): ServerSection {
  const server: ServerSection = {};
  if (section === undefined) return server;
  for (const [key, value] of Object.entries(section as Record<string, unknown>)) {
    const at = where('server:main', key);
    if (!SERVER_KEYS.includes(key)) {
      throw new ConfigurationError(`${at}: tet serve does not know '${key}' in [server:main]; it reads ${SERVER_KEYS.join(', ')}. Remove the key.`, 'TET_ERR_SETTINGS_VALUE');
    }
    if (key === 'host') {
      if (typeof value !== 'string' || value.trim() === '') throw new ConfigurationError(`${at}: host must be an address such as 127.0.0.1 or 0.0.0.0.`, 'TET_ERR_SETTINGS_VALUE');
      server.host = value.trim();
    } else if (key === 'port') server.port = checkPort(value, at);
    else if (key === 'workers') server.workers = checkCount(value, at, 'workers', 1);
    else server.shutdownTimeout = checkCount(value, at, 'shutdown_timeout', 0);
  }
  return server;
}

/** A port number 0-65535 (0: any free port), else a ConfigurationError naming `at`. */
export function checkPort(value: unknown, at: string): number {
  const port = Number(typeof value === 'string' ? value.trim() : value);
  if (value === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError(`${at}: port must be a number from 0 to 65535, got '${String(value)}'. Write e.g. 'port = 6543'.`, 'TET_ERR_SETTINGS_VALUE');
  }
  return port;
}

/** A whole number at least `min` (workers, seconds), else a ConfigurationError naming `at`. */
export function checkCount(value: unknown, at: string, name: string, min: number): number {
  const count = Number(typeof value === 'string' ? value.trim() : value);
  if (value === '' || !Number.isInteger(count) || count < min) {
    throw new ConfigurationError(`${at}: ${name} must be a whole number of at least ${min}, got '${String(value)}'.`, 'TET_ERR_SETTINGS_VALUE');
  }
  return count;
}

function parseJson(file: string, text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    throw new SyntaxError('the top level must be an object with "app:main" and "server:main"');
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position === null ? '' : `:${text.slice(0, Number(position[1])).split('\n').length}`;
    throw new ConfigurationError(`${file}${line}: not valid JSON (${(error as Error).message}). Fix the syntax.`, 'TET_ERR_SETTINGS_FILE', { cause: error });
  }
}

// The ini package accepts anything; find the lines it would misread, and where each key is.
function scanIni(file: string, text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let section = '';
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const at = `${file}:${index + 1}`;
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header !== null) {
      section = header[1]!.trim();
      return;
    }
    if (line.startsWith('[')) throw new ConfigurationError(`${at}: '${line}' is not a section header. Write it as [name].`, 'TET_ERR_SETTINGS_FILE');
    const eq = line.indexOf('=');
    if (eq <= 0) throw new ConfigurationError(`${at}: '${line}' is not 'key = value'. Add the '=' or comment the line out with ';'.`, 'TET_ERR_SETTINGS_FILE');
    const key = line.slice(0, eq).trim();
    const inSection = `${section}\0${key}`;
    if (lines.has(inSection) && (section === 'app:main' || section === 'server:main')) {
      throw new ConfigurationError(`${at} [${section}] ${key}: the key is set twice (first on line ${lines.get(inSection)}). Keep one.`, 'TET_ERR_SETTINGS_FILE');
    }
    lines.set(inSection, index + 1);
  });
  return lines;
}

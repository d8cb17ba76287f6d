// The options of the static view directives, and the checks that say what is wrong with them.
import { type Configurator, ConfigurationError } from '@tet/core';
import type { MemoryPolicy } from './file-reader.js';

/** Options of `addStaticView` and `addStaticViewWithBreaker`. */
export interface StaticViewOptions {
  /** The URL prefix (`static`, `static/{breaker}`) or an absolute URL (`https://cdn.example.com/static/{breaker}`). */
  name: string;
  /** The directory to serve: an asset spec (`myapp:static`) or an absolute path. */
  path: string;
  /** `Cache-Control: max-age` in seconds: a year for token and content-hashed views, an hour for plain ones. */
  cacheMaxAge?: number;
  /**
   * `addStaticView` only: `'content'` puts a hash of each file's bytes in its URL
   * (`/assets/3f9a1c2b4d5e/style.css`), so unchanged files keep their URL across deploys.
   */
  cacheBust?: 'content';
  /** The asset manifest and release ledger (default: `.tet-assets.json` in the folder). */
  manifest?: string;
  /**
   * The release archive `npx tet assets build` writes (default: `.tet-archive` in the folder,
   * used when it exists): URLs of the releases it holds are answered with their own bytes.
   */
  archive?: string;
}

/** A value as a message shows it, type included: `the string '3600'`, `the number 1.5`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `the ${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// Typed by the options interface: adding an option there without listing it here fails to compile.
const OPTION_NAMES: Record<keyof StaticViewOptions, true> = { name: true, path: true, cacheMaxAge: true, cacheBust: true, manifest: true, archive: true };
const KNOWN_OPTIONS = new Set(Object.keys(OPTION_NAMES));

export function checkOptions(options: StaticViewOptions, directive: string): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new ConfigurationError(`${directive}(): pass an options object { name, path }, got ${describeValue(options)}`, 'TET_ERR_STATIC_OPTIONS');
  const { name, path, cacheMaxAge, cacheBust, manifest, archive } = options;
  if (typeof name !== 'string' || name.replace(/^\/+|\/+$/g, '') === '')
    throw new ConfigurationError(`${directive}({ name }): name must be a URL prefix such as 'static/{breaker}', got ${describeValue(name)}`, 'TET_ERR_STATIC_OPTIONS');
  if (typeof path !== 'string' || path === '')
    throw new ConfigurationError(
      `${directive}({ name: '${name}', path }): path must be an asset spec such as 'myapp:static' or an absolute directory, got ${describeValue(path)}`,
      'TET_ERR_STATIC_OPTIONS',
    );
  const where = `${directive}({ name: '${name}', path: '${path}' })`;
  if (cacheMaxAge !== undefined && (typeof cacheMaxAge !== 'number' || !Number.isInteger(cacheMaxAge) || cacheMaxAge < 0)) {
    const wrongType = typeof cacheMaxAge !== 'number';
    throw new ConfigurationError(
      `${where}: ${wrongType ? 'cacheMaxAge must be a number of seconds' : 'cacheMaxAge is a whole number of seconds, 0 or more'}, got ${describeValue(cacheMaxAge)}; ` +
        `e.g. cacheMaxAge: 31536000 for a year${typeof cacheMaxAge === 'string' && /^\d+$/.test(cacheMaxAge) ? ` (write ${cacheMaxAge} without quotes, or Number() a setting)` : ''}`,
      'TET_ERR_STATIC_OPTIONS',
    );
  }
  if (cacheBust !== undefined && (cacheBust !== 'content' || directive !== 'addStaticView')) {
    throw new ConfigurationError(
      `${where}: cacheBust takes the string 'content', with addStaticView (got ${describeValue(cacheBust)}); addStaticViewWithBreaker already busts caches with its token`,
      'TET_ERR_STATIC_OPTIONS',
    );
  }
  if (manifest !== undefined && (typeof manifest !== 'string' || manifest === ''))
    throw new ConfigurationError(`${where}: manifest must be an asset spec or an absolute file path, got ${describeValue(manifest)}`, 'TET_ERR_STATIC_OPTIONS');
  if (archive !== undefined && (typeof archive !== 'string' || archive === ''))
    throw new ConfigurationError(`${where}: archive must be an asset spec or an absolute folder path, got ${describeValue(archive)}`, 'TET_ERR_STATIC_OPTIONS');
  const unknown = Object.keys(options).filter((key) => !KNOWN_OPTIONS.has(key));
  if (unknown.length > 0)
    throw new ConfigurationError(`${where}: unknown option ${unknown.map((key) => `'${key}'`).join(', ')}; the options are ${[...KNOWN_OPTIONS].join(', ')}`, 'TET_ERR_STATIC_OPTIONS');
}

/** Checks a breaker view's name: `{breaker}` once, as a whole path segment. */
export function checkBreakerName(options: StaticViewOptions): void {
  const segments = options.name.split('/');
  if (!options.name.includes('{breaker}')) {
    throw new ConfigurationError(
      `addStaticViewWithBreaker({ name: '${options.name}' }): name must contain '{breaker}', where the cache-breaker token goes, e.g. 'static/{breaker}'.`,
      'TET_ERR_STATIC_NAME',
    );
  }
  if (segments.filter((segment) => segment === '{breaker}').length !== 1 || segments.some((s) => s !== '{breaker}' && s.includes('{breaker}'))) {
    throw new ConfigurationError(
      `addStaticViewWithBreaker({ name: '${options.name}' }): '{breaker}' must appear once, as a whole path segment, e.g. 'static/{breaker}' or 'assets/{breaker}/v'.`,
      'TET_ERR_STATIC_NAME',
    );
  }
}

// A memory setting in bytes: a number, or a string of digits as settings files give.
function bytesSetting(config: Configurator, name: string, fallback: number): number {
  const value = config.registry.settings[name];
  if (value === undefined) return fallback;
  const bytes = typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim())) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 0)
    throw new ConfigurationError(`The setting ${name} must be a whole number of bytes, got ${describeValue(value)}; e.g. ${name} = ${fallback}`, 'TET_ERR_STATIC_OPTIONS');
  return bytes;
}

/** What the application's static views may keep in memory, from the settings (shared by all views). */
export function memoryPolicy(config: Configurator): MemoryPolicy {
  return (config.registry.staticMemory ??= {
    maxFileSize: bytesSetting(config, 'tet.static.cache_max_file_size', 4 * 1024 * 1024),
    remaining: bytesSetting(config, 'tet.static.cache_max_size', 64 * 1024 * 1024),
  });
}

/**
 * Application settings: what `main(settings)` received. Values from the environment or
 * an ini file arrive as strings, so read booleans and lists with {@link asBool} and {@link asList}.
 * Packages document their own dotted keys (`tet.debug`, `tet.static.reload`, ...).
 */
export interface Settings {
  [key: string]: unknown;
  /** Show stack traces in 500 responses. Never enable in production. */
  'tet.debug'?: boolean | string;
  /** Trust `X-Forwarded-Proto`, `X-Forwarded-Host` and `X-Forwarded-Prefix` from a reverse proxy. */
  'tet.trust_proxy'?: boolean | string;
}

const TRUTHY = new Set(['true', 'yes', 'on', '1', 't', 'y']);

/**
 * Pyramid's `asbool`: `true`, `'true'`, `'yes'`, `'on'`, `'1'` are true; anything else is false.
 * @example
 * asBool(settings['tet.debug'])
 */
export function asBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return TRUTHY.has(value.trim().toLowerCase());
  return false;
}

/**
 * Pyramid's `aslist`: an array as it is, a string split on whitespace and commas.
 * @example
 * asList('a1b2 c3d4,e5f6') // ['a1b2', 'c3d4', 'e5f6']
 */
export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return String(value)
    .split(/[\s,]+/)
    .filter((item) => item.length > 0);
}

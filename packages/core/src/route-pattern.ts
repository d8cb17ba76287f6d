import { ConfigurationError, TetError } from './errors.js';

/**
 * Parameters to fill a route pattern with: `:name` params, and `*` (or the `*name` of Pyramid's
 * `*subpath`) for a wildcard's remainder: a string (its `/` kept) or an array of segments, each encoded.
 */
export type RouteParams = Record<string, string | number | readonly (string | number)[]>;

type Token = { kind: 'static'; text: string } | { kind: 'param'; name: string; optional: boolean } | { kind: 'wildcard' };

const PARAM_NAME = /^[A-Za-z0-9_$]+/;

/** A pattern as find-my-way takes it, and the name Pyramid's `*name` gave the remainder. */
export interface TranslatedPattern {
  readonly pattern: string;
  /** `subpath` for `/static/*subpath`; undefined for find-my-way's bare `*` or no wildcard. */
  readonly wildcardName: string | undefined;
}

function patternError(routeName: string, pattern: string, detail: string, code: 'TET_ERR_ROUTE_PATTERN' | 'TET_ERR_ROUTE_REGEX' = 'TET_ERR_ROUTE_PATTERN'): ConfigurationError {
  return new ConfigurationError(`addRoute('${routeName}', '${pattern}'): ${detail}`, code);
}

// The index of the `}` closing the `{` at `open`, counting nested braces (`{year:\d{4}}`).
function closingBrace(pattern: string, open: number): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '{') depth++;
    else if (pattern[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Translates Pyramid's syntax into find-my-way's and adds the leading `/`: `{name}` becomes
 * `:name`, `{name:regex}` becomes `:name(^regex$)` (the whole segment must match, as in
 * Pyramid), and a trailing `*name` becomes `*`, its remainder renamed `name` in the matchdict.
 * find-my-way's own `:name`, `:name(^regex$)` and `*` pass through unchanged.
 * @example
 * translatePattern('/users/{id:\\d+}', 'user').pattern // '/users/:id(^\\d+$)'
 */
export function translatePattern(pattern: string, routeName: string): TranslatedPattern {
  let out = '';
  let wildcardName: string | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '{') {
      const close = closingBrace(pattern, i);
      if (close === -1) throw patternError(routeName, pattern, "unbalanced '{': write '{name}' or '{name:regex}'");
      const body = pattern.slice(i + 1, close);
      const colon = body.indexOf(':');
      const name = colon === -1 ? body : body.slice(0, colon);
      if (!/^[A-Za-z0-9_$]+$/.test(name)) throw patternError(routeName, pattern, `'{${body}}' needs a parameter name of letters, digits, '_' or '$', e.g. '{id}' or '{id:\\d+}'`);
      out += `:${name}`;
      if (colon !== -1) out += `(${anchoredRegex(body.slice(colon + 1), routeName, pattern)})`;
      i = close;
    } else if (char === '*' && PARAM_NAME.test(pattern.slice(i + 1))) {
      wildcardName = PARAM_NAME.exec(pattern.slice(i + 1))![0];
      if (i + 1 + wildcardName.length !== pattern.length) throw patternError(routeName, pattern, `'*${wildcardName}' must end the pattern, e.g. '/static/*subpath'`);
      out += '*';
      break;
    } else if (char === ':' && pattern[i + 1] === ':') {
      out += '::';
      i++;
    } else if (char === ':') {
      // find-my-way's own `:name(^regex$)`: copied whole, so braces in its regex stay its own.
      const name = PARAM_NAME.exec(pattern.slice(i + 1))?.[0] ?? '';
      const end = pattern[i + 1 + name.length] === '(' ? skipRegex(pattern, i + 1 + name.length, routeName) : i + name.length;
      out += pattern.slice(i, end + 1);
      i = end;
    } else {
      out += char;
    }
  }
  return { pattern: out.startsWith('/') || out.startsWith('*') ? out : `/${out}`, wildcardName };
}

function anchoredRegex(source: string, routeName: string, pattern: string): string {
  if (source === '') throw patternError(routeName, pattern, "'{name:}' needs a regular expression after the ':', e.g. '{id:\\d+}'", 'TET_ERR_ROUTE_REGEX');
  try {
    new RegExp(source);
  } catch (error) {
    throw patternError(routeName, pattern, `the regular expression '${source}' is invalid (${(error as Error).message}); fix it, e.g. '{id:\\d+}'`, 'TET_ERR_ROUTE_REGEX');
  }
  if (source.includes('/'))
    throw patternError(
      routeName,
      pattern,
      `the regular expression '${source}' contains '/': a parameter matches one path segment; use a trailing '*name' for the rest of the path`,
      'TET_ERR_ROUTE_REGEX',
    );
  return `^${source}$`;
}

/**
 * Pyramid's subpath: the wildcard's remainder of `pathInfo` split into decoded segments, empty
 * and `.` segments dropped and `..` removing the one before (so `a%2Fb` stays one segment).
 */
export function subpathSegments(routerPattern: string, pathInfo: string, decoded: string): string[] {
  const star = routerPattern.lastIndexOf('*');
  if (star === -1) return [];
  const prefix = routerPattern.slice(0, star);
  const slashes = prefix.split('/').length - 1;
  const tail = prefix.slice(prefix.lastIndexOf('/') + 1);
  let at = 0;
  for (let n = 0; n < slashes; n++) at = pathInfo.indexOf('/', at) + 1;
  // A parameter just before the '*' hides where the remainder starts: split the decoded one.
  const raw = tail.includes(':') ? undefined : pathInfo.slice(at + tail.length);
  const segments: string[] = [];
  for (const segment of raw === undefined ? decoded.split('/') : raw.split('/')) {
    const value = raw === undefined ? segment : safeDecode(segment);
    if (value === '' || value === '.') continue;
    if (value === '..') segments.pop();
    else segments.push(value);
  }
  return segments;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Joins a route prefix and a pattern as Pyramid does: `('api', '/users')` gives `/api/users`,
 * and an empty pattern gives the prefix itself.
 */
export function joinRoutePrefix(prefix: string, pattern: string): string {
  const trimmedPrefix = prefix.replace(/^\/+|\/+$/g, '');
  if (trimmedPrefix === '') return pattern;
  if (pattern === '') return `/${trimmedPrefix}`;
  return `/${trimmedPrefix}/${pattern.replace(/^\/+/, '')}`;
}

function tokenize(pattern: string, routeName: string): Token[] {
  const tokens: Token[] = [];
  let text = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === ':' && pattern[i + 1] === ':') {
      text += ':';
      i++;
    } else if (char === ':') {
      const name = PARAM_NAME.exec(pattern.slice(i + 1))?.[0];
      if (name === undefined) {
        throw new ConfigurationError(`addRoute('${routeName}', '${pattern}'): a ':' must start a parameter name, e.g. '/users/:id' (write '::' for a literal colon)`, 'TET_ERR_ROUTE_PATTERN');
      }
      i += name.length;
      if (pattern[i + 1] === '(') i = skipRegex(pattern, i + 1, routeName);
      const optional = pattern[i + 1] === '?';
      if (optional) i++;
      if (text !== '') tokens.push({ kind: 'static', text });
      text = '';
      tokens.push({ kind: 'param', name, optional });
    } else if (char === '*') {
      if (text !== '') tokens.push({ kind: 'static', text });
      text = '';
      tokens.push({ kind: 'wildcard' });
    } else {
      text += char;
    }
  }
  if (text !== '') tokens.push({ kind: 'static', text });
  return tokens;
}

function skipRegex(pattern: string, open: number, routeName: string): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '(') depth++;
    else if (pattern[i] === ')' && --depth === 0) return i;
  }
  throw new ConfigurationError(`addRoute('${routeName}', '${pattern}'): unbalanced '(' in a parameter's regular expression`, 'TET_ERR_ROUTE_PATTERN');
}

function encodeRemainder(value: string | number | readonly (string | number)[]): string {
  // An array is Pyramid's tuple of segments: each encoded whole, so a '/' inside one is %2F.
  if (Array.isArray(value)) return value.map((segment) => encodeURIComponent(String(segment))).join('/');
  return String(value).split('/').map(encodeURIComponent).join('/');
}

/**
 * Compiles a pattern into a function that builds its path from params, encoding each value.
 * `wildcardName` (Pyramid's `*subpath`) names the remainder's key; `*` works as well.
 * @example
 * compileRoutePath('/users/:id', 'user')({ id: 'a b' }) // '/users/a%20b'
 */
export function compileRoutePath(pattern: string, routeName: string, wildcardName?: string): (params: RouteParams) => string {
  const tokens = tokenize(pattern, routeName);
  return (params) => {
    let path = '';
    for (const token of tokens) {
      if (token.kind === 'static') {
        path += token.text;
        continue;
      }
      const key = token.kind === 'param' ? token.name : (wildcardName ?? '*');
      const value = token.kind === 'param' ? params[key] : (params[key] ?? params['*']);
      if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
        if (token.kind === 'param' && token.optional) {
          if (path.endsWith('/')) path = path.slice(0, -1);
          continue;
        }
        if (token.kind === 'wildcard') continue;
        throw new TetError(`routeUrl('${routeName}'): missing the parameter '${key}' for the pattern '${pattern}'`, 'TET_ERR_ROUTE_PARAMS');
      }
      if (token.kind === 'param' && Array.isArray(value)) {
        throw new TetError(`routeUrl('${routeName}'): the parameter '${key}' takes a string or a number; only the pattern's '*' remainder takes an array of segments`, 'TET_ERR_ROUTE_PARAMS');
      }
      path += token.kind === 'param' ? encodeURIComponent(String(value)) : encodeRemainder(value);
    }
    return path === '' ? '/' : path;
  };
}

import { ConfigurationError, TetError } from './errors.js';

/** Parameters to fill a route pattern with: `:name` params and `*` for a wildcard's remainder. */
export type RouteParams = Record<string, string | number>;

type Token = { kind: 'static'; text: string } | { kind: 'param'; name: string; optional: boolean } | { kind: 'wildcard' };

const PARAM_NAME = /^[A-Za-z0-9_$]+/;

/**
 * Normalises a route pattern for find-my-way: adds the leading `/` and turns Pyramid's
 * `{name}` placeholders into find-my-way's `:name`.
 */
export function normalizePattern(pattern: string): string {
  const converted = pattern.replace(/\{([A-Za-z0-9_$]+)\}/g, ':$1');
  return converted.startsWith('/') || converted.startsWith('*') ? converted : `/${converted}`;
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

function encodeRemainder(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}

/**
 * Compiles a pattern into a function that builds its path from params, encoding each value.
 * @example
 * compileRoutePath('/users/:id', 'user')({ id: 'a b' }) // '/users/a%20b'
 */
export function compileRoutePath(pattern: string, routeName: string): (params: RouteParams) => string {
  const tokens = tokenize(pattern, routeName);
  return (params) => {
    let path = '';
    for (const token of tokens) {
      if (token.kind === 'static') {
        path += token.text;
        continue;
      }
      const key = token.kind === 'param' ? token.name : '*';
      const value = params[key];
      if (value === undefined || value === '') {
        if (token.kind === 'param' && token.optional) {
          if (path.endsWith('/')) path = path.slice(0, -1);
          continue;
        }
        if (token.kind === 'wildcard') continue;
        throw new TetError(`routeUrl('${routeName}'): missing the parameter '${key}' for the pattern '${pattern}'`, 'TET_ERR_ROUTE_PARAMS');
      }
      path += token.kind === 'param' ? encodeURIComponent(String(value)) : encodeRemainder(String(value));
    }
    return path === '' ? '/' : path;
  };
}

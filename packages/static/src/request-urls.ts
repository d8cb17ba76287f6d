import { type Request, resolveAssetSpec, TetError } from '@tet/core';

function table(request: Request) {
  const views = request.registry.staticViews;
  if (views === undefined) {
    throw new TetError('staticUrl(): no static views are registered. Call config.include(tetStatic) and config.addStaticViewWithBreaker(...) first.', 'TET_ERR_STATIC_URL');
  }
  return views;
}

/**
 * `request.staticUrl(spec)`: the absolute URL of a file under a static view, token included.
 * @example
 * request.staticUrl('myapp:static/style.css') // 'http://localhost:6543/static/1763877600123/style.css'
 */
export function staticUrl(request: Request, spec: string): string {
  const generated = table(request).urlFor(spec, (s) => resolveAssetSpec(s, request.registry));
  return generated.absolute ?? request.applicationUrl + generated.path;
}

/**
 * `request.staticPath(spec)`: as {@link staticUrl} without scheme and host (mount point included).
 * @example
 * request.staticPath('myapp:static/style.css') // '/static/1763877600123/style.css'
 */
export function staticPath(request: Request, spec: string): string {
  const generated = table(request).urlFor(spec, (s) => resolveAssetSpec(s, request.registry));
  return generated.absolute ?? request.scriptName + generated.path;
}

/**
 * `request.staticIntegrity(spec)`: Subresource Integrity of the file's served bytes, for
 * `<script integrity>` and `<link integrity>`.
 * @example
 * request.staticIntegrity('myapp:static/app.js') // 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC'
 */
export function staticIntegrity(request: Request, spec: string): string {
  return table(request).integrityFor(spec, (s) => resolveAssetSpec(s, request.registry));
}

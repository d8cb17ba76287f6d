import { asBool, asList, type Configurator, ConfigurationError, HTTPMovedPermanently, HTTPNotFound, Phase, type Request, resolveAssetSpec } from '@tet/core';
import { stat } from 'node:fs/promises';
import { classifyToken, validateCachebreaker } from './cachebreaker.js';
import { FileIndex, type MemoryPolicy } from './file-index.js';
import { lookupIndexed, lookupRefreshed, refreshEntry } from './file-lookup.js';
import { canonicalPath, encodePath } from './safe-path.js';
import { retryLater, serveFile, uncachedNotFound } from './serve-file.js';
import { type StaticView, StaticViewTable } from './static-views.js';

/** Options of `addStaticView` and `addStaticViewWithBreaker`. */
export interface StaticViewOptions {
  /** The URL prefix (`static`, `static/{breaker}`) or an absolute URL (`https://cdn.example.com/static/{breaker}`). */
  name: string;
  /** The directory to serve: an asset spec (`myapp:static`) or an absolute path. */
  path: string;
  /** `Cache-Control: max-age` in seconds: one year by default for token views, an hour for plain ones. */
  cacheMaxAge?: number;
}

const ONE_YEAR = 31_536_000;
const ONE_HOUR = 3_600;
const REDIRECT_CACHE = 'public, max-age=300'; // short: a rollback must not be pinned to the newer token
const ABSOLUTE_URL = /^(?:https?:)?\/\//i;

/** The application's static state: created by `config.include(tetStatic)`. */
export function staticState(config: Configurator): StaticViewTable {
  return (config.registry.staticViews ??= new StaticViewTable());
}

function memoryPolicy(config: Configurator): MemoryPolicy {
  const settings = config.registry.settings;
  return (config.registry.staticMemory ??= {
    maxFileSize: Number(settings['tet.static.cache_max_file_size'] ?? 256 * 1024),
    remaining: Number(settings['tet.static.cache_max_size'] ?? 64 * 1024 * 1024),
  });
}

function checkOptions(options: StaticViewOptions, directive: string): void {
  if (options === null || typeof options !== 'object') throw new ConfigurationError(`${directive}(${String(options)}): pass an options object { name, path }`, 'TET_ERR_STATIC_OPTIONS');
  const { name, path, cacheMaxAge } = options;
  if (typeof name !== 'string' || name.replace(/^\/+|\/+$/g, '') === '') throw new ConfigurationError(`${directive}({ name: ${JSON.stringify(name)} }): name must be a URL prefix such as 'static/{breaker}'`, 'TET_ERR_STATIC_OPTIONS');
  if (typeof path !== 'string' || path === '') throw new ConfigurationError(`${directive}({ name: '${name}', path: ${JSON.stringify(path)} }): path must be an asset spec such as 'myapp:static' or an absolute directory`, 'TET_ERR_STATIC_OPTIONS');
  if (cacheMaxAge !== undefined && (!Number.isInteger(cacheMaxAge) || cacheMaxAge < 0)) {
    throw new ConfigurationError(`${directive}({ name: '${name}', cacheMaxAge: ${String(cacheMaxAge)} }): cacheMaxAge is a whole number of seconds, e.g. 31536000 for a year`, 'TET_ERR_STATIC_OPTIONS');
  }
}

/** `config.setCachebreaker(token)`: an early action, so every static view uses it whatever the call order. */
export function setCachebreaker(config: Configurator, token: string): void {
  const valid = validateCachebreaker(token, 'setCachebreaker');
  config.action('tet.static:cachebreaker', () => {
    config.registry.cachebreaker = valid;
  }, { order: Phase.early });
}

/** `config.addStaticViewWithBreaker({ name: 'static/{breaker}', path })`. */
export function addStaticViewWithBreaker(config: Configurator, options: StaticViewOptions): void {
  checkOptions(options, 'addStaticViewWithBreaker');
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
  registerStaticView(config, options, true);
}

/** `config.addStaticView({ name, path, cacheMaxAge })`: Pyramid's plain static view, no token. */
export function addStaticView(config: Configurator, options: StaticViewOptions): void {
  checkOptions(options, 'addStaticView');
  registerStaticView(config, options, false);
}

function registerStaticView(config: Configurator, options: StaticViewOptions, withBreaker: boolean): void {
  const directive = withBreaker ? 'addStaticViewWithBreaker' : 'addStaticView';
  const root = resolveAssetSpec(options.path, config.registry);
  const table = staticState(config);
  const cacheControl = withBreaker ? `public, max-age=${options.cacheMaxAge ?? ONE_YEAR}, immutable` : `public, max-age=${options.cacheMaxAge ?? ONE_HOUR}`;

  if (ABSOLUTE_URL.test(options.name)) {
    // As in Pyramid: URLs are generated on that host, and nothing is served here.
    config.action(`tet.static:url:${options.name}`, () => {
      const token = config.registry.cachebreaker ?? '';
      table.add({ name: options.name, root, urlPrefix: options.name.replace('{breaker}', token).replace(/\/+$/, ''), pathPrefix: '', index: undefined });
    });
    return;
  }

  const routeName = `__static:${options.name}`;
  const trimmed = options.name.replace(/^\/+|\/+$/g, '');
  config.addRoute(routeName, `/${trimmed.replace('{breaker}', ':breaker')}/*`);
  const state: { view?: StaticView; previous: ReadonlySet<string>; before: string; after: string; reload: boolean } = { previous: new Set(), before: '', after: '', reload: false };
  const memory = memoryPolicy(config);

  config.action(`tet.static:view:${options.name}`, async () => {
    const info = await stat(root).catch(() => undefined);
    if (info === undefined || !info.isDirectory()) {
      throw new ConfigurationError(`${directive}({ name: '${options.name}', path: '${options.path}' }): ${root} is not a directory. Create it, or fix the path.`, 'TET_ERR_STATIC_PATH');
    }
    const pattern = config.registry.routes.get(routeName)!.pattern; // with any route prefix
    const [before, after = ''] = pattern.slice(0, -1).split(':breaker');
    state.before = encodeURI(before!);
    state.after = encodeURI(after);
    const token = withBreaker ? (config.registry.cachebreaker ?? '') : '';
    state.previous = new Set(asList(config.registry.settings['tet.static.previous_breakers']));
    state.reload = asBool(config.registry.settings['tet.static.reload']);
    const pathPrefix = withBreaker ? `${state.before}${token}${state.after}` : state.before;
    state.view = { name: options.name, root, urlPrefix: undefined, pathPrefix, index: await FileIndex.build(root, memory) };
    table.add(state.view);
  });

  const files: FileSource = {
    serve(request, relativePath) {
      const index = state.view!.index!;
      if (!state.reload) {
        const found = lookupIndexed(index, relativePath);
        return found === undefined ? undefined : serveFile(request, found, cacheControl);
      }
      return lookupRefreshed(index, relativePath, memory, request.raw.headers['accept-encoding']).then((found) => (found === undefined ? undefined : serveFile(request, found, cacheControl)));
    },
    exists(relativePath) {
      const index = state.view!.index!;
      return state.reload ? refreshEntry(index, relativePath, memory).then((entry) => entry !== undefined) : index.get(relativePath) !== undefined;
    },
  };

  const view = withBreaker
    ? (request: Request) => serveWithBreaker(request, state, config.registry.cachebreaker ?? '', files)
    : (request: Request) => {
        const relativePath = canonicalPath(request.pathInfo.slice(state.before.length));
        return orNotFound(relativePath === null ? undefined : files.serve(request, relativePath), () => new HTTPNotFound('The resource could not be found.'));
      };
  config.addView(view, { routeName, requestMethod: ['GET', 'HEAD'] });
}

type Served = ReturnType<typeof serveFile> | undefined | Promise<Awaited<ReturnType<typeof serveFile>> | undefined>;

/** How a view reaches its files, whichever lookup mode is on. */
interface FileSource {
  serve(request: Request, relativePath: string): Served;
  exists(relativePath: string): boolean | Promise<boolean>;
}

function orNotFound(served: Served, notFound: () => HTTPNotFound): Served | HTTPNotFound {
  if (served === undefined) return notFound();
  if (served instanceof Promise) return served.then((result) => result ?? notFound());
  return served;
}

interface BreakerState {
  readonly previous: ReadonlySet<string>;
  readonly before: string;
  readonly after: string;
}

const TOKEN_SEGMENT = /^[A-Za-z0-9._~+-]+$/;

/**
 * The redirector: the current token serves the file; an older token 301s to the same path
 * under the current one (if the file is still there); a newer or unknown token is a 503 to
 * retry (a rolling deploy: another instance may have it), never a redirect a shared cache
 * could keep.
 */
function serveWithBreaker(request: Request, state: BreakerState, current: string, files: FileSource): unknown {
  const path = request.pathInfo;
  if (!path.startsWith(state.before)) return uncachedNotFound(); // the router matched a differently encoded prefix
  const slash = path.indexOf('/', state.before.length);
  const token = path.slice(state.before.length, slash === -1 ? path.length : slash);
  const rest = slash === -1 ? '' : path.slice(slash);
  if (!TOKEN_SEGMENT.test(token) || token === '.' || token === '..' || !rest.startsWith(state.after)) return uncachedNotFound();
  const relativePath = canonicalPath(rest.slice(state.after.length));
  if (relativePath === null) return uncachedNotFound();
  const age = classifyToken(token, current, state.previous);
  if (age === 'current') return orNotFound(files.serve(request, relativePath), uncachedNotFound);
  if (age === 'newer' || age === 'unknown') return retryLater(`Asset version ${token} is not served by this instance yet; retry shortly.`);
  const query = request.queryString === '' ? '' : `?${request.queryString}`;
  // Built from the canonical path, never from the raw input: one leading slash, same host.
  const location = `${request.scriptName}${state.before}${current}${state.after}${encodePath(relativePath)}${query}`;
  const redirect = () => new HTTPMovedPermanently(location, { headers: { 'cache-control': REDIRECT_CACHE } });
  const exists = files.exists(relativePath);
  if (exists === true) return redirect();
  if (exists === false) return uncachedNotFound();
  return exists.then((found) => (found ? redirect() : uncachedNotFound()));
}

import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { asBool, asList, type Configurator, ConfigurationError, Phase, resolveAssetSpec } from '@tet/core';
import { validateCachebreaker } from './cachebreaker.js';
import { ContentCatalog, type ContentFile } from './content-catalog.js';
import { treeToken } from './content-hash.js';
import { FileIndex, type MemoryPolicy, type TrustedDigest } from './file-index.js';
import { lookupIndexed } from './file-lookup.js';
import { openArchive } from './archive-view.js';
import type { EarlierReleases } from './earlier-releases.js';
import { type AssetManifest, type Ledger, ledgerOf, MANIFEST_NAME, readManifest } from './manifest.js';
import { type ServeOptions, serveFile } from './serve-file.js';
import type { StaticView, StaticViewTable } from './static-views.js';
import { StaticViewTable as Table } from './static-views.js';
import { contentHandler, type FileSource, plainHandler, tokenHandler, type TokenLayout } from './view-handlers.js';

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

/** `setCachebreaker({ from: 'content' })`: each token view's token is a hash of its files. */
export interface ContentCachebreaker {
  from: 'content';
}

const ONE_YEAR = 31_536_000;
const ONE_HOUR = 3_600;
const ABSOLUTE_URL = /^(?:https?:)?\/\//i;
const CONTENT_TOKEN = Symbol('content');

/** The application's static views. */
export function staticState(config: Configurator): StaticViewTable {
  return (config.registry.staticViews ??= new Table());
}

function memoryPolicy(config: Configurator): MemoryPolicy {
  const settings = config.registry.settings;
  return (config.registry.staticMemory ??= {
    maxFileSize: Number(settings['tet.static.cache_max_file_size'] ?? 4 * 1024 * 1024),
    remaining: Number(settings['tet.static.cache_max_size'] ?? 64 * 1024 * 1024),
  });
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

function checkOptions(options: StaticViewOptions, directive: string): void {
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

/**
 * `config.setCachebreaker(token)`: an early action, so every static view uses it whatever the
 * call order. `{ from: 'content' }` makes each token view's token a hash of its files.
 */
export function setCachebreaker(config: Configurator, token: string | ContentCachebreaker): void {
  const value = typeof token === 'object' && token !== null && (token as ContentCachebreaker).from === 'content' ? CONTENT_TOKEN : validateCachebreaker(token, 'setCachebreaker');
  config.action(
    'tet.static:cachebreaker',
    () => {
      if (value === CONTENT_TOKEN) config.registry.cachebreakerFromContent = true;
      else config.registry.cachebreaker = value;
    },
    { order: Phase.early },
  );
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
  registerStaticView(config, options, 'token');
}

/** `config.addStaticView({ name, path, cacheMaxAge, cacheBust })`: Pyramid's static view, or content-hashed. */
export function addStaticView(config: Configurator, options: StaticViewOptions): void {
  checkOptions(options, 'addStaticView');
  registerStaticView(config, options, options.cacheBust === 'content' ? 'content' : 'plain');
}

type Kind = 'plain' | 'token' | 'content';

/** What a view learns at commit: its files, its token, its ledger. */
interface ViewState {
  view?: StaticView;
  index?: FileIndex;
  catalog?: ContentCatalog;
  ledger: Ledger;
  layout: TokenLayout;
  prefix: string;
  reload: boolean;
  earlier?: EarlierReleases;
}

// A manifest's digests are trusted only for files unchanged since it was written.
function trustedFrom(manifest: AssetManifest | undefined): TrustedDigest | undefined {
  if (manifest === undefined) return undefined;
  const written = Date.parse(manifest.created);
  return (path, size, mtimeMs) => {
    const file = manifest.files[path];
    if (file === undefined || file.source !== undefined || file.size !== size || mtimeMs > written) return undefined;
    return Buffer.from(file.integrity.slice('sha384-'.length), 'base64');
  };
}

function registerStaticView(config: Configurator, options: StaticViewOptions, kind: Kind): void {
  const directive = kind === 'token' ? 'addStaticViewWithBreaker' : 'addStaticView';
  const root = resolveAssetSpec(options.path, config.registry);
  const manifestPath = options.manifest === undefined ? join(root, MANIFEST_NAME) : resolveAssetSpec(options.manifest, config.registry);
  const table = staticState(config);
  const memory = memoryPolicy(config);
  const maxAge = options.cacheMaxAge ?? (kind === 'plain' ? ONE_HOUR : ONE_YEAR);
  const cacheControl = kind === 'plain' ? `public, max-age=${maxAge}` : `public, max-age=${maxAge}, immutable`;
  const isUrl = ABSOLUTE_URL.test(options.name);
  const routeName = `__static:${options.name}`;
  const state: ViewState = { ledger: ledgerOf(undefined), layout: { before: '', after: '', current: '', currentPrefix: '', ordered: true, previous: new Set() }, prefix: '', reload: false };

  if (!isUrl) {
    const trimmed = options.name.replace(/^\/+|\/+$/g, '');
    config.addRoute(routeName, `/${trimmed.replace('{breaker}', ':breaker')}/*`);
  }

  config.action(isUrl ? `tet.static:url:${options.name}` : `tet.static:view:${options.name}`, async () => {
    const info = await stat(root).catch(() => undefined);
    if (info === undefined || !info.isDirectory()) {
      throw new ConfigurationError(`${directive}({ name: '${options.name}', path: '${options.path}' }): ${root} is not a directory. Create it, or fix the path.`, 'TET_ERR_STATIC_PATH');
    }
    const settings = config.registry.settings;
    state.reload = asBool(settings['tet.static.reload']);
    const fromContent = kind === 'token' && config.registry.cachebreakerFromContent === true;
    const manifest = kind === 'content' || fromContent ? await readManifest(manifestPath) : undefined;
    state.ledger = ledgerOf(manifest);
    const index = await FileIndex.build(root, memory, trustedFrom(manifest), `${directive}({ name: '${options.name}', path: '${options.path}' })`);
    state.index = index;
    // Content views serve through the catalog; other views need it only to re-validate synchronously.
    if (kind === 'content' || state.reload) state.catalog = new ContentCatalog(index, kind === 'content');

    // The prefix inside the application, route prefix included: everything before the token.
    const pattern = isUrl ? '' : config.registry.routes.get(routeName)!.pattern.slice(0, -1);
    const [before = '', afterToken = ''] = pattern.split(':breaker');
    const current = kind !== 'token' ? '' : fromContent ? treeToken(index.entries()) : (config.registry.cachebreaker ?? '');
    const encodedBefore = encodeURI(before);
    const encodedAfter = encodeURI(afterToken.replace(/^\//, ''));
    state.layout = {
      before: encodedBefore,
      after: encodedAfter,
      current,
      currentPrefix: `${encodedBefore}${current}/${encodedAfter}`,
      ordered: !fromContent,
      previous: new Set([...asList(settings['tet.static.previous_breakers']), ...state.ledger.trees]),
    };
    state.prefix = kind === 'token' ? state.layout.currentPrefix : state.layout.before;
    const urlPrefix = isUrl ? options.name.replace('{breaker}', current).replace(/\/+$/, '') : undefined;
    if (!isUrl) {
      const find = (path: string) => (state.reload ? state.catalog!.fresh(path) : lookupIndexed(index, path));
      state.earlier = await openArchive(config, { directive, options, root, kind, token: current, memory, current: find });
    }
    state.view = {
      name: options.name,
      root,
      urlPrefix,
      pathPrefix: state.prefix,
      index,
      volatile: state.reload,
      entryFor: (path) => (state.catalog !== undefined ? lookupContent(state, path)?.entry : index.get(path)),
      hashFor: kind === 'content' ? (path) => lookupContent(state, path)?.hash : undefined,
    };
    table.add(state.view);
  });
  if (isUrl) return; // as in Pyramid: URLs are generated on that host, and nothing is served here

  // A streamed file found changed on disk is re-indexed; a content view's URL names the old
  // bytes, so it answers 503 instead.
  const serveOptions: ServeOptions = {
    // Reload mode: a token URL stays while its file is edited, so the browser must revalidate
    // (a 304 when unchanged); immutable would keep a copy the page's new integrity blocks.
    get cacheControl() {
      return state.reload ? 'no-cache' : cacheControl;
    },
    files: {
      current: (entry) => state.index!.current(entry),
      refresh: kind === 'content' ? undefined : (entry) => state.index!.refresh(entry),
    },
  };
  // Production: Map hits. Reload mode: the same index, each file re-validated by the catalog.
  const files: FileSource = {
    find: (relativePath) => (state.reload ? state.catalog!.fresh(relativePath) : lookupIndexed(state.index!, relativePath)),
    get fixed() {
      return !state.reload; // set at commit, after this object is made
    },
    serve: (request, found) => serveFile(request, found, serveOptions),
  };
  const handler =
    kind === 'token'
      ? tokenHandler(
          () => state.layout,
          files,
          () => state.earlier,
        )
      : kind === 'content'
        ? contentHandler(
            () => state.prefix,
            (path) => lookupContent(state, path),
            () => state.ledger,
            files.serve,
            () => state.earlier,
          )
        : plainHandler(() => state.prefix, files);
  config.addView(handler, { routeName, requestMethod: ['GET', 'HEAD'] });
}

function lookupContent(state: ViewState, relativePath: string): ContentFile | undefined {
  return state.reload ? state.catalog!.fresh(relativePath) : state.catalog!.get(relativePath);
}

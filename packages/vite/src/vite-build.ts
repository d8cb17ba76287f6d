// config.addViteBuild(): records the build's route, view and commit action; the commit action
// reads the manifest, indexes the folder, computes integrities and builds the handler.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Configurator, ConfigurationError, type Request, resolveAssetSpec } from '@tet/core';
import { canonicalPath, type FolderAnswer, integrityOf, openServedFolder, retryLater, type ServedFolder, uncachedNotFound } from '@tet/static';
import { filesOf, readViteManifest, type ViteManifest } from './manifest.js';
import { checkBuildOptions, devServerUrl, type ViteBuildOptions } from './options.js';

/** One Vite build as `request.viteTags()` sees it after commit. */
export interface ViteBuild {
  /** The build's name (its `name` option). */
  readonly name: string;
  /** The dev server's URL (no final `/`) in development; then there is no manifest. */
  readonly devServer: string | undefined;
  /** Where the build's files are: a path inside the application (`/vite/`), or an absolute URL ending in `/`. */
  readonly prefix: string;
  /** Vite's outDir, as configured. */
  readonly root: string;
  /** True when {@link prefix} is an absolute URL (a CDN). */
  readonly absolute: boolean;
  readonly manifest: ViteManifest | undefined;
  /** Subresource Integrity of each file the manifest names, from the bytes served. */
  readonly integrity: ReadonlyMap<string, string>;
}

/** The application's Vite builds, by name. */
export type ViteBuilds = Map<string, ViteBuild>;

const IMMUTABLE = 'public, max-age=31536000, immutable';
// Files with no hash in their name (Vite's public/ folder: favicon.ico, robots.txt) may change
// under the same URL at any deploy: caches keep them, but ask before each use (a 304 then).
const REVALIDATE = 'public, max-age=0, must-revalidate';
const ABSOLUTE_URL = /^https?:\/\//i;
const DEFAULT_MANIFEST = '.vite/manifest.json';

/** The application's builds (an empty map before the first addViteBuild()). */
export function viteBuilds(config: Configurator): ViteBuilds {
  return (config.registry.viteBuilds ??= new Map());
}

/**
 * `config.addViteBuild({ name, path })`: serves Vite's outDir under `name` and makes its
 * manifest's entries available to `request.viteTags()`. With a dev server named (the
 * `devServer` option or the `tet.vite.dev_server` setting), nothing is read or served: the
 * tags point at the dev server.
 * @example
 * config.addViteBuild({ name: 'vite', path: 'myapp:dist' })
 */
export function addViteBuild(config: Configurator, options: ViteBuildOptions): void {
  const where = checkBuildOptions(options);
  const configured = options.devServer ?? config.registry.settings['tet.vite.dev_server'];
  const what = options.devServer !== undefined ? `${where}: devServer` : "settings['tet.vite.dev_server']";
  const devServer = configured === undefined || configured === '' ? undefined : devServerUrl(configured, what);
  const name = options.name.replace(/^\/+|\/+$/g, '');
  const absolute = ABSOLUTE_URL.test(options.name);
  const routeName = `__vite:${name}`;
  const root = resolveAssetSpec(options.path, config.registry);
  const serves = devServer === undefined && !absolute;
  if (serves) config.addRoute(routeName, `/${name}/*`);
  let handler: ((request: Request) => FolderAnswer | Promise<FolderAnswer>) | undefined;
  config.action(`tet.vite:build:${name}`, async () => {
    const builds = viteBuilds(config);
    if (devServer !== undefined) {
      builds.set(name, { name, devServer, prefix: '', root, absolute: false, manifest: undefined, integrity: new Map() });
      return;
    }
    const info = await stat(root).catch(() => undefined);
    if (info === undefined || !info.isDirectory())
      throw new ConfigurationError(`${where}: ${root} is not a directory. Run \`vite build\` (its outDir), fix the path, or set tet.vite.dev_server in development.`, 'TET_ERR_VITE_MANIFEST');
    const manifestPath = options.manifest ?? DEFAULT_MANIFEST;
    const manifest = await readViteManifest(join(root, ...manifestPath.split('/')), where);
    const archive = options.archive === undefined ? undefined : resolveAssetSpec(options.archive, config.registry);
    const folder = await openServedFolder(config, root, { where, archive });
    const named = filesOf(manifest);
    const integrity = new Map<string, string>();
    for (const file of named) {
      const entry = folder.get(file);
      if (entry === undefined)
        throw new ConfigurationError(`${where}: the manifest names ${file}, which ${root} lacks. Deploy the whole of Vite's outDir, or rebuild with \`vite build\`.`, 'TET_ERR_VITE_MANIFEST');
      integrity.set(file, integrityOf(entry.digest));
    }
    // The path inside the application, route prefix included: everything before the `*`.
    const prefix = absolute ? `${options.name.replace(/\/+$/, '')}/` : config.registry.routes.get(routeName)!.pattern.slice(0, -1);
    builds.set(name, { name, devServer: undefined, prefix, root, absolute, manifest, integrity });
    if (serves) handler = buildHandler(prefix, folder, { assetsDir: (options.assetsDir ?? 'assets').replace(/\/+$/, ''), named, manifestPath });
  });
  if (serves) {
    config.addView((request) => (handler === undefined ? uncachedNotFound() : handler(request)), { routeName, requestMethod: ['GET', 'HEAD'], session: false });
  }
}

interface Layout {
  readonly assetsDir: string;
  /** Every file the manifest names: hashed, wherever Vite's output options put them. */
  readonly named: ReadonlySet<string>;
  /** The manifest itself, never served (even when build.manifest names a path that is not hidden). */
  readonly manifestPath: string;
}

/**
 * The build's handler: a hashed file (in assetsDir, or named by the manifest) is immutable; a
 * hashed name this instance lacks is an earlier build's file from the release archive, else a
 * 503 to retry (a newer instance of a rolling deploy may have it), never a 404 a cache could
 * keep; anything else revalidates, and a miss is an uncached 404.
 */
function buildHandler(prefix: string, folder: ServedFolder, layout: Layout) {
  const hashedPolicy = { cacheControl: IMMUTABLE, onChange: 'refuse' } as const;
  const serveHashed = folder.responder(hashedPolicy);
  const serveOther = folder.responder({ cacheControl: REVALIDATE, onChange: 'reindex' });
  // Earlier builds' files, from the release archive: a hashed name means the same bytes in every build.
  const serveArchived = folder.archived?.(hashedPolicy);
  const assets = `${layout.assetsDir}/`;
  return (request: Request): FolderAnswer | Promise<FolderAnswer> => {
    const path = request.pathInfo;
    // The router matched a differently encoded prefix: not this view's spelling.
    const relativePath = path.startsWith(prefix) ? canonicalPath(path.slice(prefix.length)) : null;
    if (relativePath === null || relativePath === layout.manifestPath) return uncachedNotFound();
    const hashed = relativePath.startsWith(assets) || layout.named.has(relativePath);
    const answer = (hashed ? serveHashed : serveOther)(request, relativePath);
    if (answer !== undefined) return answer;
    if (!hashed) return uncachedNotFound();
    const retry = () => retryLater(`${relativePath} is not in this instance's Vite build; retry shortly.`);
    return serveArchived === undefined ? retry() : serveArchived(request, relativePath).then((archived) => archived ?? retry());
  };
}

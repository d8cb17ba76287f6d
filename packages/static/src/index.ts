// @tet/static: cache-broken static views, the redirector and request.staticUrl.
import type { Configurator } from '@tet/core';
import { generateCachebreaker, validateCachebreaker } from './cachebreaker.js';
import './error-codes.js';
import { staticViewsTable } from './introspection.js';
import './early-hints.js'; // their augmentations of @tet/core must reach users' types
import './frontend.js';
import type { MemoryPolicy } from './file-reader.js';
import { includeFrontend } from './frontend.js';
import { addStaticView, addStaticViewWithBreaker, type ContentCachebreaker, setCachebreaker, urlTable } from './directives.js';
import { staticIntegrity, staticPath, staticUrl } from './request-urls.js';
import type { UrlTable } from './url-table.js';
import type { StaticViewOptions } from './view-options.js';

declare module '@tet/core' {
  interface Directives {
    /**
     * Replaces the cache-breaker token (a release number, a git hash) for every static view;
     * `{ from: 'content' }` makes each view's token a hash of its files.
     */
    setCachebreaker(token: string | ContentCachebreaker): void;
    /** Serves a directory under a URL carrying the cache-breaker token: `name` contains `{breaker}`. */
    addStaticViewWithBreaker(options: StaticViewOptions): void;
    /** Pyramid's plain static view: serves a directory under `name`, no token. */
    addStaticView(options: StaticViewOptions): void;
  }
  interface Request {
    /** The absolute URL of a static file, token included: `request.staticUrl('myapp:static/style.css')`. */
    staticUrl(spec: string): string;
    /** The same URL without scheme and host. */
    staticPath(spec: string): string;
    /** Subresource Integrity (`sha384-...`) of the file's served bytes. */
    staticIntegrity(spec: string): string;
  }
  interface Registry {
    /** The current cache-breaker token; set by `config.include(tetStatic)` and `setCachebreaker()`. */
    cachebreaker?: string;
    /** True after `setCachebreaker({ from: 'content' })`: token views hash their files for a token. */
    cachebreakerFromContent?: boolean;
    /** The application's static views. */
    staticViews?: UrlTable;
    /** What static views may keep in memory. */
    staticMemory?: MemoryPolicy;
  }
}

/**
 * The include: generates the cache-breaker token and adds the static directives and
 * `request.staticUrl` / `request.staticPath`.
 * @example
 * config.include(tetStatic)
 * config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: 'myapp:static' })
 */
export function tetStatic(config: Configurator): void {
  // `tet.static.cachebreaker` is the per-start default when set: tet serve's workers share one.
  const configured = config.registry.settings['tet.static.cachebreaker'];
  config.registry.cachebreaker = configured === undefined || configured === '' ? generateCachebreaker() : validateCachebreaker(configured, "settings['tet.static.cachebreaker']");
  urlTable(config);
  config.registry.introspectors.push(staticViewsTable);
  config.addDirective('setCachebreaker', setCachebreaker);
  config.addDirective('addStaticViewWithBreaker', addStaticViewWithBreaker);
  config.addDirective('addStaticView', addStaticView);
  config.addRequestMethod('staticUrl', staticUrl);
  config.addRequestMethod('staticPath', staticPath);
  config.addRequestMethod('staticIntegrity', staticIntegrity);
  includeFrontend(config);
}

export { tetStatic as includeme };
export type { ContentCachebreaker } from './directives.js';
export type { StaticViewOptions } from './view-options.js';
export type { StaticView, UrlTable } from './url-table.js';
export type { FileEntry } from './file-entry.js';
export type { MemoryPolicy } from './file-reader.js';
export { classifyToken, generateCachebreaker, validateCachebreaker, type TokenAge } from './cachebreaker.js';
export { canonicalPath } from './safe-path.js';
export { contentTypeFor } from './content-type.js';
export { integrityOf, shortHash, treeToken } from './content-hash.js';
export { findCssReferences, rewriteCss, type CssReference } from './css-rewrite.js';
export { findJsReferences, rewriteJs, type JsEdit, type JsReference, type JsReferenceKind } from './js-rewrite.js';
export { findMapReferences, rewriteMap } from './map-rewrite.js';
export type { TreeReference } from './tree-reference.js';
export { StaticMarkup } from './html.js';
export type { ImportMapPins, PinAllOptions } from './import-map.js';
export { ledgerOf, MANIFEST_NAME, nextManifest, readManifest, writeManifest, type AssetManifest, type Ledger, type ManifestFile, type ManifestRelease } from './manifest.js';
export { ARCHIVE_NAME, type ArchivedFileRecord, type ArchivedObject, type ReleaseRecord, readRelease } from './archive.js';
export { type ArchiveBuild, type ArchiveOptions, archiveRelease } from './archive-build.js';
export { openServedFolder, retryLater, uncachedNotFound, type FolderAnswer, type FolderServePolicy, type ServedFolder, type ServedFolderOptions } from './served-folder.js';

// What a static view's commit action builds: its file source, its catalog, where its token
// sits in the URL, its entry in the URL table and its request handler.
import { stat } from 'node:fs/promises';
import { ApplicationCreated, asBool, asList, type Configurator, ConfigurationError, type FastPath } from '@tet/core';
import { openArchive } from './archive-view.js';
import { ContentCatalog } from './content-catalog.js';
import { contentFastPath, plainFastPath, tokenFastPath } from './fast-answers.js';
import { treeToken } from './content-hash.js';
import type { TrustedDigest } from './file-index.js';
import { isOutOfDescriptors } from './file-reader.js';
import { FileSource } from './file-source.js';
import { type AssetManifest, type Ledger, ledgerOf, readManifest } from './manifest.js';
import type { ServeOptions } from './serve-file.js';
import type { StaticView } from './url-table.js';
import { answeringOutOfDescriptors, contentHandler, plainHandler, type StaticHandler, tokenHandler, type TokenLayout } from './view-handlers.js';
import { memoryPolicy, type StaticViewOptions } from './view-options.js';

/** The three kinds of static view. */
export type ViewKind = 'plain' | 'token' | 'content';

/** What the directive knew when it recorded the view. */
export interface ViewSetup {
  readonly directive: 'addStaticView' | 'addStaticViewWithBreaker';
  readonly options: StaticViewOptions;
  readonly kind: ViewKind;
  /** The view's route pattern without the final `*` ('' for a view named by a URL). */
  readonly pattern: string;
  /** The folder served, and its manifest: asset specs resolved when the directive was called. */
  readonly root: string;
  readonly manifestPath: string;
}

/** A static view as its commit action built it. */
export interface BuiltView {
  readonly view: StaticView;
  /** Undefined for a view named by an absolute URL: as in Pyramid, nothing is served here. */
  readonly handler: StaticHandler | undefined;
  /** The answers core may give before routing (fast-answers.ts); none in reload mode, where every answer re-reads the disk. */
  readonly fastPath: FastPath | undefined;
}

const ONE_YEAR = 31_536_000;
const ONE_HOUR = 3_600;
const ABSOLUTE_URL = /^(?:https?:)?\/\//i;

/** True when a view's name is an absolute URL (a CDN): it generates URLs and serves nothing. */
export function isUrlName(name: string): boolean {
  return ABSOLUTE_URL.test(name);
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

// Where the token sits: `<before><token>/<after><path>`, each part as it appears in a URL.
function layoutOf(pattern: string, current: string, ordered: boolean, previous: Iterable<string>): TokenLayout {
  const [before = '', afterToken = ''] = pattern.split(':breaker');
  const encodedBefore = encodeURI(before);
  const encodedAfter = encodeURI(afterToken.replace(/^\//, ''));
  return { before: encodedBefore, after: encodedAfter, current, currentPrefix: `${encodedBefore}${current}/${encodedAfter}`, ordered, previous: new Set(previous) };
}

/**
 * Builds a static view when its commit action runs: indexes the folder (with the manifest's
 * digests when there is one), then makes the handler from what now exists.
 * @example
 * const { view, handler } = await buildStaticView(config, { directive: 'addStaticView', options, kind: 'plain', pattern: '/static/', root, manifestPath })
 */
export async function buildStaticView(config: Configurator, setup: ViewSetup): Promise<BuiltView> {
  const { directive, options, kind, pattern, root } = setup;
  const where = `${directive}({ name: '${options.name}', path: '${options.path}' })`;
  const info = await stat(root).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw new ConfigurationError(`${where}: ${root} is not a directory. Create it, or fix the path.`, 'TET_ERR_STATIC_PATH');
  const settings = config.registry.settings;
  const reload = asBool(settings['tet.static.reload']);
  const memory = memoryPolicy(config);
  const fromContent = kind === 'token' && config.registry.cachebreakerFromContent === true;
  const manifest = kind === 'content' || fromContent ? await readManifest(setup.manifestPath) : undefined;
  const ledger: Ledger = ledgerOf(manifest);
  // Only what needs no digest at start-up reads lazily (a file on its first lookup): a
  // content-hashed view's URLs and a content token are made of every file's digest, and reload
  // mode reads a file again on every lookup anyway.
  const lazy = !reload && (kind === 'plain' || (kind === 'token' && !fromContent));
  const files = await FileSource.open(root, memory, { trusted: trustedFrom(manifest), where, reload, lazy });
  // A lazy view reads its big files in the background: that stops when the application closes,
  // so a process whose servers are closed is not kept alive hashing a video.
  if (lazy) config.registry.subscribers.add(ApplicationCreated, (event) => files.stopReadingWhen(() => event.app.closing));
  const catalog = kind === 'content' ? new ContentCatalog(files) : undefined;

  const current = kind !== 'token' ? '' : fromContent ? treeToken(files.entries()) : (config.registry.cachebreaker ?? '');
  const layout = layoutOf(pattern, current, !fromContent, [...asList(settings['tet.static.previous_breakers']), ...ledger.trees]);
  const isUrl = isUrlName(options.name);
  const view: StaticView = {
    name: options.name,
    root,
    urlPrefix: isUrl ? options.name.replace('{breaker}', current).replace(/\/+$/, '') : undefined,
    pathPrefix: kind === 'token' ? layout.currentPrefix : layout.before,
    index: files,
    volatile: reload,
    entryFor: (path) => (catalog !== undefined ? catalog.find(path)?.entry : files.fresh(path)),
    hashFor: catalog === undefined ? undefined : (path) => catalog.find(path)?.hash,
  };
  if (isUrl) return { view, handler: undefined, fastPath: undefined };

  const earlier = await openArchive(config, { directive, options, root, kind, token: current, memory, current: (path) => files.find(path) });
  const maxAge = options.cacheMaxAge ?? (kind === 'plain' ? ONE_HOUR : ONE_YEAR);
  // A streamed file found changed on disk is re-indexed; a content view's URL names the old
  // bytes, so it answers 503 instead.
  const serveOptions: ServeOptions = {
    // Reload mode: a token URL stays while its file is edited, so the browser must revalidate
    // (a 304 when unchanged); immutable would keep a copy the page's new integrity blocks.
    cacheControl: reload ? 'no-cache' : kind === 'plain' ? `public, max-age=${maxAge}` : `public, max-age=${maxAge}, immutable`,
    files,
    onChange: kind === 'content' ? 'refuse' : 'reindex',
  };
  const { cacheControl } = serveOptions;
  let handler: StaticHandler;
  let fastPath: FastPath;
  if (catalog !== undefined) {
    handler = contentHandler(layout.before, catalog, ledger, serveOptions, earlier);
    fastPath = contentFastPath(layout.before, catalog, cacheControl);
  } else if (kind === 'token') {
    handler = tokenHandler(layout, files, serveOptions, earlier);
    fastPath = tokenFastPath(layout, files, cacheControl, earlier !== undefined);
  } else {
    handler = plainHandler(layout.before, files, serveOptions);
    fastPath = plainFastPath(layout.before, files, cacheControl);
  }
  if (reload) return { view, handler: answeringOutOfDescriptors(handler), fastPath: undefined };
  return lazy ? { view, handler: answeringOutOfDescriptors(handler), fastPath: decliningOutOfDescriptors(fastPath) } : { view, handler, fastPath };
}

// A lazy view's fast path reads a file on its first lookup, and may find the process out of
// descriptors: it leaves that request to the handler, which answers 503 (and reads it again).
function decliningOutOfDescriptors(fastPath: FastPath): FastPath {
  return (raw, path, queryString) => {
    try {
      return fastPath(raw, path, queryString);
    } catch (error) {
      if (isOutOfDescriptors(error)) return undefined;
      throw error;
    }
  };
}

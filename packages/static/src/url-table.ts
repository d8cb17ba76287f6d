import { join, relative, sep } from 'node:path';
import { TetError } from '@tet/core';
import { integrityOf } from './content-hash.js';
import type { FileEntry } from './file-entry.js';
import type { FileSource } from './file-source.js';
import { encodePath, isInside } from './safe-path.js';

/** One registered static view, as URL generation and serving see it after commit. */
export interface StaticView {
  /** The name as given: `static/{breaker}`, `assets`, or `https://cdn.example.com/static/{breaker}`. */
  readonly name: string;
  /** The directory served. */
  readonly root: string;
  /** For a view named by an absolute URL: the URL prefix (token included), else undefined. */
  readonly urlPrefix: string | undefined;
  /** For a local view: the path prefix inside the application (token included), ending in `/`. */
  readonly pathPrefix: string;
  /** The view's files: entries as last read, and their bytes. */
  readonly index: FileSource;
  /** The file served for a canonical relative path (re-validated in reload mode). */
  entryFor(relativePath: string): FileEntry | undefined;
  /** Content-hashed views: the hash segment that goes before the file's path. */
  readonly hashFor: ((relativePath: string) => string | undefined) | undefined;
  /** True in reload mode: URLs may change, so they are not cached. */
  readonly volatile: boolean;
}

/** A static URL, split so the host-independent part can be cached per spec. */
interface GeneratedUrl {
  /** Absolute URL (a CDN view) or undefined. */
  readonly absolute: string | undefined;
  /** Path inside the application, for local views. */
  readonly path: string;
}

const MAX_CACHED_SPECS = 10_000;

/**
 * The static views of one application and the URLs they generate. URLs are computed once per
 * spec and then answered from a Map, so `request.staticUrl()` costs a lookup and a concatenation.
 */
export class UrlTable {
  private readonly views: StaticView[] = [];
  private readonly urls = new Map<string, GeneratedUrl>();
  private readonly integrities = new Map<string, string>();

  add(view: StaticView): void {
    this.views.push(view);
    // The most specific root wins when roots nest.
    this.views.sort((a, b) => b.root.length - a.root.length);
    this.urls.clear();
    this.integrities.clear();
  }

  all(): readonly StaticView[] {
    return this.views;
  }

  /** Generates (or recalls) the URL parts for a spec, given a resolver for specs. */
  urlFor(spec: string, resolve: (spec: string) => string): GeneratedUrl {
    const cached = this.urls.get(spec);
    if (cached !== undefined) return cached;
    const { view, relativePath } = this.locate(spec, resolve);
    let encoded = encodePath(relativePath);
    if (view.hashFor !== undefined) {
      const hash = view.hashFor(relativePath);
      if (hash === undefined) this.missing(spec, view);
      encoded = `${hash}/${encoded}`;
    }
    const generated: GeneratedUrl = view.urlPrefix !== undefined ? { absolute: `${view.urlPrefix}/${encoded}`, path: '' } : { absolute: undefined, path: view.pathPrefix + encoded };
    if (!view.volatile && this.urls.size < MAX_CACHED_SPECS) this.urls.set(spec, generated);
    return generated;
  }

  /** Subresource Integrity (`sha384-...`) of the bytes served for a spec. */
  integrityFor(spec: string, resolve: (spec: string) => string): string {
    const cached = this.integrities.get(spec);
    if (cached !== undefined) return cached;
    const { view, relativePath } = this.locate(spec, resolve);
    const entry = view.entryFor(relativePath);
    if (entry === undefined) this.missing(spec, view);
    const integrity = integrityOf(entry.digest);
    if (!view.volatile && this.integrities.size < MAX_CACHED_SPECS) this.integrities.set(spec, integrity);
    return integrity;
  }

  /** The view serving a spec's file and the file's path in it; TET_ERR_STATIC_URL when no view serves it. */
  locate(spec: string, resolve: (spec: string) => string): { view: StaticView; relativePath: string } {
    const file = resolve(spec);
    const view = this.views.find((candidate) => candidate.root !== file && isInside(candidate.root, file));
    if (view === undefined) {
      const roots = this.views.map((candidate) => `'${candidate.name}' → ${candidate.root}`).join('; ') || 'none yet';
      throw new TetError(
        `staticUrl('${spec}'): no static view serves ${file}. Register one for a folder that contains it, ` +
          `e.g. config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: '${join(file, '..')}' }). Static views: ${roots}.`,
        'TET_ERR_STATIC_URL',
      );
    }
    return { view, relativePath: relative(view.root, file).split(sep).join('/') };
  }

  private missing(spec: string, view: StaticView): never {
    throw new TetError(`staticUrl('${spec}'): the static view '${view.name}' has no such file, so it has no content hash. Check the spec, or add the file.`, 'TET_ERR_STATIC_URL');
  }
}

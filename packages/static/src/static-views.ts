import { join, relative, sep } from 'node:path';
import { TetError } from '@tet/core';
import type { FileIndex } from './file-index.js';
import { isInside } from './file-index.js';
import { encodePath } from './safe-path.js';

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
  readonly index: FileIndex | undefined;
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
export class StaticViewTable {
  private readonly views: StaticView[] = [];
  private readonly cache = new Map<string, GeneratedUrl>();

  add(view: StaticView): void {
    this.views.push(view);
    // The most specific root wins when roots nest.
    this.views.sort((a, b) => b.root.length - a.root.length);
    this.cache.clear();
  }

  all(): readonly StaticView[] {
    return this.views;
  }

  /** Generates (or recalls) the URL parts for a spec, given a resolver for specs. */
  urlFor(spec: string, resolve: (spec: string) => string): GeneratedUrl {
    const cached = this.cache.get(spec);
    if (cached !== undefined) return cached;
    const file = resolve(spec);
    const view = this.views.find((candidate) => candidate.root !== file && isInside(candidate.root, file));
    if (view === undefined) return this.uncovered(spec, file);
    const encoded = encodePath(relative(view.root, file).split(sep).join('/'));
    const generated: GeneratedUrl = view.urlPrefix !== undefined ? { absolute: `${view.urlPrefix}/${encoded}`, path: '' } : { absolute: undefined, path: view.pathPrefix + encoded };
    if (this.cache.size < MAX_CACHED_SPECS) this.cache.set(spec, generated);
    return generated;
  }

  private uncovered(spec: string, file: string): never {
    const roots = this.views.map((view) => `'${view.name}' → ${view.root}`).join('; ') || 'none yet';
    throw new TetError(
      `staticUrl('${spec}'): no static view serves ${file}. Register one for a folder that contains it, ` +
        `e.g. config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: '${join(file, '..')}' }). Static views: ${roots}.`,
      'TET_ERR_STATIC_URL',
    );
  }
}

import { HTTPMovedPermanently, HTTPNotFound, type HTTPServiceUnavailable, type Request, type Response } from '@tet/core';
import { classifyToken } from './cachebreaker.js';
import type { ContentFile } from './content-catalog.js';
import { HASH_SEGMENT } from './content-catalog.js';
import type { Ledger } from './manifest.js';
import { canonicalPath, encodePath } from './safe-path.js';
import { retryLater, uncachedNotFound } from './serve-file.js';

type Answer = Response | HTTPNotFound | HTTPServiceUnavailable | HTTPMovedPermanently;
/** What serving a file gives: an answer, undefined for "no such file", or a Promise of either. */
export type Served = Answer | undefined | Promise<Answer | undefined>;

/** How a handler reaches its files, whichever lookup mode is on. */
export interface FileSource {
  serve(request: Request, relativePath: string): Served;
  exists(relativePath: string): boolean | Promise<boolean>;
}

const REDIRECT_CACHE = 'public, max-age=300'; // short: a rollback must not be pinned to the newer URL
const TOKEN_SEGMENT = /^[A-Za-z0-9._~+-]+$/;

function orNotFound(served: Served, notFound: () => HTTPNotFound): Answer | Promise<Answer> {
  if (served === undefined) return notFound();
  if (served instanceof Promise) return served.then((result) => result ?? notFound());
  return served;
}

function redirect(request: Request, path: string): HTTPMovedPermanently {
  // Built from canonical parts, never from the raw input: one leading slash, same host.
  const query = request.queryString === '' ? '' : `?${request.queryString}`;
  return new HTTPMovedPermanently(`${request.scriptName}${path}${query}`, { headers: { 'cache-control': REDIRECT_CACHE } });
}

/** Splits `<prefix><segment>/<rest>` from a raw path; undefined when it does not have that shape. */
function splitSegment(path: string, prefix: string): { segment: string; rest: string } | undefined {
  if (!path.startsWith(prefix)) return undefined; // the router matched a differently encoded prefix
  const slash = path.indexOf('/', prefix.length);
  if (slash === -1) return undefined;
  return { segment: path.slice(prefix.length, slash), rest: path.slice(slash + 1) };
}

/** A plain static view: `<prefix><path>`. */
export function plainHandler(prefix: () => string, files: FileSource) {
  return (request: Request): Answer | Promise<Answer> => {
    const relativePath = canonicalPath(request.pathInfo.slice(prefix().length));
    return orNotFound(relativePath === null ? undefined : files.serve(request, relativePath), () => new HTTPNotFound('The resource could not be found.'));
  };
}

/** Where a token view's token sits: `<before><token>/<after><path>`. */
export interface TokenLayout {
  readonly before: string;
  /** What follows the token's `/` before the file path ('' or `v/`). */
  readonly after: string;
  readonly current: string;
  /** `before + current + '/' + after`: where the current token's files are. */
  readonly currentPrefix: string;
  /** Tokens that compare as numbers (timestamps); false for content tokens. */
  readonly ordered: boolean;
  readonly previous: ReadonlySet<string>;
}

/**
 * The redirector: the current token serves the file; an older token 301s to the same path
 * under the current one (if the file is still there); a newer or unknown token is a 503 to
 * retry (a rolling deploy: another instance may have it), never a redirect a shared cache
 * could keep.
 */
export function tokenHandler(layout: () => TokenLayout, files: FileSource) {
  return (request: Request): Answer | Promise<Answer> => {
    const { before, after, current, currentPrefix, ordered, previous } = layout();
    // The common case, a current URL, goes straight to the file.
    if (request.pathInfo.startsWith(currentPrefix)) {
      const relativePath = canonicalPath(request.pathInfo.slice(currentPrefix.length));
      return relativePath === null ? uncachedNotFound() : orNotFound(files.serve(request, relativePath), uncachedNotFound);
    }
    const split = splitSegment(request.pathInfo, before);
    if (split === undefined || !TOKEN_SEGMENT.test(split.segment) || split.segment === '.' || split.segment === '..' || !split.rest.startsWith(after)) return uncachedNotFound();
    const relativePath = canonicalPath(split.rest.slice(after.length));
    if (relativePath === null) return uncachedNotFound();
    const age = classifyToken(split.segment, current, previous, ordered);
    if (age === 'current') return orNotFound(files.serve(request, relativePath), uncachedNotFound);
    if (age !== 'older') return retryLater(`Asset version ${split.segment} is not served by this instance; retry shortly.`);
    const moved = () => redirect(request, `${before}${current}/${after}${encodePath(relativePath)}`);
    const exists = files.exists(relativePath);
    if (typeof exists === 'boolean') return exists ? moved() : uncachedNotFound();
    return exists.then((found) => (found ? moved() : uncachedNotFound()));
  };
}

/**
 * A content-hashed view: `<prefix><hash>/<path>`. The file's current hash serves it; a hash
 * the ledger knows as an earlier version of that file 301s to the current URL; any other hash
 * (or a file this instance does not have and never had) is a 503, since a newer instance of
 * a rolling deploy may have it.
 */
export function contentHandler(prefix: () => string, lookup: (relativePath: string) => ContentFile | undefined, ledger: () => Ledger, serve: (request: Request, file: ContentFile) => Answer | Promise<Answer>) {
  return (request: Request): Answer | Promise<Answer> => {
    const base = prefix();
    const split = splitSegment(request.pathInfo, base);
    if (split === undefined || !HASH_SEGMENT.test(split.segment)) return uncachedNotFound();
    const relativePath = canonicalPath(split.rest);
    if (relativePath === null) return uncachedNotFound();
    const file = lookup(relativePath);
    if (file !== undefined && file.hash === split.segment) return serve(request, file);
    if (file !== undefined && ledger().wasHashOf(relativePath, split.segment)) return redirect(request, `${base}${file.hash}/${encodePath(relativePath)}`);
    if (file === undefined && ledger().knewPath(relativePath)) return uncachedNotFound(); // deleted in this release
    return retryLater(`Asset ${relativePath} with hash ${split.segment} is not served by this instance; retry shortly.`);
  };
}

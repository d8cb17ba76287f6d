import { HTTPMovedPermanently, HTTPNotFound, type HTTPServiceUnavailable, type Request, type Response } from '@tet/core';
import { classifyToken } from './cachebreaker.js';
import type { ContentFile } from './content-catalog.js';
import { HASH_SEGMENT } from './content-catalog.js';
import type { EarlierFile, EarlierReleases } from './earlier-releases.js';
import type { Ledger } from './manifest.js';
import { canonicalPath, encodePath } from './safe-path.js';
import { type Representations, retryLater, uncachedNotFound } from './serve-file.js';

type Answer = Response | HTTPServiceUnavailable;

/** How a handler reaches its files, whichever lookup mode is on. */
export interface FileSource {
  /** The file at a canonical relative path, with its precompressed siblings. */
  find(relativePath: string): Representations | undefined;
  /** True when find() gives the same answer for a path for the life of the process (not in reload mode). */
  readonly fixed: boolean;
  serve(request: Request, files: Representations): Answer | Promise<Answer>;
}

const REDIRECT_CACHE = 'public, max-age=300'; // short: a rollback must not be pinned to the newer URL
const TOKEN_SEGMENT = /^[A-Za-z0-9._~+-]+$/;

function redirect(request: Request, path: string): Response {
  // Built from canonical parts, never from the raw input: one leading slash, same host.
  const query = request.queryString === '' ? '' : `?${request.queryString}`;
  return HTTPMovedPermanently.response(`${request.scriptName}${path}${query}`, { headers: { 'cache-control': REDIRECT_CACHE } });
}

/**
 * Files already found, by the exact path that was requested: a repeat request is one Map hit
 * instead of a slice, a scan and two lookups (a third of Tet's own time on a 304, --cpu-prof).
 * Only a path that is its own canonical form (nothing percent-encoded) is kept, so there is
 * at most one key per file however many spellings clients send; only from a request without
 * a query string, so a key is never a slice keeping a long URL alive; and only while the files
 * cannot change (not in reload mode).
 */
export class ResolvedPaths {
  private readonly files = new Map<string, Representations>();
  private base = '';

  /** The file at the request's path; `base` is the prefix the path had, `rest` what followed it. */
  lookup(source: FileSource, request: Request, base: string, rest: string): Representations | undefined {
    const relativePath = canonicalPath(rest);
    if (relativePath === null) return undefined;
    const found = source.find(relativePath);
    if (found !== undefined && source.fixed && relativePath === rest && request.queryString === '') {
      if (base !== this.base) {
        this.files.clear(); // a new prefix (a new token): the old keys can never match again
        this.base = base;
      }
      this.files.set(request.pathInfo, found);
    }
    return found;
  }

  get(path: string): Representations | undefined {
    return this.files.get(path);
  }

  /** How many paths are remembered. */
  get size(): number {
    return this.files.size;
  }
}

/** Splits `<prefix><segment>/<rest>` from a raw path; undefined when it does not have that shape. */
function splitSegment(path: string, prefix: string): { segment: string; rest: string } | undefined {
  if (!path.startsWith(prefix)) return undefined; // the router matched a differently encoded prefix
  const slash = path.indexOf('/', prefix.length);
  if (slash === -1) return undefined;
  return { segment: path.slice(prefix.length, slash), rest: path.slice(slash + 1) };
}

/** A plain static view: `<prefix><path>`. Its 404s go through exception views (custom 404 pages). */
export function plainHandler(prefix: () => string, files: FileSource) {
  const resolved = new ResolvedPaths();
  return (request: Request): Answer | Promise<Answer> => {
    const path = request.pathInfo;
    const known = resolved.get(path);
    if (known !== undefined) return files.serve(request, known);
    const base = prefix();
    // The router matched a differently encoded prefix (`/pl%61in/...`): not this view's spelling.
    const found = path.startsWith(base) ? resolved.lookup(files, request, base, path.slice(base.length)) : undefined;
    if (found === undefined) throw new HTTPNotFound('The resource could not be found.');
    return files.serve(request, found);
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
export function tokenHandler(layout: () => TokenLayout, files: FileSource, earlier: () => EarlierReleases | undefined = () => undefined) {
  const resolved = new ResolvedPaths();
  return (request: Request): Answer | Promise<Answer> => {
    const path = request.pathInfo;
    const known = resolved.get(path);
    if (known !== undefined) return files.serve(request, known);
    const { before, after, current, currentPrefix, ordered, previous } = layout();
    // The common case, a current URL, goes straight to the file.
    if (path.startsWith(currentPrefix)) {
      const found = resolved.lookup(files, request, currentPrefix, path.slice(currentPrefix.length));
      return found === undefined ? uncachedNotFound() : files.serve(request, found);
    }
    const split = splitSegment(path, before);
    if (split === undefined || !TOKEN_SEGMENT.test(split.segment) || split.segment === '.' || split.segment === '..' || !split.rest.startsWith(after)) return uncachedNotFound();
    const relativePath = canonicalPath(split.rest.slice(after.length));
    if (relativePath === null) return uncachedNotFound();
    const age = classifyToken(split.segment, current, previous, ordered);
    if (age === 'current') {
      const found = files.find(relativePath);
      return found === undefined ? uncachedNotFound() : files.serve(request, found);
    }
    const toCurrent = () => (files.find(relativePath) === undefined ? uncachedNotFound() : redirect(request, `${before}${current}/${after}${encodePath(relativePath)}`));
    const otherwise = () => (age === 'older' ? toCurrent() : retryLater(`Asset version ${split.segment} is not served by this instance; retry shortly.`));
    const archive = earlier();
    if (archive === undefined) return otherwise();
    return archive.forToken(split.segment, relativePath).then((found) => answerEarlier(request, found, files, relativePath, toCurrent, otherwise));
  };
}

/** The answer for another release's file, as the release archive found it. */
function answerEarlier(request: Request, found: EarlierFile, files: FileSource, relativePath: string, toCurrent: () => Answer, otherwise: () => Answer): Answer | Promise<Answer> {
  if (found === undefined) return otherwise();
  if (found === 'missing') return uncachedNotFound();
  if (found === 'changed') return toCurrent();
  const served = found === 'current' ? files.find(relativePath) : found.files;
  return served === undefined ? uncachedNotFound() : files.serve(request, served);
}

/**
 * A content-hashed view: `<prefix><hash>/<path>`. The file's current hash serves it; a hash
 * the ledger knows as an earlier version of that file 301s to the current URL; any other hash
 * (or a file this instance does not have and never had) is a 503, since a newer instance of
 * a rolling deploy may have it.
 */
export function contentHandler(
  prefix: () => string,
  lookup: (relativePath: string) => ContentFile | undefined,
  ledger: () => Ledger,
  serve: (request: Request, file: Representations) => Answer | Promise<Answer>,
  earlier: () => EarlierReleases | undefined = () => undefined,
) {
  return (request: Request): Answer | Promise<Answer> => {
    const base = prefix();
    const split = splitSegment(request.pathInfo, base);
    if (split === undefined || !HASH_SEGMENT.test(split.segment)) return uncachedNotFound();
    const relativePath = canonicalPath(split.rest);
    if (relativePath === null) return uncachedNotFound();
    const file = lookup(relativePath);
    if (file !== undefined && file.hash === split.segment) return serve(request, file);
    const otherwise = () => {
      if (file !== undefined && ledger().wasHashOf(relativePath, split.segment)) return redirect(request, `${base}${file.hash}/${encodePath(relativePath)}`);
      if (file === undefined && ledger().knewPath(relativePath)) return uncachedNotFound(); // deleted in this release
      return retryLater(`Asset ${relativePath} with hash ${split.segment} is not served by this instance; retry shortly.`);
    };
    const archive = earlier();
    if (archive === undefined) return otherwise();
    // An archived release's bytes under their own hash; anything else as without an archive.
    return archive.forHash(split.segment, relativePath).then((found) => (found !== undefined && typeof found === 'object' ? serve(request, found.files) : otherwise()));
  };
}

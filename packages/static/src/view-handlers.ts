import { HTTPNotFound, type HTTPServiceUnavailable, type Request, type Response } from '@tet/core';
import { classifyToken, isValidToken } from './cachebreaker.js';
import { type ContentFile, HASH_SEGMENT } from './content-catalog.js';
import type { EarlierFile, EarlierReleases } from './earlier-releases.js';
import { isOutOfDescriptors } from './file-reader.js';
import type { AfterReading } from './file-source.js';
import { movedTo, outOfDescriptors, retryLater, uncachedNotFound } from './http-answers.js';
import type { Ledger } from './manifest.js';
import type { Representations } from './representations.js';
import { type PathLookup, ResolvedPaths } from './resolved-paths.js';
import { canonicalPath, encodePath } from './safe-path.js';
import { type ServeOptions, serveFile } from './serve-file.js';

type Answer = Response | HTTPServiceUnavailable;
/** A static view's request handler. */
export type StaticHandler = (request: Request) => Answer | Promise<Answer>;

/**
 * A handler whose lookups may find the process out of file descriptors (reload mode reads on
 * every request) answers 503 for it, as serving does, instead of a 500.
 */
export function answeringOutOfDescriptors(handler: StaticHandler): StaticHandler {
  return (request) => {
    try {
      return handler(request);
    } catch (error) {
      if (isOutOfDescriptors(error)) return outOfDescriptors();
      throw error;
    }
  };
}

/**
 * The answer for what a lookup found: `answer` for a file, `missing` for none; a file still read
 * in the background once it is read, or a 503 to retry when its read was put off.
 */
function whenFound(found: Representations | undefined | Promise<AfterReading>, answer: (files: Representations) => Answer | Promise<Answer>, missing: () => Answer): Answer | Promise<Answer> {
  if (found instanceof Promise) return found.then((read) => (read === 'busy' ? retryLater('The file is still being read; retry shortly.') : whenFound(read, answer, missing)));
  return found === undefined ? missing() : answer(found);
}

const notFound = (): never => {
  throw new HTTPNotFound('The resource could not be found.');
};

/** Splits `<prefix><segment>/<rest>` from a raw path; undefined when it does not have that shape. */
export function splitSegment(path: string, prefix: string): { segment: string; rest: string } | undefined {
  if (!path.startsWith(prefix)) return undefined; // the router matched a differently encoded prefix
  const slash = path.indexOf('/', prefix.length);
  if (slash === -1) return undefined;
  return { segment: path.slice(prefix.length, slash), rest: path.slice(slash + 1) };
}

/** A plain static view: `<prefix><path>`. Its 404s go through exception views (custom 404 pages). */
export function plainHandler(prefix: string, files: PathLookup, options: ServeOptions) {
  const resolved = new ResolvedPaths();
  return (request: Request): Answer | Promise<Answer> => {
    const path = request.pathInfo;
    const known = resolved.get(path);
    if (known !== undefined) return serveFile(request, known, options);
    const base = prefix;
    // The router matched a differently encoded prefix (`/pl%61in/...`): not this view's spelling.
    const found = path.startsWith(base) ? resolved.lookup(files, request, base, path.slice(base.length)) : undefined;
    return whenFound(found, (files) => serveFile(request, files, options), notFound);
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
export function tokenHandler(layout: TokenLayout, files: PathLookup, options: ServeOptions, earlier: EarlierReleases | undefined) {
  const resolved = new ResolvedPaths();
  // Archived releases' files by exact request path, as `resolved` for current ones: archived
  // bytes never change, and only paths the archive holds get a key (bounded all the same).
  const archivedPaths = new Map<string, Representations>();
  return (request: Request): Answer | Promise<Answer> => {
    const path = request.pathInfo;
    const known = resolved.get(path) ?? archivedPaths.get(path);
    if (known !== undefined) return serveFile(request, known, options);
    const { before, after, current, currentPrefix, ordered, previous } = layout;
    // The common case, a current URL, goes straight to the file.
    if (path.startsWith(currentPrefix)) {
      const found = resolved.lookup(files, request, currentPrefix, path.slice(currentPrefix.length));
      return whenFound(found, (files) => serveFile(request, files, options), uncachedNotFound);
    }
    const split = splitSegment(path, before);
    if (split === undefined || !isValidToken(split.segment) || !split.rest.startsWith(after)) return uncachedNotFound();
    const relativePath = canonicalPath(split.rest.slice(after.length));
    if (relativePath === null) return uncachedNotFound();
    const age = classifyToken(split.segment, current, previous, ordered);
    if (age === 'current') return whenFound(files.findOrWait(relativePath), (files) => serveFile(request, files, options), uncachedNotFound);
    const toCurrent = () => whenFound(files.findOrWait(relativePath), () => movedTo(request, `${before}${current}/${after}${encodePath(relativePath)}`), uncachedNotFound);
    const otherwise = () => (age === 'older' ? toCurrent() : retryLater(`Asset version ${split.segment} is not served by this instance; retry shortly.`));
    if (earlier === undefined) return otherwise();
    const found = earlier.forToken(split.segment, relativePath);
    const canonical = relativePath === split.rest.slice(after.length) && request.queryString === '';
    const answer = (file: EarlierFile) => {
      if (canonical && typeof file === 'object' && archivedPaths.size < MAX_ARCHIVED_PATHS) archivedPaths.set(path, file.files);
      return answerEarlier(request, file, files, options, relativePath, toCurrent, otherwise);
    };
    return found instanceof Promise ? found.then(answer) : answer(found);
  };
}

const MAX_ARCHIVED_PATHS = 10_000;

/** The answer for another release's file, as the release archive found it. */
function answerEarlier(
  request: Request,
  found: EarlierFile,
  files: PathLookup,
  options: ServeOptions,
  relativePath: string,
  toCurrent: () => Answer | Promise<Answer>,
  otherwise: () => Answer | Promise<Answer>,
): Answer | Promise<Answer> {
  if (found === undefined) return otherwise();
  if (found === 'missing') return uncachedNotFound();
  if (found === 'changed') return toCurrent();
  const served = found === 'current' ? files.find(relativePath) : found.files;
  return served === undefined ? uncachedNotFound() : serveFile(request, served, options);
}

/**
 * A content-hashed view: `<prefix><hash>/<path>`. The file's current hash serves it; a hash
 * the ledger knows as an earlier version of that file 301s to the current URL; any other hash
 * (or a file this instance does not have and never had) is a 503, since a newer instance of
 * a rolling deploy may have it.
 */
export function contentHandler(base: string, catalog: { find(relativePath: string): ContentFile | undefined }, ledger: Ledger, options: ServeOptions, earlier: EarlierReleases | undefined) {
  return (request: Request): Answer | Promise<Answer> => {
    const split = splitSegment(request.pathInfo, base);
    if (split === undefined || !HASH_SEGMENT.test(split.segment)) return uncachedNotFound();
    const relativePath = canonicalPath(split.rest);
    if (relativePath === null) return uncachedNotFound();
    const file = catalog.find(relativePath);
    if (file !== undefined && file.hash === split.segment) return serveFile(request, file, options);
    const otherwise = () => {
      if (file !== undefined && ledger.wasHashOf(relativePath, split.segment)) return movedTo(request, `${base}${file.hash}/${encodePath(relativePath)}`);
      if (file === undefined && ledger.knewPath(relativePath)) return uncachedNotFound(); // deleted in this release
      return retryLater(`Asset ${relativePath} with hash ${split.segment} is not served by this instance; retry shortly.`);
    };
    if (earlier === undefined) return otherwise();
    // An archived release's bytes under their own hash; anything else as without an archive.
    const found = earlier.forHash(split.segment, relativePath);
    const answer = (file: EarlierFile) => (file !== undefined && typeof file === 'object' ? serveFile(request, file.files, options) : otherwise());
    return found instanceof Promise ? found.then(answer) : answer(found);
  };
}

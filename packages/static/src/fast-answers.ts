// A stable static view's answers before routing (core's fast path, fast-paths.ts): for each
// file kept in memory, its 200 and 304 made once per representation and shared by every
// request; the uncached 404 and an old token's 301 likewise. Each decision is the handler's
// own (view-handlers.ts), made with the same functions; whatever takes more (a Range, a
// failed precondition, a streamed file, a big file still read in the background, an archived
// release, a 503) is left to the handler.
import type { IncomingHttpHeaders } from 'node:http';
import { type FastPath, Response, shareable } from '@tet/core';
import { classifyToken, isValidToken } from './cachebreaker.js';
import { type ContentFile, HASH_SEGMENT } from './content-catalog.js';
import type { FileEntry } from './file-entry.js';
import { movedTo, SHARED_NOT_FOUND } from './http-answers.js';
import { chooseEncoding, type Encoding } from './negotiation.js';
import { evaluatePreconditions } from './preconditions.js';
import type { Representations } from './representations.js';
import type { PathLookup } from './resolved-paths.js';
import { canonicalPath, encodePath } from './safe-path.js';
import { fileHeaders, notModifiedHeaders } from './serve-file.js';
import { splitSegment, type TokenLayout } from './view-handlers.js';

/** One representation's answers. */
interface Variant {
  readonly etag: string;
  readonly ok: Response;
  readonly notModified: Response;
}

/** A prepared answer: undefined when this request needs the handler after all. */
interface Prepared {
  answer(headers: IncomingHttpHeaders, queryString: string): Response | undefined;
}

function variantOf(files: Representations, encoding: Encoding | null, chosen: FileEntry, cacheControl: string): Variant {
  const negotiable = files.br !== undefined || files.gzip !== undefined;
  return {
    etag: chosen.etag,
    ok: shareable(Response.withHeaders(chosen.body!, 200, fileHeaders(files, encoding, chosen, cacheControl))),
    notModified: shareable(Response.withHeaders(null, 304, notModifiedHeaders(chosen, cacheControl, negotiable))),
  };
}

function inMemory(entry: FileEntry | undefined): boolean {
  return entry === undefined || entry.body !== undefined;
}

/** A file kept in memory, with its siblings: content negotiation and preconditions, as serveFile decides them. */
class PreparedFile implements Prepared {
  private readonly files: Representations;
  private readonly identity: Variant;
  private readonly br: Variant | undefined;
  private readonly gzip: Variant | undefined;
  private readonly negotiable: boolean;
  // The last Accept-Encoding and what it chose: a browser sends the same one every time.
  private lastAccept: string | undefined = undefined;
  private lastChoice: Variant;

  private constructor(files: Representations, cacheControl: string) {
    this.files = files;
    this.identity = variantOf(files, null, files.entry, cacheControl);
    this.br = files.br === undefined ? undefined : variantOf(files, 'br', files.br, cacheControl);
    this.gzip = files.gzip === undefined ? undefined : variantOf(files, 'gzip', files.gzip, cacheControl);
    this.negotiable = files.br !== undefined || files.gzip !== undefined;
    this.lastChoice = this.identity;
  }

  /** Undefined unless the file and its siblings are all in memory (a streamed file is the handler's). */
  static of(files: Representations, cacheControl: string): PreparedFile | undefined {
    return inMemory(files.entry) && inMemory(files.br) && inMemory(files.gzip) ? new PreparedFile(files, cacheControl) : undefined;
  }

  answer(headers: IncomingHttpHeaders): Response | undefined {
    if (headers.range !== undefined) return undefined;
    let variant = this.identity;
    if (this.negotiable) {
      const accept = headers['accept-encoding'];
      if (accept !== this.lastAccept) {
        const encoding = chooseEncoding(accept, this.files);
        this.lastChoice = encoding === null ? this.identity : encoding === 'br' ? this.br! : this.gzip!;
        this.lastAccept = accept;
      }
      variant = this.lastChoice;
    }
    const precondition = evaluatePreconditions(headers, variant.etag, this.files.entry.mtimeMs);
    return precondition === 'proceed' ? variant.ok : precondition === 'not-modified' ? variant.notModified : undefined;
  }
}

/** A fixed answer for a path requested without a query string (an old token's 301). */
class PreparedAnswer implements Prepared {
  private readonly response: Response;
  constructor(response: Response) {
    this.response = response;
  }

  answer(_headers: IncomingHttpHeaders, queryString: string): Response | undefined {
    return queryString === '' ? this.response : undefined;
  }
}

// Paths remembered at most: the files a view has (current URLs), plus old-token URLs.
const MAX_PATHS = 10_000;

/** The prepared answers of one view, by the exact path requested. */
class PreparedPaths {
  private readonly byPath = new Map<string, Prepared>();
  // Each file's answers, made once whatever spelling or query string asked for it first.
  private readonly byFile = new WeakMap<Representations, PreparedFile | null>();
  private readonly cacheControl: string;
  constructor(cacheControl: string) {
    this.cacheControl = cacheControl;
  }

  get(path: string): Prepared | undefined {
    return this.byPath.get(path);
  }

  /**
   * The file's answer for this request. Kept for the path only when the path is its file's
   * own canonical spelling and has no query string, as ResolvedPaths keeps found paths.
   */
  file(path: string, canonical: boolean, files: Representations, headers: IncomingHttpHeaders, queryString: string): Response | undefined {
    let prepared = this.byFile.get(files);
    if (prepared === undefined) {
      prepared = PreparedFile.of(files, this.cacheControl) ?? null;
      this.byFile.set(files, prepared);
    }
    if (prepared === null) return undefined;
    if (canonical && queryString === '' && this.byPath.size < MAX_PATHS) this.byPath.set(path, prepared);
    return prepared.answer(headers);
  }

  fixed(path: string, response: Response): Response {
    if (this.byPath.size < MAX_PATHS) this.byPath.set(path, new PreparedAnswer(response));
    return response;
  }
}

// Missing paths remembered at most before starting over: the index of a stable view never
// gains a file, so a path missing once stays missing, but anyone can ask for any number of them.
const MAX_MISSING = 1_000;

/** Paths a stable view does not have, so a repeated miss skips the canonical-path check and the lookup. */
class MissingPaths {
  private readonly paths = new Set<string>();

  has(path: string): boolean {
    return this.paths.has(path);
  }

  add(path: string): Response {
    if (this.paths.size >= MAX_MISSING) this.paths.clear();
    this.paths.add(path);
    return SHARED_NOT_FOUND;
  }
}

// A fast path never runs behind X-Forwarded-Prefix (core declines it) nor as middleware.
const AT_ROOT = { scriptName: '', queryString: '' } as const;

/** The token view's fast path: current files, their 404s, and old tokens' 301s without an archive. */
export function tokenFastPath(layout: TokenLayout, files: PathLookup, cacheControl: string, hasArchive: boolean): FastPath {
  const prepared = new PreparedPaths(cacheControl);
  const missing = new MissingPaths();
  const { before, after, current, currentPrefix, ordered, previous } = layout;
  return (raw, path, queryString) => {
    const known = prepared.get(path);
    if (known !== undefined) return known.answer(raw.headers, queryString);
    if (path.startsWith(currentPrefix)) {
      if (missing.has(path)) return SHARED_NOT_FOUND;
      const rest = path.slice(currentPrefix.length);
      const relativePath = canonicalPath(rest);
      if (relativePath !== null && files.reading(relativePath)) return undefined; // the handler waits for its read
      const found = relativePath === null ? undefined : files.find(relativePath);
      return found === undefined ? missing.add(path) : prepared.file(path, relativePath === rest, found, raw.headers, queryString);
    }
    const split = splitSegment(path, before);
    if (split === undefined) return undefined; // not the route's shape: the router's 404 (exception views)
    if (!isValidToken(split.segment) || !split.rest.startsWith(after)) return SHARED_NOT_FOUND;
    const rest = split.rest.slice(after.length);
    const relativePath = canonicalPath(rest);
    if (relativePath === null) return SHARED_NOT_FOUND;
    // An archive may hold the old release (a lookup that may read the disk); a newer or
    // unknown token is a 503 the handler words: both are the handler's.
    if (hasArchive || queryString !== '' || classifyToken(split.segment, current, previous, ordered) !== 'older' || files.reading(relativePath)) return undefined;
    if (files.find(relativePath) === undefined) return SHARED_NOT_FOUND;
    const moved = shareable(movedTo(AT_ROOT, `${before}${current}/${after}${encodePath(relativePath)}`));
    return relativePath === rest ? prepared.fixed(path, moved) : moved;
  };
}

/** The content-hashed view's fast path: current files under their current hash; every other hash is the handler's. */
export function contentFastPath(base: string, catalog: { find(relativePath: string): ContentFile | undefined }, cacheControl: string): FastPath {
  const prepared = new PreparedPaths(cacheControl);
  return (raw, path, queryString) => {
    const known = prepared.get(path);
    if (known !== undefined) return known.answer(raw.headers, queryString);
    const split = splitSegment(path, base);
    if (split === undefined) return undefined; // not the route's shape: the router's 404 (exception views)
    if (!HASH_SEGMENT.test(split.segment)) return SHARED_NOT_FOUND;
    const relativePath = canonicalPath(split.rest);
    if (relativePath === null) return SHARED_NOT_FOUND;
    const file = catalog.find(relativePath);
    if (file === undefined || file.hash !== split.segment) return undefined;
    return prepared.file(path, relativePath === split.rest, file, raw.headers, queryString);
  };
}

/** The plain view's fast path: files found; a missing one goes to the handler (exception views answer its 404). */
export function plainFastPath(prefix: string, files: PathLookup, cacheControl: string): FastPath {
  const prepared = new PreparedPaths(cacheControl);
  return (raw, path, queryString) => {
    const known = prepared.get(path);
    if (known !== undefined) return known.answer(raw.headers, queryString);
    if (!path.startsWith(prefix)) return undefined;
    const rest = path.slice(prefix.length);
    const relativePath = canonicalPath(rest);
    // Missing, or a big file still read in the background (which the handler waits for): the handler's.
    const found = relativePath === null || files.reading(relativePath) ? undefined : files.find(relativePath);
    return found === undefined ? undefined : prepared.file(path, relativePath === rest, found, raw.headers, queryString);
  };
}

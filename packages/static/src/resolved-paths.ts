import type { Request } from '@tet/core';
import type { AfterReading } from './file-source.js';
import type { Representations } from './representations.js';
import { canonicalPath } from './safe-path.js';

/** What a handler asks of a view's files (a FileSource). */
export interface PathLookup {
  /** The file at a canonical relative path, with its precompressed siblings. */
  find(relativePath: string): Representations | undefined;
  /** True while the file (or a sibling) is a big file still read in the background: find() would read it on the event loop. */
  reading(relativePath: string): boolean;
  /** As find(), but a promise of the file while it is read in the background. */
  findOrWait(relativePath: string): Representations | undefined | Promise<AfterReading>;
  /** True when find() gives the same answer for a path for the life of the process (not in reload mode). */
  readonly stable: boolean;
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

  /**
   * The file at the request's path; `base` is the prefix the path had, `rest` what followed it.
   * A promise while the file is read in the background: the first request after it is read remembers it.
   */
  lookup(source: PathLookup, request: Request, base: string, rest: string): Representations | undefined | Promise<AfterReading> {
    const relativePath = canonicalPath(rest);
    if (relativePath === null) return undefined;
    const found = source.findOrWait(relativePath);
    if (found instanceof Promise) return found;
    if (found !== undefined && source.stable && relativePath === rest && request.queryString === '') {
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

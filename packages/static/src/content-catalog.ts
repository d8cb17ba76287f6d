import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { HASH_LENGTH, shortHash } from './content-hash.js';
import { rewriterFor } from './asset-rewrite.js';
import type { FileIndex } from './file-index.js';
import { derivedEntry, type FileEntry, rereadFile } from './file-reader.js';
import { hashGraph } from './module-graph.js';
import { encodePath } from './safe-path.js';
import { retryLater } from './serve-file.js';

/** A file as a content-hashed view serves it. */
export interface ContentFile {
  /** What is served: for a stylesheet, module or source map, its rewritten text. */
  readonly entry: FileEntry;
  /** The short hash in its URL. */
  readonly hash: string;
  readonly br: FileEntry | undefined;
  readonly gzip: FileEntry | undefined;
  /** For a stylesheet, module or source map: the files it refers to and their hashes when it was rewritten. */
  readonly dependencies: ReadonlyMap<string, string>;
  /** The index entries it was made from (the file and its .br/.gz siblings), to tell when it is stale. */
  readonly sources: readonly [FileEntry, FileEntry | undefined, FileEntry | undefined];
}

// What a file refers to, parsed once per version of the file.
const referencesByEntry = new WeakMap<FileEntry, readonly string[]>();
const textOf = (entry: FileEntry) => (entry.body ?? readFileSync(entry.realPath)).toString('utf8');

/**
 * The files of a content-hashed view: each file's URL carries a hash of its bytes, and the
 * references of stylesheets, JavaScript modules and source maps to other files are rewritten
 * to their hashed URLs (so a changed image changes the stylesheet's hash too, and a changed
 * module the hash of every module importing it); see module-graph.ts. Built from the view's
 * FileIndex at start-up; in reload mode `fresh()` re-validates a file and what it depends on.
 */
export class ContentCatalog {
  readonly index: FileIndex;
  private readonly files = new Map<string, ContentFile>();

  private readonly rewrite: boolean;

  /** `rewrite` false: files are served as they are (a token view re-validating in reload mode). */
  constructor(index: FileIndex, rewrite = true) {
    this.index = index;
    this.rewrite = rewrite;
    for (const entry of [...index.entries()]) this.resolve(entry.relativePath);
  }

  /** The file at a canonical relative path (production: a Map hit). */
  get(relativePath: string): ContentFile | undefined {
    return this.files.get(relativePath);
  }

  all(): IterableIterator<[string, ContentFile]> {
    return this.files.entries();
  }

  /**
   * Reload mode: the file, re-read if it or anything it refers to (directly or not) changed on
   * disk; a new file inside the root is picked up, a vanished one dropped. Synchronous, because
   * `request.staticUrl()` is; meant for development only.
   */
  fresh(relativePath: string): ContentFile | undefined {
    const closure = new Map<string, ContentFile['sources']>();
    const pending = [relativePath];
    while (pending.length > 0) {
      const path = pending.pop()!;
      if (closure.has(path)) continue;
      const entry = this.refreshed(path);
      if (entry === undefined) {
        this.files.delete(path);
        continue;
      }
      closure.set(path, [entry, this.refreshed(`${path}.br`), this.refreshed(`${path}.gz`)]);
      pending.push(...this.referencesOf(path));
    }
    if (!closure.has(relativePath)) return undefined;
    if (![...closure].every(([path, sources]) => this.upToDate(path, sources))) {
      for (const path of closure.keys()) this.files.delete(path);
      this.resolve(relativePath);
    }
    return this.files.get(relativePath);
  }

  // A built file is current when its sources are, and what it refers to kept the hashes it was built with.
  private upToDate(path: string, sources: ContentFile['sources']): boolean {
    const known = this.files.get(path);
    if (known === undefined || known.sources.some((source, i) => source !== sources[i])) return false;
    for (const [dependency, hash] of known.dependencies) if (this.files.get(dependency)?.hash !== hash) return false;
    return true;
  }

  // Reload mode: brings one index entry up to date with the disk.
  private refreshed(relativePath: string): FileEntry | undefined {
    const current = this.index.get(relativePath);
    const entry = this.reread(relativePath, current);
    if (entry === undefined) {
      if (current !== undefined) this.index.delete(relativePath);
    } else if (entry !== current) {
      this.index.set(entry);
    }
    return entry;
  }

  // Builds (once) the served form of a file and of what it refers to, leaves first.
  private resolve(relativePath: string): ContentFile | undefined {
    hashGraph<ContentFile>(relativePath, {
      done: (path) => this.files.get(path),
      exists: (path) => this.index.get(path) !== undefined,
      references: (path) => this.referencesOf(path),
      build: (path, hashOf) => this.build(path, hashOf),
      store: (path, file, hash) => this.files.set(path, hash === file.hash ? file : { ...file, hash }),
    });
    return this.files.get(relativePath);
  }

  // The files a file refers to, from its bytes on disk (remembered per index entry).
  private referencesOf(relativePath: string): readonly string[] {
    const entry = this.index.get(relativePath);
    const rewriter = this.rewrite ? rewriterFor(relativePath) : undefined;
    if (entry === undefined || rewriter === undefined) return [];
    let found = referencesByEntry.get(entry);
    if (found === undefined) {
      found = [...new Set(rewriter.find(textOf(entry), relativePath).map((reference) => reference.relativePath))];
      referencesByEntry.set(entry, found);
    }
    return found;
  }

  // The served form of one file, its references rewritten to the hashes `hashOf` gives.
  private build(relativePath: string, hashOf: (target: string) => string | undefined): ContentFile {
    const entry = this.index.get(relativePath)!;
    const sources = [entry, this.siblingOf(relativePath, '.br'), this.siblingOf(relativePath, '.gz')] as const;
    const dependencies = new Map<string, string>();
    const rewriter = this.rewrite ? rewriterFor(relativePath) : undefined;
    const source = rewriter === undefined ? undefined : textOf(entry);
    const depth = relativePath.split('/').length; // '../' climbs out of the file's folders and its hash
    const rewritten =
      source === undefined
        ? undefined
        : rewriter!.rewrite(source, relativePath, (reference) => {
            const hash = hashOf(reference.relativePath);
            if (hash === undefined) return undefined;
            dependencies.set(reference.relativePath, hash);
            return `${'../'.repeat(depth)}${hash}/${encodePath(reference.relativePath)}${reference.suffix}`;
          });
    if (rewritten === source) {
      return { entry, hash: shortHash(entry.digest), br: sources[1], gzip: sources[2], dependencies, sources };
    }
    // Rewritten text: precompressed siblings on disk are stale, so compress it here.
    const body = Buffer.from(rewritten!);
    const served = derivedEntry(entry, relativePath, body);
    return {
      entry: served,
      hash: shortHash(served.digest),
      br: derivedEntry(served, `${relativePath}.br`, brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })),
      gzip: derivedEntry(served, `${relativePath}.gz`, gzipSync(body, { level: 9 })),
      dependencies,
      sources,
    };
  }

  private siblingOf(relativePath: string, suffix: string): FileEntry | undefined {
    return this.index.get(relativePath + suffix);
  }

  // Re-reads an entry whose file changed (another inode, size or mtime), through the checks
  // every opened file passes; the same entry object when nothing changed.
  private reread(relativePath: string, known: FileEntry | undefined): FileEntry | undefined {
    try {
      return rereadFile(this.index.realRoot, relativePath, known);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EMFILE' || code === 'ENFILE') throw retryLater('The server is out of file descriptors; retry shortly.');
      throw error;
    }
  }
}

/** A well-formed short content hash, as found in a URL. */
export const HASH_SEGMENT = new RegExp(`^[0-9a-f]{${HASH_LENGTH}}$`);

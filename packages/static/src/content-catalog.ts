import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { HASH_LENGTH, shortHash } from './content-hash.js';
import { rewriteCss } from './css-rewrite.js';
import type { FileIndex } from './file-index.js';
import { derivedEntry, type FileEntry, rereadFile } from './file-reader.js';
import { encodePath } from './safe-path.js';
import { retryLater } from './serve-file.js';

/** A file as a content-hashed view serves it. */
export interface ContentFile {
  /** What is served: for a stylesheet, its rewritten text. */
  readonly entry: FileEntry;
  /** The short hash in its URL. */
  readonly hash: string;
  readonly br: FileEntry | undefined;
  readonly gzip: FileEntry | undefined;
  /** For a stylesheet: the files it refers to and their hashes when it was rewritten. */
  readonly dependencies: ReadonlyMap<string, string>;
  /** The index entries it was made from (the file and its .br/.gz siblings), to tell when it is stale. */
  readonly sources: readonly [FileEntry, FileEntry | undefined, FileEntry | undefined];
}

const isStylesheet = (path: string) => path.toLowerCase().endsWith('.css');

/**
 * The files of a content-hashed view: each file's URL carries a hash of its bytes, and a
 * stylesheet's references to other files are rewritten to their hashed URLs (so a changed
 * image changes the stylesheet's hash too). Built from the view's FileIndex at start-up;
 * with `reload` each lookup re-validates the file and what it depends on.
 */
export class ContentCatalog {
  readonly index: FileIndex;
  private readonly reload: boolean;
  private readonly files = new Map<string, ContentFile>();

  private readonly rewrite: boolean;

  /** `rewrite` false: files are served as they are (a token view re-validating in reload mode). */
  constructor(index: FileIndex, reload = false, rewrite = true) {
    this.index = index;
    this.reload = reload;
    this.rewrite = rewrite;
    for (const entry of [...index.entries()]) this.resolve(entry.relativePath, []);
  }

  /** The file at a canonical relative path (production: a Map hit). */
  get(relativePath: string): ContentFile | undefined {
    return this.files.get(relativePath);
  }

  all(): IterableIterator<[string, ContentFile]> {
    return this.files.entries();
  }

  /**
   * Reload mode: the file, re-read if it or anything it refers to changed on disk; a new file
   * inside the root is picked up, a vanished one dropped. Synchronous, because
   * `request.staticUrl()` is; meant for development only.
   */
  fresh(relativePath: string, visiting: readonly string[] = []): ContentFile | undefined {
    const entry = this.refreshed(relativePath);
    if (entry === undefined) {
      this.files.delete(relativePath);
      return undefined;
    }
    const br = this.refreshed(`${relativePath}.br`);
    const gzip = this.refreshed(`${relativePath}.gz`);
    const known = this.files.get(relativePath);
    let stale = known === undefined || known.sources[0] !== entry || known.sources[1] !== br || known.sources[2] !== gzip;
    if (!stale && !visiting.includes(relativePath)) {
      for (const [dependency, hash] of known!.dependencies) {
        if (this.fresh(dependency, [...visiting, relativePath])?.hash !== hash) stale = true;
      }
    }
    if (!stale) return known;
    this.files.delete(relativePath);
    return this.resolve(relativePath, visiting);
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

  // Builds (once) the served form of a file; stylesheets first resolve what they refer to.
  private resolve(relativePath: string, visiting: readonly string[]): ContentFile | undefined {
    const done = this.files.get(relativePath);
    if (done !== undefined) return done;
    const entry = this.index.get(relativePath);
    if (entry === undefined) return undefined;
    const sources = [entry, this.siblingOf(relativePath, '.br'), this.siblingOf(relativePath, '.gz')] as const;
    if (!this.rewrite || !isStylesheet(relativePath) || visiting.includes(relativePath)) {
      const plain: ContentFile = { entry, hash: shortHash(entry.digest), br: sources[1], gzip: sources[2], dependencies: new Map(), sources };
      // A stylesheet in an @import cycle is served as it is, and not remembered, so the outer
      // resolution of that stylesheet still rewrites it.
      if (!visiting.includes(relativePath)) this.files.set(relativePath, plain);
      return plain;
    }
    const source = (entry.body ?? readFileSync(entry.realPath)).toString('utf8');
    const dependencies = new Map<string, string>();
    const depth = relativePath.split('/').length; // '../' climbs out of the file's folders and its hash
    const rewritten = rewriteCss(source, relativePath, (reference) => {
      if (reference.relativePath === relativePath) return undefined;
      const path = [...visiting, relativePath];
      const target = this.reload ? this.fresh(reference.relativePath, path) : this.resolve(reference.relativePath, path);
      if (target === undefined) return undefined;
      dependencies.set(reference.relativePath, target.hash);
      return `${'../'.repeat(depth)}${target.hash}/${encodePath(reference.relativePath)}${reference.suffix}`;
    });
    if (rewritten === source) {
      const unchanged: ContentFile = { entry, hash: shortHash(entry.digest), br: sources[1], gzip: sources[2], dependencies, sources };
      this.files.set(relativePath, unchanged);
      return unchanged;
    }
    // Rewritten text: precompressed siblings on disk are stale, so compress it here.
    const body = Buffer.from(rewritten);
    const served = derivedEntry(entry, relativePath, body);
    const file: ContentFile = {
      entry: served,
      hash: shortHash(served.digest),
      br: derivedEntry(served, `${relativePath}.br`, brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })),
      gzip: derivedEntry(served, `${relativePath}.gz`, gzipSync(body, { level: 9 })),
      dependencies,
      sources,
    };
    this.files.set(relativePath, file);
    return file;
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

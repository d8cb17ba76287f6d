import { HASH_LENGTH, shortHash } from './content-hash.js';
import { rewriterFor } from './asset-rewrite.js';
import { derivedEntry, type FileEntry } from './file-entry.js';
import type { FileSource } from './file-source.js';
import { hashGraph } from './module-graph.js';
import { SIBLING_SUFFIXES, siblingsOf } from './representations.js';
import { encodePath } from './safe-path.js';

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

/**
 * The files of a content-hashed view: each file's URL carries a hash of its bytes, and the
 * references of stylesheets, JavaScript modules and source maps to other files are rewritten
 * to their hashed URLs (so a changed image changes the stylesheet's hash too, and a changed
 * module the hash of every module importing it); see module-graph.ts. Built from the view's
 * FileIndex at start-up; in reload mode `fresh()` re-validates a file and what it depends on.
 */
export class ContentCatalog {
  /** The view's files, which the catalog asks for entries and bytes. */
  readonly source: FileSource;
  private readonly files = new Map<string, ContentFile>();

  constructor(source: FileSource) {
    this.source = source;
    for (const entry of [...source.entries()]) this.resolve(entry.relativePath);
  }

  /** The file at a canonical relative path as built at start-up (a Map hit). */
  get(relativePath: string): ContentFile | undefined {
    return this.files.get(relativePath);
  }

  /** The file at a path as a request sees it: built at start-up, or re-validated in reload mode. */
  find(relativePath: string): ContentFile | undefined {
    return this.source.stable ? this.files.get(relativePath) : this.fresh(relativePath);
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
      const { br, gzip } = siblingsOf(path, (sibling) => this.refreshed(sibling));
      closure.set(path, [entry, br, gzip]);
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

  // Reload mode: one entry as the disk has it now.
  private refreshed(relativePath: string): FileEntry | undefined {
    return this.source.fresh(relativePath);
  }

  // Builds (once) the served form of a file and of what it refers to, leaves first.
  private resolve(relativePath: string): ContentFile | undefined {
    hashGraph<ContentFile>(relativePath, {
      done: (path) => this.files.get(path),
      exists: (path) => this.source.get(path) !== undefined,
      references: (path) => this.referencesOf(path),
      build: (path, hashOf) => this.build(path, hashOf),
      store: (path, file, hash) => this.files.set(path, hash === file.hash ? file : { ...file, hash }),
    });
    return this.files.get(relativePath);
  }

  // The files a file refers to, from its bytes on disk (remembered per index entry).
  private referencesOf(relativePath: string): readonly string[] {
    const entry = this.source.get(relativePath);
    const rewriter = rewriterFor(relativePath);
    if (entry === undefined || rewriter === undefined) return [];
    let found = referencesByEntry.get(entry);
    if (found === undefined) {
      found = [...new Set(rewriter.find(this.textOf(entry), relativePath).map((reference) => reference.relativePath))];
      referencesByEntry.set(entry, found);
    }
    return found;
  }

  // The served form of one file, its references rewritten to the hashes `hashOf` gives.
  private build(relativePath: string, hashOf: (target: string) => string | undefined): ContentFile {
    const entry = this.source.get(relativePath)!;
    const siblings = siblingsOf(relativePath, (path) => this.source.get(path));
    const sources = [entry, siblings.br, siblings.gzip] as const;
    const dependencies = new Map<string, string>();
    const rewriter = rewriterFor(relativePath);
    const source = rewriter === undefined ? undefined : this.textOf(entry);
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
    // zlib is Node's, loaded here: a token view, which never rewrites, does not load it at start-up.
    const { brotliCompressSync, constants: zlib, gzipSync } = process.getBuiltinModule('node:zlib');
    return {
      entry: served,
      hash: shortHash(served.digest),
      br: derivedEntry(served, relativePath + SIBLING_SUFFIXES.br, brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })),
      gzip: derivedEntry(served, relativePath + SIBLING_SUFFIXES.gzip, gzipSync(body, { level: 9 })),
      dependencies,
      sources,
    };
  }

  // A file's text, asked of the file source; a file changed since it was read has none, so it
  // is not rewritten (and serving it checks it again).
  private textOf(entry: FileEntry): string {
    return this.source.bytes(entry)?.toString('utf8') ?? '';
  }
}

/** A well-formed short content hash, as found in a URL. */
export const HASH_SEGMENT = new RegExp(`^[0-9a-f]{${HASH_LENGTH}}$`);

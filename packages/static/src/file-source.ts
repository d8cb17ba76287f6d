// One static view's files: the object its commit action builds and its handlers are given.
import { type FileEntry, latestEntry, type Replacements } from './file-entry.js';
import { FileIndex, type IndexOptions } from './file-index.js';
import { entryBytes, isOutOfDescriptors, type MemoryPolicy, openEntry, type Reindexed, reindexFile, rereadFile } from './file-reader.js';
import { type Representations, SIBLING_SUFFIXES, type ServedFiles, siblingsOf } from './representations.js';

/** What a lookup that waited for a background read finds: 'busy' when the read was put off (out of descriptors, the file being written). */
export type AfterReading = Representations | undefined | 'busy';

/** How a view's files are read: the index's options (a manifest's digests, which view, lazy), and reload mode. */
export interface FileSourceOptions extends IndexOptions {
  /** `tet.static.reload`: every lookup re-validates the file against the disk. */
  readonly reload?: boolean | undefined;
}

/**
 * The files of one static view, as h3's `getMeta(id)` / `getContents(id)` boundary: what a
 * path is ({@link find}, {@link get}), and its bytes ({@link open} to stream, {@link bytes}).
 * It owns the view's index, re-validation in reload mode, the precompressed siblings, and what
 * happens when a file changes on disk after start-up; opening, fstat, reading and hashing go
 * through file-reader.ts. Built by the view's commit action.
 * @example
 * const files = await FileSource.open('/srv/app/static', memory)
 * files.find('css/site.css') // { entry, br, gzip }
 */
export class FileSource implements ServedFiles {
  /** True when a path's answer is the same for the life of the process: false in reload mode. */
  readonly stable: boolean;
  private readonly index: FileIndex;
  // Each entry's siblings, looked up on its first request: the two `.br`/`.gz` concatenations
  // and Map lookups per request were the largest self time of a 200 in --cpu-prof. Weak, so a
  // replaced entry takes its siblings with it.
  private readonly siblings = new WeakMap<FileEntry, Representations>();
  // What took an entry's place after start-up (null: nothing did), so a caller holding an old
  // entry (a cache of found paths) is sent to the current one.
  private readonly replaced: Replacements = new WeakMap();
  private readonly reindexing = new Map<string, Promise<Reindexed>>();

  private constructor(index: FileIndex, reload: boolean) {
    this.index = index;
    this.stable = !reload;
  }

  /** Indexes the folder (see FileIndex.build): what a view's commit action awaits. */
  static async open(root: string, memory: MemoryPolicy, options: FileSourceOptions = {}): Promise<FileSource> {
    return new FileSource(await FileIndex.build(root, memory, options), options.reload === true);
  }

  /** The folder served, as configured. */
  get root(): string {
    return this.index.root;
  }

  /**
   * The entry at a canonical relative path as last read; in a lazy source, a file's first
   * lookup reads it (out of descriptors is thrown, EMFILE).
   */
  get(relativePath: string): FileEntry | undefined {
    return this.index.get(relativePath);
  }

  /** How many files there are (a lazy source reads the files it has not read yet). */
  get size(): number {
    return this.index.size;
  }

  /** Every entry, as last read, each with its digest (a lazy source reads the files it has not read yet). */
  entries(): IterableIterator<FileEntry> {
    return this.index.entries();
  }

  /**
   * The entry at a path as the disk has it now in reload mode (a changed file re-read, a new
   * one found, a vanished one dropped); as indexed in production. Synchronous, because
   * `request.staticUrl()` is. Out of descriptors (EMFILE) is thrown.
   */
  fresh(relativePath: string): FileEntry | undefined {
    const known = this.index.get(relativePath);
    if (this.stable) return known;
    const entry = rereadFile(this.index.realRoot, relativePath, known);
    if (entry === undefined) {
      if (known !== undefined) this.forget(known);
    } else if (entry !== known) {
      this.replace(known, entry);
    }
    return entry;
  }

  /**
   * True while the file at a path, or one of its precompressed siblings, is a big file still
   * read in the background (just after start-up): a request for it waits ({@link findOrWait})
   * rather than have {@link find} hash it on the event loop.
   */
  reading(relativePath: string): boolean {
    const index = this.index;
    return index.reading && (index.isPending(relativePath) || index.isPending(relativePath + SIBLING_SUFFIXES.br) || index.isPending(relativePath + SIBLING_SUFFIXES.gzip));
  }

  /**
   * As {@link find}, but a file still read in the background is not read here: a promise of
   * what find() gives once that read ends (the same read for every request that waits).
   */
  findOrWait(relativePath: string): Representations | undefined | Promise<AfterReading> {
    return this.reading(relativePath) ? this.afterReading(relativePath) : this.find(relativePath);
  }

  private async afterReading(relativePath: string): Promise<AfterReading> {
    const paths = [relativePath, relativePath + SIBLING_SUFFIXES.br, relativePath + SIBLING_SUFFIXES.gzip];
    await Promise.all(paths.map((path) => this.index.whenRead(path)));
    if (this.reading(relativePath)) return 'busy'; // put off: tried again later
    try {
      return this.find(relativePath);
    } catch (error) {
      if (isOutOfDescriptors(error)) return 'busy'; // a small sibling's first read
      throw error;
    }
  }

  /** Background reads stop once `stopped()` is true (the application closing): big files they did not read are left to their first lookup. */
  stopReadingWhen(stopped: () => boolean): void {
    this.index.stopWhen(stopped);
  }

  /** A file and its precompressed siblings: once warm, one Map and one WeakMap hit in production. */
  find(relativePath: string): Representations | undefined {
    if (!this.stable) {
      const entry = this.fresh(relativePath);
      return entry === undefined ? undefined : { entry, ...siblingsOf(relativePath, (path) => this.fresh(path)) };
    }
    const entry = this.index.get(relativePath);
    if (entry === undefined) return undefined;
    let found = this.siblings.get(entry);
    if (found === undefined) {
      found = { entry, ...siblingsOf(relativePath, (path) => this.index.get(path)) };
      this.siblings.set(entry, found);
    }
    return found;
  }

  /** An entry's bytes, synchronously (for rewriting); undefined when its file changed since it was read. */
  bytes(entry: FileEntry): Buffer | undefined {
    return entryBytes(entry);
  }

  /** Opens an entry's file to stream it, checked to be the very file the entry was read from. */
  open(entry: FileEntry): Promise<number | 'changed' | 'no-descriptors'> {
    return openEntry(entry);
  }

  /** The entry now in the place of one handed out earlier; null when its file is gone. */
  current(entry: FileEntry): FileEntry | null {
    return latestEntry(this.replaced, entry);
  }

  /**
   * Re-indexes one file found changed on disk (a different inode, size or mtime than its
   * entry): its new entry replaces the old one, or it leaves the index when nothing servable
   * is there now. Concurrent requests for the same file share one re-read. An entry this
   * source did not make is never replaced: 'changing'.
   */
  refresh(stale: FileEntry): Promise<Reindexed> {
    const path = stale.relativePath;
    if (this.index.get(path) !== stale && !this.replaced.has(stale)) return Promise.resolve('changing');
    let pending = this.reindexing.get(path);
    if (pending === undefined) {
      pending = reindexFile(this.index.realRoot, path)
        .then((result) => {
          const known = this.index.get(path);
          if (known === stale) {
            if (result === 'gone') this.forget(known);
            else if (result !== 'changing') this.replace(known, result);
          }
          return result;
        })
        .finally(() => this.reindexing.delete(path));
      this.reindexing.set(path, pending);
    }
    return pending;
  }

  private replace(old: FileEntry | undefined, entry: FileEntry): void {
    if (old !== undefined) this.replaced.set(old, entry);
    this.index.set(entry);
  }

  private forget(old: FileEntry): void {
    this.replaced.set(old, null);
    this.index.delete(old.relativePath);
  }
}

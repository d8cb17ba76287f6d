// The index of a static folder: the map of entries its start-up walk builds (folder-walk.ts). What each file's
// entry says is read through index-reads.ts.
import { realpathSync, type Stats } from 'node:fs';
import { ConfigurationError } from '@tet/core';
import { BackgroundReads, PendingFile, type ReadResult } from './background-reads.js';
import type { FileEntry } from './file-entry.js';
import type { MemoryPolicy, TrustedDigest } from './file-reader.js';
import { readInBackground, readLargeFile, readOnFirstLookup, readSmallFile, readableCheck, SMALL_FILE_SIZE, UnreadFile } from './index-reads.js';
import { walkFolder } from './folder-walk.js';
import { IndexMemory } from './index-memory.js';
import { runPool } from './pool.js';

// view-builder.ts names it from here.
export type { TrustedDigest } from './file-reader.js';

const HASHING_CONCURRENCY = 16;

/** How a folder is indexed. */
export interface IndexOptions {
  /** Digests a manifest vouches for, so those files need not be hashed. */
  readonly trusted?: TrustedDigest | undefined;
  /** Which view, for messages. */
  readonly where?: string | undefined;
  /**
   * Read and hash each small file on its first lookup, and each bigger one in the background
   * once the index is built, not at start-up: for views whose start-up needs no digest (plain
   * and token views). Enumerating the index reads the rest.
   */
  readonly lazy?: boolean | undefined;
}

/**
 * The files of one static view's root, by canonical relative path, built at start-up.
 * Dotfiles, dot-directories and symlinks that leave the root are never indexed, so a
 * lookup that misses is a 404 and nothing outside the root can ever be served. A lazy index
 * holds what the walk saw of each small file until its first lookup reads it, and of each big
 * one until its background read ({@link whenRead}) or a caller that needs it at once does.
 */
export class FileIndex {
  readonly root: string;
  readonly realRoot: string;
  // An UnreadFile is a small file not read yet; a PendingFile (an UnreadFile too) a big one.
  private readonly files = new Map<string, FileEntry | UnreadFile>();
  private readonly memory: IndexMemory;
  private readonly trusted: TrustedDigest | undefined;
  private pending = 0;
  private readonly background = new BackgroundReads((relativePath) => this.readLater(relativePath));
  private stopped: () => boolean = () => false;

  private constructor(root: string, realRoot: string, memory: MemoryPolicy, trusted: TrustedDigest | undefined) {
    this.root = root;
    this.realRoot = realRoot;
    this.memory = new IndexMemory(memory);
    this.trusted = trusted;
  }

  /**
   * Walks `root` and hashes every file (but those `trusted` vouches for), in parallel; a lazy
   * index leaves small files for their first lookup, and starts reading big ones in the
   * background. A file or folder that cannot be read is a ConfigurationError naming it;
   * `where` says which view.
   */
  static async build(root: string, memory: MemoryPolicy, options: IndexOptions = {}): Promise<FileIndex> {
    try {
      const index = new FileIndex(root, realpathSync(root), memory, options.trusted);
      await index.fill(options.lazy === true);
      for (const [relativePath, known] of index.files) if (known instanceof PendingFile) index.background.add(relativePath);
      return index;
    } catch (error) {
      const failure = error as NodeJS.ErrnoException;
      if (failure.path === undefined) throw error;
      throw new ConfigurationError(
        `${options.where ?? 'static view'}: cannot read ${failure.path} (${failure.code ?? failure.message}). Every file in a static folder must be readable at start-up: ` +
          "make it readable by the server's user (e.g. chmod a+r, and a+x for a folder), or move it out of the folder.",
        'TET_ERR_STATIC_FILE',
        { cause: error },
      );
    }
  }

  private async fill(lazy: boolean): Promise<void> {
    const { policy: memory } = this.memory;
    const trusted = this.trusted;
    const found = walkFolder(this.realRoot);
    // Small files first, so that the many a page needs get the memory budget before a few big
    // ones can use it up: read now, or (lazy) checked readable and their share set aside.
    const small = Math.min(memory.maxFileSize, SMALL_FILE_SIZE);
    const later: Array<[string, string]> = [];
    const big: Array<[string, string, Stats]> = [];
    let smallBytes = 0;
    const statReadable = readableCheck();
    for (const [relativePath, realPath] of found) {
      try {
        if (lazy) {
          const info = statReadable(realPath);
          if (info === undefined) continue;
          if (info.size > SMALL_FILE_SIZE) big.push([relativePath, realPath, info]);
          else {
            this.files.set(relativePath, new UnreadFile(realPath, info));
            if (info.size <= small) smallBytes += info.size;
          }
        } else {
          const entry = readSmallFile(relativePath, realPath, memory, small, trusted);
          if (entry === 'large') later.push([relativePath, realPath]);
          else if (entry !== undefined) this.files.set(relativePath, entry);
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted while we walked
      }
    }
    this.memory.reserve(smallBytes);
    // A lazy index's big files are read in the background once it is built: the memory for
    // those that fit is set aside now, in the order walked, after the small files' share.
    for (const [relativePath, realPath, info] of big) {
      this.files.set(relativePath, new PendingFile(realPath, info, this.memory.claim(info.size)));
      this.pending++;
    }
    await this.readLarge(later);
  }

  // A content-hashed view's bigger files, at start-up: in memory within the budget, else hashed
  // streamed, in parallel.
  private async readLarge(later: ReadonlyArray<[string, string]>): Promise<void> {
    const { policy: memory } = this.memory;
    const trusted = this.trusted;
    const large: Array<[string, string]> = [];
    for (const [relativePath, realPath] of later) {
      try {
        const entry = readSmallFile(relativePath, realPath, memory, memory.maxFileSize, trusted);
        if (entry === 'large') large.push([relativePath, realPath]);
        else if (entry !== undefined) this.files.set(relativePath, entry);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    await runPool(large, HASHING_CONCURRENCY, async ([relativePath, realPath]) => {
      try {
        const entry = await readLargeFile(relativePath, realPath, trusted);
        if (entry !== undefined) this.files.set(relativePath, entry);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    });
  }

  /**
   * The entry at a canonical relative path; a file not read yet is read now, a big one still
   * pending too (undefined when it is gone). Out of descriptors is thrown (EMFILE).
   */
  get(relativePath: string): FileEntry | undefined {
    const known = this.files.get(relativePath);
    return known instanceof UnreadFile ? this.read(relativePath, known) : known;
  }

  /** True while big files are still to be read in the background. */
  get reading(): boolean {
    return this.pending > 0;
  }

  /** While the big file at a path is read in the background: settles when that read ends. Undefined for any other path. */
  whenRead(relativePath: string): Promise<void> | undefined {
    const known = this.files.get(relativePath);
    return known instanceof PendingFile ? known.settled() : undefined;
  }

  /** True for the path of a big file still to be read in the background. */
  isPending(relativePath: string): boolean {
    return this.files.get(relativePath) instanceof PendingFile;
  }

  /** Background reads stop (between two chunks) once `stopped()` is true (the application closing): what they did not read is left to each file's first lookup. */
  stopWhen(stopped: () => boolean): void {
    this.stopped = stopped;
  }

  set(entry: FileEntry): void {
    this.files.set(entry.relativePath, entry);
  }

  delete(relativePath: string): void {
    this.files.delete(relativePath);
  }

  /** How many files there are: every file not read yet is read first, so a vanished one is not counted. */
  get size(): number {
    this.readAll();
    return this.files.size;
  }

  /** Every entry, each with its digest: the files not read yet are read first. */
  *entries(): IterableIterator<FileEntry> {
    this.readAll();
    for (const entry of this.files.values()) if (!(entry instanceof UnreadFile)) yield entry;
  }

  private readAll(): void {
    for (const [relativePath, known] of this.files) if (known instanceof UnreadFile) this.read(relativePath, known);
  }

  // Synchronously: a small file's first lookup, or a caller that needs a pending big file's entry
  // at once (whose background read then finds it done and drops its own).
  private read(relativePath: string, seen: UnreadFile): FileEntry | undefined {
    const pending = seen instanceof PendingFile ? seen : undefined;
    const keep = pending === undefined ? (size: number) => this.memory.keepSmall(size) : (size: number) => this.memory.keepPending(pending, size);
    const entry = readOnFirstLookup(this.realRoot, relativePath, seen, keep, this.trusted);
    this.settle(relativePath, entry, pending);
    return entry;
  }

  // A big file's background read; the queue tries it again later on 'retry'.
  private async readLater(relativePath: string): Promise<ReadResult> {
    const pending = this.files.get(relativePath);
    if (!(pending instanceof PendingFile)) return 'done'; // read meanwhile by a caller that needed it at once
    const mine = () => this.files.get(relativePath) === pending;
    let result: Awaited<ReturnType<typeof readInBackground>>;
    const keep = (size: number) => this.memory.keepPending(pending, size);
    try {
      result = this.stopped() ? 'cancelled' : await readInBackground(this.realRoot, relativePath, pending, keep, this.trusted, () => !mine() || this.stopped());
    } catch {
      result = 'cancelled'; // not a file system's answer: its first lookup reads it, as a small file's
    }
    if (!mine()) return 'done'; // the synchronous read's entry stands
    if (result === 'retry') {
      pending.settle();
      return 'retry';
    }
    if (result === 'cancelled') {
      // Left to its first lookup, streamed, with the memory set aside for it given back.
      this.memory.release(pending);
      this.files.set(relativePath, new UnreadFile(pending.realPath, pending));
      this.pending--;
      pending.settle();
      return 'done';
    }
    this.settle(relativePath, result, pending);
    return 'done';
  }

  // A file read: its entry takes its place, or (nothing servable there) it leaves the index.
  private settle(relativePath: string, entry: FileEntry | undefined, pending: PendingFile | undefined): void {
    if (entry === undefined) this.files.delete(relativePath);
    else this.files.set(relativePath, entry);
    if (pending === undefined) return;
    if (entry?.body === undefined) this.memory.release(pending);
    pending.claimed = 0;
    this.pending--;
    pending.settle();
  }
}

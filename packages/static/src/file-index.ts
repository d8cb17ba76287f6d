// The start-up walk of a static folder, and the map of entries it builds. What each file's
// entry says is read through file-reader.ts.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from '@tet/core';
import type { FileEntry } from './file-entry.js';
import { type MemoryPolicy, readLargeFile, readSmallFile, type TrustedDigest } from './file-reader.js';
import { runPool } from './pool.js';
import { isServableTarget } from './safe-path.js';

// view-builder.ts names it from here.
export type { TrustedDigest } from './file-reader.js';

// Hidden things are never indexed, so they can never be served.
const isHidden = (name: string) => name.charCodeAt(0) === 46;
const HASHING_CONCURRENCY = 16;
const FIRST_PASS_SIZE = 256 * 1024;

/**
 * The files of one static view's root, by canonical relative path, built at start-up.
 * Dotfiles, dot-directories and symlinks that leave the root are never indexed, so a
 * lookup that misses is a 404 and nothing outside the root can ever be served.
 */
export class FileIndex {
  readonly root: string;
  readonly realRoot: string;
  private readonly files = new Map<string, FileEntry>();

  private constructor(root: string, realRoot: string) {
    this.root = root;
    this.realRoot = realRoot;
  }

  /**
   * Walks `root` and hashes every file (but those `trusted` vouches for), in parallel. A file
   * or folder that cannot be read is a ConfigurationError naming it; `where` says which view.
   */
  static async build(root: string, memory: MemoryPolicy, trusted?: TrustedDigest, where = 'static view'): Promise<FileIndex> {
    try {
      return await FileIndex.read(root, memory, trusted);
    } catch (error) {
      const failure = error as NodeJS.ErrnoException;
      if (failure.path === undefined) throw error;
      throw new ConfigurationError(
        `${where}: cannot read ${failure.path} (${failure.code ?? failure.message}). Every file in a static folder is read at start-up: ` +
          "make it readable by the server's user (e.g. chmod a+r, and a+x for a folder), or move it out of the folder.",
        'TET_ERR_STATIC_FILE',
        { cause: error },
      );
    }
  }

  private static async read(root: string, memory: MemoryPolicy, trusted: TrustedDigest | undefined): Promise<FileIndex> {
    const index = new FileIndex(root, await realpath(root));
    const found: Array<[string, string]> = [];
    await index.walk(index.realRoot, '', [index.realRoot], found);
    // Two passes, so that the many small files a page needs get the memory budget before a
    // few big ones can use it up: first everything up to FIRST_PASS_SIZE, then the rest.
    const later: Array<[string, string]> = [];
    const large: Array<[string, string]> = [];
    const passes = [
      { files: found, limit: Math.min(memory.maxFileSize, FIRST_PASS_SIZE), over: later },
      { files: later, limit: memory.maxFileSize, over: large },
    ];
    for (const { files, limit, over } of passes) {
      for (const [relativePath, realPath] of files) {
        try {
          const entry = readSmallFile(relativePath, realPath, memory, limit, FIRST_PASS_SIZE, trusted);
          if (entry === 'large') over.push([relativePath, realPath]);
          else if (entry !== undefined) index.files.set(relativePath, entry);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted while we walked
        }
      }
    }
    await runPool(large, HASHING_CONCURRENCY, async ([relativePath, realPath]) => {
      try {
        const entry = await readLargeFile(relativePath, realPath, trusted);
        if (entry !== undefined) index.files.set(relativePath, entry);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted while we walked
      }
    });
    return index;
  }

  get(relativePath: string): FileEntry | undefined {
    return this.files.get(relativePath);
  }

  set(entry: FileEntry): void {
    this.files.set(entry.relativePath, entry);
  }

  delete(relativePath: string): void {
    this.files.delete(relativePath);
  }

  get size(): number {
    return this.files.size;
  }

  entries(): IterableIterator<FileEntry> {
    return this.files.values();
  }

  // `ancestors` are the real folders on the way here: a symlink back to one of them is a loop.
  private async walk(dir: string, prefix: string, ancestors: readonly string[], found: Array<[string, string]>): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (isHidden(entry.name)) continue;
      const relativePath = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      let real = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        // A symlink is followed only while it stays inside the root, to nothing hidden.
        try {
          real = await realpath(real);
          const target = await stat(real);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue;
        }
        if (!isServableTarget(this.realRoot, real)) continue;
      }
      if (isDirectory) {
        if (ancestors.includes(real)) continue;
        await this.walk(real, relativePath, [...ancestors, real], found);
      } else if (isFile) {
        found.push([relativePath, real]);
      }
    }
  }
}

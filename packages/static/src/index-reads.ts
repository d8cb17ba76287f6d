// How a view's index reads its files: the start-up walk's check that a file can be read, the
// read of a small file on its first lookup, and the start-up reads of the files too big to leave
// to a request. Opening rules are file-reader.ts's.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import { sha384 } from './content-hash.js';
import { entryOf, type FileEntry } from './file-entry.js';
import { claimMemory, fstatAsync, hashDescriptor, isOutOfDescriptors, type MemoryPolicy, OPEN_FLAGS, type OpenedFile, openAsync, openInside, type TrustedDigest } from './file-reader.js';

/**
 * Files up to this size are small: a lazy view reads and hashes them on their first lookup, on
 * the event loop (a few hundred microseconds at most), and they get memory before bigger ones.
 */
export const SMALL_FILE_SIZE = 256 * 1024;

// What a synchronous hash reads at a time: a file's bytes are never all in memory for it.
const HASH_CHUNK = 256 * 1024;

/** What the start-up walk saw of a file it did not read: where it was, and which file it was. */
export class UnreadFile {
  readonly realPath: string;
  readonly dev: number;
  readonly ino: number;

  constructor(realPath: string, info: Stats) {
    this.realPath = realPath;
    this.dev = info.dev;
    this.ino = info.ino;
  }
}

/**
 * Start-up, for a lazy view: proves the server can read a file, and says what it is, with one
 * open and fstat. Opened rather than access()ed: access() asks about the process's real user,
 * and reading is done as its effective one (a server started as root that drops privileges).
 * Undefined when it is not a regular file; ENOENT and EACCES are thrown (with the path).
 */
export function statReadable(realPath: string): Stats | undefined {
  const fd = openSync(realPath, OPEN_FLAGS);
  try {
    const info = fstatSync(fd);
    return info.isFile() ? info : undefined;
  } finally {
    closeSync(fd);
  }
}

// The file the walk saw, opened at its real path: the same device and inode, so still the file
// the walk found inside the root (edited in place or not); undefined when something else is there.
function openSeen(seen: UnreadFile): OpenedFile | undefined {
  let fd: number;
  try {
    fd = openSync(seen.realPath, OPEN_FLAGS);
  } catch (error) {
    if (isOutOfDescriptors(error)) throw error;
    return undefined;
  }
  let info: Stats | undefined;
  try {
    info = fstatSync(fd);
  } catch {
    // fstat failing on an open descriptor: not a file to trust
  }
  if (info?.isFile() && info.dev === seen.dev && info.ino === seen.ino) return { fd, realPath: seen.realPath, info };
  closeSync(fd);
  return undefined;
}

// A file's SHA-384, read synchronously a chunk at a time.
function hashSync(fd: number): Buffer {
  const hash = createHash('sha384');
  const chunk = Buffer.allocUnsafe(HASH_CHUNK);
  for (let position = 0, read = 0; (read = readSync(fd, chunk, 0, HASH_CHUNK, position)) > 0; position += read) hash.update(chunk.subarray(0, read));
  return hash.digest();
}

/**
 * A lazy view's first lookup of a file the walk found: reads it (synchronously: lookups are,
 * `staticUrl()` included) and hashes it, so its entry describes exactly the bytes read; `keep`
 * says whether the bytes may stay in memory, else the entry streams (and every request checks
 * the file against the entry's stamp, as for any streamed file). The file the walk saw, or
 * whatever is at its path now if it was replaced (resolved again: inside the root, nothing
 * hidden). Undefined when nothing servable is there (deleted, unreadable): a 404. Out of
 * descriptors is thrown, and the file stays unread for the next lookup.
 */
export function readOnFirstLookup(realRoot: string, relativePath: string, seen: UnreadFile, keep: (size: number) => boolean, trusted: TrustedDigest | undefined): FileEntry | undefined {
  const opened = openSeen(seen) ?? openInside(realRoot, relativePath);
  if (opened === undefined) return undefined;
  const { fd, realPath, info } = opened;
  try {
    if (info.size > SMALL_FILE_SIZE) {
      // It grew past the small size after start-up: hashed here once rather than never served,
      // a chunk at a time so memory stays bounded, and streamed.
      return entryOf(relativePath, realPath, info, info.size, trusted?.(relativePath, info.size, info.mtimeMs) ?? hashSync(fd), undefined);
    }
    const bytes = readFileSync(fd);
    const digest = trusted?.(relativePath, bytes.length, info.mtimeMs) ?? sha384(bytes);
    return entryOf(relativePath, realPath, info, bytes.length, digest, keep(bytes.length) ? bytes : undefined);
  } catch (error) {
    if (isOutOfDescriptors(error) || (error as NodeJS.ErrnoException).code === undefined) throw error;
    return undefined; // a read failing on an open descriptor (EIO): nothing to serve
  } finally {
    closeSync(fd);
  }
}

/**
 * Start-up: reads a file synchronously; 'large' when it is for the streamed, parallel pass
 * (over `limit`, or bigger than `SMALL_FILE_SIZE` and than what is left of the budget). Small
 * files are most of a tree, and reading them in one synchronous pass is quicker than a round
 * trip through the thread pool for each; it also left the server measurably faster for its
 * whole life than the same reads through fs/promises (see docs/benchmarks.md).
 */
export function readSmallFile(relativePath: string, realPath: string, memory: MemoryPolicy, limit: number, trusted: TrustedDigest | undefined): FileEntry | 'large' | undefined {
  const fd = openSync(realPath, OPEN_FLAGS);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return undefined;
    // A big file the budget has no room for streams: no point reading it whole just to hash it.
    if (info.size > limit || (info.size > SMALL_FILE_SIZE && info.size > memory.remaining)) return 'large';
    const bytes = readFileSync(fd);
    const digest = trusted?.(relativePath, bytes.length, info.mtimeMs) ?? sha384(bytes);
    return entryOf(relativePath, realPath, info, bytes.length, digest, claimMemory(memory, bytes.length) ? bytes : undefined);
  } finally {
    closeSync(fd);
  }
}

/** Start-up: hashes a large file streamed (unless `trusted` vouches for it); its entry streams, never kept in memory. */
export async function readLargeFile(relativePath: string, realPath: string, trusted: TrustedDigest | undefined): Promise<FileEntry | undefined> {
  const fd = await openAsync(realPath);
  try {
    const info = await fstatAsync(fd);
    if (!info.isFile()) return undefined;
    const digest = trusted?.(relativePath, info.size, info.mtimeMs) ?? (await hashDescriptor(fd));
    return entryOf(relativePath, realPath, info, info.size, digest, undefined);
  } finally {
    closeSync(fd);
  }
}

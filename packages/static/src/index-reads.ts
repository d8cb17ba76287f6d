// How a view's index reads its files: the start-up walk's check that a file can be read, the
// read of a file on its first lookup, a lazy index's background read of a big file, and a
// content-hashed view's start-up reads. Opening rules are file-reader.ts's.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, read, readFileSync, readSync, type Stats, stat, statSync } from 'node:fs';
import { sha384 } from './content-hash.js';
import { entryOf, type FileEntry } from './file-entry.js';
import {
  claimMemory,
  fstatAsync,
  hashDescriptor,
  isOutOfDescriptors,
  type MemoryPolicy,
  OPEN_FLAGS,
  type OpenedFile,
  openAsync,
  openInside,
  openOrUndefined,
  type TrustedDigest,
} from './file-reader.js';

/**
 * Files up to this size are small: a lazy view reads and hashes them on their first lookup, on
 * the event loop (a few hundred microseconds at most), and they get memory before bigger ones;
 * it reads bigger ones in the background once its index is built.
 */
export const SMALL_FILE_SIZE = 256 * 1024;

// What a hash reads at a time: a streamed file's bytes are never all in memory for it, and a
// background read's hash.update() of one chunk holds the event loop for a fraction of a millisecond.
const HASH_CHUNK = 256 * 1024;

/** What the start-up walk saw of a file it did not read: where it was, and which file it was. */
export class UnreadFile {
  readonly realPath: string;
  readonly dev: number;
  readonly ino: number;

  constructor(realPath: string, info: Pick<Stats, 'dev' | 'ino'>) {
    this.realPath = realPath;
    this.dev = info.dev;
    this.ino = info.ino;
  }
}

/**
 * Start-up, for a lazy view: a check of whether the server can read a file, and what it is.
 * One stat and the permission bits, judged for the process's effective user (reading is done
 * as it, also in a server started as root that drops privileges); an open and a close per file
 * were a third of a 1,000-file walk. Bits that say no are confirmed by opening the file, so
 * only a file that really cannot be opened fails the start-up; one an ACL denies passes here
 * and fails its first read, as a file made unreadable after start-up does. The check gives
 * undefined for what is not a regular file, and throws ENOENT and EACCES (with the path).
 * Made once per walk: the user and its groups are asked once, not for each file.
 */
export function readableCheck(): (realPath: string) => Stats | undefined {
  const readable = permissionBits();
  return (realPath) => {
    const info = statSync(realPath);
    if (!info.isFile()) return undefined;
    if (!readable(info)) closeSync(openSync(realPath, OPEN_FLAGS));
    return info;
  };
}

// The kernel's rule for the mode bits: the owner's bits for the owner, else the group's for a
// member, else the others'; root reads any file. (Windows has no bits: a file is readable.)
function permissionBits(): (info: Stats) => boolean {
  const uid = process.geteuid?.();
  if (uid === undefined || uid === 0) return () => true;
  let groups: ReadonlySet<number> | undefined;
  return (info) => {
    if (info.uid === uid) return (info.mode & 0o400) !== 0;
    groups ??= new Set([process.getegid!(), ...process.getgroups!()]);
    return groups.has(info.gid) ? (info.mode & 0o040) !== 0 : (info.mode & 0o004) !== 0;
  };
}

// Whether an opened file is the one the walk saw: the same device and inode, so still the file
// the walk found inside the root (edited in place or not).
function isSeen(seen: UnreadFile, info: Stats | undefined): info is Stats {
  return info?.isFile() === true && info.dev === seen.dev && info.ino === seen.ino;
}

// The file the walk saw, opened at its real path; undefined when something else is there.
function openSeen(seen: UnreadFile): OpenedFile | undefined {
  const fd = openOrUndefined(seen.realPath);
  if (fd === undefined) return undefined;
  let info: Stats | undefined;
  try {
    info = fstatSync(fd);
  } catch {
    // fstat failing on an open descriptor: not a file to trust
  }
  if (isSeen(seen, info)) return { fd, realPath: seen.realPath, info };
  closeSync(fd);
  return undefined;
}

// openSeen through the thread pool.
async function openSeenAsync(seen: UnreadFile): Promise<OpenedFile | undefined> {
  let fd: number;
  try {
    fd = await openAsync(seen.realPath);
  } catch (error) {
    if (isOutOfDescriptors(error)) throw error;
    return undefined;
  }
  const info = await fstatAsync(fd).catch(() => undefined);
  if (isSeen(seen, info)) return { fd, realPath: seen.realPath, info };
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
 * `staticUrl()` included) and hashes it, so its entry describes exactly the bytes read. `keep`
 * says, from its size, whether its bytes may stay in memory (taking them from the budget); one
 * that may not streams (and every request checks the file against the entry's stamp, as for
 * any streamed file), and if it is bigger than a small file it is hashed a chunk at a time,
 * never read whole. The file the walk saw, or whatever is at its path now if it was replaced
 * (resolved again: inside the root, nothing hidden). Undefined when nothing servable is there
 * (deleted, unreadable): a 404. Out of descriptors is thrown, and the file stays unread for the
 * next lookup.
 */
export function readOnFirstLookup(realRoot: string, relativePath: string, seen: UnreadFile, keep: (size: number) => boolean, trusted: TrustedDigest | undefined): FileEntry | undefined {
  const opened = openSeen(seen) ?? openInside(realRoot, relativePath);
  if (opened === undefined) return undefined;
  const { fd, realPath, info } = opened;
  try {
    const kept = keep(info.size);
    if (!kept && info.size > SMALL_FILE_SIZE) {
      return entryOf(relativePath, realPath, info, info.size, trusted?.(relativePath, info.size, info.mtimeMs) ?? hashSync(fd), undefined);
    }
    const bytes = readFileSync(fd);
    const digest = trusted?.(relativePath, bytes.length, info.mtimeMs) ?? sha384(bytes);
    return entryOf(relativePath, realPath, info, bytes.length, digest, kept ? bytes : undefined);
  } catch (error) {
    if (isOutOfDescriptors(error) || (error as NodeJS.ErrnoException).code === undefined) throw error;
    return undefined; // a read failing on an open descriptor (EIO): nothing to serve
  } finally {
    closeSync(fd);
  }
}

/**
 * What a background read found: the file's entry, nothing servable (undefined: a 404), 'retry'
 * (out of descriptors, or the file changed while it was read: try again later), or 'cancelled'.
 */
export type BackgroundRead = FileEntry | undefined | 'retry' | 'cancelled';

// fs.read as a promise, on a plain descriptor.
function readAt(fd: number, target: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, target, offset, length, position, (error, bytes) => (error === null ? resolve(bytes) : reject(error))));
}

// The SHA-384 of a file's first `size` bytes, read a chunk at a time through the thread pool
// (into `body` when it is kept); 'changed' when the file ends sooner, 'cancelled' when asked to stop.
async function hashInChunks(fd: number, size: number, body: Buffer | undefined, cancelled: () => boolean): Promise<Buffer | 'changed' | 'cancelled'> {
  const hash = createHash('sha384');
  const chunk = body ?? Buffer.allocUnsafe(Math.min(HASH_CHUNK, size));
  for (let position = 0; position < size; ) {
    if (cancelled()) return 'cancelled';
    const offset = body === undefined ? 0 : position;
    const bytes = await readAt(fd, chunk, offset, Math.min(HASH_CHUNK, size - position), position);
    if (bytes === 0) return 'changed';
    hash.update(chunk.subarray(offset, offset + bytes));
    position += bytes;
  }
  return hash.digest();
}

// Whether the path a file was opened at still leads to it: not deleted, not replaced.
function stillAt(realPath: string, info: Stats): Promise<boolean> {
  return new Promise((resolve) => stat(realPath, (error, now) => resolve(error === null && now.ino === info.ino && now.dev === info.dev)));
}

// How many times a background read starts over on finding its file deleted or replaced meanwhile.
const PASSES = 3;

/**
 * A lazy index's read of a big file in the background, after start-up: as
 * {@link readOnFirstLookup} (the file the walk saw, or whatever is at its path now; `keep`
 * decides from its size), but off the event loop, a chunk at a time, and checked once hashed:
 * unchanged (else 'retry'), and still at its path (else it starts over: a file deleted meanwhile
 * is a 404, one replaced is read anew), so its entry never pairs an ETag with bytes that were
 * not one version of the file. `cancelled` is asked between chunks.
 */
export async function readInBackground(
  realRoot: string,
  relativePath: string,
  seen: UnreadFile,
  keep: (size: number) => boolean,
  trusted: TrustedDigest | undefined,
  cancelled: () => boolean,
  pass = 1,
): Promise<BackgroundRead> {
  let opened: OpenedFile | undefined;
  try {
    opened = (await openSeenAsync(seen)) ?? openInside(realRoot, relativePath);
  } catch (error) {
    if (isOutOfDescriptors(error)) return 'retry';
    throw error;
  }
  if (opened === undefined) return undefined;
  const { fd, realPath, info } = opened;
  let entry: FileEntry;
  try {
    const body = keep(info.size) ? Buffer.allocUnsafe(info.size) : undefined;
    const vouched = trusted?.(relativePath, info.size, info.mtimeMs);
    const digest = vouched !== undefined && body === undefined ? vouched : await hashInChunks(fd, info.size, body, cancelled);
    if (digest === 'cancelled') return digest;
    const after = await fstatAsync(fd);
    if (digest === 'changed' || after.size !== info.size || after.mtimeMs !== info.mtimeMs) return 'retry'; // being written
    entry = entryOf(relativePath, realPath, info, info.size, vouched ?? digest, body);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    return undefined; // a read failing on an open descriptor (EIO): nothing to serve
  } finally {
    closeSync(fd);
  }
  if (await stillAt(realPath, info)) return entry;
  return pass < PASSES ? readInBackground(realRoot, relativePath, seen, keep, trusted, cancelled, pass + 1) : 'retry';
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

/** Start-up, for a content-hashed view: hashes a large file streamed (unless `trusted` vouches for it); its entry streams, never kept in memory. */
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

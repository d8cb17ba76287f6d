// Where a static file is opened, fstat'ed, read and hashed, with index-reads.ts (the index's own
// reads at start-up and on a file's first lookup), and the rules an opened file must pass
// before a byte of it is served.
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, fstat, fstatSync, open, openSync, readFile, readFileSync, type ReadStream, realpathSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha384 } from './content-hash.js';
import { entryFor, entryOf, type FileEntry, isSameFile } from './file-entry.js';
import { isServableTarget } from './safe-path.js';

/** Limits on what the static views keep in memory. */
export interface MemoryPolicy {
  /** Files up to this size are kept in memory (bytes). */
  readonly maxFileSize: number;
  /** What is left of the memory budget shared by the application's static views (bytes). */
  remaining: number;
}

/**
 * A digest the caller already trusts for a file of this size and mtime (from a manifest written
 * at build time), so start-up need not hash it again; undefined to hash it.
 */
export type TrustedDigest = (relativePath: string, size: number, mtimeMs: number) => Buffer | undefined;

/**
 * How every static file is opened. O_NOFOLLOW: a final symlink swapped in is refused.
 * O_NONBLOCK: a FIFO swapped in opens at once instead of waiting for a writer (which would
 * hold a thread-pool thread, or the event loop in reload mode, forever); fstat then refuses it.
 * Regular files ignore O_NONBLOCK.
 */
export const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

// Bigger reads than fs streams' 64 KiB default: a 1 MB file in four reads and four socket
// writes instead of sixteen.
const STREAM_CHUNK = 256 * 1024;

/** Hashes a file's content through an open descriptor, streamed, from the start. */
export async function hashDescriptor(fd: number): Promise<Buffer> {
  const hash = createHash('sha384');
  for await (const chunk of createReadStream('', { fd, autoClose: false, start: 0, highWaterMark: STREAM_CHUNK })) hash.update(chunk as Buffer);
  return hash.digest();
}

/** Takes `size` bytes of the memory budget when there is room for them; false to stream them instead. */
export function claimMemory(memory: MemoryPolicy, size: number): boolean {
  if (size > memory.maxFileSize || size > memory.remaining) return false;
  memory.remaining -= size;
  return true;
}

/** fstat as a promise, on a plain descriptor. */
export function fstatAsync(fd: number): Promise<Stats> {
  return new Promise((resolve, reject) => fstat(fd, (error, info) => (error === null ? resolve(info) : reject(error))));
}

/** True for the errors of a process out of file descriptors (EMFILE, ENFILE). */
export function isOutOfDescriptors(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EMFILE' || code === 'ENFILE';
}

/**
 * Opens a static file with {@link OPEN_FLAGS}, synchronously; undefined when it cannot be
 * opened (gone, unreadable, a symlink swapped in). Out of descriptors is thrown: that is the
 * process's state, not the file's, and answers 503.
 */
export function openOrUndefined(realPath: string): number | undefined {
  try {
    return openSync(realPath, OPEN_FLAGS);
  } catch (error) {
    if (isOutOfDescriptors(error)) throw error;
    return undefined;
  }
}

/** What a release archive recorded of a stored object, for {@link readStoredObject}. */
export interface StoredObject {
  /** The path it is served at, and the path whose type it has (a `.br` of a stylesheet is CSS). */
  readonly relativePath: string;
  readonly typeOf: string;
  readonly size: number;
  readonly digest: Buffer;
  /** The mtime the archived file had (for `Last-Modified`), not the object file's. */
  readonly mtimeMs: number;
}

/**
 * Reads a release archive's object file (content-addressed, so never edited in place): in
 * memory within the policy, else stat'ed to be streamed. Undefined when nothing servable with
 * the recorded size is there (the release was pruned), or when bytes read into memory do not
 * hash to the object's name (a corrupt archive never serves wrong bytes under an immutable
 * ETag). The entry carries the object file's stamp, so a streamed one is served only while
 * that file is the same.
 */
export async function readStoredObject(realPath: string, object: StoredObject, memory: MemoryPolicy): Promise<FileEntry | undefined> {
  let fd: number;
  try {
    fd = await openAsync(realPath);
  } catch {
    return undefined;
  }
  try {
    const info = await fstatAsync(fd);
    if (!info.isFile() || info.size !== object.size) return undefined;
    let body: Buffer | undefined;
    if (claimMemory(memory, info.size)) {
      body = await new Promise<Buffer>((resolve, reject) => readFile(fd, (error, bytes) => (error === null ? resolve(bytes) : reject(error))));
      if (!sha384(body).equals(object.digest)) {
        memory.remaining += info.size;
        return undefined;
      }
    }
    return entryFor(realPath, info, { relativePath: object.relativePath, size: object.size, mtimeMs: object.mtimeMs, digest: object.digest, body, typeOf: object.typeOf });
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** open() with the static flags, as a promise on a plain descriptor. */
export function openAsync(path: string): Promise<number> {
  return new Promise<number>((resolve, reject) => open(path, OPEN_FLAGS, (error, opened) => (error === null ? resolve(opened) : reject(error))));
}

/** An opened regular file inside a root, with what fstat said of it. */
export interface OpenedFile {
  readonly fd: number;
  readonly realPath: string;
  readonly info: Stats;
}

/**
 * Opens the file at a canonical relative path under `realRoot` after start-up, or undefined
 * when nothing servable is there: its real path (symlinks resolved) must stay inside the root
 * with no hidden segment, and it must be a regular file. After opening, the path is resolved
 * again and must still lead to the very file opened, so a directory swapped for a symlink
 * between the two steps is caught too. Out of descriptors (EMFILE) is thrown.
 */
export function openInside(realRoot: string, relativePath: string): OpenedFile | undefined {
  const path = join(realRoot, ...relativePath.split('/'));
  let realPath: string;
  let fd: number;
  try {
    realPath = realpathSync(path);
    if (!isServableTarget(realRoot, realPath)) return undefined;
    fd = openSync(realPath, OPEN_FLAGS);
  } catch (error) {
    if (isOutOfDescriptors(error)) throw error;
    return undefined; // gone, a loop, a socket (ENXIO), unreadable: nothing to serve
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return void closeSync(fd);
    const again = statSync(realpathSync(path));
    if (again.ino !== info.ino || again.dev !== info.dev) return void closeSync(fd);
    return { fd, realPath, info };
  } catch (error) {
    closeSync(fd);
    if (isOutOfDescriptors(error)) throw error;
    return undefined;
  }
}

/**
 * Reload mode: the entry for a path as the disk has it now, synchronously (`staticUrl()` is
 * synchronous); `known` itself when its file is still in place and unchanged.
 */
export function rereadFile(realRoot: string, relativePath: string, known: FileEntry | undefined): FileEntry | undefined {
  if (known !== undefined) {
    const fd = openOrUndefined(known.realPath);
    if (fd !== undefined) {
      try {
        if (isSameFile(known, fstatSync(fd))) return known;
      } finally {
        closeSync(fd);
      }
    }
  }
  const opened = openInside(realRoot, relativePath);
  if (opened === undefined) return undefined;
  try {
    const body = readFileSync(opened.fd);
    return entryOf(relativePath, opened.realPath, opened.info, body.length, sha384(body), body);
  } finally {
    closeSync(opened.fd);
  }
}

/** What re-indexing one file found: its new entry, nothing servable, or a file still being written. */
export type Reindexed = FileEntry | 'gone' | 'changing';

/**
 * Production: re-reads one file that changed on disk after start-up, hashing it streamed (it
 * may be large). The entry streams from disk; a file that changes while it is hashed is
 * 'changing', so no entry ever pairs an ETag with bytes it was not computed from.
 */
export async function reindexFile(realRoot: string, relativePath: string): Promise<Reindexed> {
  const opened = openInside(realRoot, relativePath);
  if (opened === undefined) return 'gone';
  try {
    const digest = await hashDescriptor(opened.fd);
    const after = await fstatAsync(opened.fd);
    if (after.size !== opened.info.size || after.mtimeMs !== opened.info.mtimeMs) return 'changing';
    return entryOf(relativePath, opened.realPath, opened.info, opened.info.size, digest, undefined);
  } finally {
    closeSync(opened.fd);
  }
}

/**
 * Opens an entry's file to stream it, or says it 'changed': the descriptor must show the
 * indexed file's device and inode (not whatever a folder swapped for a symlink leads to now),
 * its size and mtime, and be a regular file (not a FIFO or device swapped in). Out of
 * descriptors is 'no-descriptors'.
 */
export async function openEntry(entry: FileEntry): Promise<number | 'changed' | 'no-descriptors'> {
  let fd: number;
  try {
    fd = await openAsync(entry.realPath);
  } catch (error) {
    return isOutOfDescriptors(error) ? 'no-descriptors' : 'changed'; // deleted, swapped for a symlink (ELOOP) or a socket (ENXIO)
  }
  try {
    if (isSameFile(entry, await fstatAsync(fd))) return fd;
  } catch {
    // fstat failing on an open descriptor: treat the file as changed
  }
  closeSync(fd);
  return 'changed';
}

/** An entry's bytes: from memory, or read through a descriptor that shows the very file indexed; undefined when it changed. */
export function entryBytes(entry: FileEntry): Buffer | undefined {
  if (entry.body !== undefined) return entry.body;
  const fd = openOrUndefined(entry.realPath);
  if (fd === undefined) return undefined;
  try {
    return isSameFile(entry, fstatSync(fd)) ? readFileSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * The bytes `start`..`end` (inclusive) of an opened file, as a response body. A plain
 * descriptor, not a FileHandle: FileHandle streams read through promises, which made Tet's
 * 1 MB responses half as fast as sirv's. autoClose closes it at the end, on error and when the
 * response is cut short (pipeline destroys the stream).
 */
export function streamDescriptor(fd: number, start: number, end: number): ReadStream {
  return createReadStream('', { fd, start, end, highWaterMark: STREAM_CHUNK, autoClose: true });
}

/** Closes a descriptor that will not be streamed (a 304, a HEAD). */
export function closeDescriptor(fd: number): void {
  closeSync(fd);
}

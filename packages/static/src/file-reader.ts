// The one place that opens, fstats, reads and hashes a static file, and the rules an opened
// file must pass before a byte of it is served.
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, fstat, fstatSync, open, openSync, readFileSync, type ReadStream, realpathSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha384 } from './content-hash.js';
import { contentTypeFor } from './content-type.js';
import { isServableTarget } from './safe-path.js';

/** One servable file: what the index knows about it. */
export interface FileEntry {
  /** The canonical relative path, `/`-separated: the index key. */
  readonly relativePath: string;
  /** The file's real path (symlinks resolved, inside the root). */
  readonly realPath: string;
  /** The file on disk these bytes were read from: an opened descriptor must show the same. */
  readonly stamp: FileStamp;
  readonly size: number;
  readonly mtimeMs: number;
  /** `Last-Modified` as an HTTP date. */
  readonly lastModified: string;
  /** A strong ETag derived from the content, so every process of a cluster agrees. */
  readonly etag: string;
  /** SHA-384 of the content (also Subresource Integrity's hash). */
  readonly digest: Buffer;
  readonly contentType: string;
  /** The bytes, for small files kept in memory. */
  readonly body: Buffer | undefined;
}

/** What identifies a file on disk and its state: device, inode, size and modification time. */
export interface FileStamp {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The stamp of a file from its stats. */
export function stampOf(info: Stats): FileStamp {
  return { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
}

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

/** The ETag of content with this SHA-384: strong, and the same in every process. */
export function etagOf(digest: Buffer): string {
  return `"${digest.toString('base64url').slice(0, 32)}"`;
}

/** An entry for bytes read from a file with these stats. */
export function entryOf(relativePath: string, realPath: string, info: Stats, size: number, digest: Buffer, body: Buffer | undefined): FileEntry {
  const { mtimeMs } = info;
  return { relativePath, realPath, stamp: stampOf(info), size, mtimeMs, lastModified: new Date(mtimeMs).toUTCString(), etag: etagOf(digest), digest, contentType: contentTypeFor(relativePath), body };
}

/** An entry for bytes derived from another (a rewritten stylesheet, its compressed forms). */
export function derivedEntry(source: FileEntry, relativePath: string, body: Buffer): FileEntry {
  const digest = sha384(body);
  return { ...source, relativePath, body, size: body.length, digest, etag: etagOf(digest) };
}

/** True when an opened file is the very file an entry was read from, unchanged since. */
export function isSameFile(entry: FileEntry, info: Stats): boolean {
  const stamp = entry.stamp;
  return info.ino === stamp.ino && info.dev === stamp.dev && info.size === stamp.size && info.mtimeMs === stamp.mtimeMs && info.isFile();
}

/** Hashes a file's content through an open descriptor, streamed, from the start. */
export async function hashDescriptor(fd: number): Promise<Buffer> {
  const hash = createHash('sha384');
  for await (const chunk of createReadStream('', { fd, autoClose: false, start: 0, highWaterMark: STREAM_CHUNK })) hash.update(chunk as Buffer);
  return hash.digest();
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
    let fd: number | undefined;
    try {
      fd = openSync(known.realPath, OPEN_FLAGS);
    } catch (error) {
      if (isOutOfDescriptors(error)) throw error;
    }
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
    fd = await new Promise<number>((resolve, reject) => open(entry.realPath, OPEN_FLAGS, (error, opened) => (error === null ? resolve(opened) : reject(error))));
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
  let fd: number;
  try {
    fd = openSync(entry.realPath, OPEN_FLAGS);
  } catch (error) {
    if (isOutOfDescriptors(error)) throw error;
    return undefined;
  }
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

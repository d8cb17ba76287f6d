// What the file boundary says about one file: its entry, the stamp of the file on disk it was
// read from, and the ETag formula. Data only; opening and reading are file-reader.ts's.
import type { Stats } from 'node:fs';
import { sha384 } from './content-hash.js';
import { contentTypeFor } from './content-type.js';

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

/** The ETag of content with this SHA-384: strong, and the same in every process. */
export function etagOf(digest: Buffer): string {
  return `"${digest.toString('base64url').slice(0, 32)}"`;
}

/** What an entry says about its content, for {@link entryFor}. */
export interface EntryFacts {
  readonly relativePath: string;
  readonly size: number;
  /** For `Last-Modified`: the file's own mtime, or the one a release archive recorded. */
  readonly mtimeMs: number;
  readonly digest: Buffer;
  readonly body: Buffer | undefined;
  /** The path whose type is served (an archived `.br` of a rewritten stylesheet is CSS); default `relativePath`. */
  readonly typeOf?: string | undefined;
}

/** The entry for content read from the file at `realPath`, whose stats were `info`. */
export function entryFor(realPath: string, info: Stats, facts: EntryFacts): FileEntry {
  const { relativePath, size, mtimeMs, digest, body } = facts;
  return {
    relativePath,
    realPath,
    stamp: stampOf(info),
    size,
    mtimeMs,
    lastModified: new Date(mtimeMs).toUTCString(),
    etag: etagOf(digest),
    digest,
    contentType: contentTypeFor(facts.typeOf ?? relativePath),
    body,
  };
}

/** An entry for bytes read from a file with these stats, named and dated by that file. */
export function entryOf(relativePath: string, realPath: string, info: Stats, size: number, digest: Buffer, body: Buffer | undefined): FileEntry {
  return entryFor(realPath, info, { relativePath, size, mtimeMs: info.mtimeMs, digest, body });
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

/** What took the place of entries read again (null: nothing did, the file is gone). */
export type Replacements = WeakMap<FileEntry, FileEntry | null>;

/** The entry now in the place of one handed out earlier, following `replaced`; null when its file is gone. */
export function latestEntry(replaced: Replacements, entry: FileEntry): FileEntry | null {
  let now: FileEntry | null = entry;
  for (let next = replaced.get(now); next !== undefined; next = now === null ? undefined : replaced.get(now)) now = next;
  return now;
}

// The release archive as a source of files while serving: earlier (and later) releases'
// files, found lazily, answered through the same boundary as a view's own files (what a token,
// path or hash is; the bytes of its objects through file-reader.ts). Nothing is read at
// start-up but the current release's record; a token or hash this instance has not seen makes
// it look at the archive again (at most once a second), so a release that a newer build added
// to a shared archive after this instance started is found.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type ArchivedObject, archivePaths, type ReleaseRecord, readRelease } from './archive.js';
import { HASH_LENGTH } from './content-hash.js';
import { type FileEntry, latestEntry, type Replacements } from './file-entry.js';
import { type MemoryPolicy, openEntry, type Reindexed, readStoredObject } from './file-reader.js';
import { isSiblingPath, type Representations, SIBLING_SUFFIXES, type ServedFiles, siblingsOf } from './representations.js';

/** A release the archive knows: with its bytes (`archived`), or only its hashes (the ledger). */
export interface KnownRelease {
  readonly record: ReleaseRecord;
  readonly archived: boolean;
}

/** How often a miss may make an instance look at the archive again. */
const RESCAN_MS = 1_000;
/** Misses remembered (each for RESCAN_MS): an attacker's stream of made-up tokens costs a Map lookup. */
const MAX_MISSES = 4_096;

/** A bounded set of recent misses; the oldest go first. */
class RecentMisses {
  private readonly misses = new Map<string, number>();

  has(key: string, now: number): boolean {
    const until = this.misses.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.misses.delete(key);
    return false;
  }

  add(key: string, now: number): void {
    if (this.misses.size >= MAX_MISSES) this.misses.delete(this.misses.keys().next().value!);
    this.misses.set(key, now + RESCAN_MS);
  }
}

/** How an archived entry was read, so that reading it again reads the same object. */
interface ObjectRead {
  readonly object: ArchivedObject;
  readonly mtimeMs: number;
  readonly typeOf: string;
}

/**
 * One static folder's release archive, as an instance reads it: releases by token, archived
 * files by content hash, each file read (or, beyond the memory policy, stat'ed to be streamed)
 * on its first request only. It is the {@link ServedFiles} of what it finds, as a FileSource is
 * of a view's current files, so serving never knows which it has.
 * @example
 * const archive = new ReleaseArchive('/srv/myapp/static/.tet-archive', memory)
 * const release = await archive.release('v41') // { record, archived: true }
 * const files = await archive.file(release, 'style.css') // { entry, br, gzip, source: archive }
 */
export class ReleaseArchive implements ServedFiles {
  readonly dir: string;
  private readonly memory: MemoryPolicy;
  private readonly releases = new Map<string, KnownRelease>();
  /** `<path>\0<short hash>` → the files a content-hashed view served under that hash. */
  private readonly byHash = new Map<string, { path: string; object: ArchivedObject & Partial<{ br: ArchivedObject; gzip: ArchivedObject }>; mtimeMs: number }>();
  /** path → the token of the last archived release remembered with a file there. */
  private readonly byPath = new Map<string, string>();
  private readonly entries = new Map<string, Promise<FileEntry | undefined>>();
  private readonly reads = new WeakMap<FileEntry, ObjectRead>();
  // What took an entry's place when its object file was read again (null: it is gone).
  private readonly replaced: Replacements = new WeakMap();
  private readonly misses = new RecentMisses();
  private scanned = 0;
  private scanning: Promise<void> | undefined;

  constructor(dir: string, memory: MemoryPolicy) {
    this.dir = dir;
    this.memory = memory;
  }

  /** The release with this token, looking at the archive again if it is new here. */
  async release(token: string): Promise<KnownRelease | undefined> {
    return this.releases.get(token) ?? ((await this.rescan(`t\0${token}`)) ? this.releases.get(token) : undefined);
  }

  /** Only the current release's record, without a scan: what start-up reads. */
  async own(token: string): Promise<KnownRelease | undefined> {
    const record = await readRelease(archivePaths(this.dir).release(token));
    if (record === undefined) return undefined;
    return this.remember(record, true);
  }

  /** The file of an archived release at a path, with its precompressed siblings. */
  async file(release: KnownRelease, path: string): Promise<Representations | undefined> {
    const files = release.record.files;
    const own = files[path];
    if (own === undefined || !release.archived) return undefined;
    const entry = await this.entry(path, own, own.mtimeMs);
    if (entry === undefined) return undefined;
    const { br, gzip } = siblingsOf(path, (sibling) => {
      const found = files[sibling];
      return found === undefined ? undefined : this.entry(sibling, found, found.mtimeMs);
    });
    return { entry, br: await br, gzip: await gzip, source: this };
  }

  /** What a content-hashed view served at `path` under `hash` in an archived release. */
  async contentFile(path: string, hash: string): Promise<Representations | undefined> {
    const key = `${path}\0${hash}`;
    const found = this.byHash.get(key) ?? ((await this.rescan(`h\0${key}`)) ? this.byHash.get(key) : undefined);
    if (found === undefined) return undefined;
    const entry = await this.entry(path, found.object, found.mtimeMs);
    if (entry === undefined) return undefined;
    const part = async (object: ArchivedObject | undefined, suffix: string) => (object === undefined ? undefined : this.entry(path + suffix, object, found.mtimeMs, path));
    return { entry, br: await part(found.object.br, SIBLING_SUFFIXES.br), gzip: await part(found.object.gzip, SIBLING_SUFFIXES.gzip), source: this };
  }

  /**
   * The file at `path` in an archived release that has one, whatever its token: for folders
   * whose file names carry their content hash (a Vite build's assets), where a path names the
   * same bytes in every release.
   */
  async fileAtPath(path: string): Promise<Representations | undefined> {
    const token = this.byPath.get(path) ?? ((await this.rescan(`p\0${path}`)) ? this.byPath.get(path) : undefined);
    const last = token === undefined ? undefined : this.releases.get(token);
    // That release may have been pruned since; another kept one may have the same file.
    const release = last?.archived ? last : [...this.releases.values()].find((known) => known.archived && known.record.files[path] !== undefined);
    return release === undefined ? undefined : this.file(release, path);
  }

  /** An archived entry as it is now: objects are never edited in place, so itself unless read again. */
  current(entry: FileEntry): FileEntry | null {
    return latestEntry(this.replaced, entry);
  }

  /** Opens a streamed archived entry's object file, checked to be the very file it was read from. */
  open(entry: FileEntry): Promise<number | 'changed' | 'no-descriptors'> {
    return openEntry(entry);
  }

  /**
   * Reads an object again whose file is not the one its entry was read from: the same bytes
   * copied anew (a re-synced archive) are served again; a pruned one is 'gone'.
   */
  async refresh(stale: FileEntry): Promise<Reindexed> {
    const read = this.reads.get(stale);
    if (read === undefined) return 'gone';
    // Forget the stale read (unless a concurrent refresh already replaced it), then read again.
    const key = `${read.object.sha384}\0${stale.relativePath}`;
    const cached = this.entries.get(key);
    if (cached !== undefined && (await cached) === stale && this.entries.get(key) === cached) this.entries.delete(key);
    const again = await this.entry(stale.relativePath, read.object, read.mtimeMs, read.typeOf);
    this.replaced.set(stale, again ?? null);
    return again ?? 'gone';
  }

  // Records a release and what its files are called by content hash.
  private remember(record: ReleaseRecord, archived: boolean): KnownRelease {
    const known = { record, archived };
    const before = this.releases.get(record.token);
    if (before?.archived && before.record.created === record.created) return before;
    this.releases.set(record.token, known);
    if (!archived) return known;
    for (const [path, file] of Object.entries(record.files)) {
      if (isSiblingPath(path)) continue;
      this.byPath.set(path, record.token);
      const served = file.content ?? file;
      const siblings = siblingsOf(path, (sibling) => record.files[sibling]);
      const br = file.content?.br ?? siblings.br;
      const gzip = file.content?.gzip ?? siblings.gzip;
      this.byHash.set(`${path}\0${served.sha384.slice(0, HASH_LENGTH)}`, { path, object: { ...served, br, gzip }, mtimeMs: file.mtimeMs });
    }
    return known;
  }

  // A miss: look at the archive again unless this key (or any key, within RESCAN_MS) just did.
  private async rescan(key: string): Promise<boolean> {
    const now = Date.now();
    if (this.misses.has(key, now)) return false;
    if (now - this.scanned >= RESCAN_MS) {
      this.scanning ??= this.scan().finally(() => {
        this.scanning = undefined;
      });
      await this.scanning;
    } else if (this.scanning !== undefined) {
      await this.scanning;
    }
    this.misses.add(key, now);
    return true;
  }

  private async scan(): Promise<void> {
    this.scanned = Date.now();
    const paths = archivePaths(this.dir);
    for (const [folder, archived] of [
      [paths.releases, true],
      [paths.ledger, false],
    ] as const) {
      for (const name of await readdir(folder).catch(() => [] as string[])) {
        if (!name.endsWith('.json')) continue;
        const token = name.slice(0, -'.json'.length);
        if (this.releases.get(token)?.archived === archived) continue;
        const record = await readRelease(join(folder, name)).catch(() => undefined); // a bad record is a miss, not a crash
        if (record !== undefined && record.token === token) this.remember(record, archived);
      }
    }
  }

  // An object as an index entry, made once: in memory within the policy, else streamed from disk.
  private entry(path: string, object: ArchivedObject, mtimeMs: number, typeOf = path): Promise<FileEntry | undefined> {
    const key = `${object.sha384}\0${path}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = this.load(path, object, mtimeMs, typeOf);
      this.entries.set(key, entry);
      // A vanished object (the release was pruned meanwhile) is not remembered.
      void entry.then((found) => found === undefined && this.entries.delete(key));
    }
    return entry;
  }

  private async load(path: string, object: ArchivedObject, mtimeMs: number, typeOf: string): Promise<FileEntry | undefined> {
    const digest = Buffer.from(object.sha384, 'hex');
    const entry = await readStoredObject(archivePaths(this.dir).object(object.sha384), { relativePath: path, typeOf, size: object.size, digest, mtimeMs }, this.memory);
    if (entry !== undefined) this.reads.set(entry, { object, mtimeMs, typeOf });
    return entry;
  }
}

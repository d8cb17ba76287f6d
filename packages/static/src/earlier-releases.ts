// What a view does with a URL of a release other than its own, when it has a release archive.
import type { ReleaseArchive } from './archive-source.js';
import type { Representations } from './representations.js';

/**
 * What the archive says about a file of another release:
 * - `{ files }`: that release's bytes (archived);
 * - `'current'`: the release is only in the ledger, and the file has not changed since: serve today's;
 * - `'changed'`: only in the ledger, and the file changed: the last resort, a short-lived redirect;
 * - `'missing'`: the release is known and had no such file (or this one no longer has it);
 * - undefined: the archive does not know that release or hash.
 */
export type EarlierFile = { readonly files: Representations } | 'current' | 'changed' | 'missing' | undefined;

/** The lookups a token view and a content-hashed view make of the archive: synchronous once a file was read. */
export interface EarlierReleases {
  /** The file at `relativePath` under another release's token. */
  forToken(token: string, relativePath: string): EarlierFile | Promise<EarlierFile>;
  /** What a content-hashed view served at `relativePath` under `hash`. */
  forHash(hash: string, relativePath: string): EarlierFile | Promise<EarlierFile>;
}

// Archived files already read, by token or hash and path: a repeat request is one Map hit, not
// a chain of promises (which halved the req/s of an archived 200). Only what the archive holds
// gets a key, so the Map is bounded by the archive, and by this.
const MAX_READ = 50_000;

/**
 * The archive as a view's fallback for URLs that are not its current release's.
 * `current` is the view's own lookup of today's files.
 * @example
 * const earlier = earlierReleases(archive, (path) => files.find(path))
 * await earlier.forToken('v41', 'style.css') // { files } with v41's bytes
 */
export function earlierReleases(archive: ReleaseArchive, current: (relativePath: string) => Representations | undefined): EarlierReleases {
  const read = new Map<string, { readonly files: Representations }>();
  const remember = (key: string, files: Representations | undefined): EarlierFile => {
    if (files === undefined) return undefined;
    const found = { files };
    if (read.size < MAX_READ) read.set(key, found);
    return found;
  };
  const byToken = async (key: string, token: string, relativePath: string): Promise<EarlierFile> => {
    const release = await archive.release(token);
    if (release === undefined) return undefined;
    const recorded = release.record.files[relativePath];
    if (recorded === undefined) return 'missing';
    const today = current(relativePath);
    // The same bytes as today's: today's entry is the same file (same ETag) and is in memory.
    if (today !== undefined && today.entry.digest.toString('hex') === recorded.sha384) return 'current';
    return remember(key, await archive.file(release, relativePath)) ?? (today === undefined ? 'missing' : 'changed');
  };
  return {
    forToken(token, relativePath) {
      const key = `t\0${token}\0${relativePath}`;
      return read.get(key) ?? byToken(key, token, relativePath);
    },
    forHash(hash, relativePath) {
      const key = `h\0${hash}\0${relativePath}`;
      return read.get(key) ?? archive.contentFile(relativePath, hash).then((files) => remember(key, files));
    },
  };
}

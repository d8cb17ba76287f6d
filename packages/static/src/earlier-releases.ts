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

/** The lookups a token view and a content-hashed view make of the archive. */
export interface EarlierReleases {
  /** The file at `relativePath` under another release's token. */
  forToken(token: string, relativePath: string): Promise<EarlierFile>;
  /** What a content-hashed view served at `relativePath` under `hash`. */
  forHash(hash: string, relativePath: string): Promise<EarlierFile>;
}

/**
 * The archive as a view's fallback for URLs that are not its current release's.
 * `current` is the view's own lookup of today's files.
 * @example
 * const earlier = earlierReleases(archive, (path) => files.find(path))
 * await earlier.forToken('v41', 'style.css') // { files } with v41's bytes
 */
export function earlierReleases(archive: ReleaseArchive, current: (relativePath: string) => Representations | undefined): EarlierReleases {
  return {
    async forToken(token, relativePath) {
      const release = await archive.release(token);
      if (release === undefined) return undefined;
      const recorded = release.record.files[relativePath];
      if (recorded === undefined) return 'missing';
      const today = current(relativePath);
      // The same bytes as today's: today's entry is the same file (same ETag) and is in memory.
      if (today !== undefined && today.entry.digest.toString('hex') === recorded.sha384) return 'current';
      const archived = await archive.file(release, relativePath);
      if (archived !== undefined) return { files: archived };
      return today === undefined ? 'missing' : 'changed';
    },
    async forHash(hash, relativePath) {
      const archived = await archive.contentFile(relativePath, hash);
      return archived === undefined ? undefined : { files: archived };
    },
  };
}

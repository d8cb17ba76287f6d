// A file and its precompressed siblings, who answers for their bytes, and the one definition
// of where `.br` and `.gz` are.
import type { FileEntry } from './file-entry.js';
import type { Reindexed } from './file-reader.js';

/**
 * What serving asks of the owner of some files (a view's FileSource, a release archive): the
 * h3-style boundary. The entries say what a file is (metadata, and the bytes of one in memory);
 * these say what it is now and give the bytes of one streamed from disk.
 */
export interface ServedFiles {
  /** The entry now in the place of one found earlier; null when its file is gone. */
  current(entry: FileEntry): FileEntry | null;
  /** Opens a streamed entry's file, checked to be the very file the entry was read from. */
  open(entry: FileEntry): Promise<number | 'changed' | 'no-descriptors'>;
  /** Reads again an entry whose file changed on disk. */
  refresh(stale: FileEntry): Promise<Reindexed>;
}

/** A file and its precompressed siblings (`style.css.br`, `style.css.gz`). */
export interface Representations {
  readonly entry: FileEntry;
  readonly br?: FileEntry | undefined;
  readonly gzip?: FileEntry | undefined;
  /** Who answers for these entries when it is not the view's own file source (a release archive). */
  readonly source?: ServedFiles | undefined;
}

/** The precompressed siblings Tet serves, by `Content-Encoding`, and the suffix each has on disk. */
export const SIBLING_SUFFIXES = { br: '.br', gzip: '.gz' } as const;

/** True for the path of a precompressed sibling (`x.css.br`), which is served through its file. */
export function isSiblingPath(path: string): boolean {
  return path.endsWith(SIBLING_SUFFIXES.br) || path.endsWith(SIBLING_SUFFIXES.gzip);
}

/**
 * A file's siblings looked up by path with `find`, whatever holds them (an index, an archive).
 * @example
 * siblingsOf('style.css', (path) => index.get(path)) // { br: <style.css.br>, gzip: undefined }
 */
export function siblingsOf<T>(path: string, find: (path: string) => T | undefined): { br: T | undefined; gzip: T | undefined } {
  return { br: find(path + SIBLING_SUFFIXES.br), gzip: find(path + SIBLING_SUFFIXES.gzip) };
}

// A file and its precompressed siblings: the one definition of where `.br` and `.gz` are.
import type { FileEntry } from './file-reader.js';

/** A file and its precompressed siblings (`style.css.br`, `style.css.gz`). */
export interface Representations {
  readonly entry: FileEntry;
  readonly br?: FileEntry | undefined;
  readonly gzip?: FileEntry | undefined;
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

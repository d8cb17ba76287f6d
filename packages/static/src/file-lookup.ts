import type { FileIndex } from './file-index.js';
import type { Representations } from './serve-file.js';

/** A file and its precompressed siblings, as the index knows them: three Map hits. */
export function lookupIndexed(index: FileIndex, relativePath: string): { entry: Representations['file']; br: Representations['br']; gzip: Representations['gzip'] } | undefined {
  const entry = index.get(relativePath);
  if (entry === undefined) return undefined;
  return { entry, br: index.get(`${relativePath}.br`), gzip: index.get(`${relativePath}.gz`) };
}

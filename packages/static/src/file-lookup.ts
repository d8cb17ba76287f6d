import type { FileEntry, FileIndex } from './file-index.js';
import type { Representations } from './serve-file.js';

// Each entry's siblings, looked up on its first request. A production index does not change
// after start-up (reload mode re-validates through the catalog and never comes here), so the
// two `.br`/`.gz` key concatenations and Map lookups per request were pure repetition: they
// were the largest self time of a 200 in --cpu-prof. Weak, so a replaced entry takes its
// siblings with it.
const siblings = new WeakMap<FileEntry, Representations>();

/** A file and its precompressed siblings, as the index knows them: one Map hit once warm. */
export function lookupIndexed(index: FileIndex, relativePath: string): Representations | undefined {
  const entry = index.get(relativePath);
  if (entry === undefined) return undefined;
  let found = siblings.get(entry);
  if (found === undefined) {
    found = { entry, br: index.get(`${relativePath}.br`), gzip: index.get(`${relativePath}.gz`) };
    siblings.set(entry, found);
  }
  return found;
}

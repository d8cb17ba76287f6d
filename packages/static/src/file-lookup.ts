import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { type FileEntry, type FileIndex, type MemoryPolicy, readEntry } from './file-index.js';
import { chooseEncoding } from './negotiation.js';
import { type Representations, retryLater } from './serve-file.js';

const NOFOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/** How a view finds files: the start-up index, re-validated on every request when reloading. */
export interface LookupMode {
  readonly reload: boolean;
  /** Memory policy for entries re-read in reload mode. */
  readonly memory: MemoryPolicy;
}

/** Production: a Map hit for the file and its precompressed siblings. */
export function lookupIndexed(index: FileIndex, relativePath: string): Representations | undefined {
  const file = index.get(relativePath);
  if (file === undefined) return undefined;
  return { file, br: index.get(`${relativePath}.br`), gzip: index.get(`${relativePath}.gz`) };
}

/**
 * `tet.static.reload`: the same index, but each entry is re-validated with `fstat` of the
 * opened file and re-hashed when it changed; a file the index does not know is looked for
 * (inside the root only) and indexed, and a vanished one is dropped.
 */
export async function refreshEntry(index: FileIndex, relativePath: string, memory: MemoryPolicy): Promise<FileEntry | undefined> {
  const known = index.get(relativePath);
  const realPath = known?.realPath ?? (await index.resolveInside(relativePath));
  if (realPath === undefined) return undefined;
  let handle;
  try {
    handle = await open(realPath, NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EMFILE' || code === 'ENFILE') throw retryLater('The server is out of file descriptors; retry shortly.');
    index.delete(relativePath);
    return undefined;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      index.delete(relativePath);
      return undefined;
    }
    if (known !== undefined && known.size === info.size && known.mtimeMs === info.mtimeMs) return known;
    const fresh = await readEntry(relativePath, realPath, memory, handle);
    if (fresh !== undefined) index.set(fresh);
    return fresh;
  } finally {
    await handle.close();
  }
}

/** Reload mode's counterpart of {@link lookupIndexed}. */
export async function lookupRefreshed(index: FileIndex, relativePath: string, memory: MemoryPolicy, acceptEncoding: string | undefined): Promise<Representations | undefined> {
  const file = await refreshEntry(index, relativePath, memory);
  if (file === undefined) return undefined;
  // Only look for siblings the client could use.
  const wanted = chooseEncoding(acceptEncoding, { br: true, gzip: true });
  const br = wanted === 'br' ? await refreshEntry(index, `${relativePath}.br`, memory) : undefined;
  const gzip = wanted !== null ? await refreshEntry(index, `${relativePath}.gz`, memory) : undefined;
  return { file, br, gzip };
}

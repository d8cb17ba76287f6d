// A folder served with @tet/static's file serving, for packages that lay out their own URLs
// (@tet/vite): the index, precompressed siblings, preconditions, ranges and the memory budget
// are the static views' own; only the URL layout and the cache policy are the caller's.
import type { Configurator, HTTPServiceUnavailable, Request, Response } from '@tet/core';
import type { FileEntry } from './file-entry.js';
import { FileSource } from './file-source.js';
import { outOfDescriptors, retryLater, uncachedNotFound } from './http-answers.js';
import { isOutOfDescriptors } from './file-reader.js';
import { type ServeOptions, serveFile } from './serve-file.js';
import { memoryPolicy } from './view-options.js';

/** What a {@link ServedFolder} answers a request with. */
export type FolderAnswer = Response | HTTPServiceUnavailable;

/** How a {@link ServedFolder.responder} serves its files. */
export interface FolderServePolicy {
  /** The `Cache-Control` of every answer (200, 206, 304, 416). */
  readonly cacheControl: string;
  /**
   * A streamed file found changed on disk since start-up: `'reindex'` serves its new bytes,
   * `'refuse'` answers 503 (for a URL that names the old bytes, such as a hashed file name).
   */
  readonly onChange: 'reindex' | 'refuse';
}

/**
 * A folder indexed at start-up as a static view's is (dotfiles and links out of it never
 * indexed), and served the same way; see {@link openServedFolder}.
 */
export interface ServedFolder {
  /** The folder, as configured. */
  readonly root: string;
  /** The file at a canonical relative path (see `canonicalPath()`), as indexed. */
  get(relativePath: string): FileEntry | undefined;
  /** Every file, as indexed. */
  entries(): IterableIterator<FileEntry>;
  /**
   * A function answering a GET or HEAD for the file at a canonical relative path, or
   * undefined when the folder has no such file (the caller chooses the 404 or 503).
   */
  responder(policy: FolderServePolicy): (request: Request, relativePath: string) => FolderAnswer | Promise<FolderAnswer> | undefined;
}

/**
 * Indexes a folder for serving, within the static views' shared memory budget
 * (`tet.static.cache_max_size`); call it from a commit action. `where` names the directive
 * for messages. Unreadable files stop start-up with `TET_ERR_STATIC_FILE`.
 * @example
 * const folder = await openServedFolder(config, '/srv/app/dist', "addViteBuild({ name: 'vite' })")
 * const serve = folder.responder({ cacheControl: 'public, max-age=31536000, immutable', onChange: 'refuse' })
 * serve(request, 'assets/main-BdX3k2.js') ?? uncachedNotFound()
 */
export async function openServedFolder(config: Configurator, root: string, where: string): Promise<ServedFolder> {
  const files = await FileSource.open(root, memoryPolicy(config), { where });
  return {
    root,
    get: (relativePath) => files.get(relativePath),
    entries: () => files.entries(),
    responder(policy) {
      const options: ServeOptions = { cacheControl: policy.cacheControl, files, onChange: policy.onChange };
      return (request, relativePath) => {
        const found = files.find(relativePath);
        if (found === undefined) return undefined;
        try {
          return serveFile(request, found, options);
        } catch (error) {
          if (isOutOfDescriptors(error)) return outOfDescriptors();
          throw error;
        }
      };
    },
  };
}

export { retryLater, uncachedNotFound };

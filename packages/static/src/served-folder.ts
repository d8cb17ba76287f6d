// A folder served with @tet/static's file serving, for packages that lay out their own URLs
// (@tet/vite): the index, precompressed siblings, preconditions, ranges and the memory budget
// are the static views' own; only the URL layout and the cache policy are the caller's.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Configurator, ConfigurationError, type HTTPServiceUnavailable, type Request, type Response } from '@tet/core';
import { ARCHIVE_NAME } from './archive.js';
import { ReleaseArchive } from './archive-source.js';
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
  /**
   * With a release archive (`tet assets build`): a function answering for a path the folder
   * lacks with the file an archived release had there, or undefined when none had one. Only for
   * paths that name the same bytes in every release (hashed file names). Undefined without an archive.
   */
  readonly archived: ((policy: FolderServePolicy) => (request: Request, relativePath: string) => Promise<FolderAnswer | undefined>) | undefined;
}

/** Options of {@link openServedFolder}. */
export interface ServedFolderOptions {
  /** Names the directive in messages: `addViteBuild({ name: 'vite', path: 'myapp:dist' })`. */
  readonly where: string;
  /**
   * The release archive, an absolute directory that must exist; default: `.tet-archive` in the
   * folder, when there is one.
   */
  readonly archive?: string | undefined;
}

async function openFolderArchive(config: Configurator, root: string, options: ServedFolderOptions): Promise<ReleaseArchive | undefined> {
  const dir = options.archive ?? join(root, ARCHIVE_NAME);
  const info = await stat(dir).catch(() => undefined);
  if (info?.isDirectory()) return new ReleaseArchive(dir, memoryPolicy(config));
  if (options.archive === undefined) return undefined;
  throw new ConfigurationError(
    `${options.where}: the archive ${dir} is not a directory. Create it with 'npx tet assets build <folder> --archive ${dir}', or leave out the archive option.`,
    'TET_ERR_STATIC_ARCHIVE',
  );
}

/**
 * Indexes a folder for serving, within the static views' shared memory budget
 * (`tet.static.cache_max_size`), with its release archive when it has one; call it from a
 * commit action. Unreadable files stop start-up with `TET_ERR_STATIC_FILE`, an `archive` that is
 * not a directory with `TET_ERR_STATIC_ARCHIVE`.
 * @example
 * const folder = await openServedFolder(config, '/srv/app/dist', { where: "addViteBuild({ name: 'vite' })" })
 * const serve = folder.responder({ cacheControl: 'public, max-age=31536000, immutable', onChange: 'refuse' })
 * serve(request, 'assets/main-BdX3k2.js') ?? uncachedNotFound()
 */
export async function openServedFolder(config: Configurator, root: string, options: ServedFolderOptions): Promise<ServedFolder> {
  const files = await FileSource.open(root, memoryPolicy(config), { where: options.where });
  const archive = await openFolderArchive(config, root, options);
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
    archived:
      archive === undefined
        ? undefined
        : (policy) => {
            const options: ServeOptions = { cacheControl: policy.cacheControl, files: archive, onChange: policy.onChange };
            return async (request, relativePath) => {
              const found = await archive.fileAtPath(relativePath);
              return found === undefined ? undefined : serveFile(request, found, options);
            };
          },
  };
}

export { retryLater, uncachedNotFound };

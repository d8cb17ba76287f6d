import { Registry, findPackage, resolveAssetSpec } from '@tet/core';
import { ContentCatalog } from './content-catalog.js';
import { integrityOf, treeToken } from './content-hash.js';
import { FileSource } from './file-source.js';
import type { ManifestFile } from './manifest.js';

/** The manifest's view of a static folder: what a content-hashed view would serve. */
export interface FolderAssets {
  readonly root: string;
  readonly tree: string;
  readonly files: Record<string, ManifestFile>;
}

/** Resolves a folder given on the command line: an asset spec, or a path relative to `cwd`. */
export function resolveFolder(folder: string, cwd: string): string {
  const pkg = findPackage(cwd);
  return resolveAssetSpec(folder, new Registry({}, pkg?.name, pkg?.root ?? cwd));
}

/**
 * Indexes a folder exactly as a content-hashed static view does at start-up (the same index,
 * the same stylesheet rewriting), for `tet assets manifest` and `tet assets verify`.
 */
export async function describeFolder(root: string): Promise<FolderAssets> {
  const folder = await FileSource.open(root, { maxFileSize: 256 * 1024, remaining: 256 * 1024 * 1024 });
  const catalog = new ContentCatalog(folder);
  const files: Record<string, ManifestFile> = {};
  for (const [path, file] of [...catalog.all()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const source = folder.get(path)!;
    const encodings = [file.br === undefined ? [] : ['br'], file.gzip === undefined ? [] : ['gzip']].flat();
    files[path] = {
      hash: file.hash,
      integrity: integrityOf(file.entry.digest),
      size: file.entry.size,
      encodings,
      ...(file.entry === source ? {} : { source: integrityOf(source.digest) }),
    };
  }
  return { root, tree: treeToken(folder.entries()), files };
}

import { readFile, rename, writeFile } from 'node:fs/promises';
import { ConfigurationError } from '@tet/core';

/** What the manifest records for one file. */
export interface ManifestFile {
  /** The short content hash in the file's URL. */
  readonly hash: string;
  /** Subresource Integrity of the bytes served (`sha384-...`). */
  readonly integrity: string;
  readonly size: number;
  /** Precompressed representations served besides the file itself. */
  readonly encodings: readonly string[];
  /** For a stylesheet whose references were rewritten: the integrity of the file on disk. */
  readonly source?: string;
}

/** One earlier release, as the ledger keeps it: file → content hash, and the tree token. */
export interface ManifestRelease {
  readonly created: string;
  readonly tree: string;
  readonly files: Readonly<Record<string, string>>;
}

/**
 * The asset manifest: the current release's files and the ledger of earlier releases.
 * Written by `npx tet assets manifest`, read at start-up; plain JSON for other tools too.
 */
export interface AssetManifest {
  readonly format: 'tet-assets';
  readonly version: 1;
  readonly created: string;
  /** The deterministic token of the tree (paths and contents of the files on disk). */
  readonly tree: string;
  readonly files: Readonly<Record<string, ManifestFile>>;
  /** Earlier releases, newest first. */
  readonly history: readonly ManifestRelease[];
}

/** The file name a static folder's manifest has by default (a dotfile: never served). */
export const MANIFEST_NAME = '.tet-assets.json';
export const DEFAULT_KEEP = 10;

/** Reads a manifest; undefined when there is none, a ConfigurationError when it is not one. */
export async function readManifest(path: string): Promise<AssetManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: Partial<AssetManifest>;
  try {
    parsed = JSON.parse(text) as Partial<AssetManifest>;
  } catch (error) {
    throw new ConfigurationError(`The asset manifest ${path} is not valid JSON (${(error as Error).message}). Regenerate it with 'npx tet assets manifest'.`, 'TET_ERR_STATIC_MANIFEST');
  }
  if (parsed.format !== 'tet-assets' || parsed.version !== 1 || typeof parsed.files !== 'object' || !Array.isArray(parsed.history)) {
    throw new ConfigurationError(`${path} is not a Tet asset manifest (format 'tet-assets', version 1). Regenerate it with 'npx tet assets manifest'.`, 'TET_ERR_STATIC_MANIFEST');
  }
  return parsed as AssetManifest;
}

/** Writes a manifest atomically (a reader never sees half a file). */
export async function writeManifest(path: string, manifest: AssetManifest): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temporary, path);
}

/**
 * The next manifest: the current files, with the previous release moved into the history
 * (newest first, at most `keep` releases) when anything changed.
 */
export function nextManifest(previous: AssetManifest | undefined, tree: string, files: Record<string, ManifestFile>, keep = DEFAULT_KEEP, now = new Date()): AssetManifest {
  let history = previous?.history ?? [];
  if (previous !== undefined && previous.tree !== tree) {
    const released: Record<string, string> = {};
    for (const [path, file] of Object.entries(previous.files)) released[path] = file.hash;
    history = [{ created: previous.created, tree: previous.tree, files: released }, ...history];
  }
  return { format: 'tet-assets', version: 1, created: now.toISOString(), tree, files, history: history.slice(0, keep) };
}

/** What the ledger says about hashes that are not current. */
export interface Ledger {
  /** True when `hash` was the content hash of `path` in an earlier release. */
  wasHashOf(path: string, hash: string): boolean;
  /** True when `path` existed in an earlier release. */
  knewPath(path: string): boolean;
  /** Tree tokens of earlier releases. */
  readonly trees: ReadonlySet<string>;
}

export function ledgerOf(manifest: AssetManifest | undefined): Ledger {
  const hashes = new Map<string, Set<string>>();
  const trees = new Set<string>();
  for (const release of manifest?.history ?? []) {
    trees.add(release.tree);
    for (const [path, hash] of Object.entries(release.files)) {
      let known = hashes.get(path);
      if (known === undefined) hashes.set(path, (known = new Set()));
      known.add(hash);
    }
  }
  return {
    wasHashOf: (path, hash) => hashes.get(path)?.has(hash) ?? false,
    knewPath: (path) => hashes.has(path),
    trees,
  };
}

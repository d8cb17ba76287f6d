// Vite's build manifest (`build.manifest: true`): reading it, checking it, and walking an
// entry's chunks for the tags a page needs.
import { readFile } from 'node:fs/promises';
import { ConfigurationError } from '@tet/core';

/** One chunk of Vite's manifest, as Vite 5 to 7 write it (keys are source paths, `_` for shared chunks). */
export interface ViteChunk {
  readonly file: string;
  readonly src?: string;
  readonly name?: string;
  readonly isEntry?: boolean;
  readonly isDynamicEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
  readonly css?: readonly string[];
  readonly assets?: readonly string[];
}

/** Vite's manifest: source path (or `_name` of a shared chunk) -> chunk. */
export type ViteManifest = Readonly<Record<string, ViteChunk>>;

/** What a page needs for some entries, in Vite's recommended order (its backend-integration guide). */
export interface EntryFiles {
  /** The entries' CSS, then that of the chunks they import statically (transitively). */
  readonly css: readonly string[];
  /** The entries' own files (`.js`, or `.css` for a stylesheet entry). */
  readonly entries: readonly string[];
  /** The files of the chunks the entries import statically (transitively), for modulepreload. */
  readonly preloads: readonly string[];
}

const STRING_LISTS = ['imports', 'dynamicImports', 'css', 'assets'] as const;

function manifestError(message: string): ConfigurationError {
  return new ConfigurationError(message, 'TET_ERR_VITE_MANIFEST');
}

/**
 * Reads and checks a Vite manifest: every chunk has a `file`, its lists are lists of strings,
 * and every import names a chunk of the manifest.
 * @example
 * const manifest = await readViteManifest('/srv/app/dist/.vite/manifest.json', "addViteBuild({ name: 'vite' })")
 */
export async function readViteManifest(file: string, where: string): Promise<ViteManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw manifestError(
      missing
        ? `${where}: ${file} does not exist. Build with \`vite build\` and build.manifest: true in vite.config (Vite writes .vite/manifest.json in outDir), or name the dev server with the tet.vite.dev_server setting in development.`
        : `${where}: cannot read ${file}: ${(error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw manifestError(`${where}: ${file} is not valid JSON (${(error as Error).message}); rebuild with \`vite build\`.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw manifestError(`${where}: ${file} is not a Vite manifest (an object of chunks); rebuild with \`vite build\`.`);
  const manifest = parsed as Record<string, unknown>;
  for (const [key, chunk] of Object.entries(manifest)) {
    const what = `${where}: ${file}: chunk '${key}'`;
    if (typeof chunk !== 'object' || chunk === null || typeof (chunk as ViteChunk).file !== 'string' || (chunk as ViteChunk).file === '')
      throw manifestError(`${what} has no "file": this is not a Vite build manifest. Rebuild with \`vite build\`.`);
    for (const list of STRING_LISTS) {
      const value = (chunk as Record<string, unknown>)[list];
      if (value !== undefined && (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))) throw manifestError(`${what}: "${list}" is not a list of strings.`);
    }
    for (const imported of [...((chunk as ViteChunk).imports ?? []), ...((chunk as ViteChunk).dynamicImports ?? [])]) {
      if (!Object.hasOwn(manifest, imported)) throw manifestError(`${what} imports '${imported}', which the manifest lacks: it is incomplete. Rebuild with \`vite build\`.`);
    }
  }
  return manifest as ViteManifest;
}

/** Every file a manifest names (chunks, their CSS and assets), for checking and classifying. */
export function filesOf(manifest: ViteManifest): Set<string> {
  const files = new Set<string>();
  for (const chunk of Object.values(manifest)) {
    files.add(chunk.file);
    for (const file of [...(chunk.css ?? []), ...(chunk.assets ?? [])]) files.add(file);
  }
  return files;
}

/** An entry as written in a template (`./src/main.ts`, `/src/main.ts`) as the manifest keys it. */
export function entryKey(entry: string): string {
  return entry.replace(/^(?:\.\/|\/)+/, '');
}

/**
 * The files a page needs for some entries (manifest keys): their CSS and that of every chunk
 * they import statically, their own files, and the imported chunks' files. Dynamic imports are
 * left out: Vite's own preload helper fetches them, with their CSS, when the code asks.
 * @example
 * entryFiles(manifest, ['src/main.ts']) // { css: ['assets/main-x.css'], entries: ['assets/main-y.js'], preloads: ['assets/shared-z.js'] }
 */
export function entryFiles(manifest: ViteManifest, keys: readonly string[]): EntryFiles {
  const css = new Set<string>();
  const entries = new Set<string>();
  const preloads = new Set<string>();
  const visited = new Set<string>(keys);
  // Depth first, imports in order, as Vite's guide walks them.
  const walk = (key: string) => {
    for (const imported of manifest[key]!.imports ?? []) {
      if (visited.has(imported)) continue;
      visited.add(imported);
      const chunk = manifest[imported]!;
      for (const file of chunk.css ?? []) css.add(file);
      preloads.add(chunk.file);
      walk(imported);
    }
  };
  for (const key of keys) {
    const chunk = manifest[key]!;
    for (const file of chunk.css ?? []) css.add(file);
    entries.add(chunk.file);
  }
  for (const key of keys) walk(key);
  for (const file of entries) preloads.delete(file);
  return { css: [...css], entries: [...entries], preloads: [...preloads] };
}

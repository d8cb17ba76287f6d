// The options of config.addViteBuild(), and the checks that say what is wrong with them.
import { ConfigurationError } from '@tet/core';

/** Options of `config.addViteBuild()`. */
export interface ViteBuildOptions {
  /**
   * The URL prefix the build is served under (`vite` serves `/vite/assets/main-BdX3k2.js`), or
   * an absolute URL (a CDN holding a copy of the build): then Tet serves nothing, and the tags
   * point there. Also names the build for `request.viteTags(entry, { build })`.
   */
  name: string;
  /** Vite's `build.outDir`: an asset spec (`myapp:dist`) or an absolute path. */
  path: string;
  /** Vite's `build.assetsDir` (default `assets`): every file in it has a content hash in its name. */
  assetsDir?: string;
  /** The manifest inside the folder (default `.vite/manifest.json`, where Vite 5+ writes it). */
  manifest?: string;
  /**
   * The Vite dev server (`http://localhost:5173`, with Vite's `base` if it is not `/`): the tags
   * point at it and no build is read. Default: the `tet.vite.dev_server` setting.
   */
  devServer?: string;
  /**
   * The release archive `npx tet assets build <outDir>` writes (an asset spec or an absolute
   * directory, which must exist); default: `.tet-archive` in the folder, when there is one.
   * Earlier builds' hashed files are served from it (docs/deploying.md).
   */
  archive?: string;
}

// Typed by the options interface: an option added there without a line here fails to compile.
const OPTION_NAMES: Record<keyof ViteBuildOptions, true> = { name: true, path: true, assetsDir: true, manifest: true, devServer: true, archive: true };

function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function optionsError(message: string): ConfigurationError {
  return new ConfigurationError(message, 'TET_ERR_VITE_OPTIONS');
}

// A relative path inside the build folder: no `..`, no leading `/`, no empty segment.
const RELATIVE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))(?!.*\/\/)[^\\\0]+$/;

/** Checks the options of `addViteBuild()`; returns the `where` its messages start with. */
export function checkBuildOptions(options: ViteBuildOptions): string {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw optionsError(`addViteBuild(): pass an options object { name, path }, got ${describe(options)}`);
  const { name, path, assetsDir, manifest, devServer } = options;
  if (typeof name !== 'string' || name.replace(/^\/+|\/+$/g, '') === '' || /[\s*:{}]/.test(name.replace(/^https?:\/\/[^/]+/i, '')))
    throw optionsError(`addViteBuild({ name }): name must be a URL prefix such as 'vite' or an absolute URL, got ${describe(name)}`);
  if (typeof path !== 'string' || path === '')
    throw optionsError(`addViteBuild({ name: '${name}', path }): path must be Vite's outDir as an asset spec such as 'myapp:dist' or an absolute directory, got ${describe(path)}`);
  const where = `addViteBuild({ name: '${name}', path: '${path}' })`;
  for (const key of Object.keys(options)) {
    if (!(key in OPTION_NAMES)) throw optionsError(`${where}: unknown option '${key}'; the options are ${Object.keys(OPTION_NAMES).join(', ')}`);
  }
  if (assetsDir !== undefined && (typeof assetsDir !== 'string' || !RELATIVE_PATH.test(assetsDir.replace(/\/+$/, ''))))
    throw optionsError(`${where}: assetsDir must be Vite's build.assetsDir, a relative folder such as 'assets', got ${describe(assetsDir)}`);
  if (manifest !== undefined && (typeof manifest !== 'string' || !RELATIVE_PATH.test(manifest)))
    throw optionsError(`${where}: manifest must be a path inside the build folder such as '.vite/manifest.json', got ${describe(manifest)}`);
  if (options.archive !== undefined && (typeof options.archive !== 'string' || options.archive === ''))
    throw optionsError(`${where}: archive must be the release archive's folder, an asset spec or an absolute directory, got ${describe(options.archive)}`);
  if (devServer !== undefined && typeof devServer !== 'string') throw optionsError(`${where}: devServer must be a URL such as 'http://localhost:5173', got ${describe(devServer)}`);
  return where;
}

/**
 * The dev server's URL without a final `/`, checked: an http(s) URL with no query or fragment.
 * @example
 * devServerUrl('http://localhost:5173/', "settings['tet.vite.dev_server']") // 'http://localhost:5173'
 */
export function devServerUrl(value: unknown, what: string): string {
  const text = typeof value === 'string' ? value : '';
  let url: URL | undefined;
  try {
    url = /^https?:\/\//i.test(text) ? new URL(text) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || url.search !== '' || url.hash !== '')
    throw new ConfigurationError(`${what}: the Vite dev server must be an http(s) URL such as 'http://localhost:5173', got ${describe(value)}`, 'TET_ERR_VITE_DEV_SERVER');
  return text.replace(/\/+$/, '');
}

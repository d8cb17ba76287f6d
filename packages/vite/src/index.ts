// @tet/vite: serves Vite builds (the manifest, integrity, immutable hashed files) and points
// at the Vite dev server in development.
import { type Configurator, INGRESS, type Markup } from '@tet/core';
import './error-codes.js';
import { viteEarlyHints } from './early-hints.js';
import { viteBuildsTable } from './introspection.js';
import { viteUrl, type ViteUrlOptions } from './asset-url.js';
import { viteTags, type ViteTagsOptions } from './tags.js';
import { addViteBuild, type ViteBuilds } from './vite-build.js';
import type { ViteBuildOptions } from './options.js';

declare module '@tet/core' {
  interface Directives {
    /** Serves Vite's outDir under `name` and reads its manifest for `request.viteTags()`. */
    addViteBuild(options: ViteBuildOptions): void;
  }
  interface Request {
    /** The tags for Vite entries: CSS, the module script and modulepreloads with integrity, or the dev server's. */
    viteTags(entries: string | readonly string[], options?: ViteTagsOptions): Markup;
    /** The URL of the file Vite built from a source path (`src/images/logo.svg`), or of the source on the dev server. */
    viteUrl(source: string, options?: ViteUrlOptions): string;
  }
  interface Settings {
    /** The Vite dev server (`http://localhost:5173`): `request.viteTags()` points at it, and no build is read. */
    'tet.vite.dev_server'?: string;
  }
  interface Registry {
    /** The application's Vite builds, set at commit by `addViteBuild()`. */
    viteBuilds?: ViteBuilds;
  }
}

/**
 * The include: adds `config.addViteBuild()`, `request.viteTags()`, `request.viteUrl()` and the
 * `viteEarlyHints` view option.
 * @example
 * config.include(tetVite)
 * config.addViteBuild({ name: 'vite', path: 'myapp:dist' })
 */
export function tetVite(config: Configurator): void {
  config.addDirective('addViteBuild', addViteBuild);
  config.registry.introspectors.push(viteBuildsTable);
  config.addRequestMethod('viteTags', viteTags);
  config.addRequestMethod('viteUrl', viteUrl);
  config.addViewDeriver(viteEarlyHints, { name: 'tet.vite.earlyHints', options: ['viteEarlyHints'], under: INGRESS });
}

export { tetVite as includeme };
export { viteErrorCodes } from './error-codes.js';
export { viteBuildsTable } from './introspection.js';
export type { ViteBuildOptions } from './options.js';
export type { ViteTagsOptions } from './tags.js';
export type { ViteUrlOptions } from './asset-url.js';
export type { ViteEarlyHints } from './early-hints.js';
export type { ViteBuild, ViteBuilds } from './vite-build.js';
export { entryFiles, readViteManifest, type EntryFiles, type ViteChunk, type ViteManifest } from './manifest.js';

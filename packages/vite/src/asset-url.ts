// request.viteUrl(): the URL of one file of a Vite build by its source path (an image a
// template shows), as Laravel's Vite::asset() and django-vite's vite_asset_url.
import type { Request } from '@tet/core';
import { baseUrl, buildFor, encodeFile, entryError } from './build-lookup.js';
import { entryKey } from './manifest.js';

/** Options of `request.viteUrl()`. */
export interface ViteUrlOptions {
  /** Which build, by its `name`, when the application has more than one. */
  build?: string;
}

/**
 * `request.viteUrl(source)`: the absolute URL of the file Vite built from a source path the
 * manifest lists (an entry, or an asset the code imports or `import.meta.glob`s); with a dev
 * server, the source on the dev server.
 * @example
 * request.viteUrl('src/images/logo.svg') // 'http://localhost:6543/vite/assets/logo-C1x2y3.svg'
 */
export function viteUrl(request: Request, source: string, options: ViteUrlOptions = {}): string {
  if (typeof source !== 'string' || source === '') throw entryError("viteUrl(source): name a source file as the manifest keys it, e.g. viteUrl('src/images/logo.svg').");
  const build = buildFor(request, options.build, 'viteUrl');
  const key = entryKey(source);
  if (build.manifest === undefined) return baseUrl(request, build) + encodeFile(key);
  const chunk = Object.hasOwn(build.manifest, key) ? build.manifest[key] : undefined;
  if (chunk === undefined)
    throw entryError(
      `viteUrl('${key}'): the Vite build '${build.name}' has no such file in its manifest. Import it from a module, or list it with import.meta.glob() so that Vite emits it, and rebuild.`,
    );
  return baseUrl(request, build) + encodeFile(chunk.file);
}

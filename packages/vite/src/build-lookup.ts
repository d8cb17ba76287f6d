// What viteTags() and viteUrl() share: finding the build a call means, and the URL its files
// are under for this request (the dev server, a CDN, or this application).
import { type Request, TetError } from '@tet/core';
import type { ViteBuild } from './vite-build.js';

/** A TetError with TET_ERR_VITE_ENTRY: a helper asked for an entry or a build there is not. */
export function entryError(message: string): TetError {
  return new TetError(message, 'TET_ERR_VITE_ENTRY');
}

/** The build a helper (`viteTags`, `viteUrl`) means: the only one, or the one named. */
export function buildFor(request: Request, name: string | undefined, helper: string): ViteBuild {
  const builds = request.registry.viteBuilds;
  if (builds === undefined || builds.size === 0) throw entryError(`${helper}(): no Vite build is registered. Call config.include(tetVite) and config.addViteBuild({ name, path }) first.`);
  if (name === undefined) {
    if (builds.size === 1) return builds.values().next().value!;
    throw entryError(`${helper}(): the application has ${builds.size} Vite builds (${[...builds.keys()].join(', ')}); say which: ${helper}(entry, { build: '${[...builds.keys()][0]}' }).`);
  }
  const build = builds.get(name.replace(/^\/+|\/+$/g, ''));
  if (build === undefined) throw entryError(`${helper}(): no Vite build is named '${name}'; the builds are ${[...builds.keys()].join(', ')}.`);
  return build;
}

/** Where a build's files are for this request, ending in `/`: the dev server, the CDN, or this application's prefix. */
export function baseUrl(request: Request, build: ViteBuild): string {
  return build.devServer !== undefined ? `${build.devServer}/` : build.absolute ? build.prefix : request.applicationUrl + build.prefix;
}

/** A file's path for a URL: each segment percent-encoded, `@` kept (Vite's `/@vite/client`, `/@id/...`). */
export function encodeFile(file: string): string {
  return file
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%40/g, '@'))
    .join('/');
}

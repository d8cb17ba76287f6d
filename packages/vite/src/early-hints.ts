// The `viteEarlyHints` view option: a page's Vite entries sent as `103 Early Hints` before the
// view runs, and as a `Link` header on its response (docs/frontend.md, "103 Early Hints").
import { asBool, ConfigurationError, type DerivedView, type Request, sendEarlyHints, type ViewDeriver } from '@tet/core';
import { buildFor, encodeFile } from './build-lookup.js';
import { entryKey } from './manifest.js';
import { type Tag, tagsFor } from './tags.js';

/** The `viteEarlyHints` view option: entries of the only build, or of the one named. */
export type ViteEarlyHints = readonly string[] | { readonly build: string; readonly entries: readonly string[] };

declare module '@tet/core' {
  interface ViewOptions {
    /**
     * Vite entries whose files the page needs first (`['src/main.ts']`): their CSS, module and
     * preloads go out as `103 Early Hints` before the view runs, and as a `Link` header.
     */
    viteEarlyHints?: ViteEarlyHints;
  }
}

function checkHints(hints: unknown, where: string): { build: string | undefined; entries: readonly string[] } {
  const given = Array.isArray(hints) ? { build: undefined, entries: hints as unknown[] } : (hints as { build?: unknown; entries?: unknown });
  const entries = given?.entries;
  if (!Array.isArray(entries) || entries.length === 0 || entries.some((entry) => typeof entry !== 'string' || entry === '') || (given.build !== undefined && typeof given.build !== 'string'))
    throw new ConfigurationError(`${where}: viteEarlyHints is a list of Vite entries, e.g. viteEarlyHints: ['src/main.ts'], or { build: 'admin', entries: [...] }`, 'TET_ERR_VITE_OPTIONS');
  return { build: given.build as string | undefined, entries: (entries as string[]).map(entryKey) };
}

// What the browser fetches each tag as; crossorigin as on the tags, or the preload is not used.
const LINK_KIND: Record<Tag['kind'], string> = { stylesheet: 'rel=preload; as=style; crossorigin', script: 'rel=modulepreload; crossorigin', modulepreload: 'rel=modulepreload; crossorigin' };

function linksFor(request: Request, build: ReturnType<typeof buildFor>, entries: readonly string[]): string[] {
  if (build.manifest === undefined) return []; // the dev server: nothing is final enough to hint
  const base = build.absolute ? build.prefix : request.scriptName + build.prefix;
  return tagsFor(build, entries).map((tag) => `<${base}${encodeFile(tag.file)}>; ${LINK_KIND[tag.kind]}; integrity="${tag.integrity}"`);
}

/**
 * The view deriver behind `viteEarlyHints`: the entries' stylesheets (`rel=preload; as=style`)
 * and modules (`rel=modulepreload`), with the integrity the page's `viteTags()` carry, sent as
 * `103 Early Hints` (unless `tet.static.early_hints` is false) and set as the response's `Link`.
 * @example
 * config.addView(home, { routeName: 'home', renderer: 'myapp:templates/index.eta', viteEarlyHints: ['src/main.ts'] })
 */
export const viteEarlyHints: ViewDeriver = (view: DerivedView, info) => {
  if (info.options.viteEarlyHints === undefined) return view;
  const { build: name, entries } = checkHints(info.options.viteEarlyHints, `addView({ routeName: '${info.routeName ?? ''}' })`);
  const send = asBool(info.registry.settings['tet.static.early_hints'] ?? true);
  let cached: { scriptName: string; links: string[] } | undefined;
  return (request) => {
    let links = cached?.scriptName === request.scriptName ? cached.links : undefined;
    if (links === undefined) {
      links = linksFor(request, buildFor(request, name, 'viteEarlyHints'), entries);
      cached = { scriptName: request.scriptName, links };
    }
    if (links.length === 0) return view(request);
    if (send) sendEarlyHints(request, links);
    const header = links.join(', ');
    const withLinks = (response: Awaited<ReturnType<DerivedView>>) => {
      const existing = response.headers.link;
      response.setHeader('link', existing === undefined ? header : [...(Array.isArray(existing) ? existing : [String(existing)]), header]);
      return response;
    };
    const result = view(request);
    return result instanceof Promise ? result.then(withLinks) : withLinks(result);
  };
};

// request.viteTags(): the tags a page needs for some of a Vite build's entries, from the
// manifest (with integrity) or pointing at the dev server.
import { escapeHtml, Markup, type Request } from '@tet/core';
import { baseUrl, buildFor, encodeFile, entryError } from './build-lookup.js';
import { entryFiles, entryKey } from './manifest.js';
import type { ViteBuild } from './vite-build.js';

/** Options of `request.viteTags()`. */
export interface ViteTagsOptions {
  /** Which build, by its `name`, when the application has more than one. */
  build?: string;
  /** A Content-Security-Policy nonce for every tag (`script-src 'nonce-…'`), as Laravel's `Vite::useCspNonce()`. */
  nonce?: string;
}

/** One tag, its URL still relative to the build's base (the host is the request's). */
export interface Tag {
  readonly kind: 'stylesheet' | 'script' | 'modulepreload';
  readonly file: string;
  readonly integrity: string | undefined;
}

const rendered = new WeakMap<ViteBuild, Map<string, readonly Tag[]>>();
const MAX_CACHED = 1_000;

const isCss = (file: string) => /\.css$/i.test(file);

/** The tags for some entries of a build (cached per build and entries); URLs still relative to its base. */
export function tagsFor(build: ViteBuild, keys: readonly string[]): readonly Tag[] {
  const cacheKey = keys.join('\n');
  const cache = rendered.get(build) ?? new Map<string, readonly Tag[]>();
  rendered.set(build, cache);
  let tags = cache.get(cacheKey);
  if (tags === undefined) {
    tags = computeTags(build, keys);
    if (cache.size < MAX_CACHED) cache.set(cacheKey, tags);
  }
  return tags;
}

function computeTags(build: ViteBuild, keys: readonly string[]): readonly Tag[] {
  if (build.manifest === undefined) {
    // The dev server transforms the sources itself; its client first, for HMR.
    return [{ kind: 'script', file: '@vite/client', integrity: undefined }, ...keys.map((key) => ({ kind: isCss(key) ? 'stylesheet' : 'script', file: key, integrity: undefined }) as const)];
  }
  const manifest = build.manifest;
  for (const key of keys) {
    if (!Object.hasOwn(manifest, key)) {
      const entries = Object.keys(manifest).filter((candidate) => manifest[candidate]!.isEntry === true);
      throw entryError(
        `viteTags('${key}'): the Vite build '${build.name}' has no such entry; its entries are ${entries.join(', ') || 'none'}. Add it to build.rollupOptions.input in vite.config and rebuild.`,
      );
    }
  }
  const files = entryFiles(manifest, keys);
  const tag = (kind: Tag['kind'], file: string): Tag => ({ kind, file, integrity: build.integrity.get(file) });
  return [
    ...files.css.map((file) => tag('stylesheet', file)),
    ...files.entries.map((file) => tag(isCss(file) ? 'stylesheet' : 'script', file)),
    ...files.preloads.map((file) => tag('modulepreload', file)),
  ];
}

function html(tag: Tag, url: string, nonce: string): string {
  const href = escapeHtml(url);
  // crossorigin as Vite writes it: the integrity check of a CDN's file needs a CORS fetch.
  const checked = (tag.integrity === undefined ? '' : ` integrity="${tag.integrity}" crossorigin`) + nonce;
  if (tag.kind === 'script') return `<script type="module" src="${href}"${checked}></script>`;
  return `<link rel="${tag.kind}" href="${href}"${checked}>`;
}

/**
 * `request.viteTags(entry)`: for a built entry, a `<link rel="stylesheet">` for its CSS and
 * that of every chunk it imports statically, its `<script type="module">`, and a
 * `<link rel="modulepreload">` for each statically imported chunk, each with its integrity;
 * with a dev server, `@vite/client` and the entry from the dev server. Safe markup for
 * templates (`$request.viteTags('src/main.ts')`).
 * @example
 * request.viteTags('src/main.ts')
 * // <link rel="stylesheet" href="http://localhost:6543/vite/assets/main-Cq2.css" integrity="sha384-..." crossorigin>
 * // <script type="module" src="http://localhost:6543/vite/assets/main-BdX3k2.js" integrity="sha384-..." crossorigin></script>
 * // <link rel="modulepreload" href="http://localhost:6543/vite/assets/shared-D4f.js" integrity="sha384-..." crossorigin>
 */
export function viteTags(request: Request, entries: string | readonly string[], options: ViteTagsOptions = {}): Markup {
  const list = typeof entries === 'string' ? [entries] : entries;
  if (!Array.isArray(list) || list.length === 0 || !list.every((entry) => typeof entry === 'string' && entry !== ''))
    throw entryError("viteTags(entry): name an entry as vite.config's build.rollupOptions.input has it, e.g. viteTags('src/main.ts'), or a list of them.");
  const build = buildFor(request, options.build, 'viteTags');
  const tags = tagsFor(build, list.map(entryKey));
  const base = baseUrl(request, build);
  const nonce = options.nonce === undefined ? '' : ` nonce="${escapeHtml(options.nonce)}"`;
  return new Markup(tags.map((tag) => html(tag, base + encodeFile(tag.file), nonce)).join('\n'));
}

import { join } from 'node:path';
import { type Request, resolveAssetSpec, TetError } from '@tet/core';
import { attribute, StaticMarkup, scriptJson } from './html.js';
import { ImportMapPins } from './import-map.js';
import { importReference, staticImports } from './js-rewrite.js';
import type { UrlTable } from './url-table.js';

const identity = (file: string) => file;
const graphs = new WeakMap<UrlTable, Map<string, readonly string[]>>();

function table(request: Request): UrlTable {
  const views = request.registry.staticViews;
  if (views === undefined) throw new TetError('importMap()/moduleTags(): no static views are registered. Call config.include(tetStatic) and add a static view first.', 'TET_ERR_STATIC_URL');
  return views;
}

const volatile = (views: UrlTable) => views.all().some((view) => view.volatile);

/**
 * The files of an entry module's static import graph (the entry first, each file once):
 * relative imports inside its static view, bare ones through the pins. Walked on first use
 * and kept, since the files do not change after start-up (walked every time in reload mode).
 */
export function moduleGraph(views: UrlTable, pins: ImportMapPins, entry: string): readonly string[] {
  const cache = graphs.get(views) ?? new Map<string, readonly string[]>();
  graphs.set(views, cache);
  const known = volatile(views) ? undefined : cache.get(entry);
  if (known !== undefined) return known;
  const seen = new Set<string>([entry]);
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.shift()!;
    const { view, relativePath } = views.locate(file, identity);
    const found = view.index.get(relativePath);
    if (found === undefined) continue; // a pinned file deleted in reload mode
    const code = view.index.bytes(found)?.toString('utf8') ?? '';
    for (const specifier of staticImports(code, relativePath)) {
      const reference = importReference(specifier, relativePath);
      // A relative import to a file the view lacks is left to the browser to report.
      const target = reference === undefined ? pins.fileFor(specifier) : view.index.get(reference.relativePath) === undefined ? undefined : join(view.root, ...reference.relativePath.split('/'));
      if (target === undefined || seen.has(target)) continue;
      seen.add(target);
      pending.push(target);
    }
  }
  const graph = [...seen];
  if (!volatile(views)) cache.set(entry, graph);
  return graph;
}

function urlAndIntegrity(request: Request, views: UrlTable, file: string): { url: string; integrity: string } {
  const generated = views.urlFor(file, identity);
  return { url: generated.absolute ?? request.applicationUrl + generated.path, integrity: views.integrityFor(file, identity) };
}

/**
 * `request.importMap()`: `<script type="importmap">` naming each pin's current URL (absolute,
 * as `request.staticUrl()` gives), with an
 * `integrity` entry for each, as safe markup for templates (`$request.importMap()`).
 * @example
 * request.importMap() // <script type="importmap">{"imports":{"lit":"http://localhost:6543/assets/3f9a1c2b4d5e/vendor/lit.js"},"integrity":{...}}</script>
 */
export function importMap(request: Request): StaticMarkup {
  const views = table(request);
  const imports: Record<string, string> = {};
  const integrity: Record<string, string> = {};
  for (const [name, file] of request.registry.importMapPins?.entries() ?? []) {
    const found = urlAndIntegrity(request, views, file);
    imports[name] = found.url;
    integrity[found.url] = found.integrity;
  }
  return new StaticMarkup(`<script type="importmap">${scriptJson({ imports, integrity })}</script>`);
}

/**
 * `request.moduleTags(spec)`: `<link rel="modulepreload">` for every module the entry imports
 * statically (directly or not, pins included), then the entry's `<script type="module">`,
 * each with its integrity, so the browser fetches the whole graph at once instead of one
 * level of imports per round trip.
 * @example
 * request.moduleTags('myapp:static/app.js')
 * // <link rel="modulepreload" href="http://localhost:6543/assets/9c1e0a7f3b2d/util.js" integrity="sha384-..."> ... <script type="module" src="http://localhost:6543/assets/.../app.js" ...></script>
 */
export function moduleTags(request: Request, spec: string): StaticMarkup {
  const views = table(request);
  const entry = resolveAssetSpec(spec, request.registry);
  const [first, ...imported] = moduleGraph(views, request.registry.importMapPins ?? new ImportMapPins(), entry);
  const tags = imported.map((file) => {
    const { url, integrity } = urlAndIntegrity(request, views, file);
    return `<link rel="modulepreload" href="${attribute(url)}" integrity="${integrity}">`;
  });
  const main = urlAndIntegrity(request, views, first!);
  tags.push(`<script type="module" src="${attribute(main.url)}" integrity="${main.integrity}"></script>`);
  return new StaticMarkup(tags.join('\n'));
}

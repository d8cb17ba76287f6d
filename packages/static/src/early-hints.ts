import { asBool, ConfigurationError, type DerivedView, type Request, resolveAssetSpec, sendEarlyHints, type ViewDeriver } from '@tet/core';
import { ImportMapPins } from './import-map.js';
import { moduleGraph } from './module-tags.js';
import type { UrlTable } from './url-table.js';

declare module '@tet/core' {
  interface ViewOptions {
    /**
     * The static files the page needs first (asset specs): sent as `103 Early Hints` before the
     * view runs, and as a `Link` header on its response. A module brings its static imports.
     */
    earlyHints?: readonly string[];
  }
}

const identity = (file: string) => file;

// What a browser fetches a file as: `as=` for rel=preload, or modulepreload for a module.
const KINDS: Array<[RegExp, string]> = [
  [/\.css$/i, 'rel=preload; as=style'],
  [/\.m?js$/i, 'rel=modulepreload'],
  [/\.(?:woff2?|ttf|otf)$/i, 'rel=preload; as=font; crossorigin'], // fonts are always fetched in CORS mode
  [/\.(?:png|jpe?g|gif|webp|avif|svg|ico)$/i, 'rel=preload; as=image'],
];

function kindOf(spec: string): string | undefined {
  return KINDS.find(([pattern]) => pattern.test(spec))?.[1];
}

function checkSpecs(specs: unknown, where: string): readonly string[] {
  if (!Array.isArray(specs) || specs.some((spec) => typeof spec !== 'string' || spec === '')) {
    throw new ConfigurationError(`${where}: earlyHints is a list of asset specs, e.g. earlyHints: ['myapp:static/style.css', 'myapp:static/app.js']`, 'TET_ERR_STATIC_EARLY_HINTS');
  }
  for (const spec of specs as string[]) {
    if (kindOf(spec) === undefined) {
      throw new ConfigurationError(`${where}: earlyHints cannot tell what '${spec}' is: give stylesheets (.css), modules (.js, .mjs), fonts or images.`, 'TET_ERR_STATIC_EARLY_HINTS');
    }
  }
  return specs as string[];
}

/** The `Link` values for a view's early hints, a module's static imports included. */
function linksFor(request: Request, views: UrlTable, specs: readonly string[]): string[] {
  const links = new Set<string>();
  const pins = request.registry.importMapPins ?? new ImportMapPins();
  for (const spec of specs) {
    const file = resolveAssetSpec(spec, request.registry);
    const kind = kindOf(spec)!;
    const files = kind === 'rel=modulepreload' ? moduleGraph(views, pins, file) : [file];
    for (const each of files) {
      const generated = views.urlFor(each, identity);
      // The integrity the page's tags carry (staticIntegrity, moduleTags): a preload without it
      // is "not used due to an integrity mismatch" and the file is fetched twice.
      links.add(`<${generated.absolute ?? request.scriptName + generated.path}>; ${kind}; integrity="${views.integrityFor(each, identity)}"`);
    }
  }
  return [...links];
}

/**
 * The view deriver behind the `earlyHints` view option: sends the page's first assets as
 * `103 Early Hints` before the view runs (unless `tet.static.early_hints` is false), and puts
 * the same `Link` values on the view's response. The links are computed once per mount point
 * (every time in reload mode).
 * @example
 * config.addView(home, { routeName: 'home', renderer: 'myapp:templates/index.eta', earlyHints: ['myapp:static/style.css'] })
 */
export const earlyHints: ViewDeriver = (view: DerivedView, info) => {
  if (info.options.earlyHints === undefined) return view;
  const specs = checkSpecs(info.options.earlyHints, `addView({ routeName: '${info.routeName ?? ''}' })`);
  const send = asBool(info.registry.settings['tet.static.early_hints'] ?? true);
  let cached: { scriptName: string; links: string[] } | undefined;
  return (request) => {
    const views = request.registry.staticViews!;
    let links = cached?.scriptName === request.scriptName ? cached.links : undefined;
    if (links === undefined) {
      links = linksFor(request, views, specs);
      if (!views.all().some((each) => each.volatile)) cached = { scriptName: request.scriptName, links };
    }
    if (send) sendEarlyHints(request, links);
    const final = links;
    const withLinks = (response: Awaited<ReturnType<DerivedView>>) => {
      const existing = response.headers.link;
      response.setHeader('link', existing === undefined ? final.join(', ') : [...(Array.isArray(existing) ? existing : [String(existing)]), final.join(', ')]);
      return response;
    };
    const result = view(request);
    return result instanceof Promise ? result.then(withLinks) : withLinks(result);
  };
};

import { resolveReference, type TreeReference } from './tree-reference.js';

interface SourceMapJson {
  sources?: unknown;
  sourceRoot?: unknown;
}

// The map's sources, or undefined when it is not a source map this rewriter handles: a
// non-empty `sourceRoot` (which tsc and Vite do not write by default) is left alone.
function sourcesOf(text: string): { map: SourceMapJson; sources: unknown[] } | undefined {
  let map: SourceMapJson;
  try {
    map = JSON.parse(text) as SourceMapJson;
  } catch {
    return undefined;
  }
  if (map === null || typeof map !== 'object' || !Array.isArray(map.sources)) return undefined;
  if (map.sourceRoot !== undefined && map.sourceRoot !== null && map.sourceRoot !== '') return undefined;
  return { map, sources: map.sources };
}

const referenceOf = (source: unknown, mapPath: string) => (typeof source === 'string' ? resolveReference(source, mapPath) : undefined);

/**
 * The files of the tree a source map's `sources` name (its original sources), relative to the map.
 * @example
 * findMapReferences('{"version":3,"sources":["../src/app.ts"],"mappings":""}', 'js/app.js.map') // [{ relativePath: 'src/app.ts', suffix: '' }]
 */
export function findMapReferences(text: string, mapPath: string): TreeReference[] {
  return sourcesOf(text)?.sources.flatMap((source) => referenceOf(source, mapPath) ?? []) ?? [];
}

/**
 * Rewrites a source map's `sources` to the URLs `rewrite` gives. A map that is not JSON, has a
 * `sourceRoot`, or whose sources need nothing, is returned as it is.
 * @example
 * rewriteMap('{"version":3,"sources":["app.ts"],"mappings":""}', 'app.js.map', () => '../9c1e0a7f3b2d/app.ts')
 * // '{"version":3,"sources":["../9c1e0a7f3b2d/app.ts"],"mappings":""}'
 */
export function rewriteMap(text: string, mapPath: string, rewrite: (reference: TreeReference) => string | undefined): string {
  const found = sourcesOf(text);
  if (found === undefined) return text;
  let changed = false;
  const sources = found.sources.map((source) => {
    const reference = referenceOf(source, mapPath);
    const url = reference === undefined ? undefined : rewrite(reference);
    if (url === undefined) return source;
    changed = true;
    return url;
  });
  return changed ? JSON.stringify({ ...found.map, sources }) : text;
}

import { findCssReferences, rewriteCss } from './css-rewrite.js';
import { findJsReferences, rewriteJs } from './js-rewrite.js';
import { findMapReferences, rewriteMap } from './map-rewrite.js';
import type { TreeReference } from './tree-reference.js';

/** How one kind of file refers to others: found, and rewritten to new URLs. */
interface Rewriter {
  find(text: string, path: string): readonly TreeReference[];
  rewrite(text: string, path: string, url: (reference: TreeReference) => string | undefined): string;
}

const REWRITERS: Record<string, Rewriter> = {
  css: { find: findCssReferences, rewrite: rewriteCss },
  js: { find: findJsReferences, rewrite: (text, path, url) => rewriteJs(text, path, url).code },
  map: { find: findMapReferences, rewrite: rewriteMap },
};
REWRITERS.mjs = REWRITERS.js!;

/**
 * The rewriter for a file of a content-hashed view, by extension: stylesheets, JavaScript
 * modules and source maps refer to other files; everything else is served as it is.
 * @example
 * rewriterFor('js/app.mjs')?.find(text, 'js/app.mjs')
 */
export function rewriterFor(path: string): Rewriter | undefined {
  const dot = path.lastIndexOf('.');
  return dot === -1 ? undefined : REWRITERS[path.slice(dot + 1).toLowerCase()];
}

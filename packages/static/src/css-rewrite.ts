import { createRequire } from 'node:module';
import type valueParser from 'postcss-value-parser';
import { resolveReference, type TreeReference } from './tree-reference.js';

/** A reference from a stylesheet to another file of the same tree. */
export type CssReference = TreeReference;

interface UrlNode {
  node: valueParser.Node;
  url: string;
  /** The node's new value for a replacement URL (a source-map comment keeps its `# sourceMappingURL=`). */
  value?: (url: string) => string;
}

// postcss-value-parser loads with the first stylesheet parsed: only content views and the
// asset tools parse stylesheets (docs/benchmarks.md, "Cold start: where the time goes").
let parser: typeof valueParser | undefined;
function parse(css: string): valueParser.ParsedValue {
  parser ??= createRequire(import.meta.url)('postcss-value-parser') as typeof valueParser;
  return parser(css);
}

const MAP_COMMENT = /^# sourceMappingURL=(\S+)\s*$/;

// The URL-bearing nodes of a stylesheet: url(...) arguments, @import strings, image-set()
// strings, and a final `/*# sourceMappingURL=... */` comment (a real one: the parser knows
// comments from strings, and only the last node counts).
function urlNodes(parsed: valueParser.ParsedValue): UrlNode[] {
  const found: UrlNode[] = [];
  const visit = (nodes: valueParser.Node[], inImageSet: boolean) => {
    let afterImport = false;
    for (const node of nodes) {
      if (node.type === 'function') {
        const name = node.value.toLowerCase();
        if (name === 'url') {
          const [argument] = node.nodes.filter((n) => n.type !== 'space');
          if (argument !== undefined && (argument.type === 'word' || argument.type === 'string')) found.push({ node: argument, url: argument.value });
        } else {
          visit(node.nodes, name === 'image-set' || name === '-webkit-image-set');
        }
        afterImport = false;
      } else if (node.type === 'word') {
        afterImport = node.value.toLowerCase() === '@import';
      } else if (node.type === 'string') {
        if (afterImport || inImageSet) found.push({ node, url: node.value });
        afterImport = false;
      } else if (node.type !== 'space' && node.type !== 'comment') {
        afterImport = false;
      }
    }
  };
  visit(parsed.nodes, false);
  const last = parsed.nodes.findLast((node) => node.type !== 'space');
  const map = last?.type === 'comment' ? MAP_COMMENT.exec(last.value) : null;
  if (last !== undefined && map !== null) found.push({ node: last, url: map[1]!, value: (url) => `# sourceMappingURL=${url} ` });
  return found;
}

/**
 * The files a stylesheet refers to through `url()`, `@import`, `image-set()` and a final
 * `sourceMappingURL` comment, resolved relative to the stylesheet. External URLs, `data:` and absolute paths are left out.
 */
export function findCssReferences(css: string, cssPath: string): CssReference[] {
  return urlNodes(parse(css)).flatMap(({ url }) => resolveReference(url, cssPath) ?? []);
}

/**
 * Rewrites a stylesheet's references to files of the tree: `rewrite(reference)` returns the
 * new URL, or undefined to leave that one alone. Everything else is kept byte for byte.
 */
export function rewriteCss(css: string, cssPath: string, rewrite: (reference: CssReference) => string | undefined): string {
  const parsed = parse(css);
  let changed = false;
  for (const { node, url, value } of urlNodes(parsed)) {
    const reference = resolveReference(url, cssPath);
    const replacement = reference === undefined ? undefined : rewrite(reference);
    if (replacement === undefined) continue;
    // An unquoted url() cannot hold parentheses unescaped (encodeURIComponent keeps them): quote it.
    if (node.type === 'word') Object.assign(node, { type: 'string', quote: '"' });
    node.value = value === undefined ? replacement : value(replacement);
    changed = true;
  }
  return changed ? parsed.toString() : css;
}

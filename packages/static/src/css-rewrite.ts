import { posix } from 'node:path';
import valueParser from 'postcss-value-parser';

/** A reference from a stylesheet to another file of the same tree. */
export interface CssReference {
  /** The referenced file, as a canonical path relative to the tree's root. */
  readonly relativePath: string;
  /** What followed the path in the URL (`?#iefix`), kept as it was. */
  readonly suffix: string;
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i; // data:, https:, protocol-relative, fragment-only

/** Resolves a URL written in a stylesheet at `cssPath` to a tree path, or undefined if it leaves the tree. */
function resolveReference(url: string, cssPath: string): CssReference | undefined {
  const trimmed = url.trim();
  if (trimmed === '' || EXTERNAL.test(trimmed) || trimmed.startsWith('/')) return undefined;
  const cut = trimmed.search(/[?#]/);
  const path = cut === -1 ? trimmed : trimmed.slice(0, cut);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.replace(/\\(.)/g, '$1'));
  } catch {
    return undefined;
  }
  const joined = posix.normalize(posix.join(posix.dirname(cssPath), decoded));
  if (joined.startsWith('../') || joined === '..' || joined.startsWith('/')) return undefined;
  return { relativePath: joined, suffix: cut === -1 ? '' : trimmed.slice(cut) };
}

// The URL-bearing nodes of a stylesheet: url(...) arguments, @import strings, image-set() strings.
function urlNodes(parsed: valueParser.ParsedValue): Array<{ node: valueParser.Node; url: string }> {
  const found: Array<{ node: valueParser.Node; url: string }> = [];
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
  return found;
}

/**
 * The files a stylesheet refers to through `url()`, `@import` and `image-set()`, resolved
 * relative to the stylesheet. External URLs, `data:` and absolute paths are left out.
 */
export function findCssReferences(css: string, cssPath: string): CssReference[] {
  return urlNodes(valueParser(css)).flatMap(({ url }) => resolveReference(url, cssPath) ?? []);
}

/**
 * Rewrites a stylesheet's references to files of the tree: `rewrite(reference)` returns the
 * new URL, or undefined to leave that one alone. Everything else is kept byte for byte.
 */
export function rewriteCss(css: string, cssPath: string, rewrite: (reference: CssReference) => string | undefined): string {
  const parsed = valueParser(css);
  let changed = false;
  for (const { node, url } of urlNodes(parsed)) {
    const reference = resolveReference(url, cssPath);
    const replacement = reference === undefined ? undefined : rewrite(reference);
    if (replacement === undefined) continue;
    // An unquoted url() cannot hold parentheses unescaped (encodeURIComponent keeps them): quote it.
    if (node.type === 'word') Object.assign(node, { type: 'string', quote: '"' });
    node.value = replacement;
    changed = true;
  }
  return changed ? parsed.toString() : css;
}

import { posix } from 'node:path';

/** A reference from one file of a static tree to another file of the same tree. */
export interface TreeReference {
  /** The referenced file, as a canonical path relative to the tree's root. */
  readonly relativePath: string;
  /** What followed the path in the URL (`?#iefix`), kept as it was. */
  readonly suffix: string;
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i; // data:, https:, protocol-relative, fragment-only

/**
 * Resolves a relative URL written in the file at `fromPath` to a path of the tree, or
 * undefined when it is external (`https:`, `data:`, `//host`, `#frag`), absolute (`/x`), or
 * climbs out of the tree. Stylesheets, `new URL(..., import.meta.url)` and source maps share
 * this rule; import specifiers add theirs (only `./` and `../` are relative there).
 * @example
 * resolveReference('../img/logo.png?v=1', 'css/site.css') // { relativePath: 'img/logo.png', suffix: '?v=1' }
 */
export function resolveReference(url: string, fromPath: string): TreeReference | undefined {
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
  const joined = posix.normalize(posix.join(posix.dirname(fromPath), decoded));
  if (joined.startsWith('../') || joined === '..' || joined === '.' || joined.startsWith('/') || joined.endsWith('/')) return undefined;
  return { relativePath: joined, suffix: cut === -1 ? '' : trimmed.slice(cut) };
}

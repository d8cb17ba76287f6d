import { createRequire } from 'node:module';
import { resolveReference, type TreeReference } from './tree-reference.js';

/** How a JavaScript file refers to another file of the tree. */
export type JsReferenceKind = 'import' | 'dynamic-import' | 'asset-url' | 'source-map';

/** A reference from a JavaScript file to another file of the same tree. */
export interface JsReference extends TreeReference {
  readonly kind: JsReferenceKind;
}

interface Found {
  readonly reference: JsReference;
  /** The source range replaced by the new URL, as a string literal (or the bare URL for a source-map comment). */
  readonly start: number;
  readonly end: number;
  readonly literal: boolean;
}

const STATIC_IMPORT = new Set([1, 4, 6]); // es-module-lexer's ImportType: Static, StaticSourcePhase, StaticDeferPhase
const DYNAMIC_IMPORT = new Set([2, 5, 7]);
const IMPORT_META = 3;
// The trailing `//# sourceMappingURL=` line: a URL without whitespace, quotes or `*/`, so that
// the line cannot be the end of a string, template or block comment (the lexer accepted the
// file, so nothing is left open at its end): it is a real line comment.
const MAP_COMMENT = /(?:^|\n)[ \t]*\/\/[#@] sourceMappingURL=([^\s'"`]+)[ \t\r\n]*$/;

// es-module-lexer (its CommonJS build) loads, and compiles its WebAssembly, when the first
// module is lexed: only content views and the asset tools lex modules, and a token view's
// start-up should not pay for either (docs/benchmarks.md, "Cold start: where the time goes").
type Lexer = typeof import('es-module-lexer');
let lexer: Lexer | undefined;

/** An import specifier's file in the tree; undefined for a bare specifier, an absolute path or a URL. */
// An import specifier is relative only with `./` or `../`: anything else is bare (import maps
// resolve it) or absolute, and is left alone.
export function importReference(specifier: string, fromPath: string): TreeReference | undefined {
  return specifier.startsWith('./') || specifier.startsWith('../') ? resolveReference(specifier, fromPath) : undefined;
}

const isSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13;
const isIdentifierPart = (char: string | undefined) => char !== undefined && /[\w$]/.test(char);

function skipSpaceBack(code: string, at: number): number {
  while (at >= 0 && isSpace(code.charCodeAt(at))) at--;
  return at;
}

function skipSpace(code: string, at: number): number {
  while (at < code.length && isSpace(code.charCodeAt(at))) at++;
  return at;
}

// `new URL('literal', import.meta.url)` around an `import.meta` the lexer found (so it is code,
// not text in a string or comment): the string literal's range, or undefined for any other use.
function assetUrlAround(code: string, metaStart: number, metaEnd: number): { start: number; end: number } | undefined {
  let at = skipSpace(code, metaEnd);
  if (code.slice(at, at + 4) !== '.url' || isIdentifierPart(code[at + 4])) return undefined;
  at = skipSpace(code, at + 4);
  if (code[at] === ',') at = skipSpace(code, at + 1);
  if (code[at] !== ')') return undefined;
  let back = skipSpaceBack(code, metaStart - 1);
  if (code[back] !== ',') return undefined;
  back = skipSpaceBack(code, back - 1);
  const quote = code[back];
  if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
  const end = back + 1;
  let open = back - 1;
  // The opening quote: the nearest same quote not escaped (an odd run of backslashes escapes it).
  for (; open >= 0; open--) {
    if (code[open] === '\n' && quote !== '`') return undefined;
    if (code[open] !== quote) continue;
    let slashes = 0;
    while (code[open - 1 - slashes] === '\\') slashes++;
    if (slashes % 2 === 0) break;
  }
  if (open < 0 || (quote === '`' && code.slice(open, end).includes('${'))) return undefined;
  back = skipSpaceBack(code, open - 1);
  if (code[back] !== '(') return undefined;
  back = skipSpaceBack(code, back - 1);
  if (code.slice(back - 2, back + 1) !== 'URL' || isIdentifierPart(code[back - 3])) return undefined;
  back = skipSpaceBack(code, back - 3);
  if (code.slice(back - 2, back + 1) !== 'new' || isIdentifierPart(code[back - 3]) || !isSpace(code.charCodeAt(back + 1))) return undefined;
  return { start: open, end };
}

// The value of a string literal without escapes (a URL needs none), or undefined.
function literalValue(text: string): string | undefined {
  const body = text.slice(1, -1);
  return body.includes('\\') ? undefined : body;
}

/** The lexer, its WebAssembly compiled synchronously on first use: catalogs are built synchronously. */
function lexerReady(): Lexer {
  if (lexer !== undefined) return lexer;
  const loaded = createRequire(import.meta.url)('es-module-lexer') as Lexer;
  loaded.initSync();
  lexer = loaded;
  return loaded;
}

function findAll(code: string, jsPath: string): Found[] {
  const { parse } = lexerReady();
  let imports: ReturnType<Lexer['parse']>[0];
  try {
    [imports] = parse(code, jsPath);
  } catch {
    return []; // not JavaScript the lexer can read: served as it is
  }
  const found: Found[] = [];
  for (const spec of imports) {
    if (STATIC_IMPORT.has(spec.t) && spec.n !== undefined) {
      const reference = importReference(spec.n, jsPath);
      if (reference !== undefined) found.push({ reference: { ...reference, kind: 'import' }, start: spec.s - 1, end: spec.e + 1, literal: true });
    } else if (DYNAMIC_IMPORT.has(spec.t) && spec.n !== undefined && /^['"`]/.test(code[spec.s] ?? '')) {
      const reference = importReference(spec.n, jsPath);
      if (reference !== undefined) found.push({ reference: { ...reference, kind: 'dynamic-import' }, start: spec.s, end: spec.e, literal: true });
    } else if (spec.t === IMPORT_META) {
      const range = assetUrlAround(code, spec.s, spec.e);
      const value = range === undefined ? undefined : literalValue(code.slice(range.start, range.end));
      const reference = value === undefined ? undefined : resolveReference(value, jsPath);
      if (reference !== undefined) found.push({ reference: { ...reference, kind: 'asset-url' }, start: range!.start, end: range!.end, literal: true });
    }
  }
  const map = MAP_COMMENT.exec(code);
  if (map !== null && !map[1]!.includes('*/')) {
    const reference = resolveReference(map[1]!, jsPath);
    const start = map.index + map[0].indexOf('sourceMappingURL=') + 'sourceMappingURL='.length;
    if (reference !== undefined) found.push({ reference: { ...reference, kind: 'source-map' }, start, end: start + map[1]!.length, literal: false });
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The files a JavaScript module refers to, found by es-module-lexer: static `import` and
 * `export ... from`, `import('literal')`, `new URL('literal', import.meta.url)` and a final
 * `//# sourceMappingURL=` comment, resolved relative to the module. Bare specifiers
 * (`'lit'`), absolute paths and external URLs are left out.
 * @example
 * findJsReferences("import { x } from './util.js'", 'app.js') // [{ relativePath: 'util.js', suffix: '', kind: 'import' }]
 */
export function findJsReferences(code: string, jsPath: string): JsReference[] {
  return findAll(code, jsPath).map((found) => found.reference);
}

/**
 * Every static `import` and `export ... from` specifier of a module, as written (bare ones
 * too): the module's static import graph, which `<link rel="modulepreload">` follows.
 * @example
 * staticImports("import { html } from 'lit'; import './util.js'") // ['lit', './util.js']
 */
export function staticImports(code: string, jsPath: string): string[] {
  const { parse } = lexerReady();
  try {
    return parse(code, jsPath)[0].flatMap((spec) => (STATIC_IMPORT.has(spec.t) && spec.n !== undefined ? [spec.n] : []));
  } catch {
    return [];
  }
}

/** One replacement made by {@link rewriteJs}: where the old text was and how much longer the new one is. */
export interface JsEdit {
  /** Offset of the replaced text in the original source. */
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
}

/**
 * Rewrites a module's references to files of the tree: `rewrite(reference)` returns the new
 * URL, or undefined to leave that one alone. Every other byte is kept; the edits made are
 * returned too (a source map's columns shift by them).
 * @example
 * rewriteJs("import './util.js'", 'app.js', () => '../9c1e0a7f3b2d/util.js').code // 'import "../9c1e0a7f3b2d/util.js"'
 */
export function rewriteJs(code: string, jsPath: string, rewrite: (reference: JsReference) => string | undefined): { code: string; edits: JsEdit[] } {
  const edits: JsEdit[] = [];
  for (const found of findAll(code, jsPath)) {
    const url = rewrite(found.reference);
    if (url === undefined) continue;
    edits.push({ start: found.start, end: found.end, replacement: found.literal ? JSON.stringify(url) : url });
  }
  if (edits.length === 0) return { code, edits };
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += code.slice(at, edit.start) + edit.replacement;
    at = edit.end;
  }
  return { code: out + code.slice(at), edits };
}

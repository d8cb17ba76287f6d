// The `$` syntax, as an Eta plugin in two steps.
//
// processTemplate walks the raw template the way Eta's parser will: it copies `<% %>` tags
// untouched and, in the text between them, replaces each `$` expression with a marker
// (private-use characters around the expression's number). Eta then parses as usual: it
// trims whitespace around its own tags only and escapes the text into JavaScript strings,
// which leave the markers intact. processAST finally splits the text nodes at the markers and
// puts an escaped interpolation in each one's place.
//
// Markers rather than generated `<%= %>` tags, because Eta's whitespace trimming (a newline
// after a tag is dropped) would then eat the newline after every `$name`.
import type { EtaConfig } from 'eta';
import { TemplateSyntaxError } from './errors.js';
import { skipBalanced, Source } from './js-scan.js';

type EtaPlugin = EtaConfig['plugins'][number];
type AstNode = ReturnType<NonNullable<EtaPlugin['processAST']>>[number];

const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARK = /\uE000(\d+)[^\uE001]*\uE001/g;
const IDENTIFIER = /[\p{ID_Start}_][\p{ID_Continue}\u200C\u200D]*/uy;

// Eta's parser skips these inside a tag when it looks for the tag's end. They restate Eta's
// own patterns, including searching forward for the next complete string after an unclosed
// quote: agreeing with Eta on where a tag ends is the point, even where Eta is odd.
const QUOTED: Record<string, RegExp> = {
  "'": /'(?:\\[\s\w"'\\`]|[^\n\r'\\])*'/g,
  '"': /"(?:\\[\s\w"'\\`]|[^\n\r"\\])*"/g,
  '`': /`(?:\\[\s\S]|\$\{(?:[^{}]|\{(?:[^{}]|\{[^}]*\})*\})*\}|(?!\$\{)[^\\`])*`/g,
};

type Entry = { readonly expression: string; readonly line: number } | { readonly text: string };

/** Index just after the close tag of the tag opened at `tagStart`, found as Eta finds it. */
function tagEnd(source: Source, tagStart: number, open: string, close: string): number {
  const text = source.text;
  let i = tagStart + open.length;
  while (i < text.length) {
    if (text.startsWith(close, i)) return i + close.length;
    const char = text[i]!;
    const quoted = QUOTED[char];
    if (quoted !== undefined) {
      quoted.lastIndex = i;
      if (quoted.exec(text) === null) throw source.error(`unclosed string inside the '${open}' tag: add the closing ${char}`, i);
      i = quoted.lastIndex;
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw source.error(`unclosed '/*' comment inside the '${open}' tag: add '*/'`, i);
      i = end;
    } else {
      i++;
    }
  }
  throw source.error(`unclosed '${open}' tag: add '${close}'`, tagStart);
}

function identifierEnd(text: string, start: number): number {
  IDENTIFIER.lastIndex = start;
  return IDENTIFIER.test(text) ? IDENTIFIER.lastIndex : -1;
}

/** End of `$name.more(args)[index]...`: the first character that cannot continue it. */
function chainEnd(source: Source, start: number): number {
  const text = source.text;
  let i = start;
  for (;;) {
    const char = text[i];
    if (char === '.') {
      const end = identifierEnd(text, i + 1);
      if (end === -1) return i;
      i = end;
    } else if (char === '?' && text[i + 1] === '.') {
      const end = identifierEnd(text, i + 2);
      if (end !== -1) i = end;
      else if (text[i + 2] === '(' || text[i + 2] === '[') i = skipBalanced(source, i + 3);
      else return i;
    } else if (char === '(' || char === '[') {
      i = skipBalanced(source, i + 1);
    } else {
      return i;
    }
  }
}

/**
 * Runs the scan of the `$` expression at `start`. A scanning error lines further down (an
 * apostrophe in the HTML after an unclosed `${`) is reported at the `$`, the likelier culprit.
 */
function scanExpression(source: Source, start: number, scan: () => number): number {
  try {
    return scan();
  } catch (error) {
    const { line } = source.position(start);
    if (!(error instanceof TemplateSyntaxError) || error.line === undefined || error.line === line) throw error;
    throw source.error(`the $ expression starting here does not end: its brackets are still open at line ${error.line}, column ${error.column}, where scanning stopped (${error.reason})`, start);
  }
}

/**
 * The `$` syntax as an Eta plugin: `$name`, `$a.b(c)[d]`, `${expression}`, `$$` for `$`.
 * Each interpolation prints through Eta's `escapeFunction` (use {@link escapeHtml} for
 * safe values and empty `null`/`undefined`). One plugin object per Eta instance.
 * @example
 * const eta = new Eta({ plugins: [dollarSyntax()], escapeFunction: escapeHtml, useWith: true })
 */
export function dollarSyntax(): EtaPlugin {
  // Filled by processTemplate and used by processAST of the same (synchronous) parse.
  let entries: Entry[] = [];

  function processTemplate(template: string, config?: EtaConfig): string {
    entries = [];
    const [open, close] = config?.tags ?? ['<%', '%>'];
    const source = new Source(template);
    let out = '';
    let copied = 0;
    let i = 0;
    const mark = (entry: Entry, from: number, to: number): void => {
      const newlines = template.slice(from, to).split('\n').length - 1;
      // The expression's line breaks stay inside the marker, so Eta counts lines as in the file.
      out += template.slice(copied, from) + MARK_OPEN + entries.length + '\n'.repeat(newlines) + MARK_CLOSE;
      entries.push(entry);
      i = copied = to;
    };
    while (i < template.length) {
      const char = template[i];
      if (char === '$') {
        const next = template[i + 1];
        const line = source.position(i).line;
        if (next === '$') {
          out += template.slice(copied, i + 1);
          i = copied = i + 2;
        } else if (next === '{') {
          const end = scanExpression(source, i, () => skipBalanced(source, i + 2, { label: '${', index: i }));
          const expression = template.slice(i + 2, end - 1);
          if (expression.trim() === '') throw source.error("empty '${}': put an expression inside (write '$$' for a literal '$')", i);
          mark({ expression, line }, i, end);
        } else if (identifierEnd(template, i + 1) !== -1) {
          const end = scanExpression(source, i, () => chainEnd(source, identifierEnd(template, i + 1)));
          mark({ expression: template.slice(i + 1, end), line }, i, end);
        } else {
          i++; // `$5`, `US$ 3`: a `$` that starts nothing is text
        }
      } else if (char === open[0] && template.startsWith(open, i)) {
        i = tagEnd(source, i, open, close);
      } else if (char === MARK_OPEN) {
        mark({ text: MARK_OPEN }, i, i + 1); // the template's own private-use character, kept as text
      } else {
        i++;
      }
    }
    return out + template.slice(copied);
  }

  function processAST(ast: AstNode[]): AstNode[] {
    if (entries.length === 0) return ast;
    const result: AstNode[] = [];
    for (const node of ast) {
      if (typeof node !== 'string' || !node.includes(MARK_OPEN)) {
        result.push(node);
        continue;
      }
      let last = 0;
      for (const match of node.matchAll(MARK)) {
        if (match.index > last) result.push(node.slice(last, match.index));
        const entry = entries[Number(match[1])]!;
        if ('text' in entry) result.push(entry.text);
        // A raw node calling the escape function itself, so `$` escapes even if autoEscape is off;
        // the line break ends a trailing `//` comment, the parentheses a top-level comma.
        else result.push({ t: 'r', val: `__eta.e((${entry.expression}\n))`, lineNo: entry.line });
        last = match.index + match[0].length;
      }
      if (last < node.length) result.push(node.slice(last));
    }
    entries = [];
    return result;
  }

  return { processTemplate, processAST };
}

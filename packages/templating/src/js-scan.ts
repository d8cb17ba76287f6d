// Finds where a piece of JavaScript inside a `$` expression ends: brackets balance, and
// strings, template literals, comments and regular expressions are skipped whole, so a `)`
// or `}` inside them does not count. It checks balance only; the compiler checks the rest.
import { TemplateSyntaxError } from './errors.js';

/** A template's text, with line/column lookup for error messages. */
export class Source {
  readonly text: string;
  private lineStarts: number[] | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /** 1-based line and column of a character index. */
  position(index: number): { line: number; column: number } {
    if (this.lineStarts === undefined) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    }
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: index - this.lineStarts[low]! + 1 };
  }

  /** A syntax error at `index`, with the template text for context. */
  error(reason: string, index: number): TemplateSyntaxError {
    return new TemplateSyntaxError(reason, { ...this.position(index), source: this.text });
  }
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
// A `/` begins a regular expression where an operand is expected, that is after an operator,
// a punctuator or one of these keywords; after a name, a number, a string, `)` or `]` it
// divides. `<` and `>` count as operators only in `=>`: an unclosed `${` running into HTML
// meets `</p>`, and reading `/p>...` as a regular expression would hide the real mistake.
const REGEX_AFTER_PUNCTUATOR = '+-*%~^=:[(,!&|?{};';
const REGEX_AFTER_KEYWORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
const WORD = /[\p{ID_Continue}$\u200C\u200D]+/uy;
const WORD_START = /[\p{ID_Start}\p{Nd}$_#]/u;

/** Whether a `/` right after the punctuator at `index` begins a regular expression. */
function regexAfterPunctuator(text: string, index: number): boolean {
  const char = text[index]!;
  if (char === '>') return text[index - 1] === '=';
  // `a++ / 2` divides; `++/x/` is not JavaScript anyway.
  if ((char === '+' || char === '-') && text[index - 1] === char) return false;
  return REGEX_AFTER_PUNCTUATOR.includes(char);
}

function describeAt(source: Source, index: number): string {
  const { line, column } = source.position(index);
  return `line ${line}, column ${column}`;
}

/**
 * Scans from `start` (just after an opening `(`, `[` or `{` at `start - 1`) to just after
 * its matching closer. Throws a TemplateSyntaxError at the opener when it never closes;
 * `outer` names the outermost opener in that message (`${` rather than `{`).
 */
export function skipBalanced(source: Source, start: number, outer?: { label: string; index: number }): number {
  const text = source.text;
  const openers = [start - 1];
  const expected = [CLOSER[text[start - 1]!]!];
  let regexAllowed = true; // just after an opening bracket
  let i = start;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"' || char === "'") {
      i = skipString(source, i);
      regexAllowed = false;
      continue;
    }
    if (char === '`') {
      i = skipTemplateLiteral(source, i);
      regexAllowed = false;
      continue;
    }
    if (char === '/') {
      const next = text[i + 1];
      if (next === '/') {
        const end = text.indexOf('\n', i);
        i = end === -1 ? text.length : end;
        continue;
      }
      if (next === '*') {
        const end = text.indexOf('*/', i + 2);
        if (end === -1) throw source.error("unclosed '/*' comment: add '*/'", i);
        i = end + 2;
        continue;
      }
      if (regexAllowed) {
        i = skipRegex(source, i);
        regexAllowed = false;
        continue;
      }
    }
    if (WORD_START.test(char)) {
      // A name, keyword or number, read whole so `in` is not the start of `index`. A keyword
      // after `.` is a property name (`x.return / 2`).
      WORD.lastIndex = char === '#' ? i + 1 : i;
      const end = WORD.test(text) ? WORD.lastIndex : i + 1;
      regexAllowed = REGEX_AFTER_KEYWORD.has(text.slice(i, end)) && text[i - 1] !== '.';
      i = end;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') {
      openers.push(i);
      expected.push(CLOSER[char]!);
    } else if (char === ')' || char === ']' || char === '}') {
      const want = expected.pop()!;
      const opener = openers.pop()!;
      if (char !== want) {
        throw source.error(`'${char}' does not match the '${text[opener]}' opened at ${describeAt(source, opener)}: expected '${want}'`, i);
      }
      if (expected.length === 0) return i + 1;
    }
    if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') regexAllowed = regexAfterPunctuator(text, i);
    i++;
  }
  const opener = openers.at(-1)!;
  if (outer !== undefined) {
    throw source.error(`unclosed '${outer.label}': add the matching '${expected[0]}' (write '$$' for a literal '$')`, outer.index);
  }
  throw source.error(`unclosed '${text[opener]}': add the matching '${expected.at(-1)}'`, opener);
}

/** From an opening quote to just after the closing one; strings end at a line break. */
function skipString(source: Source, start: number): number {
  const text = source.text;
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') i++;
    else if (char === quote) return i + 1;
    else if (char === '\n') break;
  }
  throw source.error(`unclosed string: add the closing ${quote}`, start);
}

/** From an opening backtick to just after the closing one, through `${...}` parts. */
function skipTemplateLiteral(source: Source, start: number): number {
  const text = source.text;
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '\\') i += 2;
    else if (char === '`') return i + 1;
    else if (char === '$' && text[i + 1] === '{') i = skipBalanced(source, i + 2);
    else i++;
  }
  throw source.error('unclosed template literal: add the closing `', start);
}

/** From the opening `/` of a regular expression literal to just after its flags. */
function skipRegex(source: Source, start: number): number {
  const text = source.text;
  let inClass = false;
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') i++;
    else if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    else if (char === '/' && !inClass) {
      let end = i + 1;
      while (end < text.length && /[a-z]/i.test(text[end]!)) end++;
      return end;
    } else if (char === '\n') break;
  }
  throw source.error('unclosed regular expression: add the closing /', start);
}

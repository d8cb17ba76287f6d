import { TetError, type TetErrorCode } from '@tet/core';

/** Where a template error happened, and what to show around it. */
export interface TemplateErrorDetails {
  code?: TetErrorCode;
  /** The template file, when the template came from a file. */
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
  /** The template's text: the lines around `line` go into the message. */
  source?: string | undefined;
  /** `included from file:line` frames, innermost first. */
  trail?: readonly string[];
}

type TemplateErrorClass = new (reason: string, details: TemplateErrorDetails, options?: ErrorOptions) => TemplateError;

function where({ file, line, column }: TemplateErrorDetails): string {
  const position = line === undefined ? '' : column === undefined ? `:${line}` : `:${line}:${column}`;
  if (file !== undefined) return `${file}${position}: `;
  return line === undefined ? '' : `template string, line ${line}${column === undefined ? '' : `, column ${column}`}: `;
}

// A few lines around the failing one, numbered as an editor shows them, so a log entry
// is enough to find the mistake.
function context(source: string | undefined, line: number | undefined): string {
  if (source === undefined || line === undefined) return '';
  const lines = source.split('\n');
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.length, line + 1);
  const width = String(last).length;
  let text = '';
  for (let n = first; n <= last; n++) {
    text += `\n  ${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1]!.replace(/\r$/, '')}`;
  }
  return text;
}

function describe(reason: string, details: TemplateErrorDetails): string {
  const trail = (details.trail ?? []).map((frame) => `\n  ${frame}`).join('');
  return `${where(details)}${reason}${context(details.source, details.line)}${trail}`;
}

/**
 * An error while rendering a template: the message starts with `file:line`, shows the lines
 * around it, and lists the templates that included the failing one. `cause` holds the
 * original error. Codes: `TET_ERR_TEMPLATE_RENDER`, `TET_ERR_TEMPLATE_NOT_FOUND`,
 * `TET_ERR_TEMPLATE_PATH`, `TET_ERR_TEMPLATE_VALUE`.
 * @example
 * catch (error) { if (error instanceof TemplateError) console.log(error.file, error.line) }
 */
export class TemplateError extends TetError {
  override name: string = 'TemplateError';
  // Kept out of enumerable properties: a logged error would otherwise print the whole template.
  declare private readonly details: TemplateErrorDetails & { reason: string };

  constructor(reason: string, details: TemplateErrorDetails = {}, options?: ErrorOptions) {
    super(describe(reason, details), details.code ?? 'TET_ERR_TEMPLATE_RENDER', options);
    Object.defineProperty(this, 'details', { value: { ...details, reason }, enumerable: false });
  }

  /** What went wrong, without the location. */
  get reason(): string {
    return this.details.reason;
  }

  get file(): string | undefined {
    return this.details.file;
  }

  get line(): number | undefined {
    return this.details.line;
  }

  get column(): number | undefined {
    return this.details.column;
  }

  /** `included from file:line` frames, innermost first. */
  get trail(): readonly string[] {
    return this.details.trail ?? [];
  }

  /** The same error (same class and code) with more details: a file, or an outer frame. */
  with(changes: TemplateErrorDetails): TemplateError {
    const { reason, ...details } = this.details;
    return new (this.constructor as TemplateErrorClass)(reason, { ...details, code: this.code, ...changes }, { cause: this.cause });
  }
}

/**
 * A template that cannot be compiled: an unbalanced `${`, `(` or `[` in a `$` expression,
 * an unclosed `<%` tag, or invalid JavaScript in a tag. Code `TET_ERR_TEMPLATE_SYNTAX`, or
 * `TET_ERR_TEMPLATE_AWAIT` for a partial that awaits but was included with `include()`.
 * @example
 * catch (error) { if (error instanceof TemplateSyntaxError) console.log(`${error.file}:${error.line}`) }
 */
export class TemplateSyntaxError extends TemplateError {
  override name: string = 'TemplateSyntaxError';

  constructor(reason: string, details: TemplateErrorDetails = {}, options?: ErrorOptions) {
    super(reason, { ...details, code: details.code ?? 'TET_ERR_TEMPLATE_SYNTAX' }, options);
  }
}

// Compiles a template so its top-level names are plain function parameters.
//
// Templates say `$title`, not `$it.title`. Eta's `useWith` would put the data in scope with a
// `with` statement, but every name lookup inside `with` is dynamic: three times slower on a
// page of ten `$request.staticUrl()` calls. Instead each template is compiled once per set of
// data keys it is rendered with (a view returns the same keys every time, so usually one),
// with those keys as parameters. Names that are not keys resolve as ordinary JavaScript does
// (globals, or a ReferenceError), as with `with`.
import { Script } from 'node:vm';
import type { Eta, Options, TemplateFunction } from 'eta';
import { EtaParseError } from 'eta';
import { TemplateError, TemplateSyntaxError } from './errors.js';

type EtaBase = ThisParameterType<TemplateFunction>;
type Body = (this: EtaBase, it: object, options: Partial<Options>, ...names: unknown[]) => string;
type Variant = { readonly keys: readonly string[]; readonly render: TemplateFunction };

const AsyncFunction = (async () => {}).constructor as FunctionConstructor;
// Beyond this many key sets (keys built from request data?) one `with` version serves the rest.
const MAX_VARIANTS = 32;
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;
const NOT_BINDABLE = new Set(
  (
    'it options arguments eval await break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if implements import in instanceof interface let new null package private protected public ' +
    'return static super switch this throw true try typeof var void while with yield'
  ).split(' '),
);

function keysOf(data: object): string[] {
  const keys: string[] = [];
  for (const key in data) keys.push(key);
  return keys;
}

function sameKeys(data: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in data) if (key !== keys[i++]) return false;
  return i === keys.length;
}

/** The template line of a JavaScript syntax error in Eta's generated code, from `__eta.line=N`. */
function syntaxErrorLine(code: string): number | undefined {
  try {
    new Script(code, { filename: 'template' });
    return undefined;
  } catch (error) {
    const generated = /^template:(\d+)/.exec(String((error as Error).stack))?.[1];
    if (generated === undefined) return undefined;
    const before = code.split('\n').slice(0, Number(generated));
    for (let i = before.length - 1; i >= 0; i--) {
      const found = /^__eta\.line=(\d+)$/.exec(before[i]!);
      if (found !== null) return Number(found[1]);
    }
    return undefined;
  }
}

/**
 * Eta's `compile`, replaced: the generated code is wrapped so top-level names are parameters
 * (see above), and errors name the template file and line.
 */
export function compileTemplate(eta: Eta, template: string, options: Partial<Options> = {}): TemplateFunction {
  const file = options.filepath;
  let code: string;
  try {
    code = eta.compileToString(template, options);
  } catch (error) {
    if (error instanceof TemplateError) throw error.with({ file });
    if (error instanceof EtaParseError) {
      const line = /at line (\d+)/.exec(error.message)?.[1];
      throw new TemplateSyntaxError(error.message.split('\n')[0]!, { file, line: line === undefined ? undefined : Number(line), source: template }, { cause: error });
    }
    throw error;
  }
  const Ctor = options.async === true ? AsyncFunction : Function;
  // The block lets a template's own `let x` shadow a parameter `x` instead of clashing with it.
  const block = `{\n${code}\n}`;
  const make = (parameters: string[], body: string): Body => {
    try {
      return new Ctor('it', 'options', ...parameters, body) as Body;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      if (options.async !== true && /\bawait\b/.test(template)) {
        throw new TemplateSyntaxError(
          "this template uses 'await', so it renders asynchronously, but include() renders synchronously: include it with ${await includeAsync('./name')}",
          { file, code: 'TET_ERR_TEMPLATE_AWAIT' },
          { cause: error },
        );
      }
      const line = syntaxErrorLine(`(${options.async === true ? 'async ' : ''}function (it, options) ${block})`);
      throw new TemplateSyntaxError(
        `invalid JavaScript (${error.message}) in a <% %> tag or $ expression${line === undefined ? '' : ' on this line'}; check its brackets, quotes and operators`,
        { file, line, source: template },
        { cause: error },
      );
    }
  };
  const plain = make([], block);
  let withVersion: TemplateFunction | undefined;
  const variants = new Map<string, Variant>();

  const variantFor = (keys: string[]): Variant => {
    const signature = keys.join('\0');
    const known = variants.get(signature);
    if (known !== undefined) return known;
    if (variants.size >= MAX_VARIANTS) {
      withVersion ??= make([], `with (it || {}) ${block}`) as TemplateFunction;
      return { keys, render: withVersion };
    }
    const names = keys.filter((key) => IDENTIFIER.test(key) && !NOT_BINDABLE.has(key));
    let render: TemplateFunction;
    if (names.length === 0) {
      render = plain as TemplateFunction;
    } else {
      const body = make(names, block);
      // A generated caller passes each key's value as a parameter, with no array or spread per render.
      const call = `return function (it, options) { return body.call(this, it, options, ${names.map((name) => `it.${name}`).join(', ')}); };`;
      render = new Function('body', call)(body) as TemplateFunction;
    }
    const variant = { keys, render };
    variants.set(signature, variant);
    return variant;
  };

  let last: Variant = { keys: [], render: plain as TemplateFunction };
  return function render(this: EtaBase, data?: object, renderOptions?: Partial<Options>): string {
    const it = data ?? {};
    if (!sameKeys(it, last.keys)) last = variantFor(keysOf(it));
    return last.render.call(this, it, renderOptions);
  };
}

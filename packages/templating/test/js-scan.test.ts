// Where a `$` expression ends: regular expressions against division, template literals,
// strings and comments, as a table. Each case is rendered through the real engine, so the
// expected output also proves the compiled JavaScript means what the scanner thought.
import { thrown } from '@tet/core/testing';
import { Registry } from '@tet/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateEngine } from '../src/engine.js';
import { TemplateSyntaxError } from '../src/index.js';
import { skipBalanced, Source } from '../src/js-scan.js';

const engine = new TemplateEngine(new Registry(), false);
const render = (template: string, data: object = {}): string => engine.eta.renderString(template, data);
const f = (value: unknown) => String(value);
const test = (re: RegExp) => re.test(')]}');

const regex = suite('js-scan: a / after an operator, punctuator or keyword begins a regular expression');

// [template, expected output]
const REGEX_CASES: [string, string][] = [
  ['${1 + / 0} /.source}', '1 0} '],
  ['${1 - /}}/.source.length}', '-1'],
  ['${2 * /}/.source.length}', '2'],
  ['${5 % /ab}/.source.length}', '2'],
  ['${~/}/.source.length}', '-2'],
  ['${1 ^ /}/.source.length}', '0'],
  ['$f([")]"].map(x => /[)]/.test(x)))', 'true'],
  ['$f(x => /[)]/.test(x))', 'x =&gt; /[)]/.test(x)'],
  ['${(() => /}/)().source}', '}'],
  ['${[/]/.source, /}/.source].join()}', '],}'],
  ['${({ a: /}/ }).a.source}', '}'],
  ['${!/}/.test("x")}', 'true'],
  ['${true && /}/.test("}")}', 'true'],
  ['${false || /}/.test("}")}', 'true'],
  ['${true ? /}/.source : 0}', '}'],
  ['${(() => { let r = /}/; return r.source })()}', '}'],
  ['${(() => { return /}/.source })()}', '}'],
  ['${typeof /}/}', 'object'],
  ['${/x/ instanceof RegExp}', 'true'],
  ['${"}" in { "}": /}/ }}', 'true'],
  ['${(() => { for (const c of /}/.source) return c })()}', '}'],
  ['${(() => { try { throw /}/ } catch (e) { return e.source } })()}', '}'],
  ['${(() => { switch (1) { case 1: return /}/.source } })()}', '}'],
  ['${(() => { if (false) return 1; else return /}/.source })()}', '}'],
  ['${void /}/}', ''],
  ['${(() => { do /}/.test(""); while (false); return "d" })()}', 'd'],
  ['${[...function* () { yield /}/ }()][0].source}', '}'],
  ['${[1].map(function () { return 1 }).length /2/ 1}', '0.5'],
  ['$test(/[)\\]}]/)', 'true'],
  ['$test(/\\)/)', 'true'],
  ['${"a/b/c".split(/\\//g).length}', '3'],
  ['${/[/]/.source}', '[/]'],
  ['${/}/gi.flags}', 'gi'],
];

regex('each case renders as JavaScript reads it', () => {
  for (const [template, expected] of REGEX_CASES) assert.is(render(template, { f, test }), expected, template);
});

const division = suite('js-scan: a / after a name, number, ) or ] divides');

const DIVISION_CASES: [string, string][] = [
  ['${a / 2 / 1}', '3'],
  ['${a/2/1}', '3'],
  ['${6 / 2 / 3}', '1'],
  ['${1.5 / 0.5}', '3'],
  ['${0x10 / 2}', '8'],
  ['${1e2 / 10 / 5}', '2'],
  ['${(a) / 2 / 1}', '3'],
  ['${[a][0] / 2 / 1}', '3'],
  ['${o.return / 2 / 1}', '3'],
  ['${o.in / 2}', '3'],
  ['${o.typeof / 2 / 1}', '3'],
  ['${index / 2 / 1}', '3'],
  ['${returned / 2 / 1}', '3'],
  ['${a++ / 2 / 1}', '3'],
  ['${a-- / 3 / 2}', '1'],
  ['${"6" / 2 / 1}', '3'],
  ['${`6` / 2 / 1}', '3'],
  ['${\u00e9 / 2 / 1}', '3'],
  ['${$x / 2 / 1}', '3'],
];

division('each case renders as JavaScript reads it', () => {
  for (const [template, expected] of DIVISION_CASES) {
    assert.is(render(template, { a: 6, o: { return: 6, in: 6, typeof: 6 }, index: 6, returned: 6, é: 6, $x: 6 }), expected, template);
  }
});

const skipped = suite('js-scan: strings, template literals and comments are skipped whole');

const SKIPPED_CASES: [string, string][] = [
  ['${`}${"}"}}`}', '}}}'],
  ['${`a${`b${"}"}`}`}', 'ab}'],
  ['${`${1 + /}/.source.length}`}', '2'],
  ['${`\\`}`}', '`}'],
  ['${"}\\"}"}', '}&quot;}'],
  ["${'}\\'}'}", '}&#39;}'],
  ['${1 /* } */ + 1}', '2'],
  ['${1 // }\n + 1}', '2'],
  ['${/*/}*/ 1}', '1'],
  ['$f(1 /* ) */)', '1'],
];

skipped('each case renders as JavaScript reads it', () => {
  for (const [template, expected] of SKIPPED_CASES) assert.is(render(template, { f }), expected, template);
});

skipped('skipBalanced returns the index just after the matching closer', () => {
  const text = '(x => /[)]/.test(x)) rest';
  assert.is(skipBalanced(new Source(text), 1), text.indexOf(' rest'));
});

skipped('an unclosed regular expression is a syntax error at the /', () => {
  const error = thrown(() => render('<p>${1 + /x}\n</p>'));
  assert.instance(error, TemplateSyntaxError);
  assert.is((error as TemplateSyntaxError).code, 'TET_ERR_TEMPLATE_SYNTAX');
  assert.match(error.message, 'unclosed regular expression');
  assert.is((error as TemplateSyntaxError).column, 10);
});

skipped('an unclosed ${ running into HTML still names the ${', () => {
  const error = thrown(() => render('<p>${name</p>\n<p>it is</p>'));
  assert.instance(error, TemplateSyntaxError);
  assert.match(error.message, "unclosed '${'");
});

regex.run();
division.run();
skipped.run();

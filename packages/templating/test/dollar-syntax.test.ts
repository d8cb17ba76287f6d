// The `$` grammar of issue 4, line by line, rendered through the real engine (string templates).
import { thrown } from '@tet/core/testing';
import { Registry } from '@tet/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateEngine } from '../src/engine.js';
import { literal, TemplateError, TemplateSyntaxError } from '../src/index.js';

const engine = new TemplateEngine(new Registry(), false);
const render = (template: string, data: object = {}): string => engine.eta.renderString(template, data);

const user = { name: 'Ann', tags: ['a', 'b', 'c'], greet: (greeting: string, mark = '!') => `${greeting}, Ann${mark}`, profile: { city: { name: 'Oslo' } } };

const names = suite('$name and chains');

names('$name prints a top-level name', () => {
  assert.is(render('Hi $name!', { name: 'Ann' }), 'Hi Ann!');
});

names('$a.b.c follows properties', () => {
  assert.is(render('<p>$user.profile.city.name</p>', { user }), '<p>Oslo</p>');
});

names('$a.b(args) calls methods with any arguments', () => {
  assert.is(render('$user.greet("Hello", "?")', { user }), 'Hello, Ann?');
  assert.is(render('$user.tags.join(" / ")', { user }), 'a / b / c');
});

names('$a[expr] indexes with any expression', () => {
  assert.is(render('$user.tags[1] $user.tags[user.tags.length - 1] $user["name"]', { user }), 'b c Ann');
});

names('chains mix properties, calls and indexes in any order', () => {
  assert.is(render('$user.tags.map((t) => t.toUpperCase())[2].repeat(2).length', { user }), '2');
  assert.is(render('$make(2)(3)', { make: (a: number) => (b: number) => a * b }), '6');
  assert.is(render('$user?.missing?.deeper|$user?.tags?.[0]|$user.greet?.("Hey")', { user }), '|a|Hey, Ann!');
});

names('the expression ends at the first character that cannot continue it', () => {
  const data = { name: 'Ann', file: { name: 'report' } };
  assert.is(render("$name's $name-x ($name) $name. $name.! $name$name $name (x)", data), "Ann's Ann-x (Ann) Ann. Ann.! AnnAnn Ann (x)");
  assert.is(render('$file.name.pdf', data), ''); // `.pdf` is a property: `report`.pdf is undefined
  assert.is(render('$file.name .pdf', data), 'report .pdf');
});

names('brackets balance and their strings may hold ), quotes and $', () => {
  const echo = (...args: unknown[]) => args.join('|');
  assert.is(render(`$echo(')', "a)b", 'it\\'s', "say \\"hi\\"", '$name', "\${x}")`, { echo }), ')|a)b|it&#39;s|say &quot;hi&quot;|$name|${x}');
  assert.is(render('$echo(`${1 + 1})`, [1, [2, 3]].length, { a: ")" }.a)!', { echo }), '2)|2|)!');
  assert.is(render("$echo('a)b'.replace(/[)]/g, ''), 10 / 2, /* ) */ 'c') // ) after", { echo }), 'ab|5|c // ) after');
});

const expressions = suite('${expression}');

expressions('${...} takes any JavaScript expression', () => {
  assert.is(render('${a + b} ${a > 1 ? "big" : "small"} ${[a, b].map((n) => n * 2).join()}', { a: 2, b: 3 }), '5 big 4,6');
});

expressions('braces balance and strings inside are respected', () => {
  assert.is(render("${ { x: '}' }.x }${ \"{\" + '}' }${ `${'}'}` }${ (() => { return 'f' })() }"), '}{}}f');
});

expressions('an expression may span lines and end in a line comment', () => {
  assert.is(render('a ${[1, 2]\n  .map((n) => n + 1) // add one\n  .join("-")} b\nnext'), 'a 2-3 b\nnext');
});

expressions('a top-level comma is one expression, as in a template literal', () => {
  assert.is(render('${1, 2}'), '2');
});

const literals = suite('literal $');

literals('$$ is a literal $', () => {
  assert.is(render('$$name costs $$5, $${name}', { name: 'Ann' }), '$name costs $5, ${name}');
});

literals('a $ that starts no name or { is literal', () => {
  assert.is(render('$5, US$ 3, $.ajax(), $(x), $-1, 100$, a $ b, $'), '$5, US$ 3, $.ajax(), $(x), $-1, 100$, a $ b, $');
});

const output = suite('$ output');

output('is HTML-escaped, quotes included', () => {
  assert.is(render('$text', { text: `<b class="x">Tom & 'Jerry'</b>` }), '&lt;b class=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;');
});

output('prints safe values as they are', () => {
  assert.is(render('$html ${literal("<i>")}', { html: literal('<b>bold</b>'), literal }), '<b>bold</b> <i>');
  assert.is(render('$custom', { custom: { __html__: () => '<hr>' } }), '<hr>');
});

output('prints undefined and null as nothing, other values as text', () => {
  assert.is(render('[$u][$n][${undefined}][$zero][$no][$obj.missing]', { u: undefined, n: null, zero: 0, no: false, obj: {} }), '[][][][0][false][]');
});

output('works inside attribute values', () => {
  assert.is(
    render(`<a href="/search?q=$q&amp;x=1" title='$q' data-n=\${n + 1}>$q</a>`, { q: `"quoted" & 'single'`, n: 1 }),
    '<a href="/search?q=&quot;quoted&quot; &amp; &#39;single&#39;&amp;x=1" title=\'&quot;quoted&quot; &amp; &#39;single&#39;\' data-n=2>&quot;quoted&quot; &amp; &#39;single&#39;</a>',
  );
});

output('keeps the line break after $name, which Eta trims after its own tags', () => {
  assert.is(render('one $a\ntwo <%= a %>\nthree', { a: 'x' }), 'one x\ntwo xthree');
});

const code = suite('$ and Eta tags');

code('$ does not fire inside <% %> code', () => {
  assert.is(render(`<% const s = '$name and \${name}' %><%= s %>|<%~ "$$" %>|<% /* $name */ %>`, { name: 'Ann' }), '$name and ${name}|$$|');
});

code('Eta tags keep working: code, interpolation, raw, and template literals in code', () => {
  const template = '<% for (const n of list) { %>\n<li>$n <%= n * 10 %> <%~ "<br>" %> <%= `${n}!` %></li>\n<% } %>\n';
  assert.is(render(template, { list: [1, 2] }), '<li>1 10 <br> 1!</li>\n<li>2 20 <br> 2!</li>\n');
});

code('a %> inside a string in a tag does not end the tag', () => {
  assert.is(render(`<% const t = '%> $name' %>$t|$name`, { name: 'Ann' }), '%&gt; $name|Ann');
});

code('a <% inside a $ expression is part of the expression, not a tag', () => {
  assert.is(render("${'<%= not a tag %>'}|$f('%>')", { f: (s: string) => s }), '&lt;%= not a tag %&gt;|%&gt;');
});

code('<%= %> escapes and honours safe values like $', () => {
  assert.is(render('<%= a %>|<%= b %>|<%= c %>', { a: '<', b: literal('<'), c: null }), '&lt;|<|');
});

const errors = suite('$ syntax errors');

function syntaxError(template: string): TemplateSyntaxError {
  const error = thrown(() => render(template, { a: 1, f: () => 1 }));
  assert.instance(error, TemplateSyntaxError);
  assert.is((error as TemplateSyntaxError).code, 'TET_ERR_TEMPLATE_SYNTAX');
  return error as TemplateSyntaxError;
}

errors('an unclosed ${ names its line and column', () => {
  const error = syntaxError('<p>one</p>\n<p>two ${a + (1</p>\n');
  assert.is(error.line, 2);
  assert.is(error.column, 8);
  assert.match(error.message, "template string, line 2, column 8: unclosed '${': add the matching '}'");
  assert.match(error.message, '> 2 | <p>two ${a + (1</p>');
});

errors('an unclosed ${ followed by an apostrophe in the HTML is still reported at the ${', () => {
  const error = syntaxError("<p>${ a </p>\n<p>don't</p>");
  assert.is(error.line, 1);
  assert.match(error.reason, 'the $ expression starting here does not end: its brackets are still open at line 2, column 7');
});

errors('unbalanced or mismatched brackets in $name(...) are errors', () => {
  assert.match(syntaxError('x\n$f(1').message, "line 2, column 3: unclosed '(': add the matching ')'");
  assert.match(syntaxError('$f(1]').message, "line 1, column 5: ']' does not match the '(' opened at line 1, column 3: expected ')'");
  assert.match(syntaxError("$f('1)").message, 'line 1, column 4: unclosed string');
});

errors('an empty ${} is an error', () => {
  assert.match(syntaxError('a ${ }').message, "line 1, column 3: empty '${}'");
});

errors('invalid JavaScript in ${} or in a tag names the line', () => {
  const inExpression = syntaxError('one\ntwo\n${a +}\nfour');
  assert.is(inExpression.line, 3);
  assert.match(inExpression.message, 'invalid JavaScript');
  assert.instance(inExpression.cause, SyntaxError);
  assert.is(syntaxError('one\n<% if (a { %>\nx\n<% } %>').line, 2);
});

errors('an unclosed <% tag or string inside one names where it starts', () => {
  assert.match(syntaxError('a\n  <% if (a) {').message, "line 2, column 3: unclosed '<%' tag: add '%>'");
  assert.match(syntaxError('<% const s = "abc %>\n').message, 'line 1, column 14: unclosed string inside the');
});

errors('lines after a multi-line expression keep their numbers in runtime errors', () => {
  const error = thrown(() => render('${a +\n  1}\n<p>\n<% f.nope.x %>', { a: 1, f: {} }));
  assert.instance(error, TemplateError);
  assert.is((error as TemplateError).code, 'TET_ERR_TEMPLATE_RENDER');
  assert.is((error as TemplateError).line, 4);
});

names.run();
expressions.run();
literals.run();
output.run();
code.run();
errors.run();

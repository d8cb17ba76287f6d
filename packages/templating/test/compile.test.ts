// How a template's top-level names come from the data it is rendered with.
import { thrown } from '@tet/core/testing';
import { Registry } from '@tet/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateEngine } from '../src/engine.js';
import { TemplateError } from '../src/index.js';

const engine = new TemplateEngine(new Registry(), false);
const compile = (template: string) => {
  const fn = engine.eta.compile(template);
  return (data: object) => fn.call(engine.eta, data, {});
};

const scope = suite('top-level names');

scope('each key of the data is a name, and the data stays reachable as it', () => {
  const page = compile('$title|${it.title}|<%= it.count + count %>');
  assert.is(page({ title: 'Home', count: 2 }), 'Home|Home|4');
});

scope('one compiled template serves data with different keys', () => {
  const page = compile('${typeof a}:${typeof b}:${it.a ?? ""}${it.b ?? ""}');
  assert.is(page({ a: 1 }), 'number:undefined:1');
  assert.is(page({ b: 2 }), 'undefined:number:2');
  assert.is(page({ b: 3, a: 4 }), 'number:number:43');
  assert.is(page({ a: 5 }), 'number:undefined:5');
});

scope('still works beyond the number of key sets it compiles separately', () => {
  const page = compile('$value-${it.k}');
  for (let i = 0; i < 40; i++) assert.is(page({ [`key${i}`]: i, value: `v${i}`, k: i }), `v${i}-${i}`);
});

scope("a template's own declarations may reuse a name", () => {
  assert.is(compile('<% let title = "Local" %>$title|${it.title}')({ title: 'Given' }), 'Local|Given');
  assert.is(compile('<% var title = title.toUpperCase() %>$title')({ title: 'given' }), 'GIVEN');
});

scope('keys that are not identifiers, or are reserved, are reachable through it only', () => {
  const page = compile('${it["my-key"]} ${it.class} ${it.it} ${typeof options}');
  assert.is(page({ 'my-key': 'dash', class: 'reserved', it: 'self', options: 'shadow?' }), 'dash reserved self object');
});

scope('a name the data does not have is a ReferenceError naming it', () => {
  const error = thrown(() => compile('one\n$missing')({ present: 1 }));
  assert.instance(error, TemplateError);
  assert.is((error as TemplateError).code, 'TET_ERR_TEMPLATE_RENDER');
  assert.is((error as TemplateError).line, 2);
  assert.match(error.message, 'ReferenceError: missing is not defined');
  assert.match(error.message, "a template's names are the keys of the object its view returns, plus request");
  assert.instance(error.cause, ReferenceError);
});

scope('globals stay reachable', () => {
  assert.is(compile('${Math.max(a, 3)} ${JSON.stringify(a)}')({ a: 1 }), '3 1');
});

scope.run();

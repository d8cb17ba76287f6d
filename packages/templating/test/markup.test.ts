import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeHtml, literal, Markup } from '../src/index.js';

const escaping = suite('escapeHtml');

escaping('escapes the five HTML-special characters and nothing else', () => {
  assert.is(escapeHtml(`<a href="x?a=1&b='2'">é ${'$'}</a>`), '&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;é $&lt;/a&gt;');
  assert.is(escapeHtml('plain text'), 'plain text');
});

escaping('prints undefined and null as nothing, and other values as escaped text', () => {
  assert.is(escapeHtml(undefined), '');
  assert.is(escapeHtml(null), '');
  assert.is(escapeHtml(0), '0');
  assert.is(escapeHtml(false), 'false');
  assert.is(escapeHtml({ toString: () => '<obj>' }), '&lt;obj&gt;');
});

escaping('prints safe values unescaped: Markup and anything with __html__()', () => {
  assert.is(escapeHtml(new Markup('<b>')), '<b>');
  assert.is(escapeHtml({ __html__: () => '<i>' }), '<i>');
  const callable = Object.assign(() => 'x', { __html__: () => '<fn>' });
  assert.is(escapeHtml(callable), '<fn>');
});

const safe = suite('literal');

safe('marks text as safe HTML', () => {
  const value = literal('<em>hi</em>');
  assert.instance(value, Markup);
  assert.is(value.html, '<em>hi</em>');
  assert.is(`${value}`, '<em>hi</em>', 'concatenation, as in <%~ %>, gives the HTML');
});

safe('returns a Markup as it is, and turns undefined and null into empty markup', () => {
  const value = new Markup('<p>');
  assert.is(literal(value), value);
  assert.is(literal(undefined).html, '');
  assert.is(literal(null).html, '');
  assert.is(literal(42).html, '42');
});

escaping.run();
safe.run();

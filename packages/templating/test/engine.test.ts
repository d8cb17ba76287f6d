// Template files: how include() and layout() names resolve, and where errors say they happened.
import { thrown } from '@tet/core/testing';
import { join } from 'node:path';
import { Configurator, HTTPNotFound } from '@tet/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateEngine } from '../src/engine.js';
import { TemplateError, TemplateSyntaxError } from '../src/index.js';
import { fixtureApp, templates } from './helpers.js';

const registry = new Configurator({ package: fixtureApp }).registry;
const engine = new TemplateEngine(registry, false);
const request = { path: '/here', method: 'GET' };
const render = (name: string, data: object = {}): string => {
  const out = engine.render(join(templates, name), { request, title: 'T', ...data });
  assert.type(out, 'string');
  return out as string;
};

function templateError(name: string, data: object = {}): TemplateError {
  const error = thrown(() => render(name, data));
  assert.instance(error, TemplateError);
  return error as TemplateError;
}

const files = suite('template files');

files('layouts and partials resolve relative to the template, the package root, or an asset spec, with $ inside each', () => {
  assert.is(
    render('page.eta', { title: 'Home & away' }),
    [
      '<!doctype html>',
      '<title>Home &amp; away | Fixture site</title>',
      '<main>',
      '<h1>Home &amp; away</h1>',
      '<ul>',
      '<li class="relative">relative at /here</li>',
      '<li class="package-root">package-root at /here</li>',
      '<li class="asset-spec">asset-spec at /here</li>',
      '</ul>',
      '<footer>Home &amp; away, from fixture-theme</footer>',
      '</main>',
      '',
    ].join('\n'),
  );
});

files('data named include or layout does not hide the Eta helpers', () => {
  const page = render('page.eta', { include: 'not a function', layout: 'wide' });
  assert.match(page, '<li class="relative">relative at /here</li>');
  assert.match(page, '<title>T | Fixture site</title>');
});

files('an include that leaves the package is refused, naming the include', () => {
  const error = templateError('errors/outside.eta');
  assert.is(error.code, 'TET_ERR_TEMPLATE_PATH');
  assert.is(error.file, join(templates, 'errors', 'outside.eta'));
  assert.is(error.line, 1);
  assert.match(error.message, `'../../../outside' resolves to ${join(fixtureApp, '..', 'outside')}, outside the package`);
  assert.match(error.message, "asset spec such as 'otherpkg:templates/x.eta'");
});

files('a missing partial names the file it looked for and the include', () => {
  const error = templateError('errors/missing-partial.eta');
  assert.is(error.code, 'TET_ERR_TEMPLATE_NOT_FOUND');
  assert.is(`${error.file}:${error.line}`, `${join(templates, 'errors', 'missing-partial.eta')}:2`);
  assert.match(error.message, `no template file at ${join(templates, 'errors', 'no-such-partial.eta')}`);
});

files('an HTTP exception thrown while rendering passes through unchanged', () => {
  const notFound = new HTTPNotFound('no such page');
  const error = thrown(() =>
    render('http-error.eta', {
      fail: () => {
        throw notFound;
      },
    }),
  );
  assert.is(error, notFound);
});

const locations = suite('template error locations');

locations('a syntax error names the file, line and column', () => {
  const error = templateError('errors/syntax.eta');
  assert.instance(error, TemplateSyntaxError);
  assert.is(error.code, 'TET_ERR_TEMPLATE_SYNTAX');
  assert.is(error.file, join(templates, 'errors', 'syntax.eta'));
  assert.is(error.line, 3);
  assert.is(error.column, 4);
  assert.ok(error.message.startsWith(`${join(templates, 'errors', 'syntax.eta')}:3:4: unclosed '\${'`), error.message);
  assert.match(error.message, '  > 3 | <p>${ request.path </p>');
});

locations('invalid JavaScript in a tag names the file and line', () => {
  const error = templateError('errors/bad-code.eta');
  assert.instance(error, TemplateSyntaxError);
  assert.is(`${error.file}:${error.line}`, `${join(templates, 'errors', 'bad-code.eta')}:2`);
  assert.match(error.message, "invalid JavaScript (Unexpected token '{')");
});

locations('a runtime error names the file and line, and keeps the original error as cause', () => {
  const error = templateError('errors/runtime.eta');
  assert.is(error.code, 'TET_ERR_TEMPLATE_RENDER');
  assert.is(`${error.file}:${error.line}`, `${join(templates, 'errors', 'runtime.eta')}:4`);
  assert.match(error.message, 'ReferenceError: user is not defined');
  assert.instance(error.cause, ReferenceError);
});

locations('an error in a partial names the partial, then the template that included it', () => {
  const error = templateError('errors/includes-failing.eta');
  assert.is(error.code, 'TET_ERR_TEMPLATE_RENDER');
  assert.is(`${error.file}:${error.line}`, `${join(templates, 'partials', 'failing.eta')}:2`);
  assert.match(error.message, "TypeError: Cannot read properties of undefined (reading 'deeper')");
  assert.equal(error.trail, [`included from ${join(templates, 'errors', 'includes-failing.eta')}:2`]);
  assert.instance(error.cause, TypeError);
});

locations('a syntax error in a partial keeps its class and location, plus the include', () => {
  const error = templateError('errors/includes-broken.eta');
  assert.instance(error, TemplateSyntaxError);
  assert.is(`${error.file}:${error.line}:${error.column}`, `${join(templates, 'errors', 'syntax.eta')}:3:4`);
  assert.equal(error.trail, [`included from ${join(templates, 'errors', 'includes-broken.eta')}:3`]);
});

files.run();
locations.run();

// Compiled templates are cached; with tet.reload_templates a changed file is compiled again.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTimeout, type TestApp } from '@tet/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateError, TemplateSyntaxError } from '../src/index.js';
import { startApp } from './helpers.js';

interface Context {
  dir: string;
  reloading: TestApp;
  cached: TestApp;
}
const reload = suite<Context>('tet.reload_templates');

reload.before(async (context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'tet-templating-'));
  writeFileSync(join(context.dir, 'package.json'), JSON.stringify({ name: 'reload-fixture' }));
  mkdirSync(join(context.dir, 'templates'));
  writeFileSync(join(context.dir, 'templates', 'page.eta'), '<p>version one: $word</p>\n<%~ include("./part") %>');
  writeFileSync(join(context.dir, 'templates', 'part.eta'), '<i>part one</i>');
  const configure = (config: Parameters<Parameters<typeof startApp>[0]>[0]) => {
    config.addRoute('page', '/');
    config.addView(() => ({ word: 'hello' }), { routeName: 'page', renderer: 'reload-fixture:templates/page.eta' });
  };
  // Settings from an ini file or the environment arrive as strings.
  context.reloading = await startApp(configure, { dir: context.dir, settings: { 'tet.reload_templates': 'true' } });
  context.cached = await startApp(configure, { dir: context.dir, settings: { 'tet.reload_templates': 'false' } });
});
reload.after(async ({ dir, reloading, cached }) => {
  await reloading.close();
  await cached.close();
  rmSync(dir, { recursive: true, force: true });
});

async function page(app: TestApp): Promise<{ status: number; body: string }> {
  const res = await fetch(`${app.base}/`);
  return { status: res.status, body: await res.text() };
}

reload('both applications render the files as they are at first', ({ reloading, cached }) =>
  withTimeout(async () => {
    assert.equal(await page(reloading), { status: 200, body: '<p>version one: hello</p>\n<i>part one</i>' });
    assert.equal(await page(cached), { status: 200, body: '<p>version one: hello</p>\n<i>part one</i>' });
  }),
);

reload('after the page and its partial change, reload shows the new text and the cache the old', ({ dir, reloading, cached }) =>
  withTimeout(async () => {
    // Same lengths as before: the change is noticed by content, not size.
    writeFileSync(join(dir, 'templates', 'page.eta'), '<p>version two: $word</p>\n<%~ include("./part") %>');
    writeFileSync(join(dir, 'templates', 'part.eta'), '<i>part two</i>');
    assert.equal(await page(reloading), { status: 200, body: '<p>version two: hello</p>\n<i>part two</i>' });
    assert.equal(await page(cached), { status: 200, body: '<p>version one: hello</p>\n<i>part one</i>' });
  }),
);

reload('a syntax error saved while reloading is a logged 500 until the file is fixed', ({ dir, reloading }) =>
  withTimeout(async () => {
    writeFileSync(join(dir, 'templates', 'part.eta'), '<i>\n${ oops </i>');
    assert.is((await page(reloading)).status, 500);
    const error = reloading.logger.errors.at(-1);
    assert.instance(error, TemplateSyntaxError);
    assert.is(`${(error as TemplateSyntaxError).file}:${(error as TemplateSyntaxError).line}`, `${join(dir, 'templates', 'part.eta')}:2`);
    writeFileSync(join(dir, 'templates', 'part.eta'), '<i>part three</i>');
    assert.equal(await page(reloading), { status: 200, body: '<p>version two: hello</p>\n<i>part three</i>' });
  }),
);

reload('a template deleted while reloading is a logged 500 naming the file', ({ dir, reloading }) =>
  withTimeout(async () => {
    unlinkSync(join(dir, 'templates', 'part.eta'));
    assert.is((await page(reloading)).status, 500);
    const error = reloading.logger.errors.at(-1) as TemplateError;
    assert.instance(error, TemplateError);
    assert.is(error.code, 'TET_ERR_TEMPLATE_NOT_FOUND');
    assert.match(error.message, `no template file at ${join(dir, 'templates', 'part.eta')}`);
  }),
);

reload.run();

// Templates that use `await`: rendered asynchronously, over real HTTP.
import { withTimeout, type TestApp } from '@tet/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateError } from '../src/index.js';
import { APP, startApp } from './helpers.js';

const later = <T>(value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), 5));

const pages = suite<{ app: TestApp }>('templates with await over HTTP');

pages.before(async (context) => {
  context.app = await startApp((config) => {
    const page = (name: string, file: string, data: object) => {
      config.addRoute(name, `/${name}`);
      config.addView(() => ({ later, ...data }), { routeName: name, renderer: `${APP}:templates/async/${file}` });
    };
    page('page', 'page.eta', { title: 'Tea & cake' });
    page('layout', 'awaiting-layout.eta', { title: 'T<1>' });
    page('sync-include', 'sync-include.eta', {});
    page('failing', 'failing.eta', { broken: () => Promise.reject(new Error('the database is down')) });
  });
});
pages.after(async ({ app }) => app.close());

async function get(app: TestApp, path: string): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(`${app.base}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

function loggedError(app: TestApp, code: string): Error {
  const error = app.logger.errors.find((e) => (e as { code?: unknown } | undefined)?.code === code);
  assert.instance(error, Error, `no logged error with code ${code}: ${app.logger.lines.join('; ')}`);
  return error as Error;
}

pages('a page that awaits renders with its awaiting layout and includeAsync() partials, each escaped once', ({ app }) =>
  withTimeout(async () => {
    const { status, type, body } = await get(app, '/page');
    assert.is(status, 200);
    assert.is(type, 'text/html; charset=utf-8');
    assert.is(
      body,
      ['<!doctype html>', '<title>Tea &amp; cake | Async site</title>', '<main>', '<h1>Tea &amp; cake</h1>', '<ul>', '<li>&lt;first&gt;</li>\n', '<li>second</li>\n</ul>', '</main>', ''].join('\n'),
    );
  }),
);

pages('a page without await whose layout awaits renders asynchronously, every time', ({ app }) =>
  withTimeout(async () => {
    for (let i = 0; i < 2; i++) {
      const { status, body } = await get(app, '/layout');
      assert.is(status, 200);
      assert.is(body, '<title>T&lt;1&gt;</title>\n<h1>T&lt;1&gt;</h1>\n');
    }
  }),
);

pages('a partial that awaits, included with include(), is a 500 logged with TET_ERR_TEMPLATE_AWAIT and the advice', ({ app }) =>
  withTimeout(async () => {
    const { status, body } = await get(app, '/sync-include');
    assert.is(status, 500);
    assert.not.match(body, 'includeAsync');
    const error = loggedError(app, 'TET_ERR_TEMPLATE_AWAIT');
    const message = error.message;
    assert.match(message, 'async/item.eta');
    assert.match(message, "${await includeAsync('./name')}");
    assert.match(message, 'included from');
  }),
);

pages('an awaited rejection is a 500 whose log names the template file and line', ({ app }) =>
  withTimeout(async () => {
    const { status } = await get(app, '/failing');
    assert.is(status, 500);
    const error = loggedError(app, 'TET_ERR_TEMPLATE_RENDER');
    assert.instance(error, TemplateError);
    assert.match(error.message, 'async/failing.eta:2');
    assert.match(error.message, 'the database is down');
  }),
);

pages.run();

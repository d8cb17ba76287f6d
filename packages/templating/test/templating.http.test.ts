// Templates as view renderers over real HTTP: pages, escaping, and rendering errors as 500s.
import { join } from 'node:path';
import { HTTPNotFound } from '@tet/core';
import { withTimeout, type TestApp } from '@tet/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { literal, TemplateError, TemplateSyntaxError, templateRenderer } from '../src/index.js';
import { APP, startApp, templates } from './helpers.js';

const pages = suite<{ app: TestApp }>('templates over HTTP');

pages.before(async (context) => {
  context.app = await startApp((config) => {
    config.addRenderer('.html', templateRenderer);
    const page = (name: string, view: Parameters<typeof config.addView>[0], renderer: string) => {
      config.addRoute(name, `/${name}`);
      config.addView(view, { routeName: name, renderer });
    };
    page('page', () => ({ title: 'Home <3' }), `${APP}:templates/page.eta`);
    page('escaping', () => ({ text: `<b>"Tom" & 'Jerry'</b>`, safe: literal('<b>bold</b>'), nothing: null, absent: undefined }), `${APP}:templates/escaping.eta`);
    page('code', () => ({ name: 'Ann', items: [{ name: 'tea' }, { name: 'cake' }] }), `${APP}:templates/code-blocks.eta`);
    page('plain', () => undefined, `${APP}:templates/plain.eta`);
    page('absolute', () => ({}), join(templates, 'plain.eta'));
    page(
      'xhtml',
      (request) => {
        request.response.contentType = 'application/xhtml+xml';
        request.response.status = 201;
        return {};
      },
      `${APP}:templates/plain.eta`,
    );
    page('about', () => ({ title: 'us' }), `${APP}:templates/about.html`);
    page(
      'missing',
      () => ({
        fail: () => {
          throw new HTTPNotFound('no such thing');
        },
      }),
      `${APP}:templates/http-error.eta`,
    );
  });
});
pages.after(async ({ app }) => app.close());

async function get(app: TestApp, path: string): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(`${app.base}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

pages('renders a page with its layout and partials, $ resolved in each, as UTF-8 HTML', ({ app }) =>
  withTimeout(async () => {
    const { status, type, body } = await get(app, '/page');
    assert.is(status, 200);
    assert.is(type, 'text/html; charset=utf-8');
    assert.is(
      body,
      [
        '<!doctype html>',
        '<title>Home &lt;3 | Fixture site</title>',
        '<main>',
        '<h1>Home &lt;3</h1>',
        '<ul>',
        '<li class="relative">relative at /page</li>',
        '<li class="package-root">package-root at /page</li>',
        '<li class="asset-spec">asset-spec at /page</li>',
        '</ul>',
        '<footer>Home &lt;3, from fixture-theme</footer>',
        '</main>',
        '',
      ].join('\n'),
    );
  }),
);

pages('escapes text and attribute values, prints safe values as they are and nothing for null', ({ app }) =>
  withTimeout(async () => {
    const { body } = await get(app, '/escaping');
    const escaped = '&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;';
    assert.is(body, `<p title="${escaped}">${escaped}</p>\n<p><b>bold</b></p>\n<p>[][]</p>\n<p>${escaped}</p>\n`);
  }),
);

pages('leaves $ alone inside <% %> code, which works as in Eta', ({ app }) =>
  withTimeout(async () => {
    assert.is((await get(app, '/code')).body, '<li>tea: $5 for $name</li>\n<li>cake: $5 for $name</li>\n');
  }),
);

pages('puts request in scope even when the view returns nothing; absolute paths work too', ({ app }) =>
  withTimeout(async () => {
    assert.is((await get(app, '/plain')).body, '<p>GET /plain</p>\n');
    assert.is((await get(app, '/absolute')).body, '<p>GET /absolute</p>\n');
  }),
);

pages('keeps the status and content type the view set', ({ app }) =>
  withTimeout(async () => {
    const { status, type, body } = await get(app, '/xhtml');
    assert.is(status, 201);
    assert.is(type, 'application/xhtml+xml');
    assert.is(body, '<p>GET /xhtml</p>\n');
  }),
);

pages('templateRenderer serves other extensions once registered for them', ({ app }) =>
  withTimeout(async () => {
    assert.is((await get(app, '/about')).body, '<p>About us</p>\n');
  }),
);

pages('an HTTP exception raised while rendering keeps its status', ({ app }) =>
  withTimeout(async () => {
    const { status, body } = await get(app, '/missing');
    assert.is(status, 404);
    assert.match(body, 'no such thing');
  }),
);

const failures = suite<{ app: TestApp }>('template errors over HTTP');

// A separate application, so its log holds only this suite's errors.
failures.before(async (context) => {
  context.app = await startApp((config) => {
    for (const name of ['syntax', 'runtime', 'includes-failing']) {
      config.addRoute(name, `/${name}`);
      config.addView(() => ({ title: 'T' }), { routeName: name, renderer: `${APP}:templates/errors/${name}.eta` });
    }
    config.addRoute('not-an-object', '/not-an-object');
    config.addView(() => 'just a string', { routeName: 'not-an-object', renderer: `${APP}:templates/plain.eta` });
  });
});
failures.after(async ({ app }) => app.close());

async function failing(app: TestApp, path: string): Promise<TemplateError> {
  const before = app.logger.errors.length;
  const res = await fetch(`${app.base}${path}`);
  assert.is(res.status, 500);
  assert.is(await res.text(), '500 Internal Server Error\n', 'no details outside debug mode');
  assert.is(app.logger.errors.length, before + 1);
  assert.is(app.logger.lines.at(-1), `error: GET ${path} (route '${path.slice(1)}'): unhandled error in a view`);
  const error = app.logger.errors.at(-1);
  assert.instance(error, TemplateError);
  return error as TemplateError;
}

failures('a syntax error is a 500, logged with the file and line', ({ app }) =>
  withTimeout(async () => {
    const error = await failing(app, '/syntax');
    assert.instance(error, TemplateSyntaxError);
    assert.is(error.code, 'TET_ERR_TEMPLATE_SYNTAX');
    assert.ok(error.message.startsWith(`${join(templates, 'errors', 'syntax.eta')}:3:4: unclosed '\${'`), error.message);
  }),
);

failures('a syntax error is reported again on the next request, not cached', ({ app }) =>
  withTimeout(async () => {
    const error = await failing(app, '/syntax');
    assert.is(error.line, 3);
  }),
);

failures('a runtime error is a 500, logged with the file and line', ({ app }) =>
  withTimeout(async () => {
    const error = await failing(app, '/runtime');
    assert.is(error.code, 'TET_ERR_TEMPLATE_RENDER');
    assert.ok(error.message.startsWith(`${join(templates, 'errors', 'runtime.eta')}:4: ReferenceError: user is not defined`), error.message);
  }),
);

failures('an error in a partial is logged with the partial and the including template', ({ app }) =>
  withTimeout(async () => {
    const error = await failing(app, '/includes-failing');
    assert.match(error.message, `${join(templates, 'partials', 'failing.eta')}:2: TypeError`);
    assert.match(error.message, `\n  included from ${join(templates, 'errors', 'includes-failing.eta')}:2`);
  }),
);

failures('a view that returns something other than an object is a 500 that says what to return', ({ app }) =>
  withTimeout(async () => {
    const error = await failing(app, '/not-an-object');
    assert.is(error.code, 'TET_ERR_TEMPLATE_VALUE');
    assert.is(error.message, `the view rendered with '${APP}:templates/plain.eta' returned string; return an object instead (its keys become the template's names), e.g. return { title: 'Home' }`);
  }),
);

pages.run();
failures.run();

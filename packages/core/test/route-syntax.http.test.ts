// Issue 16 "Routes": Pyramid's `{name:regex}` and `*subpath`, currentRouteUrl, and routeUrl's
// elements and appUrl, over real HTTP.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, ConfigurationError, Response } from '../src/index.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

async function configurationError(configure: Parameters<typeof applicationFactory>[0]): Promise<ConfigurationError> {
  try {
    await applicationFactory(configure)({});
  } catch (error) {
    assert.instance(error, ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

const main = applicationFactory((config) => {
  config.addRoute('by-number', '/items/{id:\\d+}');
  config.addView((request) => new Response(`number ${request.matchdict.id}`), { routeName: 'by-number' });
  config.addRoute('by-slug', '/items/{slug}');
  config.addView((request) => new Response(`slug ${request.matchdict.slug}`), { routeName: 'by-slug' });
  config.addRoute('year', '/archive/{year:\\d{4}}');
  config.addView((request) => new Response(`year ${request.matchdict.year}`), { routeName: 'year' });
  config.addRoute('static', '/static/*subpath');
  config.addView((request) => Response.json({ matchdict: request.matchdict, subpath: request.subpath }), { routeName: 'static' });
  config.addRoute('bare', '/bare/*');
  config.addView((request) => Response.json({ matchdict: request.matchdict, subpath: request.subpath }), { routeName: 'bare' });
  config.addRoute('page', '/books/{id}/page/{page}');
  config.addView(
    (request) =>
      Response.json({
        same: request.currentRouteUrl(),
        next: request.currentRouteUrl({ params: { page: Number(request.matchdict.page) + 1 } }),
        noQuery: request.currentRouteUrl({ query: {}, appUrl: 'https://example.com/app/' }),
        elements: request.routeUrl('page', { id: 'a b', page: 1 }, { elements: ['notes', 'x/y'], appUrl: 'https://cdn.example' }),
        elementsPath: request.routePath('static', { subpath: ['css', 'a b', 'c/d'] }, { elements: ['e'] }),
      }),
    { routeName: 'page' },
  );
  config.addRoute('static-url', '/static-url');
  config.addView((request) => new Response(request.routePath('static', { subpath: 'css/site.css' })), { routeName: 'static-url' });
});

const syntax = suite<{ server: TestServer }>('Routes.pyramidSyntax');

syntax.before(async (context) => {
  context.server = await startTestServer(main({}));
});
syntax.after(async (context) => context.server.close());

syntax('{id:\\d+} matches only digits; other segments fall to the plain {slug} route', (context) =>
  withTimeout(async () => {
    const number = await rawRequest(context.server.base, '/items/42');
    assert.is(number.status, 200);
    assert.is(number.text, 'number 42');
    const slug = await rawRequest(context.server.base, '/items/42x');
    assert.is(slug.text, 'slug 42x');
    const year = await rawRequest(context.server.base, '/archive/2024');
    assert.is(year.text, 'year 2024');
    assert.is((await rawRequest(context.server.base, '/archive/202')).status, 404);
    assert.is((await rawRequest(context.server.base, '/archive/20245')).status, 404);
  }),
);

syntax('*subpath: matchdict.subpath is the decoded remainder, request.subpath its decoded segments', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/static/css/a%2Fb/./x/../c%20d.css');
    assert.is(res.status, 200);
    const body = JSON.parse(res.text) as { matchdict: Record<string, string>; subpath: string[] };
    assert.equal(body.subpath, ['css', 'a/b', 'c d.css']);
    assert.is(body.matchdict.subpath, 'css/a/b/./x/../c d.css');
    assert.is(body.matchdict['*'], undefined);
    const empty = JSON.parse((await rawRequest(context.server.base, '/static/')).text) as { subpath: string[]; matchdict: Record<string, string> };
    assert.equal(empty.subpath, []);
    assert.is(empty.matchdict.subpath, '');
    const bare = JSON.parse((await rawRequest(context.server.base, '/bare/x//y')).text) as { subpath: string[]; matchdict: Record<string, string> };
    assert.equal(bare.subpath, ['x', 'y']);
    assert.is(bare.matchdict['*'], 'x//y');
  }),
);

syntax('routePath fills *subpath from a string or from segments', (context) =>
  withTimeout(async () => {
    assert.is((await rawRequest(context.server.base, '/static-url')).text, '/static/css/site.css');
  }),
);

syntax('currentRouteUrl keeps the matchdict and query; routeUrl takes elements and appUrl', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/books/7/page/3?q=a+b', { headers: { host: 'books.test' } });
    assert.is(res.status, 200);
    assert.equal(JSON.parse(res.text), {
      same: 'http://books.test/books/7/page/3?q=a+b',
      next: 'http://books.test/books/7/page/4?q=a+b',
      noQuery: 'https://example.com/app/books/7/page/3',
      elements: 'https://cdn.example/books/a%20b/page/1/notes/x%2Fy',
      elementsPath: '/static/css/a%20b/c%2Fd/e',
    });
  }),
);

const invalid = suite('Routes.invalidPatterns');

invalid('an invalid {name:regex} is a ConfigurationError TET_ERR_ROUTE_REGEX quoting the regex', async () => {
  const error = await configurationError((config) => config.addRoute('bad', '/users/{id:[0-9}'));
  assert.is(error.code, 'TET_ERR_ROUTE_REGEX');
  assert.match(error.message, "addRoute('bad', '/users/{id:[0-9}')");
  assert.match(error.message, "'[0-9'");
  const slash = await configurationError((config) => config.addRoute('slash', '/p/{rest:.+/.+}'));
  assert.is(slash.code, 'TET_ERR_ROUTE_REGEX');
  assert.match(slash.message, '*name');
});

invalid('*subpath must end the pattern and braces must balance', async () => {
  const middle = await configurationError((config) => config.addRoute('mid', '/a/*rest/b'));
  assert.is(middle.code, 'TET_ERR_ROUTE_PATTERN');
  assert.match(middle.message, "'*rest' must end the pattern");
  const brace = await configurationError((config) => config.addRoute('brace', '/a/{id'));
  assert.is(brace.code, 'TET_ERR_ROUTE_PATTERN');
  assert.match(brace.message, "unbalanced '{'");
});

syntax.run();
invalid.run();

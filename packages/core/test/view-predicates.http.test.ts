import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { accepts, applicationFactory, ConfigurationError, Configurator, PredicateMismatch, Response } from '../src/index.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

declare module '../src/index.js' {
  interface ViewOptions {
    beta?: boolean;
  }
  interface AddRouteOptions {
    apiVersion?: number;
  }
}

interface Context {
  server: TestServer;
}
const predicates = suite<Context>('view predicates over HTTP');

const text = (body: string) => () => new Response(body, { contentType: 'text/plain' });

predicates.before(async (context) => {
  const main = applicationFactory((config) => {
    config.addViewPredicate('beta', (wanted) => (request) => (request.headers['x-beta'] === '1') === wanted);
    config.addRoutePredicate('apiVersion', (version) => (request) => request.headers['x-api-version'] === String(version));
    config.addRoute('item', '/items/:id');
    // Added least specific first: the more predicates, the earlier a view is tried (Pyramid's order).
    config.addView(text('plain'), { routeName: 'item', requestMethod: 'GET' });
    config.addView(() => ({ json: true }), { routeName: 'item', requestMethod: 'GET', accept: 'application/json', renderer: 'json' });
    config.addView(text('xhr'), { routeName: 'item', requestMethod: 'GET', xhr: true });
    config.addView(text('header'), { routeName: 'item', requestMethod: 'GET', header: 'X-Mode:^fa' });
    config.addView(text('param'), { routeName: 'item', requestMethod: 'GET', requestParam: 'view=compact' });
    config.addView(text('seven'), { routeName: 'item', requestMethod: 'GET', matchParam: 'id=7' });
    config.addView(text('beta'), { routeName: 'item', requestMethod: 'GET', beta: true });
    config.addView(text('posted'), { routeName: 'item', requestMethod: 'POST' });

    config.addRoute('picky', '/picky');
    config.addView(text('picky json'), { routeName: 'picky', requestMethod: 'GET', accept: 'application/json' });
    config.addView(text('picky delete'), { routeName: 'picky', requestMethod: 'DELETE', header: 'X-Confirm' });

    // Two routes on one pattern, told apart by a route predicate.
    config.addRoute('v2', '/api', { apiVersion: 2 });
    config.addView(text('v2'), { routeName: 'v2' });
    config.addRoute('v1', '/api', { header: 'X-Legacy' });
    config.addView(text('v1'), { routeName: 'v1' });
  });
  context.server = await startTestServer(main());
});
predicates.after(async (context) => context.server.close());

predicates('each built-in and custom predicate selects its view; the predicate-less view is the fallback', (context) =>
  withTimeout(async () => {
    // A browser-like Accept, so the accept predicate does not match by default (no Accept at all matches it, as in Pyramid).
    const get = async (path: string, headers: Record<string, string> = {}) => (await rawRequest(context.server.base, path, { headers: { accept: 'text/html', ...headers } })).text;
    assert.is(await get('/items/1'), 'plain');
    assert.is((await rawRequest(context.server.base, '/items/1')).text, '{"json":true}');
    assert.is(await get('/items/1', { accept: 'application/json' }), '{"json":true}');
    assert.is(await get('/items/1', { accept: 'text/html;q=0.9, application/*;q=0.5' }), '{"json":true}');
    assert.is(await get('/items/1', { accept: 'application/json;q=0, text/html' }), 'plain');
    assert.is(await get('/items/1', { 'x-requested-with': 'XMLHttpRequest' }), 'xhr');
    assert.is(await get('/items/1', { 'x-mode': 'fast' }), 'header');
    assert.is(await get('/items/1', { 'x-mode': 'slow' }), 'plain');
    assert.is(await get('/items/1?view=compact'), 'param');
    assert.is(await get('/items/1?view=full'), 'plain');
    assert.is(await get('/items/7'), 'seven');
    assert.is(await get('/items/1', { 'x-beta': '1' }), 'beta');
    const head = await rawRequest(context.server.base, '/items/1', { method: 'HEAD', headers: { accept: 'application/json' } });
    assert.is(head.headers['content-type'], 'application/json');
    assert.is((await rawRequest(context.server.base, '/items/1', { method: 'POST' })).text, 'posted');
  }),
);

predicates('no view matching is a 404 (PredicateMismatch); only the method differing stays a 405 with Allow', (context) =>
  withTimeout(async () => {
    const mismatch = await rawRequest(context.server.base, '/picky', { headers: { accept: 'text/html' } });
    assert.is(mismatch.status, 404);
    const json = await rawRequest(context.server.base, '/picky', { method: 'PUT', headers: { accept: 'application/json' } });
    assert.is(json.status, 405);
    assert.is(json.headers.allow, 'GET, HEAD');
    const both = await rawRequest(context.server.base, '/picky', { method: 'PUT', headers: { accept: 'application/json', 'x-confirm': 'yes' } });
    assert.is(both.status, 405);
    assert.is(both.headers.allow, 'GET, DELETE, HEAD');
    const neither = await rawRequest(context.server.base, '/picky', { method: 'PUT', headers: { accept: 'text/html' } });
    assert.is(neither.status, 404);
  }),
);

predicates('route predicates pick among routes with one pattern; none holding is a 404', (context) =>
  withTimeout(async () => {
    assert.is((await rawRequest(context.server.base, '/api', { headers: { 'x-api-version': '2' } })).text, 'v2');
    assert.is((await rawRequest(context.server.base, '/api', { headers: { 'x-legacy': '1' } })).text, 'v1');
    assert.is((await rawRequest(context.server.base, '/api')).status, 404);
  }),
);

const config = suite('view predicates at configuration');

function failure(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    assert.instance(error, ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

config('views that differ by a predicate do not conflict; views with the same predicates do', () => {
  const different = new Configurator();
  different.addRoute('home', '/');
  different.addView(text('a'), { routeName: 'home', accept: 'text/html' });
  different.addView(text('b'), { routeName: 'home', accept: 'application/json' });
  different.addView(text('c'), { routeName: 'home', header: ['X-A', 'X-B'] });
  different.commit();
  const same = new Configurator();
  same.addRoute('home', '/');
  same.addView(text('a'), { routeName: 'home', header: ['X-A', 'X-B'] });
  same.addView(text('b'), { routeName: 'home', header: ['X-B', 'X-A'] });
  const error = failure(() => same.commit());
  assert.is(error.code, 'TET_ERR_CONFIG_CONFLICT');
  assert.match(error.message, 'For: view:home:*:header=["X-A","X-B"]');
});

config('bad predicate values and names are ConfigurationErrors', () => {
  const badValue = new Configurator();
  badValue.addRoute('home', '/');
  badValue.addView(text('a'), { routeName: 'home', xhr: 'yes' as unknown as boolean });
  assert.match(failure(() => badValue.commit()).message, "the 'xhr' predicate takes true or false");
  const taken = failure(() => new Configurator().addViewPredicate('accept' as 'beta', () => () => true));
  assert.is(taken.code, 'TET_ERR_PREDICATE');
  const route = failure(() => new Configurator().addRoute('x', '/x', { hedaer: 'X' } as object));
  assert.is(route.code, 'TET_ERR_ROUTE_OPTIONS');
  assert.match(route.message, "unknown route option 'hedaer'");
});

config('accepts() reads q-values and wildcards; PredicateMismatch is a 404', () => {
  assert.ok(accepts(undefined, 'text/html'));
  assert.ok(accepts('text/*', 'text/html'));
  assert.ok(accepts('*/*;q=0.1', 'image/png'));
  assert.not.ok(accepts('text/html;q=0', 'text/html'));
  assert.not.ok(accepts('application/json', 'text/html'));
  assert.is(new PredicateMismatch('x').status, 404);
});

predicates.run();
config.run();

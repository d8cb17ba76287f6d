import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, Response, type TetError } from '../src/index.js';
import { memoryLogger, rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

const logger = memoryLogger();

const main = applicationFactory((config) => {
  config.registry.logger = logger;
  config.addRoute('home', '/');
  config.addView(() => new Response('home'), { routeName: 'home', requestMethod: 'GET' });
  config.addRoute('user', '/users/:id');
  config.addView((request) => new Response(`user ${request.matchdict.id}`), { routeName: 'user', requestMethod: ['GET', 'PUT'] });
  config.addRoute('pyramid-style', '/posts/{slug}/comments');
  config.addView((request) => new Response(`comments of ${request.matchdict.slug}`), { routeName: 'pyramid-style' });
  config.addRoute('files', '/files/*');
  config.addView((request) => new Response(`file ${request.matchdict['*']}`), { routeName: 'files' });
  // Two routes on one pattern, told apart by their requestMethod predicate.
  config.addRoute('items-list', '/items', { requestMethod: 'GET' });
  config.addRoute('items-create', '/items', { requestMethod: 'POST' });
  config.addView(() => new Response('list'), { routeName: 'items-list' });
  config.addView(() => new Response('created', { status: 201 }), { routeName: 'items-create' });
  config.addRoute('no-views', '/empty');
  config.addRoute('urls', '/urls');
  config.addView(
    (request) =>
      Response.json({
        url: request.routeUrl('user', { id: 'a b/c' }),
        path: request.routePath('files', { '*': 'docs/read me.txt' }),
        query: request.routePath('home', {}, { query: { q: 'x y', tag: ['a', 'b'] }, anchor: 'top' }),
      }),
    { routeName: 'urls' },
  );
  config.addRoute('missing-param', '/missing');
  config.addView((request) => new Response(request.routePath('user')), { routeName: 'missing-param' });
  config.addRoute('unknown-route', '/unknown');
  config.addView(
    (request) => {
      try {
        request.routeUrl('nope');
        return new Response('no error');
      } catch (error) {
        return new Response(`${(error as TetError).code}: ${(error as Error).message}`);
      }
    },
    { routeName: 'unknown-route' },
  );
});

const routing = suite<{ server: TestServer }>('routing over HTTP');

routing.before(async (context) => {
  context.server = await startTestServer(main({}));
});
routing.after(async (context) => context.server.close());

routing('matches static and parametric routes, decoding params', (context) =>
  withTimeout(async () => {
    const home = await fetch(`${context.server.base}/`);
    assert.is(home.status, 200);
    assert.is(await home.text(), 'home');
    const user = await fetch(`${context.server.base}/users/J%C3%BCrgen`);
    assert.is(await user.text(), 'user Jürgen');
    const pyramid = await fetch(`${context.server.base}/posts/hello/comments`);
    assert.is(await pyramid.text(), 'comments of hello');
  }),
);

routing('a wildcard route gets the rest of the path', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/files/a/b/c.txt`);
    assert.is(await res.text(), 'file a/b/c.txt');
  }),
);

routing('no route matched is a 404', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/nowhere`);
    assert.is(res.status, 404);
    assert.match(await res.text(), '404 Not Found');
    const noViews = await fetch(`${context.server.base}/empty`);
    assert.is(noViews.status, 404, 'a route without views is not found either');
  }),
);

routing('a matched route with the wrong method is a 405 with Allow', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/users/1`, { method: 'DELETE' });
    assert.is(res.status, 405);
    assert.is(res.headers.get('allow'), 'GET, PUT, HEAD');
    const home = await fetch(`${context.server.base}/`, { method: 'POST' });
    assert.is(home.status, 405);
    assert.is(home.headers.get('allow'), 'GET, HEAD');
    const items = await fetch(`${context.server.base}/items`, { method: 'PATCH' });
    assert.is(items.status, 405);
    assert.is(items.headers.get('allow'), 'GET, HEAD, POST');
  }),
);

routing('HEAD reaches a GET view and gets no body', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/', { method: 'HEAD' });
    assert.is(res.status, 200);
    assert.is(res.headers['content-length'], '4');
    assert.is(res.body.length, 0);
  }),
);

routing('routes on one pattern are told apart by requestMethod', (context) =>
  withTimeout(async () => {
    const list = await fetch(`${context.server.base}/items`);
    assert.is(await list.text(), 'list');
    const created = await fetch(`${context.server.base}/items`, { method: 'POST' });
    assert.is(created.status, 201);
    assert.is(await created.text(), 'created');
  }),
);

routing('bad percent-encoding is a 400, not a crash', (context) =>
  withTimeout(async () => {
    for (const path of ['/users/%E0%A4%A', '/users/%zz', '/%', '/users/%C3%28']) {
      const res = await rawRequest(context.server.base, path);
      assert.is(res.status, 400, path);
    }
    const after = await fetch(`${context.server.base}/`);
    assert.is(after.status, 200, 'the server keeps serving');
  }),
);

routing('an absolute-form request target is routed by its path', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, `${context.server.base}/users/7?x=1`);
    assert.is(res.text, 'user 7');
  }),
);

routing('routeUrl and routePath build encoded URLs with query and anchor', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/urls`);
    assert.equal(await res.json(), {
      url: `${context.server.base}/users/a%20b%2Fc`,
      path: '/files/docs/read%20me.txt',
      query: '/?q=x+y&tag=a&tag=b#top',
    });
  }),
);

routing('routeUrl with a missing param or an unknown route says which', (context) =>
  withTimeout(async () => {
    const missing = await fetch(`${context.server.base}/missing`);
    assert.is(missing.status, 500, 'a view that lets the error escape gets a 500');
    assert.match(logger.lines.join('\n'), "GET /missing (route 'missing-param'): unhandled error in a view");
    assert.match(String(logger.errors.at(-1)), "routeUrl('user'): missing the parameter 'id' for the pattern '/users/:id'");
    const unknown = await fetch(`${context.server.base}/unknown`);
    const text = await unknown.text();
    assert.match(text, "TET_ERR_ROUTE_UNKNOWN: routeUrl('nope'): no route is named 'nope'");
    assert.match(text, 'Known routes: home, user');
  }),
);

routing.run();

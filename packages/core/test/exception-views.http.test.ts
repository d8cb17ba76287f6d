// Issue 12 item 9: an exception view starts from a fresh `request.response`, as in Pyramid,
// so the failed view's status and cache headers never make an error page cacheable.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, HTTPForbidden, HTTPMethodNotAllowed, HTTPNotFound, type Request } from '../src/index.js';
import { memoryLogger, rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

function spoil(request: Request): void {
  request.response.status = 201;
  request.response.setHeader('Cache-Control', 'public, max-age=86400');
  request.response.setHeader('X-Leak', 'from the failed view');
}

const main = applicationFactory((config) => {
  config.registry.logger = memoryLogger();
  config.addRoute('missing', '/missing');
  config.addView(
    (request) => {
      spoil(request);
      throw new HTTPNotFound('no such thing');
    },
    { routeName: 'missing', renderer: 'json' },
  );
  config.addRoute('missing-async', '/missing-async');
  config.addView(
    async (request) => {
      spoil(request);
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new HTTPNotFound('not yet');
    },
    { routeName: 'missing-async', renderer: 'json' },
  );
  config.addRoute('crash', '/crash');
  config.addView(
    (request) => {
      spoil(request);
      throw new Error('boom');
    },
    { routeName: 'crash', renderer: 'json' },
  );
  config.addRoute('forbidden', '/forbidden');
  config.addView(
    (request) => {
      spoil(request);
      throw new HTTPForbidden('members only');
    },
    { routeName: 'forbidden', renderer: 'json' },
  );
  config.addRoute('get-only', '/get-only');
  config.addView(() => ({ ok: true }), { routeName: 'get-only', renderer: 'json', requestMethod: 'GET' });

  config.addExceptionView(
    (request) => {
      request.response.setHeader('Cache-Control', 'no-store');
      return { error: (request.exception as Error).message };
    },
    { context: HTTPNotFound, renderer: 'json' },
  );
  config.addExceptionView(
    (request) => {
      if (request.pathInfo === '/crash') request.response.status = 503;
      return { error: 'sorry' };
    },
    { context: Error, renderer: 'json' },
  );
  config.addExceptionView(() => 'not here', { context: HTTPMethodNotAllowed, renderer: 'string' });
});

const fresh = suite<{ server: TestServer }>('exception views and request.response');

fresh.before(async (context) => {
  context.server = await startTestServer(main());
});
fresh.after(async (context) => context.server.close());

function assertClean(res: { headers: Record<string, unknown> }, path: string): void {
  assert.is(res.headers['x-leak'], undefined, `${path}: the failed view's header leaked`);
  assert.not.match(String(res.headers['cache-control']), 'public', `${path}: the failed view's Cache-Control leaked`);
}

fresh("a renderer exception view gets the error's status, not the failed view's status and headers", (context) =>
  withTimeout(async () => {
    for (const path of ['/missing', '/missing-async']) {
      const res = await rawRequest(context.server.base, path);
      assert.is(res.status, 404, path);
      assertClean(res, path);
      assert.is(res.headers['cache-control'], 'no-store', path);
      assert.equal(JSON.parse(res.text), { error: `404 Not Found: ${path === '/missing' ? 'no such thing' : 'not yet'}` }, path);
    }
  }),
);

fresh('an exception view for Error starts at 500 and may set its own status', (context) =>
  withTimeout(async () => {
    const crash = await rawRequest(context.server.base, '/crash');
    assert.is(crash.status, 503);
    assertClean(crash, '/crash');
    const forbidden = await rawRequest(context.server.base, '/forbidden');
    assert.is(forbidden.status, 403);
    assertClean(forbidden, '/forbidden');
    assert.is(forbidden.headers['cache-control'], undefined);
    assert.equal(JSON.parse(forbidden.text), { error: 'sorry' });
  }),
);

fresh("the error's own headers start the fresh response: a 405 keeps its Allow", (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/get-only', { method: 'DELETE' });
    assert.is(res.status, 405);
    assert.is(res.headers.allow, 'GET, HEAD');
    assert.is(res.text, 'not here');
  }),
);

fresh.run();

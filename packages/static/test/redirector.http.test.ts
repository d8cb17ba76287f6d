import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { App } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

const CURRENT = '1763877600123';
interface Context {
  fixture: FixtureApp;
  server: TestServer & { app: App };
}

const numeric = suite<Context>('redirector with timestamp tokens');
numeric.before(async (context) => {
  context.fixture = makeFixtureApp();
  context.server = await serve(context.fixture.dir, (config) => {
    config.setCachebreaker(CURRENT);
    config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
  });
});
numeric.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

numeric('the current token serves the file', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, `/static/${CURRENT}/style.css`);
    assert.is(res.status, 200);
    assert.is(res.text, 'h1 { color: red; }\n');
  }),
);

numeric('an older token is a 301 to the same path under the current token, query kept', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/static/1700000000000/css/site%20main.css?v=2&x');
    assert.is(res.status, 301);
    assert.is(res.headers.location, `/static/${CURRENT}/css/site%20main.css?v=2&x`);
    assert.is(res.headers['cache-control'], 'public, max-age=300');
    const followed = await fetch(`${context.server.base}/static/1700000000000/style.css`);
    assert.is(followed.status, 200);
    assert.is(followed.url, `${context.server.base}/static/${CURRENT}/style.css`);
  }),
);

numeric('a short all-digit token is older, compared as a number (not a string)', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/static/999/style.css');
    assert.is(res.status, 301);
    assert.is(res.headers.location, `/static/${CURRENT}/style.css`);
  }),
);

numeric('a newer token is a 503 with Retry-After: 3 and Cache-Control: no-store', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/static/1863877600123/style.css');
    assert.is(res.status, 503);
    assert.is(res.headers['retry-after'], '3');
    assert.is(res.headers['cache-control'], 'no-store');
  }),
);

numeric('a token that is not a number is unknown here: 503, never a 301', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/static/v2-release/style.css');
    assert.is(res.status, 503);
    assert.is(res.headers.location, undefined);
  }),
);

numeric('the current token with no such file is a 404 that is not cached', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, `/static/${CURRENT}/missing.css`);
    assert.is(res.status, 404);
    assert.is(res.headers['cache-control'], 'no-store');
    const old = await rawRequest(context.server.base, '/static/1700000000000/missing.css');
    assert.is(old.status, 404, 'no redirect to a file that is not there');
  }),
);

numeric('never redirects off-site, whatever follows the old token', (context) =>
  withTimeout(async () => {
    for (const path of [
      '/static/1700000000000//evil.com/x',
      '/static/1700000000000/%2F%2Fevil.com/x',
      '/static/1700000000000/\\evil.com/x',
      '/static/1700000000000/%5C%5Cevil.com/x',
      '/static/1700000000000/./evil.com',
    ]) {
      const res = await rawRequest(context.server.base, path);
      assert.is(res.status, 404, path);
      assert.is(res.headers.location, undefined, path);
    }
  }),
);

numeric('works under a route prefix and behind a mount point', (context) =>
  withTimeout(async () => {
    const prefixed = await serve(
      context.fixture.dir,
      (config) => {
        config.setCachebreaker(CURRENT);
        config.include((assets) => assets.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` }), { routePrefix: 'assets' });
      },
      { 'tet.trust_proxy': true },
    );
    try {
      const served = await rawRequest(prefixed.base, `/assets/static/${CURRENT}/style.css`);
      assert.is(served.status, 200);
      const redirect = await rawRequest(prefixed.base, '/assets/static/1/style.css', { headers: { 'x-forwarded-prefix': '/shop' } });
      assert.is(redirect.headers.location, `/shop/assets/static/${CURRENT}/style.css`);
    } finally {
      await prefixed.close();
    }
  }),
);

const tags = suite<Context>('redirector with release tags');
tags.before(async (context) => {
  context.fixture = makeFixtureApp();
  context.server = await serve(
    context.fixture.dir,
    (config) => {
      config.setCachebreaker('v3');
      config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
    },
    { 'tet.static.previous_breakers': 'v1 v2' },
  );
});
tags.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

tags('a token listed in tet.static.previous_breakers is older: 301', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/static/v1/style.css');
    assert.is(res.status, 301);
    assert.is(res.headers.location, '/static/v3/style.css');
  }),
);

tags('any other token, even one that looks older, is a 503', (context) =>
  withTimeout(async () => {
    for (const token of ['v0', 'v4', '1700000000000']) {
      const res = await rawRequest(context.server.base, `/static/${token}/style.css`);
      assert.is(res.status, 503, token);
      assert.is(res.headers['retry-after'], '3');
    }
  }),
);

numeric.run();
tags.run();

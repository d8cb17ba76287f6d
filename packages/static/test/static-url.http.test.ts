import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, Response, type TetError } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

interface Context {
  fixture: FixtureApp;
  server: TestServer & { app: App };
}
const urls = suite<Context>('request.staticUrl and request.staticPath');

urls.before(async (context) => {
  context.fixture = makeFixtureApp();
  const staticDir = context.fixture.staticDir;
  context.server = await serve(
    context.fixture.dir,
    (config) => {
      config.setCachebreaker('1763877600123');
      config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
      config.addStaticView({ name: 'plain', path: `${APP}:static/nested` });
      config.include((sub) => sub.addStaticViewWithBreaker({ name: 'img/{breaker}', path: `${APP}:static/img` }), { routePrefix: 'media' });
      config.addRoute('urls', '/urls');
      config.addView(
        (request) =>
          Response.json({
            spec: request.staticUrl(`${APP}:static/style.css`),
            path: request.staticPath(`${APP}:static/style.css`),
            encoded: request.staticUrl(`${APP}:static/css/site main.css`),
            absolute: request.staticPath(join(staticDir, 'app.js')),
            plain: request.staticPath(`${APP}:static/nested/deeper/file.txt`),
            prefixed: request.staticPath(`${APP}:static/img/icon.svg`),
          }),
        { routeName: 'urls' },
      );
      config.addRoute('uncovered', '/uncovered');
      config.addView(
        (request) => {
          try {
            return new Response(request.staticUrl(`${APP}:secret.txt`));
          } catch (error) {
            return new Response(`${(error as TetError).code} ${(error as Error).message}`, { status: 500 });
          }
        },
        { routeName: 'uncovered' },
      );
    },
    { 'tet.trust_proxy': true },
  );
});
urls.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

urls('generates URLs with the view prefix, the token and each segment encoded', (context) =>
  withTimeout(async () => {
    const body = await (await fetch(`${context.server.base}/urls`)).json();
    assert.equal(body, {
      spec: `${context.server.base}/static/1763877600123/style.css`,
      path: '/static/1763877600123/style.css',
      encoded: `${context.server.base}/static/1763877600123/css/site%20main.css`,
      absolute: '/static/1763877600123/app.js',
      plain: '/plain/deeper/file.txt',
      prefixed: '/media/img/1763877600123/icon.svg',
    });
  }),
);

urls('every generated URL is served', (context) =>
  withTimeout(async () => {
    const body = (await (await fetch(`${context.server.base}/urls`)).json()) as Record<string, string>;
    for (const [key, url] of Object.entries(body)) {
      const res = await fetch(url.startsWith('/') ? `${context.server.base}${url}` : url);
      assert.is(res.status, 200, `${key}: ${url}`);
    }
  }),
);

urls('behind a mount point the URLs include it', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/urls', { headers: { 'x-forwarded-prefix': '/shop', 'x-forwarded-host': 'www.example.com', 'x-forwarded-proto': 'https' } });
    const body = JSON.parse(res.text) as Record<string, string>;
    assert.is(body.spec, 'https://www.example.com/shop/static/1763877600123/style.css');
    assert.is(body.path, '/shop/static/1763877600123/style.css');
  }),
);

urls('a spec no static view covers is an error naming the spec', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/uncovered`);
    const text = await res.text();
    assert.match(text, `TET_ERR_STATIC_URL staticUrl('${APP}:secret.txt'): no static view serves`);
    assert.match(text, "addStaticViewWithBreaker({ name: 'static/{breaker}'");
  }),
);

const cdn = suite<Context>('static views named by an absolute URL');

cdn.before(async (context) => {
  context.fixture = makeFixtureApp();
  context.server = await serve(context.fixture.dir, (config) => {
    config.setCachebreaker('r42');
    config.addStaticViewWithBreaker({ name: 'https://cdn.example.com/static/{breaker}', path: `${APP}:static` });
    config.addRoute('page', '/page');
    config.addView((request) => new Response(`${request.staticUrl(`${APP}:static/css/site main.css`)} ${request.staticPath(`${APP}:static/app.js`)}`), { routeName: 'page' });
  });
});
cdn.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

cdn('generates URLs on the CDN host and serves nothing locally', (context) =>
  withTimeout(async () => {
    const text = await (await fetch(`${context.server.base}/page`)).text();
    assert.is(text, 'https://cdn.example.com/static/r42/css/site%20main.css https://cdn.example.com/static/r42/app.js');
    assert.is((await fetch(`${context.server.base}/static/r42/app.js`)).status, 404);
    assert.equal(
      context.server.app.registry.routes.all().map((route) => route.name),
      ['page'],
    );
  }),
);

urls.run();
cdn.run();

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, ConfigurationError, Configurator, Response } from '../src/index.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

declare module '../src/index.js' {
  interface Request {
    greet(name: string): string;
    user: { id: string; loadedAt: number };
  }
}

let userLoads = 0;

const main = applicationFactory((config) => {
  config.addRequestMethod('greet', (request, name) => `hello ${name} from ${request.pathInfo}`);
  config.addRequestMethod(
    'user',
    (request) => {
      userLoads++;
      return { id: request.headers['x-user'] as string, loadedAt: userLoads };
    },
    { reify: true },
  );
  config.addRoute('echo', '/echo/:thing');
  config.addView(
    (request) =>
      Response.json({
        method: request.method,
        url: request.url,
        path: request.path,
        pathInfo: request.pathInfo,
        scriptName: request.scriptName,
        query: Object.fromEntries(request.query),
        queryString: request.queryString,
        host: request.host,
        scheme: request.scheme,
        applicationUrl: request.applicationUrl,
        matchdict: request.matchdict,
        header: request.headers['x-test'] ?? null,
        routeUrl: request.routeUrl('echo', { thing: 'x' }),
        hasRegistry: request.registry.settings['marker'] === 'present',
      }),
    { routeName: 'echo' },
  );
  config.addRoute('methods', '/methods');
  config.addView(
    (request) => {
      const first = request.user;
      const second = request.user;
      return Response.json({ greeting: request.greet('Ada'), sameObject: first === second, id: first.id, loadedAt: first.loadedAt });
    },
    { routeName: 'methods' },
  );
  config.addRoute('body', '/body');
  config.addView(async (request) => Response.json({ received: await request.json() }), { routeName: 'body', requestMethod: 'POST' });
});

interface Context {
  server: TestServer;
  proxied: TestServer;
}
const request = suite<Context>('Request over HTTP');

request.before(async (context) => {
  context.server = await startTestServer(main({ marker: 'present', 'tet.max_body_size': 64 }));
  context.proxied = await startTestServer(main({ 'tet.trust_proxy': true }));
});
request.after(async (context) => {
  await context.server.close();
  await context.proxied.close();
});

request('exposes method, URL parts, query, headers, host, scheme and matchdict', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/echo/a%20b?x=1&y=two&x=3`, { headers: { 'x-test': 'yes' } });
    const body = await res.json();
    assert.equal(body, {
      method: 'GET',
      url: `${context.server.base}/echo/a%20b?x=1&y=two&x=3`,
      path: '/echo/a%20b',
      pathInfo: '/echo/a%20b',
      scriptName: '',
      query: { x: '3', y: 'two' },
      queryString: 'x=1&y=two&x=3',
      host: `127.0.0.1:${context.server.port}`,
      scheme: 'http',
      applicationUrl: context.server.base,
      matchdict: { thing: 'a b' },
      header: 'yes',
      routeUrl: `${context.server.base}/echo/x`,
      hasRegistry: true,
    });
  }),
);

request('ignores a Host header that is not a host, so it never reaches generated URLs', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/echo/1', { headers: { host: 'evil.example/x?' } });
    const body = JSON.parse(res.text) as { host: string };
    assert.is(body.host, `127.0.0.1:${context.server.port}`);
  }),
);

request('forwarded headers are ignored unless tet.trust_proxy is on', (context) =>
  withTimeout(async () => {
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'cdn.example.com', 'x-forwarded-prefix': '/shop' };
    const direct = JSON.parse((await rawRequest(context.server.base, '/echo/1', { headers })).text) as Record<string, string>;
    assert.is(direct.applicationUrl, context.server.base);
    const proxied = JSON.parse((await rawRequest(context.proxied.base, '/echo/1', { headers })).text) as Record<string, string>;
    assert.is(proxied.applicationUrl, 'https://cdn.example.com/shop');
    assert.is(proxied.routeUrl, 'https://cdn.example.com/shop/echo/x');
    assert.is(proxied.path, '/shop/echo/1');
  }),
);

request('addRequestMethod adds methods and reified properties computed once per request', (context) =>
  withTimeout(async () => {
    const first = (await (await fetch(`${context.server.base}/methods`, { headers: { 'x-user': 'u1' } })).json()) as Record<string, unknown>;
    assert.is(first.greeting, 'hello Ada from /methods');
    assert.is(first.sameObject, true);
    assert.is(first.id, 'u1');
    const second = (await (await fetch(`${context.server.base}/methods`, { headers: { 'x-user': 'u2' } })).json()) as Record<string, unknown>;
    assert.is(second.id, 'u2', 'a new request computes it again');
    assert.is((second.loadedAt as number) - (first.loadedAt as number), 1, 'once per request, not once per access');
  }),
);

request('reads JSON bodies; malformed is 400, oversized is 413', (context) =>
  withTimeout(async () => {
    const ok = await fetch(`${context.server.base}/body`, { method: 'POST', body: '{"a":1}' });
    assert.equal(await ok.json(), { received: { a: 1 } });
    const bad = await fetch(`${context.server.base}/body`, { method: 'POST', body: '{nope' });
    assert.is(bad.status, 400);
    const big = await fetch(`${context.server.base}/body`, { method: 'POST', body: JSON.stringify({ text: 'x'.repeat(200) }) });
    assert.is(big.status, 413);
  }),
);

request('addRequestMethod refuses to shadow a built-in member', () => {
  const config = new Configurator();
  try {
    (config.addRequestMethod as (name: string, fn: () => unknown) => void)('path', () => '/');
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_REQUEST_METHOD');
    assert.match((error as Error).message, "Request already has a built-in 'path'");
  }
});

const middleware = suite<{ base: string; close: () => Promise<void> }>('App.handler as Express middleware');

middleware.before(async (context) => {
  const app = await main({});
  const outer = express();
  outer.use('/shop', app.handler);
  outer.get('/shop/fallthrough', (_req, res) => {
    res.send('express handled it');
  });
  const server = createServer(outer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  context.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  context.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
});
middleware.after((context) => context.close());

middleware('serves under the mount point and generates URLs that include it', (context) =>
  withTimeout(async () => {
    const body = (await (await fetch(`${context.base}/shop/echo/7?q=1`)).json()) as Record<string, string>;
    assert.is(body.scriptName, '/shop');
    assert.is(body.pathInfo, '/echo/7');
    assert.is(body.applicationUrl, `${context.base}/shop`);
    assert.is(body.routeUrl, `${context.base}/shop/echo/x`);
    assert.is(body.url, `${context.base}/shop/echo/7?q=1`);
  }),
);

middleware('passes requests it has no route for to the next middleware', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.base}/shop/fallthrough`);
    assert.is(await res.text(), 'express handled it');
  }),
);

const listen = suite('App.listen and App.handler');

listen('listen resolves with a listening server; handler works with http.createServer', () =>
  withTimeout(async () => {
    const app = await main({});
    const server = await app.listen(0, '127.0.0.1');
    try {
      assert.ok(server.listening);
      const { port } = server.address() as AddressInfo;
      assert.is((await fetch(`http://127.0.0.1:${port}/echo/1`)).status, 200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const plain = createServer(app.handler);
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as AddressInfo;
      assert.is((await fetch(`http://127.0.0.1:${port}/nowhere`)).status, 404, 'no next(): a plain listener answers 404');
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  }),
);

request.run();
middleware.run();
listen.run();

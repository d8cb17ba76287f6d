// 103 Early Hints (issue 15): a view's first assets are announced before the view runs.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, ConfigurationError, Response } from '@tet/core';
import { type TestServer, withTimeout } from '@tet/core/testing';
import { integrityOf } from '../src/index.js';
import { sha384 } from '../src/content-hash.js';
import { addModules } from './es-module-fixture.js';
import { addStylesheets, APP, type FixtureApp, makeApp, makeFixtureApp, serve } from './helpers.js';

type Server = TestServer & { app: App };
interface Context {
  fixture: FixtureApp;
  server: Server;
  quiet: Server;
  /** Resolves the slow view's answer. */
  release: () => void;
}

interface Exchange {
  informational: Array<{ status: number; headers: IncomingHttpHeaders; atMs: number }>;
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  atMs: number;
}

/** GET over HTTP/1.1, recording 1xx responses; `onHint` runs when one arrives. */
function get(base: string, path: string, onHint: () => void = () => {}): Promise<Exchange> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const informational: Exchange['informational'] = [];
    const req = httpRequest(`${base}${path}`, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ informational, status: res.statusCode!, headers: res.headers, body, atMs: performance.now() - started }));
    });
    req.on('information', (info) => {
      informational.push({ status: info.statusCode, headers: info.headers, atMs: performance.now() - started });
      onHint();
    });
    req.on('error', reject);
    req.end();
  });
}

function configure(context: Context) {
  return (config: import('@tet/core').Configurator) => {
    config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' });
    config.pin('lit', `${APP}:static/vendor/lit.js`);
    config.addRoute('slow', '/slow');
    // The view waits for the test: the hints must arrive while it has not answered.
    config.addView(() => new Promise<Response>((resolve) => (context.release = () => resolve(new Response('page')))), {
      routeName: 'slow',
      earlyHints: [`${APP}:static/theme/site.css`, `${APP}:static/js/util.js`, `${APP}:static/theme/fonts/x.woff2`],
    });
    config.addRoute('plain', '/plain');
    config.addView(() => new Response('plain'), { routeName: 'plain' });
    config.addRoute('urls', '/urls');
    config.addView(
      (request) => Response.json(Object.fromEntries(['theme/site.css', 'js/util.js', 'js/leaf.js', 'theme/fonts/x.woff2'].map((path) => [path, request.staticPath(`${APP}:static/${path}`)]))),
      {
        routeName: 'urls',
      },
    );
  };
}

const hints = suite<Context>('the earlyHints view option');
hints.before(async (context) => {
  context.fixture = makeFixtureApp();
  addStylesheets(context.fixture.staticDir);
  addModules(context.fixture.staticDir);
  context.server = await serve(context.fixture.dir, configure(context));
  context.quiet = await serve(context.fixture.dir, configure(context), { 'tet.static.early_hints': 'false' });
});
hints.after(async (context) => {
  await context.server.close();
  await context.quiet.close();
  context.fixture.remove();
});

hints('sends 103 with preload links before the view answers, and the same Link on the response', (context) =>
  withTimeout(async () => {
    const urls = (await (await fetch(`${context.server.base}/urls`)).json()) as Record<string, string>;
    const exchange = await get(context.server.base, '/slow', () => context.release());
    assert.is(exchange.informational.length, 1);
    const [hint] = exchange.informational;
    assert.is(hint!.status, 103);
    const integrity = async (path: string) => integrityOf(sha384(Buffer.from(await (await fetch(`${context.server.base}${urls[path]}`)).arrayBuffer())));
    const expected = [
      `<${urls['theme/site.css']}>; rel=preload; as=style; integrity="${await integrity('theme/site.css')}"`,
      `<${urls['js/util.js']}>; rel=modulepreload; integrity="${await integrity('js/util.js')}"`,
      `<${urls['js/leaf.js']}>; rel=modulepreload; integrity="${await integrity('js/leaf.js')}"`, // util.js imports it
      `<${urls['theme/fonts/x.woff2']}>; rel=preload; as=font; crossorigin; integrity="${await integrity('theme/fonts/x.woff2')}"`,
    ];
    assert.is(hint!.headers.link, expected.join(', '));
    assert.is(exchange.status, 200);
    assert.is(exchange.body, 'page');
    assert.is(exchange.headers.link, expected.join(', '));
  }),
);

hints('sends no 103 to an HTTP/1.0 client, which must not get one', (context) =>
  withTimeout(async () => {
    const socket = connect(context.server.port, '127.0.0.1');
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.write('GET /slow HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.is(raw, '', 'nothing before the view answers');
    context.release();
    await new Promise((resolve) => socket.on('close', resolve));
    assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(raw, /\r\nlink: <\/assets\/[0-9a-f]{12}\/theme\/site\.css>; rel=preload; as=style/i);
  }),
);

hints('tet.static.early_hints = false keeps the Link header and sends no 103', (context) =>
  withTimeout(async () => {
    const pending = get(context.quiet.base, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    context.release();
    const exchange = await pending;
    assert.equal(exchange.informational, []);
    assert.match(String(exchange.headers.link), 'rel=preload; as=style');
  }),
);

hints('a view without the option gets neither', (context) =>
  withTimeout(async () => {
    const exchange = await get(context.server.base, '/plain');
    assert.equal(exchange.informational, []);
    assert.is(exchange.headers.link, undefined);
  }),
);

const errors = suite<{ fixture: FixtureApp }>('the earlyHints view option, misconfigured');
errors.before((context) => {
  context.fixture = makeFixtureApp();
});
errors.after((context) => context.fixture.remove());

errors('is a ConfigurationError with TET_ERR_STATIC_EARLY_HINTS', (context) =>
  withTimeout(async () => {
    for (const [value, fragment] of [
      ['myapp:static/style.css', 'is a list of asset specs'],
      [['myapp:static/data.json'], "cannot tell what 'myapp:static/data.json' is"],
    ] as const) {
      try {
        await makeApp(context.fixture.dir, (config) => {
          config.addRoute('home', '/');
          config.addView(() => new Response('x'), { routeName: 'home', earlyHints: value as unknown as string[] });
        });
        assert.unreachable('expected a ConfigurationError');
      } catch (error) {
        assert.instance(error, ConfigurationError);
        assert.is((error as ConfigurationError).code, 'TET_ERR_STATIC_EARLY_HINTS');
        assert.match((error as Error).message, fragment);
      }
    }
  }),
);

hints.run();
errors.run();

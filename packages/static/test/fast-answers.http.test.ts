// The answers static views give from their fast paths (fast-answers.ts) must be the
// handlers' answers, byte for byte: the same requests go to an application where they answer
// before routing, to one where a tween puts them after routing, and to one where a view
// deriver wrapping every view turns them off; every status, header and body must agree.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Configurator, HTTPNotFound, Response } from '@tet/core';
import { type RawResponse, rawRequest, type TestApp, withTimeout } from '@tet/core/testing';
import { addStylesheets, APP, type FixtureApp, makeApp, makeFixtureApp, serve } from './helpers.js';

const TOKEN = '1763877600123';
const OLD = '1600000000000';
const NEWER = '1900000000000';

interface Context {
  fixture: FixtureApp;
  fast: TestApp;
  routed: TestApp;
  general: TestApp;
  hashed: Record<string, string>;
}
const same = suite<Context>('fast answers: the same as the handlers');

function configure(config: Configurator): void {
  config.setCachebreaker(TOKEN);
  config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
  config.addStaticView({ name: 'plain', path: `${APP}:static` });
  config.addStaticView({ name: 'assets', path: `${APP}:assets`, cacheBust: 'content' });
  config.addExceptionView(() => new Response('custom not-found page', { status: 404 }), { context: HTTPNotFound });
  config.addRoute('urls', '/urls');
  config.addView(
    (request) =>
      new Response(JSON.stringify({ site: request.staticUrl(`${APP}:assets/theme/site.css`), logo: request.staticUrl(`${APP}:assets/theme/img/logo.png`) }), {
        contentType: 'application/json',
      }),
    { routeName: 'urls' },
  );
}

const SETTINGS = { 'tet.static.previous_breakers': OLD };

same.before(async (context) => {
  context.fixture = makeFixtureApp();
  addStylesheets(join(context.fixture.dir, 'assets'));
  writeFileSync(join(context.fixture.dir, 'assets', 'theme', '.hidden.css'), 'secret\n');
  context.fast = await serve(context.fixture.dir, configure, SETTINGS);
  // A tween must see every request: the fast paths answer after routing, on copies.
  context.routed = await serve(
    context.fixture.dir,
    (config) => {
      configure(config);
      config.addTween('passthrough', (handler) => (request) => handler(request));
    },
    SETTINGS,
  );
  // A deriver wraps every view, so the handlers answer everything.
  context.general = await serve(
    context.fixture.dir,
    (config) => {
      configure(config);
      config.addViewDeriver((view) => (request) => view(request), { name: 'passthrough' });
    },
    SETTINGS,
  );
  context.hashed = JSON.parse((await rawRequest(context.fast.base, '/urls')).text) as Record<string, string>;
});
same.after(async (context) => {
  await context.fast.close();
  await context.routed.close();
  await context.general.close();
  context.fixture.remove();
});

// Everything but the date, which differs by the second.
function shape(res: RawResponse): string {
  const { date: _date, ...headers } = res.headers;
  return JSON.stringify({ status: res.status, headers, body: res.body.toString('base64') });
}

async function etagOf(base: string, path: string, headers: Record<string, string> = {}): Promise<string> {
  return String((await rawRequest(base, path, { headers })).headers.etag);
}

same('200, HEAD, 304, 412, ranges, encodings, 404s, 301s and 503s agree with the handlers', (context) =>
  withTimeout(async () => {
    const base = context.fast.base;
    const current = `/static/${TOKEN}`;
    const etag = await etagOf(base, `${current}/style.css`);
    const brEtag = await etagOf(base, `${current}/compressed.css`, { 'accept-encoding': 'br' });
    const site = new URL(context.hashed['site']!, base).pathname;
    const oldHash = site.replace(/\/[0-9a-f]{12}\//, '/000000000000/');
    const cases: [path: string, headers?: Record<string, string>, method?: string][] = [
      [`${current}/style.css`],
      [`${current}/style.css`, {}, 'HEAD'],
      [`${current}/style.css?v=1`],
      [`${current}/style.css`, { 'if-none-match': etag }],
      [`${current}/style.css`, { 'if-none-match': `W/${etag}, "other"` }],
      [`${current}/style.css`, { 'if-none-match': '"other"' }],
      [`${current}/style.css`, { 'if-modified-since': 'Fri, 01 Jan 2100 00:00:00 GMT' }],
      [`${current}/style.css`, { 'if-match': '"other"' }],
      [`${current}/style.css`, { 'if-unmodified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' }],
      [`${current}/style.css`, { range: 'bytes=0-3' }],
      [`${current}/style.css`, { range: 'bytes=900-' }],
      [`${current}/compressed.css`],
      [`${current}/compressed.css`, { 'accept-encoding': 'gzip, deflate, br' }],
      [`${current}/compressed.css`, { 'accept-encoding': 'gzip' }],
      [`${current}/compressed.css`, { 'accept-encoding': 'br;q=0, gzip;q=0.5' }],
      [`${current}/compressed.css`, { 'accept-encoding': 'br', 'if-none-match': brEtag }],
      [`${current}/compressed.css`, { 'if-none-match': brEtag }],
      [`${current}/only-gzip.js`, { 'accept-encoding': 'br' }],
      [`${current}/big.bin`, {}, 'HEAD'],
      [`${current}/missing.css`],
      [`${current}/missing.css`, {}, 'HEAD'],
      [`${current}/missing.css`],
      [`${current}/missing.css?x=1`],
      [`${current}/css/../style.css`],
      [`${current}/%2e%2e/secret.txt`],
      [`${current}/nested//deeper/file.txt`],
      [`${current}/`],
      [`${current}/st%79le.css`],
      [`${current}/link-out.txt`],
      [`/static/${OLD}/style.css`],
      [`/static/${OLD}/style.css?x=1&y=2`],
      [`/static/${OLD}/style.css`, {}, 'HEAD'],
      [`/static/${OLD}/missing.css`],
      [`/static/${OLD}/st%79le.css`],
      [`/static/${NEWER}/style.css`],
      [`/static/not a token/style.css`.replace(/ /g, '%20')],
      ['/static/nothing'],
      ['/static/'],
      ['/static'],
      ['/assets/nothing'],
      ['/static//style.css'],
      ['/assets//theme/site.css'],
      [`/static/${'7'.repeat(600)}/style.css`],
      [`/assets/${'a'.repeat(600)}/theme/site.css`],
      [`${current}/${'a'.repeat(2000)}.css`],
      [`${current}/style.css`, {}, 'POST'],
      [`${current}/style.css`, {}, 'DELETE'],
      ['/plain/style.css'],
      ['/plain/style.css', { 'if-none-match': etag }],
      ['/plain/missing.css'],
      ['/plain/.hidden'],
      [site],
      [site, {}, 'HEAD'],
      [site, { 'if-none-match': await etagOf(base, site) }],
      [oldHash],
      [site.replace('site.css', 'missing.css')],
      [site.replace('site.css', '.hidden.css')],
      ['/assets/nothashed/theme/site.css'],
      [new URL(context.hashed['logo']!, base).pathname],
    ];
    for (const [path, headers = {}, method = 'GET'] of cases) {
      const general = shape(await rawRequest(context.general.base, path, { headers, method }));
      const where = `${method} ${path} ${JSON.stringify(headers)}`;
      assert.is(shape(await rawRequest(context.fast.base, path, { headers, method })), general, `before routing: ${where}`);
      assert.is(shape(await rawRequest(context.routed.base, path, { headers, method })), general, `after routing: ${where}`);
    }
  }),
);

same('answers given many times over one connection stay the same (a shared answer is never changed)', (context) =>
  withTimeout(async () => {
    const path = `/static/${TOKEN}/compressed.css`;
    const first = await rawRequest(context.fast.base, path, { headers: { 'accept-encoding': 'br' } });
    for (let i = 0; i < 60; i++) {
      const headers: Record<string, string> = i % 3 === 0 ? { 'accept-encoding': 'br' } : i % 3 === 1 ? { 'accept-encoding': 'gzip' } : {};
      const method = i % 4 === 0 ? 'HEAD' : 'GET';
      const general = shape(await rawRequest(context.general.base, path, { headers, method }));
      assert.is(shape(await rawRequest(context.fast.base, path, { headers, method })), general, `${method} ${JSON.stringify(headers)}`);
      assert.is(shape(await rawRequest(context.routed.base, path, { headers, method })), general, `${method} ${JSON.stringify(headers)}`);
    }
    assert.is(shape(await rawRequest(context.fast.base, path, { headers: { 'accept-encoding': 'br' } })), shape(first));
  }),
);

const when = suite<{ fixture: FixtureApp }>('fast answers: when static views have them');
when.before((context) => {
  context.fixture = makeFixtureApp();
});
when.after((context) => context.fixture.remove());

function staticViewOf(app: Awaited<ReturnType<typeof makeApp>>) {
  return app.registry.routes.get('__static:static/{breaker}')!.views[0]!;
}

when('a token view has one; in reload mode (every answer re-reads the disk) it has none', async (context) => {
  const configureToken = (config: Configurator) => {
    config.setCachebreaker(TOKEN);
    config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
  };
  assert.type(staticViewOf(await makeApp(context.fixture.dir, configureToken)).fastPath, 'function');
  assert.is(staticViewOf(await makeApp(context.fixture.dir, configureToken, { 'tet.static.reload': true })).fastPath, undefined);
});

when('a default permission wraps static views too (as in Pyramid), so they lose the fast path', async (context) => {
  const app = await makeApp(context.fixture.dir, (config) => {
    config.setCachebreaker(TOKEN);
    config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
    config.setSecurityPolicy({ identity: () => undefined, authenticatedUserid: () => undefined, permits: () => false, remember: () => undefined, forget: () => undefined });
    config.setDefaultPermission('view');
  });
  assert.is(staticViewOf(app).fastPath, undefined);
});

same.run();
when.run();

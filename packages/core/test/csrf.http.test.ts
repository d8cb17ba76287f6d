import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, Configurator, ConfigurationError, cookieSessionFactory, type CsrfOptions, HTTPBadCSRFToken, Response } from '../src/index.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';
import { cookieFrom, NEW } from './session-app.js';

async function csrfApp(options: CsrfOptions = { require: true }): Promise<App> {
  const config = new Configurator({ settings: { 'tet.trust_proxy': true } });
  config.setSessionFactory(cookieSessionFactory({ secrets: [NEW] }));
  config.setDefaultCsrfOptions(options);
  config.addRoute('form', '/form');
  config.addView((request) => new Response(request.session.getCsrfToken()), { routeName: 'form', requestMethod: 'GET' });
  config.addView(async (request) => new Response(`posted ${(await request.form()).get('name')}`), { routeName: 'form', requestMethod: ['POST', 'PUT', 'DELETE', 'PATCH'] });
  config.addRoute('hook', '/hook');
  config.addView(() => new Response('hook'), { routeName: 'hook', requireCsrf: false });
  config.addRoute('strict', '/strict');
  config.addView(() => new Response('strict'), { routeName: 'strict', requireCsrf: true });
  return config.makeApp();
}

interface Sent {
  status: number;
  text: string;
}

interface Ctx {
  app: App;
  server: TestServer;
  token: string;
  cookie: string;
}

/** Sends the same request over a socket and through inject(); both answers. */
async function both(ctx: Ctx, method: string, url: string, headers: Record<string, string>, body = ''): Promise<Sent[]> {
  const http = await rawRequest(ctx.server.base, url, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body });
  const injected = await ctx.app.inject({ method: method as 'POST', url, headers, payload: body });
  return [
    { status: http.status, text: http.text },
    { status: injected.status, text: injected.text },
  ];
}

const FORM = 'application/x-www-form-urlencoded';

const Csrf = suite<Ctx>('Csrf.required');
Csrf.before(async (ctx) => {
  ctx.app = await csrfApp();
  ctx.server = await startTestServer(ctx.app);
  const res = await rawRequest(ctx.server.base, '/form');
  ctx.token = res.text;
  ctx.cookie = `session=${cookieFrom(res.headers['set-cookie'])!}`;
});
Csrf.after((ctx) => ctx.server.close());

Csrf('a POST without a token is refused with 400 and a body that says what to send', (ctx) =>
  withTimeout(async () => {
    for (const res of await both(ctx, 'POST', '/form', { cookie: ctx.cookie, 'content-type': FORM }, 'name=ada')) {
      assert.is(res.status, 400);
      assert.match(res.text, '400 Bad CSRF Token');
      assert.match(res.text, "needs a CSRF token: the 'csrf_token' form field or the X-CSRF-Token header");
    }
  }),
);

Csrf('the token in the form field, the header, or a multipart field is accepted', (ctx) =>
  withTimeout(async () => {
    const multipart = `--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n${ctx.token}\r\n--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nlin\r\n--b--\r\n`;
    const cases: [Record<string, string>, string, string][] = [
      [{ 'content-type': FORM }, `name=ada&csrf_token=${ctx.token}`, 'posted ada'],
      [{ 'content-type': FORM, 'x-csrf-token': ctx.token }, 'name=bo', 'posted bo'],
      [{ 'content-type': 'multipart/form-data; boundary=b' }, multipart, 'posted lin'],
    ];
    for (const [headers, body, expected] of cases) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        for (const res of await both(ctx, method, '/form', { ...headers, cookie: ctx.cookie }, body)) {
          assert.is(res.status, 200, `${method} ${res.text}`);
          assert.is(res.text, expected);
        }
      }
    }
  }),
);

Csrf("a wrong token, another session's token, or a token without a session is refused", (ctx) =>
  withTimeout(async () => {
    const other = await ctx.app.inject({ url: '/form' });
    const cases: [string | undefined, string, string][] = [
      [ctx.cookie, 'wrong', "is not the session's"],
      [ctx.cookie, `${ctx.token}x`, "is not the session's"],
      [`session=${cookieFrom(other.headers['set-cookie'])!}`, ctx.token, "is not the session's"],
      [undefined, ctx.token, 'The request has no session'],
      [`${ctx.cookie.slice(0, -4)}AAAA`, ctx.token, 'The session was not accepted: the session cookie was tampered with'],
    ];
    for (const [cookie, token, fragment] of cases) {
      for (const res of await both(ctx, 'POST', '/form', { ...(cookie === undefined ? {} : { cookie }), 'content-type': FORM }, `csrf_token=${token}`)) {
        assert.is(res.status, 400);
        assert.match(res.text, fragment);
      }
    }
  }),
);

Csrf('safe methods are not checked; a view can opt out; a malformed form is a 400, not a crash', (ctx) =>
  withTimeout(async () => {
    for (const res of await both(ctx, 'GET', '/form', {})) assert.is(res.status, 200);
    for (const res of await both(ctx, 'POST', '/hook', { 'content-type': FORM }, 'x=1')) assert.equal(res, { status: 200, text: 'hook' });
    for (const res of await both(ctx, 'POST', '/form', { cookie: ctx.cookie, 'content-type': 'multipart/form-data; boundary=b' }, '--b\r\nbroken')) {
      assert.is(res.status, 400);
      assert.match(res.text, 'multipart body');
    }
  }),
);

Csrf('on HTTPS the Origin (or Referer) must be this site or a trusted origin', (ctx) =>
  withTimeout(async () => {
    const https = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.test', cookie: ctx.cookie, 'content-type': FORM };
    const body = `name=ada&csrf_token=${ctx.token}`;
    const cases: [Record<string, string>, number, string][] = [
      [{ origin: 'https://shop.test' }, 200, 'posted ada'],
      [{ referer: 'https://shop.test/form' }, 200, 'posted ada'],
      [{ origin: 'https://evil.test' }, 400, 'comes from "https://evil.test", which is not this site (shop.test)'],
      [{ origin: 'http://shop.test' }, 400, 'which is not this site'],
      [{ origin: 'null', referer: 'https://evil.test/x' }, 400, 'which is not this site'],
      [{}, 400, 'neither an Origin nor a Referer'],
      [{ origin: 'not a url' }, 400, 'which is not this site'],
    ];
    for (const [extra, status, fragment] of cases) {
      for (const res of await both(ctx, 'POST', '/form', { ...https, ...extra }, body)) {
        assert.is(res.status, status, JSON.stringify(extra));
        assert.match(res.text, fragment);
        if (status === 400) assert.match(res.text, '400 Bad CSRF Origin');
      }
    }
  }),
);

const Options = suite('Csrf.options');

Options('trustedOrigins and allowNoOrigin; without require only requireCsrf views are checked', async () => {
  const app = await csrfApp({ require: false, trustedOrigins: ['admin.test'], allowNoOrigin: true });
  const page = await app.inject({ url: '/form' });
  const cookies = { session: cookieFrom(page.headers['set-cookie'])! };
  const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.test', 'content-type': FORM };
  assert.is((await app.inject({ method: 'POST', url: '/form', cookies, headers, payload: 'name=x' })).status, 200, 'not required by default');
  const strict = (payload: string, extra: Record<string, string>) => app.inject({ method: 'POST', url: '/strict', cookies, headers: { ...headers, ...extra }, payload });
  assert.is((await strict('', {})).status, 400);
  assert.is((await strict(`csrf_token=${page.text}`, { origin: 'https://admin.test' })).status, 200);
  assert.is((await strict(`csrf_token=${page.text}`, {})).status, 200, 'allowNoOrigin');
  assert.is((await strict(`csrf_token=${page.text}`, { origin: 'https://evil.test' })).status, 400);
});

Options('HTTPBadCSRFToken is an HTTPBadRequest; bad options are a ConfigurationError', () => {
  assert.is(new HTTPBadCSRFToken('x').status, 400);
  const config = new Configurator();
  try {
    config.setDefaultCsrfOptions({ token: 5 as unknown as string });
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_CSRF_OPTIONS');
  }
});

Csrf.run();
Options.run();

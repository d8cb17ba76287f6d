import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCookies } from '../src/cookies.js';
import { type App, Configurator, Response, TetError } from '../src/index.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

async function makeApp(): Promise<App> {
  const config = new Configurator();
  config.addRoute('echo', '/echo');
  config.addView((request) => Response.json(request.cookies), { routeName: 'echo' });
  config.addRoute('set', '/set');
  config.addView(
    () =>
      new Response('set')
        .setCookie('theme', 'dark mode', { httpOnly: true, secure: true, sameSite: 'lax', maxAge: 3600, domain: 'example.test', path: '/app', partitioned: true })
        .setCookie('lang', 'en', { expires: new Date(Date.UTC(2030, 0, 1)) })
        .deleteCookie('old'),
    { routeName: 'set' },
  );
  config.addRoute('rendered', '/rendered');
  config.addView(
    (request) => {
      request.response.setCookie('a', '1').setCookie('b', '2');
      return { ok: true };
    },
    { routeName: 'rendered', renderer: 'json' },
  );
  return config.makeApp();
}

const EXPECTED_SET = [
  'theme=dark%20mode; Max-Age=3600; Domain=example.test; Path=/app; HttpOnly; Secure; Partitioned; SameSite=Lax',
  'lang=en; Path=/; Expires=Tue, 01 Jan 2030 00:00:00 GMT',
  'old=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
];

const Http = suite<{ server: TestServer; app: App }>('Cookies.http');
Http.before(async (ctx) => {
  ctx.app = await makeApp();
  ctx.server = await startTestServer(ctx.app);
});
Http.after(async (ctx) => ctx.server.close());

Http('request.cookies reads the Cookie header, decoded', ({ server }) =>
  withTimeout(async () => {
    const res = await rawRequest(server.base, '/echo', { headers: { cookie: 'theme=dark%20mode; lang=en' } });
    assert.equal(JSON.parse(res.text), { theme: 'dark mode', lang: 'en' });
  }),
);

Http('malformed Cookie headers never throw: what can be read is read', ({ server }) =>
  withTimeout(async () => {
    const cases: [string, Record<string, string>][] = [
      ['bad=%E0%A4%A; good=1', { bad: '%E0%A4%A', good: '1' }],
      [';;;=;==;', {}],
      ['noequals; x=y', { x: 'y' }],
      ['q="quoted"', { q: '"quoted"' }],
      ['\u00ff=\u00fe', { '\u00ff': '\u00fe' }],
      ['a=1; a=2', { a: '1' }],
    ];
    for (const [header, expected] of cases) {
      const res = await rawRequest(server.base, '/echo', { headers: { cookie: Buffer.from(header, 'latin1').toString('latin1') } });
      assert.is(res.status, 200, header);
      assert.equal(JSON.parse(res.text), expected, header);
    }
  }),
);

Http('several Set-Cookie headers on one response, with every attribute', ({ server }) =>
  withTimeout(async () => {
    const res = await rawRequest(server.base, '/set');
    const lines = res.headers['set-cookie']!;
    assert.is(lines.length, 3);
    assert.is(lines[0], EXPECTED_SET[0]);
    assert.is(lines[1], EXPECTED_SET[1]);
    assert.is(lines[2], EXPECTED_SET[2]);
  }),
);

Http('request.response.setCookie reaches a rendered response', ({ server }) =>
  withTimeout(async () => {
    const res = await rawRequest(server.base, '/rendered');
    assert.equal(res.headers['set-cookie'], ['a=1; Path=/', 'b=2; Path=/']);
    assert.is(res.text, '{"ok":true}');
  }),
);

const Inject = suite<{ app: App }>('Cookies.inject');
Inject.before(async (ctx) => {
  ctx.app = await makeApp();
});

Inject('cookies option and malformed headers in-process', async ({ app }) => {
  const res = await app.inject({ url: '/echo', cookies: { theme: 'dark' } });
  assert.equal(res.json(), { theme: 'dark' });
  const bad = await app.inject({ url: '/echo', headers: { cookie: 'x=%zz; ok=1' } });
  assert.is(bad.status, 200);
  assert.equal(bad.json(), { x: '%zz', ok: '1' });
});

Inject('Set-Cookie headers in-process', async ({ app }) => {
  const res = await app.inject({ url: '/set' });
  assert.equal(
    res.cookies.map((c) => [c.name, c.value]),
    [
      ['theme', 'dark mode'],
      ['lang', 'en'],
      ['old', ''],
    ],
  );
  assert.is(res.cookies[0]!.httpOnly, true);
  assert.is(res.cookies[0]!.maxAge, 3600);
});

const Unit = suite('Cookies.api');
Unit('parseCookies has no prototype keys and survives odd input', () => {
  const cookies = parseCookies('__proto__=x; constructor=y');
  assert.is(Object.getOwnPropertyDescriptor(cookies, '__proto__')?.value, 'x');
  assert.is(Object.getPrototypeOf(cookies), null);
  assert.equal({ ...parseCookies(undefined) }, {});
  assert.equal({ ...parseCookies(['a=1', 'b=2']) }, { a: '1', b: '2' });
});

Unit('setCookie with an invalid name throws TET_ERR_COOKIE', () => {
  try {
    new Response('x').setCookie('bad name', 'v');
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, TetError);
    assert.is((error as TetError).code, 'TET_ERR_COOKIE');
    assert.match((error as Error).message, 'setCookie("bad name")');
  }
});

Http.run();
Inject.run();
Unit.run();

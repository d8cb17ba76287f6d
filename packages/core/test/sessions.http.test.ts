import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, cookieSessionFactory, MemorySessionStore, storeSessionFactory, type TetError } from '../src/index.js';
import { SessionCrypto } from '../src/session-crypto.js';
import { type memoryLogger, rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';
import { cookieFrom, NEW, OLD, sessionApp } from './session-app.js';

interface Ctx {
  app: App;
  server: TestServer;
}

const Cookie = suite<Ctx>('Sessions.cookie');
Cookie.before(async (ctx) => {
  ctx.app = await sessionApp(cookieSessionFactory({ secrets: [NEW, OLD] }));
  ctx.server = await startTestServer(ctx.app);
});
Cookie.after((ctx) => ctx.server.close());

Cookie('a changed session is sealed into an HttpOnly, SameSite=Lax cookie and read back (HTTP)', (ctx) =>
  withTimeout(async () => {
    const set = await rawRequest(ctx.server.base, '/set?user=ada&n=1');
    const line = (set.headers['set-cookie'] ?? [])[0]!;
    assert.match(line, /^session=[\w-]+\.[\w-]+; Max-Age=86400; Path=\/; HttpOnly; SameSite=Lax$/);
    assert.not.match(line, 'ada', 'encrypted, not just signed');
    const value = cookieFrom(set.headers['set-cookie'])!;
    const show = await rawRequest(ctx.server.base, '/show', { headers: { cookie: `session=${value}` } });
    assert.equal(JSON.parse(show.text), { data: { user: 'ada', n: '1' }, isNew: false, rejected: null });
    assert.is(show.headers['set-cookie'], undefined, 'reading changes nothing, so no Set-Cookie');
  }),
);

Cookie('untouched sessions send no Set-Cookie, with or without a session cookie (inject)', async ({ app }) => {
  const set = await app.inject({ url: '/set?a=1' });
  const value = cookieFrom(set.headers['set-cookie'])!;
  for (const cookies of [undefined, { session: value }]) {
    for (const url of ['/untouched', '/show']) {
      const res = await app.inject({ url, cookies });
      assert.is(res.status, 200);
      assert.is(res.headers['set-cookie'], undefined, url);
    }
  }
});

Cookie('flash messages survive a redirect and are popped once (HTTP and inject)', (ctx) =>
  withTimeout(async () => {
    const flashed = await rawRequest(ctx.server.base, '/flash?m=Saved!');
    assert.is(flashed.status, 303);
    const value = cookieFrom(flashed.headers['set-cookie'])!;
    const first = await rawRequest(ctx.server.base, '/messages', { headers: { cookie: `session=${value}` } });
    assert.is(first.text, '["Saved!"]');
    const emptied = cookieFrom(first.headers['set-cookie'])!;
    const second = await ctx.app.inject({ url: '/messages', cookies: { session: emptied } });
    assert.is(second.text, '[]');
  }),
);

Cookie('a cookie opened before (kept by value to skip the crypto) still gives its own, unchanged data', async ({ app }) => {
  const first = cookieFrom((await app.inject({ url: '/set?a=1' })).headers['set-cookie'])!;
  const shown = await app.inject({ url: '/show', cookies: { session: first } });
  assert.equal(shown.json<{ data: unknown }>().data, { a: '1' });
  const second = cookieFrom((await app.inject({ url: '/set?b=2', cookies: { session: first } })).headers['set-cookie'])!;
  assert.equal((await app.inject({ url: '/show', cookies: { session: second } })).json<{ data: unknown }>().data, { a: '1', b: '2' });
  assert.equal((await app.inject({ url: '/show', cookies: { session: first } })).json<{ data: unknown }>().data, { a: '1' }, 'the change did not leak into the old value');
  const tampered = first.slice(0, -2) + (first.endsWith('AA') ? 'BB' : 'AA');
  assert.match((await app.inject({ url: '/show', cookies: { session: tampered } })).json<{ rejected: string }>().rejected, 'tampered');
});

Cookie('invalidate drops the cookie', async ({ app }) => {
  const value = cookieFrom((await app.inject({ url: '/set?a=1' })).headers['set-cookie'])!;
  const res = await app.inject({ url: '/invalidate', cookies: { session: value } });
  assert.equal(res.headers['set-cookie'], ['session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax']);
});

Cookie('tampered, foreign, expired and garbage cookies give a new empty session saying why; never an error', (ctx) =>
  withTimeout(async () => {
    const value = cookieFrom((await ctx.app.inject({ url: '/set?admin=no' })).headers['set-cookie'])!;
    const tampered = value.slice(0, 10) + (value[10] === 'A' ? 'B' : 'A') + value.slice(11);
    const foreign = new SessionCrypto(['f'.repeat(40)]).seal('[0,0,{"admin":"yes"}]');
    const expired = new SessionCrypto([NEW]).seal(JSON.stringify([Math.floor(Date.now() / 1000) - 86401, 0, { admin: 'yes' }]));
    const notASession = new SessionCrypto([NEW]).seal('"just a string"');
    const cases: [string, string][] = [
      [tampered, 'tampered with'],
      [foreign, 'tampered with or sealed with a secret that is no longer configured'],
      [expired, 'the session expired'],
      [notASession, 'did not hold a session'],
      ['%%%;;', 'tampered'],
      ['x'.repeat(5000), 'tampered'],
    ];
    for (const [cookie, why] of cases) {
      const http = await rawRequest(ctx.server.base, '/show', { headers: { cookie: `session=${encodeURIComponent(cookie)}` } });
      const injected = await ctx.app.inject({ url: '/show', cookies: { session: cookie } });
      for (const res of [http, { status: injected.status, text: injected.text }]) {
        assert.is(res.status, 200);
        const json = JSON.parse(res.text);
        assert.equal(json.data, {});
        assert.is(json.isNew, true);
        assert.match(json.rejected, why);
      }
    }
  }),
);

Cookie('key rotation: a cookie from the older secret is read and re-sealed with the newest', async ({ app }) => {
  const before = await sessionApp(cookieSessionFactory({ secrets: [OLD] }));
  const old = cookieFrom((await before.inject({ url: '/set?user=ada' })).headers['set-cookie'])!;
  const read = await app.inject({ url: '/show', cookies: { session: old } });
  assert.equal(read.json<{ data: unknown }>().data, { user: 'ada' });
  const resealed = cookieFrom(read.headers['set-cookie'])!;
  assert.ok(resealed !== undefined && resealed !== old, 'moved to the newest secret');
  const onlyNew = await sessionApp(cookieSessionFactory({ secrets: [NEW] }));
  assert.equal((await onlyNew.inject({ url: '/show', cookies: { session: resealed } })).json<{ data: unknown }>().data, { user: 'ada' });
  const removed = (await onlyNew.inject({ url: '/show', cookies: { session: old } })).json<{ data: unknown; rejected: string }>();
  assert.equal(removed.data, {});
  assert.match(removed.rejected, 'no longer configured');
});

Cookie('a session too large for a cookie is a logged TET_ERR_SESSION_TOO_LARGE and a 500', async ({ app }) => {
  const res = await app.inject({ url: '/big' });
  assert.is(res.status, 500);
  assert.is(res.headers['set-cookie'], undefined);
  const logged = (app.registry.logger as ReturnType<typeof memoryLogger>).errors.pop() as TetError;
  assert.is(logged.code, 'TET_ERR_SESSION_TOO_LARGE');
});

Cookie('cookie options: secure, sameSite, maxAge, name, domain', async () => {
  const app = await sessionApp(cookieSessionFactory({ secrets: NEW, cookieName: 'sid', secure: true, sameSite: 'strict', maxAge: 60, domain: 'example.test' }));
  const res = await app.inject({ url: '/set?a=1' });
  assert.match(String((res.headers['set-cookie'] as string[])[0]), /^sid=[\w.-]+; Max-Age=60; Domain=example.test; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
});

const Store = suite('Sessions.store');

Store('a memory store: the cookie holds a sealed id, two app instances share sessions, invalidate deletes', async () => {
  const store = new MemorySessionStore();
  const a = await sessionApp(storeSessionFactory({ store, secrets: [NEW] }));
  const b = await sessionApp(storeSessionFactory({ store, secrets: [NEW] }));
  const set = await a.inject({ url: '/set?user=ada' });
  const value = cookieFrom(set.headers['set-cookie'])!;
  const id = new SessionCrypto([NEW], 'tet.session.id').open(value)!.payload;
  assert.equal((await store.get(id))?.data, { user: 'ada' });
  assert.equal((await b.inject({ url: '/show', cookies: { session: value } })).json<{ data: unknown }>().data, { user: 'ada' });
  await b.inject({ url: '/invalidate', cookies: { session: value } });
  assert.is(await store.get(id), undefined);
  const gone = (await a.inject({ url: '/show', cookies: { session: value } })).json<{ rejected: string }>();
  assert.match(gone.rejected, 'expired or is unknown');
});

Store('a forged id cookie never reaches the store', async () => {
  const store = new MemorySessionStore();
  let lookups = 0;
  const counting = {
    get: (id: string) => {
      lookups++;
      return store.get(id);
    },
    set: store.set.bind(store),
    delete: store.delete.bind(store),
  };
  const app = await sessionApp(storeSessionFactory({ store: counting, secrets: [NEW] }));
  const res = await app.inject({ url: '/show', cookies: { session: 'forged.value' } });
  assert.match(res.json<{ rejected: string }>().rejected, 'tampered');
  assert.is(lookups, 0);
});

Cookie.run();
Store.run();

// A signed-in browser sends its session cookie with every asset request: a store-backed
// session must not cost a store round trip per static file (static views say `session: false`).
import { MemorySessionStore, Response, type StoredSession, storeSessionFactory } from '@tet/core';
import { rawRequest, type TestApp, withTimeout } from '@tet/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

/** A real in-memory store that counts its reads. */
class CountingStore extends MemorySessionStore {
  reads = 0;
  override get(id: string): Promise<StoredSession | undefined> {
    this.reads++;
    return super.get(id);
  }
}

const T = '1700000000000';
const sessions = suite<{ fixture: FixtureApp; store: CountingStore; server: TestApp; cookie: string }>('static views and store sessions');

sessions.before(async (context) => {
  context.fixture = makeFixtureApp();
  context.store = new CountingStore();
  context.server = await serve(context.fixture.dir, (config) => {
    config.setSessionFactory(storeSessionFactory({ store: context.store, secrets: ['a-secret-of-at-least-32-characters!!'] }));
    config.setCachebreaker(T);
    config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
    config.addRoute('signin', '/signin');
    config.addView(
      (request) => {
        request.session.set('user', 'ada');
        return new Response('signed in');
      },
      { routeName: 'signin' },
    );
    config.addRoute('me', '/me');
    config.addView((request) => new Response(String(request.session.get('user'))), { routeName: 'me' });
  });
  const signin = await rawRequest(context.server.base, '/signin');
  context.cookie = String(signin.headers['set-cookie']?.[0]).split(';')[0]!;
});

sessions.after((context) => {
  context.fixture.remove();
  return context.server.close();
});

sessions('a static file served to a signed-in browser reads nothing from the session store', (context) =>
  withTimeout(async () => {
    const me = await rawRequest(context.server.base, '/me', { headers: { cookie: context.cookie } });
    assert.is(me.text, 'ada', 'the cookie names a stored session');
    const before = context.store.reads;
    assert.ok(before > 0, 'a view that uses the session loads it from the store');
    for (let i = 0; i < 5; i++) {
      const asset = await rawRequest(context.server.base, `/static/${T}/style.css`, { headers: { cookie: context.cookie } });
      assert.is(asset.status, 200);
    }
    assert.is(context.store.reads, before, 'no store read for static files');
  }),
);

sessions.run();

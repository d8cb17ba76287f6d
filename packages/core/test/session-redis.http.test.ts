import { createClient } from 'redis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, RedisSessionStore, storeSessionFactory } from '../src/index.js';
import { SessionCrypto } from '../src/session-crypto.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';
import { REDIS_SERVER, type RunningRedis, startRedis } from './redis-server.js';
import { cookieFrom, NEW, sessionApp } from './session-app.js';

type Client = ReturnType<typeof createClient>;

interface Ctx {
  redis: RunningRedis;
  clients: Client[];
  apps: App[];
  servers: TestServer[];
}

const Redis = suite<Ctx>('Sessions.redis');
const test = REDIS_SERVER === undefined ? Redis.skip : Redis;
if (REDIS_SERVER === undefined) console.log('SKIPPED: the Redis session store test needs redis-server (Debian package redis-server; .ci/run installs it).');

Redis.before(async (ctx) => {
  ctx.clients = [];
  ctx.apps = [];
  ctx.servers = [];
  if (REDIS_SERVER === undefined) return;
  ctx.redis = await startRedis();
  // Two application instances, each with its own connection, as two processes would have.
  for (let i = 0; i < 2; i++) {
    const client = createClient({ url: ctx.redis.url, socket: { connectTimeout: 5000, reconnectStrategy: false } });
    client.on('error', () => {});
    await client.connect();
    ctx.clients.push(client);
    const app = await sessionApp(storeSessionFactory({ store: new RedisSessionStore(client, { prefix: 'test:session:' }), secrets: [NEW], maxAge: 120 }));
    ctx.apps.push(app);
    ctx.servers.push(await startTestServer(app));
  }
});

Redis.after(async (ctx) => {
  for (const server of ctx.servers) await server.close();
  for (const client of ctx.clients) await client.quit().catch(() => {});
  await ctx.redis?.stop();
});

test('a session made on one instance is read on another, over HTTP; Redis expires it after maxAge', (ctx) =>
  withTimeout(async () => {
    const [a, b] = ctx.servers as [TestServer, TestServer];
    const set = await rawRequest(a.base, '/set?user=ada&role=editor');
    const value = cookieFrom(set.headers['set-cookie'])!;
    const id = new SessionCrypto([NEW], 'tet.session.id').open(decodeURIComponent(value))!.payload;
    const raw = await ctx.clients[0]!.get(`test:session:${id}`);
    assert.equal(JSON.parse(raw!).data, { user: 'ada', role: 'editor' });
    const ttl = await ctx.clients[0]!.ttl(`test:session:${id}`);
    assert.ok(ttl > 100 && ttl <= 120, `ttl ${ttl}`);
    const show = await rawRequest(b.base, '/show', { headers: { cookie: `session=${value}` } });
    assert.equal(JSON.parse(show.text), { data: { user: 'ada', role: 'editor' }, isNew: false, rejected: null });
    assert.is(show.headers['set-cookie'], undefined);
  }, 10_000));

test('flash on one instance, popped on the other (inject); invalidate removes the key from Redis', (ctx) =>
  withTimeout(async () => {
    const [a, b] = ctx.apps as [App, App];
    const flashed = await a.inject({ url: '/flash?m=hello' });
    const value = cookieFrom(flashed.headers['set-cookie'])!;
    assert.is((await b.inject({ url: '/messages', cookies: { session: value } })).text, '["hello"]');
    assert.is((await a.inject({ url: '/messages', cookies: { session: value } })).text, '[]');
    const id = new SessionCrypto([NEW], 'tet.session.id').open(value)!.payload;
    assert.ok((await ctx.clients[1]!.exists(`test:session:${id}`)) === 1);
    await b.inject({ url: '/invalidate', cookies: { session: value } });
    assert.is(await ctx.clients[1]!.exists(`test:session:${id}`), 0);
    const after = await a.inject({ url: '/show', cookies: { session: value } });
    assert.match(after.json<{ rejected: string }>().rejected, 'unknown to the store');
  }, 10_000));

Redis.run();

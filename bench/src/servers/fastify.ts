// Fastify with @fastify/static (ETag, Last-Modified, one-year immutable Cache-Control, its
// default wildcard route) and @fastify/view rendering the page with Eta in production mode
// (templates compiled once and cached), and a form posted with a session and a CSRF check.
import type { Server } from 'node:http';
import fastifyCookie, { Signer } from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import Fastify from 'fastify';
import type { Fixture } from '../fixture.js';
import { CACHE_SECONDS, PAGE_TITLE, SESSION_SECRET, TOKEN } from '../site.js';

export async function start(fixture: Fixture): Promise<{ server: Server; notes: string[] }> {
  const app = Fastify({ logger: false });
  await app.register(fastifyStatic, { root: fixture.assets, prefix: '/static/', etag: true, lastModified: true, cacheControl: true, maxAge: CACHE_SECONDS * 1000, immutable: true });
  await app.register(fastifyView, { engine: { eta: new Eta() }, root: fixture.templates, production: true });
  app.get('/page', (request, reply) => {
    // Fastify has no asset URLs of its own: the helper a Fastify application would write,
    // producing the very URLs Tet's request.staticUrl() does.
    const origin = `${request.protocol}://${request.host}`;
    return reply.view('page-fastify.eta', { title: PAGE_TITLE, staticUrl: (asset: string) => `${origin}/static/${TOKEN}/${asset}` });
  });
  // The form scenario, as the official plugins do it: the body parsed by @fastify/formbody, the
  // session (id in a signed cookie, data in the default memory store) by @fastify/session, the
  // token checked by @fastify/csrf-protection. `rolling: false` and `saveUninitialized: false`
  // send no Set-Cookie for an unchanged session, as Tet does.
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie);
  // The signer is passed in (what `secret: string` makes) because npm installs @fastify/cookie
  // 11.1.0 (cookie@1, Node 20) under bench/, out of @fastify/session's own require's reach.
  await app.register(fastifySession, { secret: new Signer(SESSION_SECRET), cookie: { secure: false, httpOnly: true, sameSite: 'lax' }, rolling: false, saveUninitialized: false });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session', getToken: (request) => (request.body as Record<string, string> | undefined)?.csrf_token });
  app.get('/form', (_request, reply) => reply.type('text/plain; charset=utf-8').send(reply.generateCsrf()));
  app.post('/form', { preHandler: app.csrfProtection }, (request, reply) => reply.type('text/plain; charset=utf-8').send(`thanks ${(request.body as Record<string, string>).name}`));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { server: app.server, notes: [] };
}

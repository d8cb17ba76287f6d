// Fastify with @fastify/static (ETag, Last-Modified, one-year immutable Cache-Control, its
// default wildcard route) and @fastify/view rendering the page with Eta in production mode
// (templates compiled once and cached).
import type { Server } from 'node:http';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import Fastify from 'fastify';
import type { Fixture } from '../fixture.js';
import { CACHE_SECONDS, PAGE_TITLE, TOKEN } from '../site.js';

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
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { server: app.server, notes: [] };
}

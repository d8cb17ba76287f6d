// Tet as an application would configure it: the static view with the token in the URL, and
// the templated page, and a form posted with a session and a CSRF check.
import type { Server } from 'node:http';
import { type App, Configurator, cookieSessionFactory, Response } from '@tet/core';
import { tetStatic } from '@tet/static';
import { tetTemplating } from '@tet/templating';
import type { Fixture } from '../fixture.js';
import { PAGE_TITLE, SESSION_SECRET, SITE_PACKAGE, TOKEN } from '../site.js';

/**
 * The benchmark's Tet application; `extra` adds routes for the micro-benchmark.
 * @example
 * const app = await buildTetApp(fixture)
 */
export async function buildTetApp(fixture: Fixture, extra?: (config: Configurator) => void): Promise<App> {
  const config = new Configurator({ package: fixture.dir });
  config.include(tetStatic);
  config.setCachebreaker(TOKEN);
  // cacheMaxAge is left at its default, a year with `immutable`: what the peers are told to send.
  config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${SITE_PACKAGE}:assets` });
  config.include(tetTemplating);
  config.addRoute('page', '/page');
  config.addView(() => ({ title: PAGE_TITLE }), { routeName: 'page', renderer: `${SITE_PACKAGE}:templates/page-tet.eta` });
  // The form scenario: a session in Tet's default (encrypted, signed) cookie, and CSRF checked
  // on every unsafe request, as the `tet new` scaffold configures them.
  config.setSessionFactory(cookieSessionFactory({ secrets: [SESSION_SECRET] }));
  config.setDefaultCsrfOptions({ require: true });
  config.addRoute('form', '/form');
  config.addView((request) => new Response(request.session.getCsrfToken(), { contentType: 'text/plain; charset=utf-8' }), { routeName: 'form', requestMethod: 'GET' });
  config.addView(async (request) => new Response(`thanks ${(await request.form()).get('name')}`, { contentType: 'text/plain; charset=utf-8' }), { routeName: 'form', requestMethod: 'POST' });
  // TET_BENCH_NOOP_TWEENS=N wraps every request in N tweens that do nothing, to measure what
  // a tween costs (docs/views.md#tweens); unset, the app has none, as an application without tweens.
  for (let i = 0; i < Number(process.env['TET_BENCH_NOOP_TWEENS'] ?? 0); i++) config.addTween(`noop${i}`, (handler) => (request) => handler(request));
  extra?.(config);
  return config.makeApp();
}

export async function start(fixture: Fixture): Promise<{ server: Server; notes: string[] }> {
  const app = await buildTetApp(fixture);
  return { server: await app.listen(0, '127.0.0.1'), notes: [] };
}

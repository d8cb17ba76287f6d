// Tet as an application would configure it: the static view with the token in the URL, and
// (once @tet/templating exists) the templated page.
import type { Server } from 'node:http';
import { type App, Configurator, type IncludeFunction } from '@tet/core';
import { tetStatic } from '@tet/static';
import type { Fixture } from '../fixture.js';
import { PAGE_TITLE, SITE_PACKAGE, TOKEN } from '../site.js';

/** @tet/templating, or why the templated page cannot be served yet. */
export type Templating = { readonly include: IncludeFunction } | { readonly pending: string };

/**
 * Loads @tet/templating at run time: it is being written alongside the benchmark, so the
 * benchmark must build and run without it and report the page as pending instead.
 */
export async function loadTemplating(): Promise<Templating> {
  const specifier = '@tet/templating'; // a variable: tsc must not require the module's types
  try {
    const module = (await import(specifier)) as Record<string, unknown>;
    if (typeof module['tetTemplating'] === 'function') return { include: module['tetTemplating'] as IncludeFunction };
    return { pending: '@tet/templating does not export tetTemplating yet' };
  } catch (error) {
    return { pending: `@tet/templating does not load: ${(error as Error).message}` };
  }
}

/**
 * The benchmark's Tet application; `extra` adds routes for the micro-benchmark.
 * @example
 * const app = await buildTetApp(fixture, await loadTemplating())
 */
export async function buildTetApp(fixture: Fixture, templating: Templating, extra?: (config: Configurator) => void): Promise<App> {
  const config = new Configurator({ package: fixture.dir });
  config.include(tetStatic);
  config.setCachebreaker(TOKEN);
  // cacheMaxAge is left at its default, a year with `immutable`: what the peers are told to send.
  config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${SITE_PACKAGE}:assets` });
  if ('include' in templating) {
    config.include(templating.include);
    config.addRoute('page', '/page');
    config.addView(() => ({ title: PAGE_TITLE }), { routeName: 'page', renderer: `${SITE_PACKAGE}:templates/page-tet.eta` });
  }
  extra?.(config);
  return config.makeApp();
}

export async function start(fixture: Fixture): Promise<{ server: Server; notes: string[] }> {
  const templating = await loadTemplating();
  const app = await buildTetApp(fixture, templating);
  return { server: await app.listen(0, '127.0.0.1'), notes: 'pending' in templating ? [`templated page pending: ${templating.pending}`] : [] };
}

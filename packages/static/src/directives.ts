// The static view directives: each records a route, a view, and the commit action that builds
// the view's files and handler (view-builder.ts).
import { join } from 'node:path';
import { type Configurator, Phase, resolveAssetSpec } from '@tet/core';
import { validateCachebreaker } from './cachebreaker.js';
import { MANIFEST_NAME } from './manifest.js';
import { UrlTable } from './url-table.js';
import { type BuiltView, buildStaticView, isUrlName, type ViewKind } from './view-builder.js';
import { checkBreakerName, checkOptions, type StaticViewOptions } from './view-options.js';

/** `setCachebreaker({ from: 'content' })`: each token view's token is a hash of its files. */
export interface ContentCachebreaker {
  from: 'content';
}

const CONTENT_TOKEN = Symbol('content');

/** The application's table of static views and the URLs they generate. */
export function urlTable(config: Configurator): UrlTable {
  return (config.registry.staticViews ??= new UrlTable());
}

/**
 * `config.setCachebreaker(token)`: an early action, so every static view uses it whatever the
 * call order. `{ from: 'content' }` makes each token view's token a hash of its files.
 */
export function setCachebreaker(config: Configurator, token: string | ContentCachebreaker): void {
  const value = typeof token === 'object' && token !== null && (token as ContentCachebreaker).from === 'content' ? CONTENT_TOKEN : validateCachebreaker(token, 'setCachebreaker');
  config.action(
    'tet.static:cachebreaker',
    () => {
      if (value === CONTENT_TOKEN) config.registry.cachebreakerFromContent = true;
      else config.registry.cachebreaker = value;
    },
    { order: Phase.early },
  );
}

/** `config.addStaticViewWithBreaker({ name: 'static/{breaker}', path })`. */
export function addStaticViewWithBreaker(config: Configurator, options: StaticViewOptions): void {
  checkOptions(options, 'addStaticViewWithBreaker');
  checkBreakerName(options);
  registerStaticView(config, options, 'token');
}

/** `config.addStaticView({ name, path, cacheMaxAge, cacheBust })`: Pyramid's static view, or content-hashed. */
export function addStaticView(config: Configurator, options: StaticViewOptions): void {
  checkOptions(options, 'addStaticView');
  registerStaticView(config, options, options.cacheBust === 'content' ? 'content' : 'plain');
}

function registerStaticView(config: Configurator, options: StaticViewOptions, kind: ViewKind): void {
  const directive = kind === 'token' ? 'addStaticViewWithBreaker' : 'addStaticView';
  const isUrl = isUrlName(options.name);
  const routeName = `__static:${options.name}`;
  const root = resolveAssetSpec(options.path, config.registry);
  const manifestPath = options.manifest === undefined ? join(root, MANIFEST_NAME) : resolveAssetSpec(options.manifest, config.registry);
  if (!isUrl) config.addRoute(routeName, `/${options.name.replace(/^\/+|\/+$/g, '').replace('{breaker}', ':breaker')}/*`);
  // The route is registered now; the view once its commit action has built what it serves
  // (an action added by an action runs in the same commit), so the view is the handler itself.
  config.action(isUrl ? `tet.static:url:${options.name}` : `tet.static:view:${options.name}`, async () => {
    // The prefix inside the application, route prefix included: everything before the `*`.
    const pattern = isUrl ? '' : config.registry.routes.get(routeName)!.pattern.slice(0, -1);
    const built: BuiltView = await buildStaticView(config, { directive, options, kind, pattern, root, manifestPath });
    urlTable(config).add(built.view);
    if (built.handler !== undefined) config.addView(built.handler, { routeName, requestMethod: ['GET', 'HEAD'], session: false, fastPath: built.fastPath });
  });
}

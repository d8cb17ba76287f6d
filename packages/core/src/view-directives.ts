import type { IncomingMessage } from 'node:http';
import { Phase } from './actions.js';
import type { DirectiveContext } from './directive-context.js';
import { type ActionInfo, ConfigurationError } from './errors.js';
import { checkKnownMethods } from './http-methods.js';
import { jsonRenderer, type RendererFactory, type RenderFunction, stringRenderer } from './renderers.js';
import { Request } from './request.js';
import { compileRoutePath, joinRoutePrefix, translatePattern } from './route-pattern.js';
import { Route, type View, type ViewEntry } from './routes.js';
import type { EventClass, Subscriber } from './events.js';
import { mappedView } from './class-views.js';
import { INGRESS } from './ordering.js';
import type { PredicateFactory } from './view-predicates.js';
import { MAIN, type TweenFactory, type TweenOptions } from './tweens.js';
import { type DerivedView, deriveView, renderedView, VIEW, type ViewDeriver, type ViewDeriverOptions } from './view-derivers.js';
import { type AddExceptionViewOptions, type AddRouteOptions, type AddViewOptions, type ClassViewOptions, CORE_VIEW_OPTIONS, type RequestMethodList } from './view-options.js';

// The built-in directives' bodies: each validates its arguments at the call (so the error
// points at the user's line) and records an action that does the work at commit.

export function registerBuiltins(config: DirectiveContext): void {
  config.registry.renderers.set('json', jsonRenderer);
  config.registry.renderers.set('string', stringRenderer);
}

function methodSet(methods: RequestMethodList | undefined, where: string): ReadonlySet<string> | null {
  if (methods === undefined) return null;
  const list = typeof methods === 'string' ? [methods] : methods;
  if (list.length === 0 || list.some((m) => typeof m !== 'string' || !/^[A-Za-z-]+$/.test(m))) {
    throw new ConfigurationError(`${where}: requestMethod must be a method name or a list of them, e.g. 'GET' or ['GET', 'POST']; got ${JSON.stringify(methods)}`, 'TET_ERR_VIEW_OPTIONS');
  }
  checkKnownMethods(list, where);
  return new Set(list.map((m) => m.toUpperCase()));
}

function methodKey(methods: ReadonlySet<string> | null): string {
  return methods === null ? '*' : [...methods].sort().join(',');
}

export function addRoute(config: DirectiveContext, name: string, pattern: string, options: AddRouteOptions): void {
  if (typeof name !== 'string' || name === '') throw new ConfigurationError(`addRoute(${JSON.stringify(name)}, ...): a route needs a non-empty string name`, 'TET_ERR_ROUTE_NAME');
  if (typeof pattern !== 'string') throw new ConfigurationError(`addRoute('${name}', ${String(pattern)}): the pattern must be a string such as '/users/:id'`, 'TET_ERR_ROUTE_PATTERN');
  const { pattern: fullPattern, wildcardName } = translatePattern(joinRoutePrefix(config.routePrefix, pattern), name);
  compileRoutePath(fullPattern, name); // reject a malformed pattern at the call, not at commit
  const methods = methodSet(options.requestMethod, `addRoute('${name}')`);
  const info = config.actionInfo;
  const predicates = config.registry.routePredicates;
  for (const key of Object.keys(options)) {
    if (key !== 'requestMethod' && !predicates.declared.has(key)) {
      throw new ConfigurationError(
        `addRoute('${name}'): unknown route option '${key}'. Route predicates: requestMethod, ${[...predicates.declared].join(', ')}; add your own with config.addRoutePredicate().`,
        'TET_ERR_ROUTE_OPTIONS',
      );
    }
  }
  config.action(`route:${name}`, () => config.registry.routes.add(new Route(name, fullPattern, methods, info, predicates.compile(options, config.registry), wildcardName)), { order: Phase.routes });
}

function rendererFor(config: DirectiveContext, name: string, where: string): RenderFunction {
  const factory = config.registry.renderers.lookup(name);
  if (factory === undefined) {
    throw new ConfigurationError(
      `${where}: no renderer for '${name}'. Known renderers: ${config.registry.renderers.names().join(', ')}. ` +
        'Add one with config.addRenderer(), or include the package that provides it (e.g. @tet/templating for .eta).',
      'TET_ERR_RENDERER_UNKNOWN',
    );
  }
  return factory({ name, registry: config.registry });
}

function checkView(view: View, where: string): void {
  if (typeof view !== 'function')
    throw new ConfigurationError(`${where}: the view must be a function (request) => Response | value, or a class (constructed with the request); got ${typeof view}`, 'TET_ERR_VIEW_OPTIONS');
}

export function addView(config: DirectiveContext, view: View, options: AddViewOptions): void {
  const routeName = options?.routeName;
  const where = `addView(${view?.name || 'view'}, { routeName: ${JSON.stringify(routeName)} })`;
  checkView(view, where);
  if (typeof routeName !== 'string' || routeName === '') throw new ConfigurationError(`${where}: a view needs the name of the route it answers, e.g. { routeName: 'home' }`, 'TET_ERR_VIEW_OPTIONS');
  const methods = methodSet(options.requestMethod, where);
  if (options.fastPath !== undefined && typeof options.fastPath !== 'function')
    throw new ConfigurationError(`${where}: 'fastPath' must be a function (raw, pathInfo, queryString) => Response | undefined; got ${typeof options.fastPath}`, 'TET_ERR_VIEW_OPTIONS');
  const info = config.actionInfo;
  const predicateKey = config.registry.viewPredicates.key(options);
  config.action(`view:${routeName}:${methodKey(methods)}${predicateKey === '' ? '' : `:${predicateKey}`}`, () => {
    const route = config.registry.routes.get(routeName);
    if (route === undefined) {
      throw new ConfigurationError(`${where}: no route is named '${routeName}'. Add it with config.addRoute('${routeName}', pattern).`, 'TET_ERR_ROUTE_UNKNOWN');
    }
    const render = options.renderer === undefined ? null : rendererFor(config, options.renderer, where);
    const { derived, wrapped } = derive(config, view, render, options, { routeName, info, where: `the view of route '${routeName}'` });
    const predicates = config.registry.viewPredicates.compile(options, config.registry);
    // A deriver that wrapped the view (a permission, a loaded session) must see every request.
    const fastPath = wrapped ? undefined : options.fastPath;
    route.addView({ view, derived, methods, render, rendererName: options.renderer, info, predicates, fastPath });
  });
}

// At commit: the view, rendered, then wrapped by every view deriver. Options no deriver
// declared are typos (Pyramid: "Unknown view options"), caught here rather than ignored.
function derive(
  config: DirectiveContext,
  view: View,
  render: RenderFunction | null,
  options: AddViewOptions | AddExceptionViewOptions,
  about: { routeName: string | undefined; info: ActionInfo; where: string },
): { derived: DerivedView; wrapped: boolean } {
  const table = config.registry.viewDerivers;
  for (const [key, value] of Object.entries(options)) {
    if (!CORE_VIEW_OPTIONS.has(key) && !table.optionNames.has(key) && !(about.routeName !== undefined && config.registry.viewPredicates.has(key)) && value !== undefined) {
      throw new ConfigurationError(
        `${about.where}: unknown view option '${key}'. Core reads ${[...CORE_VIEW_OPTIONS].join(', ')}; view derivers read ${[...table.optionNames].join(', ') || '(none)'}. ` +
          'Check the spelling, or include the package whose view deriver reads it.',
        'TET_ERR_VIEW_OPTIONS',
      );
    }
  }
  const mapped = mappedView(view, (options as ClassViewOptions).attr, about.where);
  const rendered = renderedView(mapped, render, options.renderer, about.where, config.registry);
  const derived = deriveView(rendered, table, { options, registry: config.registry, routeName: about.routeName, exceptionView: about.routeName === undefined, info: about.info });
  return { derived, wrapped: derived !== rendered };
}

export function addViewDeriver(config: DirectiveContext, deriver: ViewDeriver, options: ViewDeriverOptions): void {
  const name = options.name ?? deriver?.name;
  if (typeof deriver !== 'function' || typeof name !== 'string' || name === '' || name === INGRESS || name === VIEW) {
    throw new ConfigurationError(
      `addViewDeriver(${typeof deriver === 'function' ? deriver.name || 'an anonymous function' : typeof deriver}): give a function (view, info) => view with a name (a named function, or { name: 'secured' }) other than ${INGRESS} or ${VIEW}`,
      'TET_ERR_VIEW_DERIVER',
    );
  }
  config.action(`view-deriver:${name}`, () => config.registry.viewDerivers.add(name, deriver, options), { order: Phase.early });
}

export function addExceptionView(config: DirectiveContext, view: View, options: AddExceptionViewOptions): void {
  const where = `addExceptionView(${view?.name || 'view'})`;
  checkView(view, where);
  const context = options?.context;
  if (typeof context !== 'function') throw new ConfigurationError(`${where}: 'context' must be an error class such as HTTPNotFound or Error`, 'TET_ERR_VIEW_OPTIONS');
  const info = config.actionInfo;
  config.action(`exception-view:${context.name}`, () => {
    const render = options.renderer === undefined ? null : rendererFor(config, options.renderer, where);
    const { derived } = derive(config, view, render, options, { routeName: undefined, info, where: 'an exception view' });
    const entry: ViewEntry = { view, derived, methods: null, render, rendererName: options.renderer, info, predicates: [] };
    config.registry.exceptionViews.set(context, entry);
  });
}

export function addRenderer(config: DirectiveContext, name: string, factory: RendererFactory): void {
  if (typeof name !== 'string' || name === '' || typeof factory !== 'function') {
    throw new ConfigurationError(`addRenderer(${JSON.stringify(name)}): give a name ('csv') or extension ('.eta') and a factory (info) => render function`, 'TET_ERR_RENDERER_OPTIONS');
  }
  config.action(`renderer:${name}`, () => config.registry.renderers.set(name, factory), { order: Phase.early });
}

// A request's own fields, read off a throwaway instance so the list cannot drift from the
// class; the same for every application, so read once.
let requestFields: ReadonlySet<string> | undefined;
function instanceFields(config: DirectiveContext): ReadonlySet<string> {
  const raw = { method: 'GET', headers: {} } as IncomingMessage;
  requestFields ??= new Set(Object.keys(new Request(raw, { registry: config.registry, trustProxy: false, maxBodySize: 0 }, '/', '', '')));
  return requestFields;
}

export function addRequestMethod(config: DirectiveContext, name: string, fn: (request: Request, ...args: never[]) => unknown, reify: boolean): void {
  if (typeof name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(name) || typeof fn !== 'function') {
    throw new ConfigurationError(`addRequestMethod(${JSON.stringify(name)}): give an identifier name and a function (request, ...args) => value`, 'TET_ERR_REQUEST_METHOD');
  }
  if (name in Request.prototype || instanceFields(config).has(name)) {
    throw new ConfigurationError(`addRequestMethod('${name}'): Request already has a built-in '${name}'; choose another name.`, 'TET_ERR_REQUEST_METHOD');
  }
  config.action(
    `request-method:${name}`,
    () => {
      config.registry.requestExtensions.set(name, { fn, reify });
    },
    { order: Phase.early },
  );
}

export function addTween(config: DirectiveContext, name: string | undefined, factory: TweenFactory, options: TweenOptions): void {
  const tweenName = name ?? factory?.name;
  if (typeof factory !== 'function' || typeof tweenName !== 'string' || tweenName === '' || tweenName === INGRESS || tweenName === MAIN) {
    throw new ConfigurationError(
      `addTween(${typeof factory === 'function' ? factory.name || 'an anonymous function' : typeof factory}): give a factory (handler, registry) => (request) => Response, ` +
        `named (a named function, or config.addTween('securityHeaders', factory)) other than ${INGRESS} or ${MAIN}`,
      'TET_ERR_TWEEN',
    );
  }
  config.action(`tween:${tweenName}`, () => config.registry.tweens.add(tweenName, factory, options));
}

export function addSubscriber<E extends object>(config: DirectiveContext, subscriber: Subscriber<E>, type: EventClass<E>): void {
  if (typeof subscriber !== 'function' || typeof type !== 'function') {
    throw new ConfigurationError(
      `addSubscriber(${typeof subscriber === 'function' ? subscriber.name || 'subscriber' : typeof subscriber}, ${typeof type === 'function' ? type.name : typeof type}): give a function (event) => void and an event class such as NewRequest or BeforeRender`,
      'TET_ERR_SUBSCRIBER',
    );
  }
  config.action(null, () => config.registry.subscribers.add(type, subscriber), { order: Phase.early });
}

export function addRendererGlobals(config: DirectiveContext, globals: Record<string, unknown>): void {
  if (globals === null || typeof globals !== 'object' || Array.isArray(globals)) {
    throw new ConfigurationError(`addRendererGlobals(${Array.isArray(globals) ? 'an array' : typeof globals}): give an object of names, e.g. { siteName: 'Tet' }`, 'TET_ERR_SUBSCRIBER');
  }
  config.action(
    null,
    () => {
      Object.assign(config.registry.rendererGlobals, globals);
    },
    { order: Phase.early },
  );
}

function addPredicate(config: DirectiveContext, kind: 'view' | 'route', name: string, factory: PredicateFactory<unknown>): void {
  const directive = kind === 'view' ? 'addViewPredicate' : 'addRoutePredicate';
  const table = kind === 'view' ? config.registry.viewPredicates : config.registry.routePredicates;
  if (typeof name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(name) || typeof factory !== 'function') {
    throw new ConfigurationError(`${directive}(${JSON.stringify(name)}): give an option name (an identifier) and a factory (value, info) => (request) => boolean`, 'TET_ERR_PREDICATE');
  }
  if (CORE_VIEW_OPTIONS.has(name) || table.has(name)) {
    throw new ConfigurationError(`${directive}('${name}'): '${name}' is already a ${kind} option; choose another name.`, 'TET_ERR_PREDICATE');
  }
  table.declared.add(name); // known now, so the discriminators of views added after this call include it
  config.action(`${kind}-predicate:${name}`, () => table.set(name, factory), { order: Phase.early });
}

export function addViewPredicate(config: DirectiveContext, name: string, factory: PredicateFactory<unknown>): void {
  addPredicate(config, 'view', name, factory);
}

export function addRoutePredicate(config: DirectiveContext, name: string, factory: PredicateFactory<unknown>): void {
  addPredicate(config, 'route', name, factory);
}

import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Action, executeInOrder, type IncludeId, Phase, resolveConflicts } from './actions.js';
import { App } from './app.js';
import { findPackage } from './asset-spec.js';
import { captureCallSite } from './call-site.js';
import type { DirectiveContext } from './directive-context.js';
import { directiveHint } from './directive-hints.js';
import { type ActionInfo, ConfigurationError } from './errors.js';
import { Registry } from './registry.js';
import type { RendererFactory } from './renderers.js';
import type { Request } from './request.js';
import { joinRoutePrefix } from './route-pattern.js';
import type { View } from './routes.js';
import { ApplicationCreated, type EventClass, type Subscriber } from './events.js';
import type { TweenFactory, TweenOptions } from './tweens.js';
import type { PredicateFactory } from './view-predicates.js';
import type { ViewDeriver, ViewDeriverOptions } from './view-derivers.js';
import type { Settings } from './settings.js';
import type { CsrfOptions } from './csrf.js';
import type { SecurityPolicy } from './security.js';
import * as security from './security-directives.js';
import type { SessionFactory } from './session-factory.js';
import * as directives from './view-directives.js';
import { isThenable } from './thenable.js';
import type { AddExceptionViewOptions, AddRouteOptions, AddViewOptions, ClassViewOptions, ViewOptions } from './view-options.js';
import type { ViewClass, ViewMethodName } from './class-views.js';
import { scannedViews } from './scan.js';

export type { AddExceptionViewOptions, AddRouteOptions, AddViewOptions, RequestMethodList, ViewOptions } from './view-options.js';

/**
 * Directive signatures as callers see them. Packages add members by module augmentation
 * (`declare module '@tet/core' { interface Directives { ... } }`) and implement them with
 * `config.addDirective()`.
 */
export interface Directives {}

/** The implementation of a directive: the caller's arguments, preceded by the configurator. */
export type DirectiveImpl<F> = F extends (...args: infer A) => infer R ? (config: Configurator, ...args: A) => R : never;

/** The implementation of a request method: the caller's arguments, preceded by the request. */
export type RequestMethodImpl<F> = F extends (...args: infer A) => infer R ? (request: Request, ...args: A) => R : never;

/** What `config.include()` accepts: a function, or a module/object with `includeme` or a default export. */
export type IncludeFunction = (config: Configurator) => void;
export type Includeable = IncludeFunction | { readonly includeme: IncludeFunction } | { readonly default: IncludeFunction };

export interface IncludeOptions {
  /** Prefixes every route the include (and its own includes) adds: `'api'` turns `/users` into `/api/users`. */
  routePrefix?: string;
}

export interface ConfiguratorOptions {
  settings?: Settings;
  /**
   * A file or directory inside the application's package (`import.meta.url` will do), used to
   * resolve asset specs such as `myapp:static`. Defaults to the caller's package.
   */
  package?: string | URL;
}

/** State shared by a configurator and every configurator its includes create. */
interface ConfigState {
  readonly registry: Registry;
  readonly directives: Map<string, (config: Configurator, ...args: never[]) => unknown>;
  readonly included: Set<IncludeId>;
  readonly executed: Map<string, Action>;
  pending: Action[];
  nextIndex: number;
  /** The location of the outermost directive call in progress: actions it records use it. */
  callInfo: ActionInfo | undefined;
  committing: boolean;
}

// Properties that generic code probes on any object (await, JSON, inspectors) must not
// be mistaken for a missing directive.
const NOT_DIRECTIVES = new Set(['then', 'catch', 'finally', 'toJSON', 'inspect', 'nodeType', 'asymmetricMatch', 'length', 'prototype']);

/** Declares the directives and request methods packages add: see {@link Directives}. */
export interface Configurator extends Directives {}

/**
 * Pyramid's Configurator: collects configuration as actions, detects conflicts, and
 * commits them into an application.
 * @example
 * const config = new Configurator({ settings: { 'tet.debug': true } })
 * config.addRoute('home', '/')
 * config.addView(() => new Response('Hello'), { routeName: 'home' })
 * const app = await config.makeApp()
 */
export class Configurator implements DirectiveContext {
  readonly registry: Registry;
  /** The route prefix of the include this configurator belongs to ('' at the top). */
  readonly routePrefix: string;
  /** The includes that led here, outermost first. */
  readonly includePath: readonly IncludeId[];
  private readonly state: ConfigState;

  /** The configurator as users get it: a directive no include added is a clear error, not a TypeError. */
  private static withProxy(config: Configurator): Configurator {
    return new Proxy(config, {
      get(target, property, receiver) {
        if (typeof property === 'symbol' || property in target) return Reflect.get(target, property, receiver);
        const impl = target.state.directives.get(property);
        if (impl !== undefined) return (...args: never[]) => target.callDirective(receiver as Configurator, impl, args);
        if (NOT_DIRECTIVES.has(property) || property.startsWith('_')) return undefined;
        const source = directiveHint(property, target.registry.packageRoot);
        const known = [...target.state.directives.keys()];
        throw new ConfigurationError(
          `Unknown directive '${property}': no include has added it. ` +
            (source === undefined ? 'Include the package that provides it (config.include(...)) before calling it.' : `Did you forget ${source}?`) +
            ` Directives added so far: ${known.length === 0 ? '(none)' : known.join(', ')}.`,
          'TET_ERR_DIRECTIVE_UNKNOWN',
        );
      },
    });
  }

  constructor(options: ConfiguratorOptions = {}) {
    const start =
      options.package === undefined ? dirname(captureCallSite().file) : options.package instanceof URL || options.package.startsWith('file:') ? fileURLToPath(options.package) : options.package;
    const pkg = findPackage(start);
    this.registry = new Registry({ ...options.settings }, pkg?.name, pkg?.root);
    this.routePrefix = '';
    this.includePath = [];
    this.state = { registry: this.registry, directives: new Map(), included: new Set(), executed: new Map(), pending: [], nextIndex: 0, callInfo: undefined, committing: false };
    directives.registerBuiltins(this);
    security.registerSecurityDerivers(this);
    return Configurator.withProxy(this);
  }

  /**
   * Runs an include: a function, or a module/object with `includeme` or a default export.
   * The same callable is included once, however often it is named.
   * @example
   * config.include(tetStatic)
   * config.include(apiRoutes, { routePrefix: 'api' })
   */
  include(target: Includeable, options: IncludeOptions = {}): void {
    const fn = resolveInclude(target);
    if (this.state.included.has(fn)) return;
    this.state.included.add(fn);
    const child: Configurator = Object.create(Configurator.prototype);
    Object.assign(child, {
      registry: this.registry,
      state: this.state,
      includePath: [...this.includePath, fn],
      routePrefix: joinRoutePrefix(this.routePrefix, options.routePrefix ?? ''),
    });
    const result: unknown = fn(Configurator.withProxy(child));
    if (isThenable(result)) {
      throw new ConfigurationError(
        `include(${fn.name || 'an anonymous function'}): the include returned a Promise. Includes must be synchronous; ` +
          'do asynchronous work inside config.action(discriminator, async () => { ... }), which commit() awaits.',
        'TET_ERR_INCLUDE',
      );
    }
  }

  /**
   * Adds a directive: afterwards `config[name](...args)` calls `impl(config, ...args)`.
   * Declare its signature by augmenting {@link Directives}.
   * @example
   * config.addDirective('addGreeting', (config, text: string) => { config.action(`greeting`, () => {...}) })
   */
  addDirective<K extends keyof Directives & string>(name: K, impl: DirectiveImpl<Directives[K]>): void {
    if (name in this) {
      throw new ConfigurationError(`addDirective('${name}'): '${name}' is a built-in Configurator member and cannot be replaced; choose another name.`, 'TET_ERR_DIRECTIVE_CONFLICT');
    }
    const existing = this.state.directives.get(name);
    if (existing === impl) return;
    if (existing !== undefined) {
      throw new ConfigurationError(
        `addDirective('${name}'): a different function is already registered under that name. ` + 'Two packages define the same directive: rename one, or include only one of them.',
        'TET_ERR_DIRECTIVE_CONFLICT',
      );
    }
    this.state.directives.set(name, impl as (config: Configurator, ...args: never[]) => unknown);
  }

  /**
   * Records an action, run at commit. Actions with the same discriminator conflict
   * unless one comes from an include of the other's configuration (it is overridden).
   * @example
   * config.action('my:setting', () => { config.registry.settings.x = 1 }, { order: Phase.early })
   */
  action(discriminator: string | null, execute?: () => void | Promise<void>, options: { order?: number } = {}): void {
    this.state.pending.push({
      discriminator,
      execute,
      order: options.order ?? Phase.default,
      info: this.state.callInfo ?? captureCallSite(),
      includePath: this.includePath,
      index: this.state.nextIndex++,
    });
  }

  /**
   * Where the directive call in progress was made (Pyramid's `action_info`): the outermost
   * call, so a directive that calls others attributes their actions to the user's line.
   * Outside a directive call, the caller of this getter.
   * @example
   * config.addDirective('addWidget', (c, name: string) => { const { file, line } = c.actionInfo; ... })
   */
  get actionInfo(): ActionInfo {
    return this.state.callInfo ?? captureCallSite();
  }

  /** Merges settings into `registry.settings` now (not as an action), as Pyramid's `add_settings`. */
  addSettings(settings: Settings): void {
    Object.assign(this.registry.settings, settings);
  }

  /**
   * Adds a named route. Patterns use find-my-way's syntax (`/users/:id`, `/files/*`);
   * Pyramid's `{id}` works too.
   * @example
   * config.addRoute('user', '/users/:id')
   */
  addRoute(name: string, pattern: string, options: AddRouteOptions = {}): void {
    this.withCallInfo(() => directives.addRoute(this, name, pattern, options));
  }

  /**
   * Adds a view to a route.
   * @example
   * config.addView((request) => ({ id: request.matchdict.id }), { routeName: 'user', renderer: 'json' })
   */
  addView<R extends Request = Request>(view: View<R>, options: AddViewOptions): void;
  /**
   * Adds a class-based view: the class is constructed per request with the request, and its
   * method `attr` (default `call`) answers, as Pyramid's class views.
   * @example
   * config.addView(UserViews, { routeName: 'user', attr: 'show', renderer: 'json' })
   */
  addView<C extends ViewClass<never>, A extends ViewMethodName<C>>(view: C, options: AddViewOptions & { attr: A }): void;
  addView(view: new (request: never) => { call(): unknown }, options: AddViewOptions & { attr?: undefined }): void;
  // Last, so `Parameters<typeof config.addView>` (which reads the last overload) takes either kind.
  addView(view: View | (new (request: never) => { call(): unknown }), options: AddViewOptions): void;
  addView(view: View | ViewClass<never>, options: AddViewOptions & ClassViewOptions): void {
    this.withCallInfo(() => directives.addView(this, view as View, options));
  }

  /**
   * Adds the views `@viewConfig()` recorded in these modules (Pyramid's `scan`): pass module
   * namespaces (`import * as views from './views.js'`). Each becomes an `addView` action
   * located at its decorator, so conflicts name the decorators' lines.
   * @example
   * config.scan(await import('./views.js'))
   */
  scan(modules: object | readonly object[]): void {
    for (const found of scannedViews(modules)) {
      const outer = this.state.callInfo;
      this.state.callInfo = found.info;
      try {
        directives.addView(this, found.view as unknown as View, found.options);
      } finally {
        this.state.callInfo = outer;
      }
    }
  }

  /**
   * Adds a view for errors of a class (and its subclasses), e.g. a custom 404 page.
   * @example
   * config.addExceptionView(() => new Response('Nothing here', { status: 404 }), { context: HTTPNotFound })
   */
  addExceptionView<R extends Request = Request>(view: View<R>, options: AddExceptionViewOptions): void {
    this.withCallInfo(() => directives.addExceptionView(this, view as View, options));
  }

  /**
   * Adds a view deriver (Pyramid's `add_view_deriver`): at commit, every view is wrapped by
   * every deriver, outermost first; `under`/`over` order them (`INGRESS`, `VIEW`, other names).
   * Declare the view options it reads in `options`, and type them by augmenting `ViewOptions`.
   * @example
   * config.addViewDeriver((view, info) => info.options.renderer === undefined ? view : async (request) => view(request), { name: 'rendered-only' })
   */
  addViewDeriver(deriver: ViewDeriver, options: ViewDeriverOptions = {}): void {
    this.withCallInfo(() => directives.addViewDeriver(this, deriver, options));
  }

  /**
   * Adds a tween (Pyramid's `add_tween`): a factory `(handler, registry) => handler` whose
   * handler wraps everything after it, for every request (static files too). `under`/`over`
   * order tweens by name, `INGRESS` (outermost) and `MAIN` (routing and the view); without
   * either, a tween sits under INGRESS, so the last added is outermost. The name defaults to
   * the factory's function name.
   * @example
   * config.addTween('poweredBy', (handler) => async (request) => (await handler(request)).setHeader('x-powered-by', 'tet'))
   */
  addTween(factory: TweenFactory, options?: TweenOptions): void;
  addTween(name: string, factory: TweenFactory, options?: TweenOptions): void;
  addTween(nameOrFactory: string | TweenFactory, factoryOrOptions?: TweenFactory | TweenOptions, maybeOptions?: TweenOptions): void {
    const named = typeof nameOrFactory === 'string';
    const factory = (named ? factoryOrOptions : nameOrFactory) as TweenFactory;
    const options = (named ? maybeOptions : (factoryOrOptions as TweenOptions | undefined)) ?? {};
    this.withCallInfo(() => directives.addTween(this, named ? nameOrFactory : undefined, factory, options));
  }

  /**
   * Subscribes to an event class (Pyramid's `add_subscriber`): `NewRequest`, `ContextFound`,
   * `BeforeRender`, `NewResponse`, `ApplicationCreated`, or a class of your own sent with
   * `registry.notify()`. A subscriber may be async: the request (or `makeApp`) waits for it.
   * @example
   * config.addSubscriber((event) => { event.globals.siteName = 'Tet' }, BeforeRender)
   */
  addSubscriber<E extends object>(subscriber: Subscriber<E>, type: EventClass<E>): void {
    this.withCallInfo(() => directives.addSubscriber(this, subscriber, type));
  }

  /**
   * Adds names every renderer gets (templates see them as top-level names, under the view's
   * own); BeforeRender subscribers may override them per render.
   * @example
   * config.addRendererGlobals({ siteName: 'Tet', year: new Date().getFullYear() })
   */
  addRendererGlobals(globals: Record<string, unknown>): void {
    this.withCallInfo(() => directives.addRendererGlobals(this, globals));
  }

  /**
   * Pyramid's `add_forbidden_view`: the view for HTTPForbidden (a permission denied).
   * @example
   * config.addForbiddenView((request) => new HTTPSeeOther(request.routeUrl('login')))
   */
  addForbiddenView<R extends Request = Request>(view: View<R>, options: Omit<AddExceptionViewOptions, 'context'> = {}): void {
    this.withCallInfo(() => security.addForbiddenView(this, view as View, options));
  }

  /**
   * Pyramid's `add_notfound_view`: the view for HTTPNotFound.
   * @example
   * config.addNotFoundView(() => new Response('Nothing here', { status: 404 }))
   */
  addNotFoundView<R extends Request = Request>(view: View<R>, options: Omit<AddExceptionViewOptions, 'context'> = {}): void {
    this.withCallInfo(() => security.addNotFoundView(this, view as View, options));
  }

  /**
   * Sets what `request.session` is made by: `cookieSessionFactory()` or `storeSessionFactory()`.
   * @example
   * config.setSessionFactory(cookieSessionFactory({ secrets: [settings['myapp.session_secret'] as string] }))
   */
  setSessionFactory(factory: SessionFactory): void {
    this.withCallInfo(() => security.setSessionFactory(this, factory));
  }

  /**
   * Pyramid's `set_default_csrf_options`: `{ require: true }` checks CSRF on every unsafe request.
   * @example
   * config.setDefaultCsrfOptions({ require: true })
   */
  setDefaultCsrfOptions(options: CsrfOptions): void {
    this.withCallInfo(() => security.setDefaultCsrfOptions(this, options));
  }

  /**
   * Sets the security policy: who the request is, what it may do, signing in and out.
   * @example
   * config.setSecurityPolicy(new SessionSecurityPolicy())
   */
  setSecurityPolicy(policy: SecurityPolicy): void {
    this.withCallInfo(() => security.setSecurityPolicy(this, policy));
  }

  /**
   * The permission of every view that names none (Pyramid's `set_default_permission`).
   * @example
   * config.setDefaultPermission('view')
   */
  setDefaultPermission(permission: string): void {
    this.withCallInfo(() => security.setDefaultPermission(this, permission));
  }

  /**
   * Adds a view predicate (Pyramid's `add_view_predicate`): a view option whose value the
   * factory turns, at commit, into a test of the request. Type the option by augmenting
   * `ViewOptions`. Add it before the views that use it, so their discriminators include it.
   * @example
   * config.addViewPredicate('beta', (wanted: boolean) => (request) => (request.headers['x-beta'] === '1') === wanted)
   */
  addViewPredicate<K extends keyof ViewOptions & string>(name: K, factory: PredicateFactory<NonNullable<ViewOptions[K]>>): void {
    this.withCallInfo(() => directives.addViewPredicate(this, name, factory as PredicateFactory<unknown>));
  }

  /**
   * Adds a route predicate (Pyramid's `add_route_predicate`): a route option whose test must
   * hold for the route to match. Type the option by augmenting `AddRouteOptions`.
   * @example
   * config.addRoutePredicate('apiVersion', (version: number) => (request) => request.headers['x-api-version'] === String(version))
   */
  addRoutePredicate<K extends keyof AddRouteOptions & string>(name: K, factory: PredicateFactory<NonNullable<AddRouteOptions[K]>>): void {
    this.withCallInfo(() => directives.addRoutePredicate(this, name, factory as PredicateFactory<unknown>));
  }

  /**
   * Adds a renderer by name (`'csv'`) or file extension (`'.eta'`).
   * @example
   * config.addRenderer('.txt', () => (value) => String(value))
   */
  addRenderer(name: string, factory: RendererFactory): void {
    this.withCallInfo(() => directives.addRenderer(this, name, factory));
  }

  /**
   * Adds `request[name]`: a method, or with `{ reify: true }` a property computed once per request.
   * Declare it by augmenting `Request`.
   * @example
   * config.addRequestMethod('user', (request) => loadUser(request), { reify: true })
   */
  addRequestMethod<K extends keyof Request & string>(name: K, fn: (request: Request) => Request[K], options: { reify: true }): void;
  addRequestMethod<K extends keyof Request & string>(name: K, fn: RequestMethodImpl<Request[K]>, options?: { reify?: false }): void;
  addRequestMethod(name: string, fn: (request: Request, ...args: never[]) => unknown, options: { reify?: boolean } = {}): void {
    this.withCallInfo(() => directives.addRequestMethod(this, name, fn, options.reify === true));
  }

  /**
   * Executes the recorded actions: conflicts first, then each action in phase order.
   * Returns a Promise only when some action is asynchronous.
   */
  commit(): void | Promise<void> {
    if (this.state.committing) throw new ConfigurationError('commit() was called while a commit was running: call it once, after configuring.', 'TET_ERR_CONFIG');
    this.state.committing = true;
    const finish = (): void => {
      this.state.committing = false;
      this.registry.routes.build();
    };
    try {
      const result = this.drain();
      if (result === undefined) {
        finish();
        return undefined;
      }
      return result.then(finish, (error: unknown) => {
        this.state.committing = false;
        throw error;
      });
    } catch (error) {
      this.state.committing = false;
      throw error;
    }
  }

  /**
   * Commits and returns the application (a Promise when some action is asynchronous).
   * @example
   * const app = await config.makeApp()
   * await app.listen(6543)
   */
  makeApp(): App | Promise<App> {
    const created = (): App | Promise<App> => {
      const app = new App(this.registry);
      const pending = this.registry.subscribers.has(ApplicationCreated) ? this.registry.notify(new ApplicationCreated(app)) : undefined;
      return pending === undefined ? app : pending.then(() => app);
    };
    const committed = this.commit();
    return committed === undefined ? created() : committed.then(created);
  }

  // Actions recorded while actions execute go into another pass, checked against those already run.
  private drain(): void | Promise<void> {
    while (this.state.pending.length > 0) {
      const batch = this.state.pending;
      this.state.pending = [];
      const ordered = resolveConflicts(batch, this.state.executed);
      const result = executeInOrder(ordered, (action) => {
        if (action.discriminator !== null) this.state.executed.set(action.discriminator, action);
      });
      if (result !== undefined) return result.then(() => this.drain());
    }
    return undefined;
  }

  private withCallInfo(run: () => void): void {
    const outer = this.state.callInfo === undefined;
    if (outer) this.state.callInfo = captureCallSite();
    try {
      run();
    } finally {
      if (outer) this.state.callInfo = undefined;
    }
  }

  private callDirective(receiver: Configurator, impl: (config: Configurator, ...args: never[]) => unknown, args: never[]): unknown {
    let result: unknown;
    this.withCallInfo(() => {
      result = impl(receiver, ...args);
    });
    return result;
  }
}

function resolveInclude(target: Includeable): IncludeFunction {
  if (typeof target === 'function') return target;
  if (target !== null && typeof target === 'object') {
    if (typeof (target as { includeme?: unknown }).includeme === 'function') return (target as { includeme: IncludeFunction }).includeme;
    if (typeof (target as { default?: unknown }).default === 'function') return (target as { default: IncludeFunction }).default;
  }
  throw new ConfigurationError(`include(): expected a function (config) => void, or a module or object with an 'includeme' or default export function; got ${describe(target)}.`, 'TET_ERR_INCLUDE');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object with keys [${Object.keys(value).join(', ')}]`;
  return `${typeof value} ${String(value)}`;
}

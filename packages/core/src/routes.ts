import FindMyWay from 'find-my-way';
import { type ActionInfo, ConfigurationError, formatActionInfo } from './errors.js';
import type { Request } from './request.js';
import { compileRoutePath, type RouteParams } from './route-pattern.js';
import type { RenderFunction } from './renderers.js';
import type { FastPath } from './fast-paths.js';
import type { DerivedView } from './view-derivers.js';
import type { PredicateTest } from './view-predicates.js';

/** A view: takes the request, returns a Response, an HTTP exception, or a value for its renderer. */
export type View<R extends Request = Request> = (request: R) => unknown;

/** A view as registered: the callable, the methods it answers, its renderer, and the derived view the application calls. */
export interface ViewEntry {
  readonly view: View;
  /** The view wrapped by its renderer and the view derivers: what a request calls. */
  readonly derived: DerivedView;
  /** Upper-case methods, or null for any method. */
  readonly methods: ReadonlySet<string> | null;
  readonly render: RenderFunction | null;
  readonly rendererName: string | undefined;
  readonly info: ActionInfo;
  /** The view's predicates besides the method (accept, header, custom ones...); all must hold. */
  readonly predicates: readonly PredicateTest[];
  /** The view's answer before routing (a view option), kept only when no view deriver wrapped the view. */
  readonly fastPath?: FastPath | undefined;
}

function holds(predicates: readonly PredicateTest[], request: Request): boolean {
  for (let i = 0; i < predicates.length; i++) if (!predicates[i]!(request)) return false;
  return true;
}

// Pyramid's MultiView order: views with more predicates (the method counts as one) are tried first.
function weight(entry: ViewEntry): number {
  return entry.predicates.length + (entry.methods === null ? 0 : 1);
}

/** A named route: its full pattern (prefix included) and the views attached to it. */
export class Route {
  readonly name: string;
  readonly pattern: string;
  /** The route's own `requestMethod` predicate, or null for any method. */
  readonly methods: ReadonlySet<string> | null;
  readonly info: ActionInfo;
  readonly views: ViewEntry[] = [];
  readonly generate: (params: RouteParams) => string;
  /** The route's own predicates besides the method; the route matches only when all hold. */
  readonly predicates: readonly PredicateTest[];
  /** Pyramid's `*name` (`subpath` for `/static/*subpath`): the matchdict key of the remainder. */
  readonly wildcardName: string | undefined;
  // The views each method may reach, most specific first; other methods get `anyMethod`.
  private byMethod = new Map<string, ViewEntry[]>();
  private anyMethod: ViewEntry[] = [];
  private allowed: string[] = [];
  private predicated = false;

  constructor(name: string, pattern: string, methods: ReadonlySet<string> | null, info: ActionInfo, predicates: readonly PredicateTest[] = [], wildcardName?: string) {
    this.name = name;
    this.pattern = pattern;
    this.methods = methods;
    this.info = info;
    this.predicates = predicates;
    this.wildcardName = wildcardName;
    this.generate = compileRoutePath(pattern, name, wildcardName);
  }

  /** The matchdict for find-my-way's params: the `*` remainder under the route's `*name`. */
  matchdictFor(params: Record<string, string | undefined>): Record<string, string> {
    if (this.wildcardName === undefined) return params as Record<string, string>;
    const { '*': remainder, ...rest } = params;
    return { ...rest, [this.wildcardName]: remainder ?? '' } as Record<string, string>;
  }

  addView(entry: ViewEntry): void {
    this.views.push(entry);
    if (entry.predicates.length > 0) this.predicated = true;
    const sorted = (entries: ViewEntry[]) => entries.sort((a, b) => weight(b) - weight(a));
    const anyMethod = this.views.filter((view) => view.methods === null);
    this.anyMethod = sorted(anyMethod);
    const methods = new Set<string>();
    for (const view of this.views) for (const method of view.methods ?? []) methods.add(method);
    if (methods.has('GET')) methods.add('HEAD');
    this.byMethod = new Map();
    for (const method of methods) {
      const own = this.views.filter((view) => view.methods?.has(method) === true);
      // HEAD falls back to the GET views, as in Pyramid, when no view names HEAD itself.
      const specific = method === 'HEAD' && own.length === 0 ? this.views.filter((view) => view.methods?.has('GET') === true) : own;
      this.byMethod.set(method, sorted([...specific, ...anyMethod]));
    }
    const allowed = new Set<string>();
    for (const view of this.views) for (const method of view.methods ?? this.methods ?? []) allowed.add(method);
    if (allowed.has('GET')) allowed.add('HEAD');
    this.allowed = [...allowed].filter((method) => this.admits(method));
  }

  private admits(method: string): boolean {
    return this.methods === null || this.methods.has(method) || (method === 'HEAD' && this.methods.has('GET'));
  }

  /** The first view, most specific first, whose method and predicates match; a GET view also answers HEAD. */
  viewFor(request: Request): ViewEntry | undefined {
    const method = request.method;
    if (!this.admits(method)) return undefined;
    const candidates = this.byMethod.get(method) ?? this.anyMethod;
    for (let i = 0; i < candidates.length; i++) {
      const entry = candidates[i]!;
      if (entry.predicates.length === 0 || holds(entry.predicates, request)) return entry;
    }
    return undefined;
  }

  /** Whether the route's own predicates hold for the request (`matchdict` already set). */
  matches(request: Request): boolean {
    return this.predicates.length === 0 || holds(this.predicates, request);
  }

  /**
   * The methods a view of this route would answer this request with (a 405's `Allow`):
   * those of the views whose other predicates hold. Empty when the predicates are what failed.
   */
  allowedFor(request: Request): readonly string[] {
    if (!this.predicated) return this.allowed;
    const allowed = new Set<string>();
    for (const view of this.views) {
      if (view.methods === null || !holds(view.predicates, request)) continue;
      for (const method of view.methods) allowed.add(method);
    }
    if (allowed.has('GET')) allowed.add('HEAD');
    return [...allowed].filter((method) => this.admits(method));
  }

  /** The methods some view of this route answers. */
  get allowedMethods(): readonly string[] {
    return this.allowed;
  }
}

/** Routes sharing one pattern, in the order they were added. */
export interface RouteGroup {
  readonly routes: Route[];
}

/** The result of matching a path: the routes for it and the parameters, decoded. */
export interface RouteMatch {
  readonly group: RouteGroup;
  readonly params: Record<string, string | undefined>;
}

/**
 * All routes of an application, by name and by pattern; `match()` runs find-my-way.
 * @example
 * registry.routes.get('home')?.pattern
 */
export class RouteTable {
  private byName = new Map<string, Route>();
  private groups = new Map<string, RouteGroup>();
  private router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1> | undefined;

  get(name: string): Route | undefined {
    return this.byName.get(name);
  }

  /** Every route, in the order added. */
  all(): Route[] {
    return [...this.byName.values()];
  }

  add(route: Route): void {
    this.byName.set(route.name, route);
    const group = this.groups.get(route.pattern);
    if (group === undefined) this.groups.set(route.pattern, { routes: [route] });
    else group.routes.push(route);
    this.router = undefined;
  }

  /** Builds the find-my-way tree; conflicts between patterns become ConfigurationErrors. */
  build(): void {
    // Every pattern is registered once, under GET, and methods are matched by our views:
    // one tree, and a 405 with `Allow` falls out for free.
    const router = FindMyWay({ caseSensitive: true, maxParamLength: 500, querystringParser: () => ({}) });
    const noop = (): void => {};
    for (const [pattern, group] of this.groups) {
      try {
        router.on('GET', pattern, noop, group);
      } catch (error) {
        const route = group.routes[0]!;
        const clash = this.all().find((other) => other.pattern !== pattern && samePath(other.pattern, pattern));
        const detail = clash === undefined ? (error as Error).message : `it matches the same URLs as route '${clash.name}' ('${clash.pattern}', ${formatActionInfo(clash.info)})`;
        throw new ConfigurationError(
          `addRoute('${route.name}', '${pattern}') at ${formatActionInfo(route.info)}: the router rejected the pattern: ${detail}. ` +
            'Use the same parameter names for patterns that match the same URLs, or change one of the patterns.',
          'TET_ERR_ROUTE_PATTERN',
          { cause: error },
        );
      }
    }
    this.router = router;
  }

  /** Matches a raw (still percent-encoded) path; null when no pattern matches. */
  match(path: string): RouteMatch | null {
    if (this.router === undefined) this.build();
    const found = this.router!.find('GET', path);
    if (found === null) return null;
    return { group: found.store as RouteGroup, params: found.params };
  }
}

function samePath(a: string, b: string): boolean {
  const shape = (pattern: string) => pattern.replace(/:[A-Za-z0-9_$]+/g, ':');
  return shape(a) === shape(b);
}

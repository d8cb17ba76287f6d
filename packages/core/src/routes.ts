import FindMyWay from 'find-my-way';
import { type ActionInfo, ConfigurationError, formatActionInfo } from './errors.js';
import type { Request } from './request.js';
import { compileRoutePath, type RouteParams } from './route-pattern.js';
import type { RenderFunction } from './renderers.js';
import type { DerivedView } from './view-derivers.js';

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
  private byMethod = new Map<string, ViewEntry>();
  private anyMethod: ViewEntry | undefined;
  private allowed: string[] = [];

  constructor(name: string, pattern: string, methods: ReadonlySet<string> | null, info: ActionInfo) {
    this.name = name;
    this.pattern = pattern;
    this.methods = methods;
    this.info = info;
    this.generate = compileRoutePath(pattern, name);
  }

  addView(entry: ViewEntry): void {
    this.views.push(entry);
    if (entry.methods === null) this.anyMethod ??= entry;
    else for (const method of entry.methods) if (!this.byMethod.has(method)) this.byMethod.set(method, entry);
    const allowed = new Set<string>();
    for (const view of this.views) for (const method of view.methods ?? this.methods ?? []) allowed.add(method);
    if (allowed.has('GET')) allowed.add('HEAD');
    this.allowed = [...allowed].filter((method) => this.methods === null || this.methods.has(method) || (method === 'HEAD' && this.methods.has('GET')));
  }

  /** The view for a method; a GET view also answers HEAD, as in Pyramid. */
  viewFor(method: string): ViewEntry | undefined {
    if (this.methods !== null && !this.methods.has(method) && !(method === 'HEAD' && this.methods.has('GET'))) return undefined;
    return this.byMethod.get(method) ?? (method === 'HEAD' ? this.byMethod.get('GET') : undefined) ?? this.anyMethod;
  }

  /** The methods some view of this route answers (for a 405's `Allow`). */
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

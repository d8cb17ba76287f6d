// Views that can answer from the raw request alone, before routing and before a Request is
// made: @tet/static's current files, 304s, uncached 404s and old-token 301s. On a 304 the
// router, the Request object, the view chain and a fresh Response were about a third of the
// server's time per request (docs/benchmarks.md, "Where the time goes"). A fast path is an
// optimisation only: it is taken when nothing in the application could see a difference.
import type { IncomingMessage } from 'node:http';
import type { Registry } from './registry.js';
import type { Response } from './response.js';
import type { Route, ViewEntry } from './routes.js';

/**
 * A view's answer computed from the raw request (`pathInfo` starts with the route's literal
 * prefix, there is no `X-Forwarded-Prefix` to honour, the method is one the view answers), or
 * `undefined` to let the request take the general way (routing, the Request, the view).
 *
 * The contract, for package authors: answer only what the route's view itself would answer
 * for this request, byte for byte; answer nothing the route's pattern would not match. The
 * Response may be one shared by many requests (core writes it without changing it, and no
 * response callback, tween or subscriber sees it), so its headers must be complete (type,
 * length, caching) and a Location already encoded.
 * @example
 * config.addView(serveAsset, { routeName: 'assets', requestMethod: ['GET', 'HEAD'], fastPath: (raw, pathInfo) => prepared.get(pathInfo) })
 */
export type FastPath = (raw: IncomingMessage, pathInfo: string, queryString: string) => Response | undefined;

interface FastRoute {
  readonly entry: ViewEntry;
  readonly prefix: string;
  readonly methods: ReadonlySet<string> | null;
  readonly answer: FastPath;
}

/** The literal start of a find-my-way pattern: everything before its first parameter or wildcard. */
function literalPrefix(pattern: string): string {
  const param = pattern.indexOf(':');
  const wildcard = pattern.indexOf('*');
  const end = Math.min(param === -1 ? pattern.length : param, wildcard === -1 ? pattern.length : wildcard);
  return pattern.slice(0, end);
}

// find-my-way tries static segments before parameters and wildcards, so a route can take a
// path from a fast route's route only if its own literal start goes at least as deep into
// the prefix. (A route whose literal start stops earlier loses to the fast route wherever the
// fast route matches, and a fast path answers nothing else.)
function shadowed(route: Route, prefix: string, routes: readonly Route[]): boolean {
  return routes.some((other) => other !== route && literalPrefix(other.pattern).startsWith(prefix));
}

function fastRouteOf(route: Route, routes: readonly Route[]): FastRoute | undefined {
  if (route.views.length !== 1 || route.predicates.length > 0 || route.methods !== null) return undefined;
  const view = route.views[0]!;
  if (view.fastPath === undefined || view.predicates.length > 0) return undefined;
  const prefix = literalPrefix(route.pattern);
  // Only a whole first segment or more ("/static/"): a bare "/" would put every request here.
  if (prefix.length < 3 || !prefix.endsWith('/') || shadowed(route, prefix, routes)) return undefined;
  const methods = view.methods === null ? null : new Set([...view.methods, ...(view.methods.has('GET') ? ['HEAD'] : [])]);
  return { entry: view, prefix, methods, answer: view.fastPath };
}

/**
 * The fast routes of a committed application, or `undefined` when it has none or when
 * something must see every request: a tween, a `NewRequest`, `ContextFound` or `NewResponse`
 * subscriber. A view derivers wrapped (a permission, CSRF on an unsafe method, a loaded
 * session) has no fast path either (view-directives.ts drops it).
 */
export class FastRoutes {
  private readonly routes: readonly FastRoute[];
  private readonly trustProxy: boolean;

  private constructor(routes: readonly FastRoute[], trustProxy: boolean) {
    this.routes = routes;
    this.trustProxy = trustProxy;
  }

  static of(registry: Registry, everyRequestSeen: boolean, trustProxy: boolean): FastRoutes | undefined {
    if (everyRequestSeen) return undefined;
    const all = registry.routes.all();
    const routes = all.map((route) => fastRouteOf(route, all)).filter((route) => route !== undefined);
    return routes.length === 0 ? undefined : new FastRoutes(routes, trustProxy);
  }

  /** True for a view these routes answer for before routing (then not again after it). */
  owns(entry: ViewEntry): boolean {
    return this.routes.some((route) => route.entry === entry);
  }

  /** The answer of the fast route owning `pathInfo`, or undefined (the general way). */
  answer(raw: IncomingMessage, pathInfo: string, queryString: string): Response | undefined {
    // Behind a trusted proxy, a prefix changes the URLs a view generates (a 301's Location).
    if (this.trustProxy && raw.headers['x-forwarded-prefix'] !== undefined) return undefined;
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      if (!pathInfo.startsWith(route.prefix)) continue;
      if (route.methods !== null && !route.methods.has(raw.method!)) return undefined;
      return route.answer(raw, pathInfo, queryString);
    }
    return undefined;
  }
}

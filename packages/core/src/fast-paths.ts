// Views that can answer from the raw request alone, before routing and before a Request is
// made (or, when tweens or subscribers must see the request, routed by their prefix alone): @tet/static's current files, 304s, uncached 404s and old-token 301s. On a 304 the
// router, the Request object, the view chain and a fresh Response were about a third of the
// server's time per request (docs/benchmarks.md, "Where the time goes"). A fast path is an
// optimisation only: it is taken when nothing in the application could see a difference.
import type { IncomingMessage } from 'node:http';
import type { Registry } from './registry.js';
import { Response } from './response.js';
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

/** A route whose one view has a fast path, and the prefix of the paths it owns. */
export interface FastRoute {
  readonly route: Route;
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
  return { route, entry: view, prefix, methods, answer: view.fastPath };
}

/**
 * The fast routes of a committed application: routes with one view, which has a fast path
 * (no view deriver wrapped it), no predicates, and no other route whose literal start lies
 * under its prefix. The application takes them before routing when nothing must see every
 * request, else after the tweens and subscribers (app.ts).
 */
export class FastRoutes {
  private readonly routes: readonly FastRoute[];
  private readonly entries: ReadonlySet<ViewEntry>;
  private readonly trustProxy: boolean;

  private constructor(routes: readonly FastRoute[], trustProxy: boolean) {
    this.routes = routes;
    this.entries = new Set(routes.map((route) => route.entry));
    this.trustProxy = trustProxy;
  }

  /** Undefined when the application has none. */
  static of(registry: Registry, trustProxy: boolean): FastRoutes | undefined {
    const all = registry.routes.all();
    const routes = all.map((route) => fastRouteOf(route, all)).filter((route) => route !== undefined);
    return routes.length === 0 ? undefined : new FastRoutes(routes, trustProxy);
  }

  /** True for a view these routes answer for by prefix (then not again after routing). */
  owns(entry: ViewEntry): boolean {
    return this.entries.has(entry);
  }

  /** The fast route owning the request's path for its method, or undefined. */
  ownerOf(raw: IncomingMessage, pathInfo: string): FastRoute | undefined {
    // Behind a trusted proxy, a prefix changes the URLs a view generates (a 301's Location).
    if (this.trustProxy && raw.headers['x-forwarded-prefix'] !== undefined) return undefined;
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      if (!pathInfo.startsWith(route.prefix)) continue;
      return route.methods === null || route.methods.has(raw.method!) ? route : undefined;
    }
    return undefined;
  }

  /** The answer of the fast route owning `pathInfo`, or undefined (the general way). */
  answer(raw: IncomingMessage, pathInfo: string, queryString: string): Response | undefined {
    return this.ownerOf(raw, pathInfo)?.answer(raw, pathInfo, queryString);
  }
}

/** A copy of a fast path's shared answer, for tweens and callbacks to change (the body is not copied). */
export function ownCopy(answer: Response): Response {
  return Response.withHeaders(answer.body, answer.status, { ...answer.headers });
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { duplicatedSingleton } from './duplicate-headers.js';
import { ContextFound, NewRequest, NewResponse } from './events.js';
import { FastRoutes, ownCopy } from './fast-paths.js';
import { HTTPBadRequest, HTTPException, HTTPMethodNotAllowed, HTTPNotFound } from './http-exceptions.js';
import type { Registry } from './registry.js';
import { type InjectOptions, type InjectResponse, injectRequest } from './inject.js';
import { freshResponseFor, matchLater, Request, type RequestContext } from './request.js';
import { answerRefusedHead } from './response-head.js';
import { absoluteFormPath, isMalformedPath } from './request-target.js';
import { Response } from './response.js';
import { withRequestLogging } from './logging.js';
import { runResponseCallbacks, whenFinished } from './request-callbacks.js';
import type { Route, ViewEntry } from './routes.js';
import { applyServerLimits, type ServerLimits, serverLimits, serverOptions } from './server-limits.js';
import { asBool } from './settings.js';
import { type CloseOptions, ServerLifecycle } from './shutdown.js';
import { isThenable } from './thenable.js';
import type { Handler } from './tweens.js';
import { withinTimeLimit } from './view-timeout.js';
import { PredicateMismatch } from './view-predicates.js';
import { writeCompleted, writeResponse } from './write-response.js';

/** Express/Connect's `next`, when the handler is used as middleware. */
export type NextFunction = (error?: unknown) => void;

/** A Node request listener that also works as Connect/Express middleware. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next?: NextFunction) => void;

type RequestClass = new (...args: ConstructorParameters<typeof Request>) => Request;

// One Request subclass per application, with its request methods on the prototype,
// so requests never get members added one by one.
function buildRequestClass(registry: Registry): RequestClass {
  const AppRequest = class extends Request {};
  for (const [name, { fn, reify }] of registry.requestExtensions) {
    const call = fn as (request: Request, ...args: unknown[]) => unknown;
    if (reify) {
      Object.defineProperty(AppRequest.prototype, name, {
        configurable: true,
        get(this: Request) {
          const value = call(this);
          Object.defineProperty(this, name, { value, writable: true, configurable: true, enumerable: true });
          return value;
        },
      });
    } else {
      Object.defineProperty(AppRequest.prototype, name, {
        value: function (this: Request, ...args: unknown[]) {
          return call(this, ...args);
        },
        writable: true,
        configurable: true,
      });
    }
  }
  return AppRequest;
}

/** Where the application is mounted when it runs as Express or Connect middleware. */
function mountPoint(req: IncomingMessage, pathInfo: string): string {
  const { baseUrl, originalUrl } = req as IncomingMessage & { baseUrl?: unknown; originalUrl?: unknown };
  if (typeof baseUrl === 'string') return baseUrl;
  if (typeof originalUrl !== 'string' || originalUrl === req.url) return '';
  const q = originalUrl.indexOf('?');
  const original = q === -1 ? originalUrl : originalUrl.slice(0, q);
  if (original.endsWith(pathInfo)) return original.slice(0, original.length - pathInfo.length);
  return pathInfo === '/' ? original : '';
}

/**
 * A committed application: its registry, a request `handler` for `http.createServer`
 * (or Express/Connect), and `listen()`.
 * @example
 * const app = await main({ 'tet.debug': true })
 * const server = await app.listen(6543, '127.0.0.1')
 */
export class App {
  readonly registry: Registry;
  /** `(req, res, next?)`: a Node request listener, and Connect/Express middleware (no route: `next()`). */
  readonly handler: RequestHandler;
  private readonly RequestClass: RequestClass;
  private readonly context: RequestContext;
  private readonly debug: boolean;
  /** The tween chain around MAIN; undefined without tweens, so requests pay nothing for them. */
  private readonly tweens: Handler | undefined;
  /** Which per-request events have subscribers: those without cost nothing (no event is made). */
  private readonly events: { readonly newRequest: boolean; readonly contextFound: boolean; readonly newResponse: boolean };
  /** Views answering before routing (fast-paths.ts); undefined when none may. */
  private readonly fastBeforeRouting: FastRoutes | undefined;
  /** The same views, routed by their prefix in MAIN, when tweens or subscribers see every request. */
  private readonly fastByPrefix: FastRoutes | undefined;
  /** Those whose fast path has been tried before the view is called (not again in callView). */
  private readonly fastTried: FastRoutes | undefined;
  private readonly lifecycle = new ServerLifecycle();
  private readonly limits: ServerLimits;

  constructor(registry: Registry) {
    this.registry = registry;
    this.RequestClass = buildRequestClass(registry);
    const maxBodySize = Number(registry.settings['tet.max_body_size'] ?? 1024 * 1024);
    this.context = { registry, trustProxy: asBool(registry.settings['tet.trust_proxy']), maxBodySize };
    this.debug = asBool(registry.settings['tet.debug']);
    const subscribers = registry.subscribers;
    this.events = { newRequest: subscribers.has(NewRequest), contextFound: subscribers.has(ContextFound), newResponse: subscribers.has(NewResponse) };
    this.tweens = registry.tweens.wrap((request) => this.main(request), registry);
    const fastRoutes = FastRoutes.of(registry, this.context.trustProxy);
    const everyRequestSeen = this.tweens !== undefined || this.events.newRequest || this.events.contextFound || this.events.newResponse;
    this.fastBeforeRouting = everyRequestSeen ? undefined : fastRoutes;
    // A ContextFound subscriber must see the route and matchdict before the view answers: then
    // the fast path answers in callView, after real routing.
    this.fastByPrefix = everyRequestSeen && !this.events.contextFound ? fastRoutes : undefined;
    this.fastTried = this.events.contextFound ? undefined : fastRoutes;
    this.limits = serverLimits(registry.settings);
    // With tet.logging.level set, each request is logged (logging.ts); else the handler is as is.
    this.handler = withRequestLogging(registry, (req: IncomingMessage, res: ServerResponse, next?: NextFunction) => {
      try {
        this.handle(req, res, next);
      } catch (error) {
        // Nothing a request does may end the process: a bug past every other guard is a 500.
        answerRefusedHead(res, 'an error escaped the request handler', error, this.registry.logger);
      }
    });
  }

  /**
   * Starts an HTTP server for this application; resolves once it is listening.
   * @example
   * const server = await app.listen(0, '127.0.0.1'); console.log(server.address())
   */
  listen(port: number, host?: string): Promise<Server> {
    const server = createServer(serverOptions(this.limits), this.lifecycle.listener(this.handler));
    applyServerLimits(server, this.limits, this.registry.logger);
    this.lifecycle.adopt(server, this.limits.idleTimeout);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  /**
   * Closes every server `listen()` started, gracefully: new connections are refused, idle
   * keep-alive connections close at once, requests in flight finish (answered with
   * `Connection: close`), and at `timeout` ms (10 000 by default) what is left is cut.
   * Resolves when every server is closed; calling it again returns the same promise.
   * @example
   * process.once('SIGTERM', async () => { await app.close({ timeout: 5000 }); process.exit(0) })
   */
  async close(options: CloseOptions = {}): Promise<void> {
    return this.lifecycle.close(options, this.registry.logger);
  }

  /** True once `close()` has been called: a health check can fail while the server drains. */
  get closing(): boolean {
    return this.lifecycle.closing;
  }

  /**
   * Answers one request in-process, without a socket (light-my-request): for fast tests.
   * @example
   * const res = await app.inject({ method: 'POST', url: '/login', payload: 'user=ada', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
   */
  inject(options: InjectOptions): Promise<InjectResponse> {
    return injectRequest(this.handler, options);
  }

  private handle(req: IncomingMessage, res: ServerResponse, next: NextFunction | undefined): void {
    let target = req.url ?? '/';
    if (target.charCodeAt(0) !== 47 /* / */) target = absoluteFormPath(target);
    const q = target.indexOf('?');
    const pathInfo = q === -1 ? target : target.slice(0, q);
    const queryString = q === -1 ? '' : target.slice(q + 1);
    const malformed = pathInfo.charCodeAt(0) !== 47 || isMalformedPath(pathInfo);
    const duplicated = malformed ? undefined : duplicatedSingleton(req.rawHeaders);
    const scriptName = next === undefined ? '' : mountPoint(req, pathInfo);
    // A view that can answer from the raw request does, before a Request is made (mounted
    // as middleware under a prefix, its URLs need the mount point: the general way).
    if (!malformed && duplicated === undefined && this.fastBeforeRouting !== undefined && scriptName === '') {
      const answer = this.fastBeforeRouting.answer(req, pathInfo, queryString);
      if (answer !== undefined) {
        writeCompleted(res, answer, req.method!, this.registry.logger);
        return;
      }
    }
    const request = new this.RequestClass(req, this.context, pathInfo, queryString, scriptName);
    request.nodeResponse = res;
    if (malformed) {
      this.respond(request, res, this.errorResponse(request, new HTTPBadRequest('The request path is not a valid URL path (bad percent-encoding?)')));
      return;
    }
    if (duplicated !== undefined) {
      this.respond(request, res, this.errorResponse(request, new HTTPBadRequest(`The request has more than one ${duplicated} header`, { headers: { connection: 'close' } })));
      return;
    }
    // As middleware, a path no route matches belongs to the next handler, before any tween runs.
    if (next !== undefined && this.registry.routes.match(pathInfo) === null) {
      next();
      return;
    }
    let result: Response | Promise<Response>;
    try {
      result = this.tweens === undefined ? this.main(request) : this.tweens(request);
    } catch (error) {
      result = this.errorResponse(request, error);
    }
    // (A tween may answer a non-Response: respond() reports that; the time limit is only for promises.)
    if (!(result instanceof Response) && isThenable(result) && this.limits.viewTimeout > 0)
      result = withinTimeLimit(result, this.limits.viewTimeout, `${request.method} ${request.path}`, this.registry.logger);
    this.respond(request, res, result);
  }

  /** Pyramid's router core (MAIN): NewRequest, then routing and the view; errors become responses. */
  private main(request: Request): Response | Promise<Response> {
    if (this.events.newRequest) {
      let pending: void | Promise<void>;
      try {
        pending = this.registry.notify(new NewRequest(request));
      } catch (error) {
        return this.errorResponse(request, error);
      }
      if (pending !== undefined) {
        return pending.then(
          () => this.route(request),
          (error: unknown) => this.errorResponse(request, error),
        );
      }
    }
    return this.route(request);
  }

  private route(request: Request): Response | Promise<Response> {
    if (this.fastByPrefix !== undefined && request.scriptName === '') {
      const answer = this.routeByPrefix(this.fastByPrefix, request);
      if (answer !== undefined) return answer;
    }
    const match = this.registry.routes.match(request.pathInfo);
    if (match === null) return this.errorResponse(request, new HTTPNotFound('The resource could not be found.'));
    const routes = match.group.routes;
    let allowed: Set<string> | undefined;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      request.matchdict = route.matchdictFor(match.params);
      request.matchedRouteName = route.name;
      if (!route.matches(request)) continue;
      const entry = route.viewFor(request);
      if (entry !== undefined) {
        if (this.events.contextFound) return this.contextFound(entry, request, route);
        return this.callView(entry, request, route);
      }
      for (const method of route.allowedFor(request)) (allowed ??= new Set()).add(method);
    }
    request.matchedRouteName = undefined;
    const method = request.method;
    // Only the method differs: 405 with the methods that would have worked. Otherwise some
    // view's (or route's) predicates failed: Pyramid's PredicateMismatch, a 404.
    if (allowed !== undefined && !allowed.has(method)) {
      return this.errorResponse(request, new HTTPMethodNotAllowed(`${method} is not allowed here`, { headers: { allow: [...allowed].join(', ') } }));
    }
    const predicated = routes.some((route) => route.predicates.length > 0 || route.views.some((view) => view.predicates.length > 0));
    return this.errorResponse(request, predicated ? new PredicateMismatch('No view matched the request.') : new HTTPNotFound('The resource could not be found.'));
  }

  // A fast route's answer, routed by its prefix: the route is the one find-my-way would pick
  // (no other route lies under the prefix), so matching its pattern waits until the matchdict
  // is read. The answer is shared: the tweens get a copy they may change.
  private routeByPrefix(fast: FastRoutes, request: Request): Response | undefined {
    const owner = fast.ownerOf(request.raw, request.pathInfo);
    const answer = owner?.answer(request.raw, request.pathInfo, request.queryString);
    if (owner === undefined || answer === undefined) return undefined;
    request.matchedRouteName = owner.route.name;
    matchLater(request, () => owner.route.matchdictFor(this.registry.routes.match(request.pathInfo)?.params ?? {}));
    return ownCopy(answer);
  }

  private contextFound(entry: ViewEntry, request: Request, route: Route): Response | Promise<Response> {
    let pending: void | Promise<void>;
    try {
      pending = this.registry.notify(new ContextFound(request));
    } catch (error) {
      return this.errorResponse(request, error, route);
    }
    if (pending === undefined) return this.callView(entry, request, route);
    return pending.then(
      () => this.callView(entry, request, route),
      (error: unknown) => this.errorResponse(request, error, route),
    );
  }

  private callView(entry: ViewEntry, request: Request, route: Route | undefined): Response | Promise<Response> {
    let result: Response | Promise<Response>;
    try {
      // A fast path not tried yet (a ContextFound subscriber had to see the route first, or the
      // route is not a fast route: another lies under it) answers here; its answer is shared,
      // so each request gets a copy the tweens and callbacks may change.
      if (entry.fastPath !== undefined && request.scriptName === '' && (this.fastTried === undefined || !this.fastTried.owns(entry))) {
        const answer = entry.fastPath(request.raw, request.pathInfo, request.queryString);
        if (answer !== undefined) return ownCopy(answer);
      }
      result = entry.derived(request);
    } catch (error) {
      return this.errorResponse(request, error, route);
    }
    if (result instanceof Response) return result;
    return result.then(undefined, (error: unknown) => this.errorResponse(request, error, route));
  }

  /** Errors end here: an exception view if one matches, else the HTTP exception or a 500. Never throws. */
  private errorResponse(request: Request, error: unknown, route?: Route): Response | Promise<Response> {
    const view = request.exception === undefined ? this.registry.exceptionViews.lookup(error) : undefined;
    if (view !== undefined) {
      request.exception = error;
      freshResponseFor(request, error);
      return this.callView(view, request, undefined);
    }
    if (error instanceof HTTPException) return error.toResponse(request);
    const where = route === undefined ? '' : ` (route '${route.name}')`;
    this.registry.logger.error(`${request.method} ${request.path}${where}: unhandled error in a view`, error);
    return this.internalError(error);
  }

  private internalError(error: unknown): Response {
    const detail = this.debug && error instanceof Error ? `\n\n${error.stack ?? error.message}` : '';
    return new Response(`500 Internal Server Error${detail}\n`, { status: 500, contentType: 'text/plain; charset=utf-8' });
  }

  private respond(request: Request, res: ServerResponse, result: Response | Promise<Response>): void {
    if (result instanceof Response) this.send(request, res, result);
    else if (!isThenable(result)) this.respond(request, res, this.errorResponse(request, notAResponse(result)));
    else
      Promise.resolve(result)
        .then(
          (response) => (response instanceof Response ? this.send(request, res, response) : this.respond(request, res, this.errorResponse(request, notAResponse(response)))),
          (error: unknown) => this.respond(request, res, this.errorResponse(request, error)),
        )
        .then(undefined, (error: unknown) => answerRefusedHead(res, 'an error escaped an asynchronous view', error, this.registry.logger));
  }

  /** Runs the response callbacks, writes the response, then (once written) the finished callbacks. */
  private send(request: Request, res: ServerResponse, response: Response): void {
    let pending: void | Promise<void>;
    try {
      pending = runResponseCallbacks(request, response);
      if (this.events.newResponse)
        pending = pending === undefined ? this.registry.notify(new NewResponse(request, response)) : pending.then(() => this.registry.notify(new NewResponse(request, response)));
    } catch (error) {
      this.callbackFailed(request, res, error);
      return;
    }
    if (pending === undefined) this.write(request, res, response);
    else
      pending
        .then(
          () => this.write(request, res, response),
          (error: unknown) => this.callbackFailed(request, res, error),
        )
        .then(undefined, (error: unknown) => answerRefusedHead(res, 'an error escaped a response callback', error, this.registry.logger));
  }

  private callbackFailed(request: Request, res: ServerResponse, error: unknown): void {
    this.registry.logger.error(`${request.method} ${request.path}: a response callback failed`, error);
    this.write(request, res, this.internalError(error));
  }

  private write(request: Request, res: ServerResponse, response: Response): void {
    if (res.headersSent) {
      this.registry.logger.error(`${request.method} ${request.path}: a response was ready after the response had started`);
      res.destroy();
    } else {
      writeResponse(res, response, request.method, this.registry.logger);
    }
    whenFinished(request, res, this.registry.logger);
  }
}

// Views always answer a Response (their derivation sees to it); only a tween can break that.
function notAResponse(value: unknown): TypeError {
  return new TypeError(
    `a tween answered ${value === null ? 'null' : typeof value}, not a Response: a tween's handler must return the Response (or a Promise of it) it got from the handler it wraps, or one of its own.`,
  );
}

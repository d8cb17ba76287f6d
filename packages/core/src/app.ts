import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HTTPBadRequest, HTTPException, HTTPMethodNotAllowed, HTTPNotFound } from './http-exceptions.js';
import type { Registry } from './registry.js';
import { type InjectOptions, type InjectResponse, injectRequest } from './inject.js';
import { freshResponseFor, Request, type RequestContext } from './request.js';
import { answerRefusedHead } from './response-head.js';
import { Response } from './response.js';
import type { Route, ViewEntry } from './routes.js';
import { asBool } from './settings.js';
import { type CloseOptions, ServerLifecycle } from './shutdown.js';
import { writeResponse } from './write-response.js';
import { isThenable } from './thenable.js';

/** Express/Connect's `next`, when the handler is used as middleware. */
export type NextFunction = (error?: unknown) => void;

/** A Node request listener that also works as Connect/Express middleware. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next?: NextFunction) => void;

type RequestClass = new (...args: ConstructorParameters<typeof Request>) => Request;

function isMalformed(path: string): boolean {
  if (path.indexOf('%') === -1) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

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
  private readonly lifecycle = new ServerLifecycle();

  constructor(registry: Registry) {
    this.registry = registry;
    this.RequestClass = buildRequestClass(registry);
    const maxBodySize = Number(registry.settings['tet.max_body_size'] ?? 1024 * 1024);
    this.context = { registry, trustProxy: asBool(registry.settings['tet.trust_proxy']), maxBodySize };
    this.debug = asBool(registry.settings['tet.debug']);
    this.handler = (req, res, next) => {
      try {
        this.handle(req, res, next);
      } catch (error) {
        // Nothing a request does may end the process: a bug past every other guard is a 500.
        answerRefusedHead(res, 'an error escaped the request handler', error, this.registry.logger);
      }
    };
  }

  /**
   * Starts an HTTP server for this application; resolves once it is listening.
   * @example
   * const server = await app.listen(0, '127.0.0.1'); console.log(server.address())
   */
  listen(port: number, host?: string): Promise<Server> {
    const server = createServer(this.lifecycle.listener(this.handler));
    this.lifecycle.adopt(server);
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
    const scriptName = next === undefined ? '' : mountPoint(req, pathInfo);
    const request = new this.RequestClass(req, this.context, pathInfo, queryString, scriptName);
    if (pathInfo.charCodeAt(0) !== 47 || isMalformed(pathInfo)) {
      this.fail(request, res, new HTTPBadRequest('The request path is not a valid URL path (bad percent-encoding?)'));
      return;
    }
    const match = this.registry.routes.match(pathInfo);
    if (match === null) {
      if (next !== undefined) next();
      else this.fail(request, res, new HTTPNotFound('The resource could not be found.'));
      return;
    }
    const method = request.method;
    const routes = match.group.routes;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      const entry = route.viewFor(method);
      if (entry !== undefined) {
        request.matchdict = match.params as Record<string, string>;
        request.matchedRouteName = route.name;
        this.callView(entry, request, res, route);
        return;
      }
    }
    const allowed = new Set(routes.flatMap((route) => route.allowedMethods));
    if (allowed.size === 0) this.fail(request, res, new HTTPNotFound('The resource could not be found.'));
    else this.fail(request, res, new HTTPMethodNotAllowed(`${method} is not allowed here`, { headers: { allow: [...allowed].join(', ') } }));
  }

  private callView(entry: ViewEntry, request: Request, res: ServerResponse, route: Route | undefined): void {
    let result: unknown;
    try {
      result = entry.view(request);
    } catch (error) {
      this.fail(request, res, error, route);
      return;
    }
    if (isThenable(result)) {
      result
        .then(
          (value) => this.finish(entry, request, res, value, route),
          (error: unknown) => this.fail(request, res, error, route),
        )
        .then(undefined, (error: unknown) => answerRefusedHead(res, 'an error escaped an asynchronous view', error, this.registry.logger));
    } else {
      this.finish(entry, request, res, result, route);
    }
  }

  private finish(entry: ViewEntry, request: Request, res: ServerResponse, value: unknown, route: Route | undefined): void {
    if (value instanceof Response) {
      writeResponse(res, value, request.method, this.registry.logger);
      return;
    }
    if (value instanceof HTTPException) {
      writeResponse(res, value.toResponse(), request.method, this.registry.logger);
      return;
    }
    if (entry.render === null) {
      const where = route === undefined ? 'an exception view' : `the view of route '${route.name}'`;
      this.fail(
        request,
        res,
        new TypeError(
          `${where} returned ${value === null ? 'null' : typeof value}, not a Response. Return a Response, or give the view a renderer: config.addView(view, { routeName, renderer: 'json' }).`,
        ),
        route,
      );
      return;
    }
    const response = request.response;
    let body: ReturnType<NonNullable<ViewEntry['render']>>;
    try {
      body = entry.render(value, { request, response, rendererName: entry.rendererName ?? '' });
    } catch (error) {
      this.fail(request, res, error, route);
      return;
    }
    if (isThenable(body)) {
      body.then(
        (text) => {
          response.body = text;
          writeResponse(res, response, request.method, this.registry.logger);
        },
        (error: unknown) => this.fail(request, res, error, route),
      );
    } else {
      response.body = body;
      writeResponse(res, response, request.method, this.registry.logger);
    }
  }

  /** Errors end here: an exception view if one matches, else the HTTP exception or a 500. */
  private fail(request: Request, res: ServerResponse, error: unknown, route?: Route): void {
    if (res.headersSent) {
      this.registry.logger.error(`${request.method} ${request.path}: error after the response started`, error);
      res.destroy();
      return;
    }
    const view = request.exception === undefined ? this.registry.exceptionViews.lookup(error) : undefined;
    if (view !== undefined) {
      request.exception = error;
      freshResponseFor(request, error);
      this.callView(view, request, res, undefined);
      return;
    }
    if (error instanceof HTTPException) {
      writeResponse(res, error.toResponse(), request.method, this.registry.logger);
      return;
    }
    const where = route === undefined ? '' : ` (route '${route.name}')`;
    this.registry.logger.error(`${request.method} ${request.path}${where}: unhandled error in a view`, error);
    const detail = this.debug && error instanceof Error ? `\n\n${error.stack ?? error.message}` : '';
    writeResponse(res, new Response(`500 Internal Server Error${detail}\n`, { status: 500, contentType: 'text/plain; charset=utf-8' }), request.method, this.registry.logger);
  }
}

// An absolute-form request target (`GET http://host/path?q`): keep its path and query as sent,
// without the dot-segment normalisation `new URL()` would apply.
function absoluteFormPath(target: string): string {
  const match = /^https?:\/\/[^/?#]*/i.exec(target);
  if (match === null) return target;
  const rest = target.slice(match[0].length);
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

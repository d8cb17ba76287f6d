import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { parseCookies } from './cookies.js';
import { TetError } from './errors.js';
import { readBodyText } from './body-text.js';
import { canonicalPrefix } from './forwarded-prefix.js';
import { type Form, formLimits, mergeParams, readForm, removeUploads } from './forms.js';
import { HTTPBadRequest, HTTPException } from './http-exceptions.js';
import { authenticatedUseridOf, hasPermission, identityOf } from './security.js';
import type { Session } from './session.js';
import { requestSession } from './session-request.js';
import type { Registry } from './registry.js';
import { whenFinished } from './request-callbacks.js';
import { absoluteFormAuthority, VALID_HOST } from './request-target.js';
import { Response } from './response.js';
import { type RouteParams, subpathSegments } from './route-pattern.js';

/** Options for {@link Request.routeUrl} and {@link Request.routePath}. */
export interface RouteUrlOptions {
  /** Appended as `?key=value`; arrays repeat the key. */
  query?: Record<string, string | number | readonly (string | number)[]> | URLSearchParams;
  /** Appended as `#anchor`, encoded. */
  anchor?: string;
  /** Pyramid's `*elements`: path segments appended after the route's path, each encoded. */
  elements?: readonly (string | number)[];
}

/** Options for {@link Request.routeUrl}: also Pyramid's `_app_url`. */
export interface AbsoluteRouteUrlOptions extends RouteUrlOptions {
  /** Replaces the application's URL (scheme, host, mount point), e.g. `https://example.com/app`. */
  appUrl?: string;
}

/** Options for {@link Request.currentRouteUrl}: params override the current matchdict. */
export interface CurrentRouteUrlOptions extends AbsoluteRouteUrlOptions {
  /** Replace some of the current matchdict's values. */
  params?: RouteParams;
}

/** Called with the response before it is written; may change it (headers, cookies). May be async. */
export type ResponseCallback = (request: Request, response: Response) => void | Promise<void>;

/** Called once the response has been written (or the client went away), after errors too. */
export type FinishedCallback = (request: Request) => void | Promise<void>;

/** Per-application facts every request of that application shares. */
export interface RequestContext {
  readonly registry: Registry;
  readonly trustProxy: boolean;
  readonly maxBodySize: number;
}

/**
 * The request a view receives. Packages add members by module augmentation, e.g.
 * `interface Request { staticUrl(spec: string): string }`, and `config.addRequestMethod()`.
 */
export interface Request {}

const EMPTY_MATCHDICT: Readonly<Record<string, string>> = Object.freeze({});

function firstForwarded(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const comma = raw.indexOf(',');
  return (comma === -1 ? raw : raw.slice(0, comma)).trim() || undefined;
}

/**
 * Replaces the response a failed view was building, so an exception view starts from a fresh
 * one (Pyramid hides `request.response` from exception views the same way): the failed view's
 * status and headers (`201`, `Cache-Control: public`) must not reach an error page. The fresh
 * one has the error's status and headers (`404`; a 405's `Allow`), or 500 for other errors.
 * Internal: assigned by the class below, not exported from the package.
 */
export let freshResponseFor: (request: Request, error: unknown) => void;

/** @internal Sets the matchdict to be worked out when first read (App's routing by prefix). */
export let matchLater: (request: Request, match: () => Readonly<Record<string, string>>) => void;

/**
 * The request a view receives: method, path, query, headers, the matched route's
 * `matchdict`, the application's `registry`, and URL generation.
 * @example
 * config.addView((request) => new Response(`Hello ${request.matchdict.name}`), { routeName: 'hello' })
 */
export class Request {
  /** Node's request, for what Tet does not wrap. */
  readonly raw: IncomingMessage;
  readonly method: string;
  readonly registry: Registry;
  /** The path inside the application, still percent-encoded (no mount point, no query). */
  readonly pathInfo: string;
  /** Where the application is mounted ('' at the root): Express's `baseUrl` or `X-Forwarded-Prefix`. */
  readonly scriptName: string;
  /** The raw query string, without `?`. */
  readonly queryString: string;
  // The matchdict, or how to work it out: a static file answered after routing by its fast
  // path was routed by its prefix alone, and matching its pattern waits until someone asks.
  private matched: Readonly<Record<string, string>> = EMPTY_MATCHDICT;
  private matchLater: (() => Readonly<Record<string, string>>) | undefined = undefined;
  /** The name of the matched route, if any. */
  matchedRouteName: string | undefined = undefined;
  /** The error an exception view is handling. */
  exception: unknown = undefined;
  /**
   * @internal The Node response this request is answered on, set by the application: what
   * 103 Early Hints are sent through before the view's answer (early-hints.ts).
   */
  nodeResponse: ServerResponse | undefined = undefined;
  private readonly context: RequestContext;
  private cachedQuery: URLSearchParams | undefined = undefined;
  private cachedResponse: Response | undefined = undefined;
  private cachedText: Promise<string> | undefined = undefined;
  private cachedApplicationUrl: string | undefined = undefined;
  // Read by the application when it sends the response (see request-callbacks.ts).
  private responseCallbacks: ResponseCallback[] | undefined = undefined;
  private finishedCallbacks: FinishedCallback[] | undefined = undefined;
  // Set once the response is written: a callback added later (by a view answered 503 by
  // tet.view_timeout, or a form read after it) must still run, or its uploads would stay.
  private writtenTo: Parameters<typeof whenFinished>[1] | undefined = undefined;
  private writtenLogger: Parameters<typeof whenFinished>[2] | undefined = undefined;
  private cachedCookies: Readonly<Record<string, string>> | undefined = undefined;
  private cachedForm: Promise<Form> | undefined = undefined;
  private parsedForm: Form | undefined = undefined;

  static {
    matchLater = (request, match) => {
      request.matchLater = match;
    };
    freshResponseFor = (request, error) => {
      request.cachedResponse = error instanceof HTTPException ? new Response(null, { status: error.status, headers: error.headers }) : new Response(null, { status: 500 });
    };
  }

  constructor(raw: IncomingMessage, context: RequestContext, pathInfo: string, queryString: string, scriptName: string) {
    this.raw = raw;
    this.method = raw.method ?? 'GET';
    this.context = context;
    this.registry = context.registry;
    this.pathInfo = pathInfo;
    this.queryString = queryString;
    if (context.trustProxy) {
      const forwarded = firstForwarded(raw.headers['x-forwarded-prefix']);
      const prefix = forwarded === undefined ? undefined : canonicalPrefix(forwarded);
      if (prefix !== undefined) scriptName = prefix + scriptName;
    }
    this.scriptName = scriptName;
  }

  /** The matched route's parameters, decoded. */
  get matchdict(): Readonly<Record<string, string>> {
    if (this.matchLater !== undefined) {
      this.matched = this.matchLater();
      this.matchLater = undefined;
    }
    return this.matched;
  }

  set matchdict(value: Readonly<Record<string, string>>) {
    this.matched = value;
    this.matchLater = undefined;
  }

  get headers(): IncomingHttpHeaders {
    return this.raw.headers;
  }

  /** The parsed query string. */
  get query(): URLSearchParams {
    return (this.cachedQuery ??= new URLSearchParams(this.queryString));
  }

  /** The request's cookies by name; a malformed `Cookie` header gives what could be read, never an error. */
  get cookies(): Readonly<Record<string, string>> {
    return (this.cachedCookies ??= parseCookies(this.raw.headers.cookie));
  }

  /**
   * `host[:port]` as the client addressed it: `X-Forwarded-Host` when `tet.trust_proxy` is on;
   * else an absolute-form target's authority (`GET http://example.com/x`, which RFC 9112 §3.2.2
   * puts before Host), the Host header, or HTTP/2's `:authority` when there is no Host; else the
   * address the connection came in on.
   */
  get host(): string {
    const headers = this.raw.headers;
    const forwarded = this.context.trustProxy ? firstForwarded(headers['x-forwarded-host']) : undefined;
    const authority = headers[':authority'];
    const host = forwarded ?? absoluteFormAuthority(this.raw.url) ?? headers.host ?? (typeof authority === 'string' ? authority : undefined);
    if (host !== undefined && VALID_HOST.test(host)) return host;
    const socket = this.raw.socket;
    const address = socket.localAddress ?? '127.0.0.1';
    return `${address.includes(':') ? `[${address}]` : address}:${socket.localPort ?? 80}`;
  }

  /** `http` or `https` (`X-Forwarded-Proto` when `tet.trust_proxy` is on). */
  get scheme(): string {
    if (this.context.trustProxy) {
      const proto = firstForwarded(this.raw.headers['x-forwarded-proto'])?.toLowerCase();
      if (proto === 'http' || proto === 'https') return proto;
    }
    return (this.raw.socket as TLSSocket).encrypted === true ? 'https' : 'http';
  }

  /** The URL of the application's root: scheme, host and mount point, no trailing slash. */
  get applicationUrl(): string {
    return (this.cachedApplicationUrl ??= `${this.scheme}://${this.host}${this.scriptName}`);
  }

  /** The path as the client sent it, mount point included, still percent-encoded. */
  get path(): string {
    return this.scriptName + this.pathInfo;
  }

  /** The full URL of this request. */
  get url(): string {
    return this.applicationUrl + this.pathInfo + (this.queryString === '' ? '' : `?${this.queryString}`);
  }

  /** A response for views with a renderer: set its status and headers, the renderer fills the body. */
  get response(): Response {
    return (this.cachedResponse ??= new Response());
  }

  /**
   * The absolute URL of a named route; `elements` appends segments, `appUrl` replaces the
   * application's URL (Pyramid's `*elements` and `_app_url`).
   * @example
   * request.routeUrl('user', { id: 7 }, { elements: ['edit'], appUrl: 'https://example.com' }) // 'https://example.com/users/7/edit'
   */
  routeUrl(name: string, params: RouteParams = {}, options?: AbsoluteRouteUrlOptions): string {
    const base = options?.appUrl === undefined ? this.applicationUrl : options.appUrl.replace(/\/+$/, '');
    return base + this.routeSuffix(name, params, options);
  }

  /**
   * Pyramid's `current_route_url`: the matched route's URL with the current matchdict, some
   * values replaced by `params`; the current query string unless `query` is given.
   * @example
   * request.currentRouteUrl({ params: { page: 2 } })
   */
  currentRouteUrl(options: CurrentRouteUrlOptions = {}): string {
    const name = this.matchedRouteName;
    if (name === undefined) throw new TetError('currentRouteUrl(): this request matched no route (a 404 or an exception view outside a route)', 'TET_ERR_ROUTE_UNKNOWN');
    const query = options.query ?? (this.queryString === '' ? undefined : this.query);
    return this.routeUrl(name, { ...this.matchdict, ...options.params }, { ...options, query });
  }

  /**
   * Pyramid's `subpath` for a route ending in `*subpath` (or `*`): the rest of the path as
   * decoded segments, so `/static/a%2Fb/c` gives `['a/b', 'c']`; empty and `.` segments are
   * dropped and `..` removes the one before. `matchdict.subpath` holds the remainder as one string.
   */
  get subpath(): readonly string[] {
    const route = this.matchedRouteName === undefined ? undefined : this.registry.routes.get(this.matchedRouteName);
    if (route === undefined || !route.pattern.endsWith('*')) return [];
    return subpathSegments(route.pattern, this.pathInfo, this.matchdict[route.wildcardName ?? '*'] ?? '');
  }

  /** The path (mount point included) of a named route. */
  routePath(name: string, params: RouteParams = {}, options?: RouteUrlOptions): string {
    return this.scriptName + this.routeSuffix(name, params, options);
  }

  /**
   * Pyramid's `add_response_callback`: `callback(request, response)` runs, in the order added,
   * once the response is known (the view's, or an exception view's) and before it is written.
   * @example
   * request.addResponseCallback((request, response) => { response.setHeader('cache-control', 'no-store') })
   */
  addResponseCallback(callback: ResponseCallback): void {
    (this.responseCallbacks ??= []).push(callback);
  }

  /**
   * Pyramid's `add_finished_callback`: `callback(request)` runs, in the order added, after the
   * response has been written or the connection closed, whether the view succeeded or failed.
   * @example
   * request.addFinishedCallback(() => connection.release())
   */
  addFinishedCallback(callback: FinishedCallback): void {
    const idle = this.finishedCallbacks === undefined;
    (this.finishedCallbacks ??= []).push(callback);
    if (idle && this.writtenTo !== undefined) whenFinished(this, this.writtenTo, this.writtenLogger!);
  }

  /**
   * The request body as text, read once: 413 past the `tet.max_body_size` setting (1 MiB by
   * default), before reading when `Content-Length` says so; 400 when the client goes away.
   */
  text(): Promise<string> {
    return (this.cachedText ??= readBodyText(this.raw, this.context.maxBodySize));
  }

  /**
   * The body parsed as a form (urlencoded or multipart; files in memory or under
   * `tet.form.upload_dir`, removed once the response is sent), read once: 400 when malformed, 413 past a `tet.form.*` limit.
   */
  form(): Promise<Form> {
    return (this.cachedForm ??= readForm(this.raw, formLimits(this.registry)).then((form) => {
      if (form.files.some((file) => file.path !== undefined)) this.addFinishedCallback(() => removeUploads(form));
      return (this.parsedForm = form);
    }));
  }

  /** Pyramid's `params`: query and form fields merged; after `await request.form()` when there is a form. */
  get params(): URLSearchParams {
    return mergeParams(this.raw, this.query, this.parsedForm);
  }

  /** The session, from the application's session factory (`config.setSessionFactory()`); saved only when changed. */
  get session(): Session {
    return requestSession(this);
  }

  /** The security policy's identity of the user (undefined when anonymous or without a policy). */
  get identity(): unknown {
    return identityOf(this);
  }

  /** The security policy's user id (undefined when anonymous or without a policy). */
  get authenticatedUserid(): string | undefined {
    return authenticatedUseridOf(this);
  }

  /** Whether the security policy permits `permission` (on `context`); true without a policy. */
  hasPermission(permission: string, context?: unknown): boolean {
    return hasPermission(this, permission, context);
  }

  /** The request body parsed as JSON; 400 when it is not JSON. */
  async json<T = unknown>(): Promise<T> {
    const text = await this.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new HTTPBadRequest('The request body is not valid JSON');
    }
  }

  private routeSuffix(name: string, params: RouteParams, options: RouteUrlOptions | undefined): string {
    const route = this.registry.routes.get(name);
    if (route === undefined) {
      const known = this.registry.routes.all().map((r) => r.name);
      throw new TetError(`routeUrl('${name}'): no route is named '${name}'. Known routes: ${known.join(', ') || '(none)'}`, 'TET_ERR_ROUTE_UNKNOWN');
    }
    let suffix = route.generate(params);
    if (options?.elements !== undefined && options.elements.length > 0) {
      const elements = options.elements.map((element) => encodeURIComponent(String(element))).join('/');
      suffix += suffix.endsWith('/') ? elements : `/${elements}`;
    }
    if (options?.query !== undefined) {
      const query = options.query instanceof URLSearchParams ? options.query : new URLSearchParams();
      if (!(options.query instanceof URLSearchParams)) {
        for (const [key, value] of Object.entries(options.query)) {
          for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
        }
      }
      const text = query.toString();
      if (text !== '') suffix += `?${text}`;
    }
    if (options?.anchor !== undefined) suffix += `#${encodeURIComponent(options.anchor)}`;
    return suffix;
  }
}

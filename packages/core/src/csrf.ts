// CSRF protection as Pyramid does it: a token kept in the session, sent back in a form field or
// a header on every unsafe request, and on HTTPS an Origin (or Referer) that must be ours.
import { ConfigurationError } from './errors.js';
import { isFormRequest } from './forms.js';
import { HTTPBadRequest } from './http-exceptions.js';
import type { Request } from './request.js';
import type { Response } from './response.js';
import type { DerivedView, ViewDeriverInfo } from './view-derivers.js';

/** `config.setDefaultCsrfOptions()`: Pyramid's `set_default_csrf_options`. */
export interface CsrfOptions {
  /** Check every unsafe request (not GET, HEAD, OPTIONS, TRACE) of every view that does not opt out. */
  require?: boolean;
  /** The form field holding the token (default `csrf_token`). */
  token?: string;
  /** The header holding the token (default `X-CSRF-Token`). */
  header?: string;
  /** Methods never checked (default GET, HEAD, OPTIONS, TRACE). */
  safeMethods?: readonly string[];
  /** Check `Origin`/`Referer` on HTTPS requests (default true). */
  checkOrigin?: boolean;
  /** Other origins allowed to post here, as `host[:port]` (e.g. `admin.example.com`). */
  trustedOrigins?: readonly string[];
  /** Accept an HTTPS request with neither `Origin` nor `Referer` (default false, as Pyramid). */
  allowNoOrigin?: boolean;
}

declare module './registry.js' {
  interface Registry {
    /** Set by `config.setDefaultCsrfOptions()`. */
    csrfOptions?: Required<CsrfOptions>;
  }
}

declare module './view-options.js' {
  interface ViewOptions {
    /** Check this view's CSRF token (true), or not (false), whatever the default says. */
    requireCsrf?: boolean;
  }
}

/** 400: the request's CSRF token is missing or is not the session's. Pyramid's `BadCSRFToken`. */
export class HTTPBadCSRFToken extends HTTPBadRequest {
  static override title = 'Bad CSRF Token';
}

/** 400: an HTTPS request from another origin. Pyramid's `BadCSRFOrigin`. */
export class HTTPBadCSRFOrigin extends HTTPBadRequest {
  static override title = 'Bad CSRF Origin';
}

const DEFAULTS: Required<CsrfOptions> = {
  require: false,
  token: 'csrf_token',
  header: 'X-CSRF-Token',
  safeMethods: ['GET', 'HEAD', 'OPTIONS', 'TRACE'],
  checkOrigin: true,
  trustedOrigins: [],
  allowNoOrigin: false,
};

/** The options with defaults filled in; a wrong type is a ConfigurationError. */
export function csrfOptions(options: CsrfOptions): Required<CsrfOptions> {
  if (options === null || typeof options !== 'object') throw new ConfigurationError('setDefaultCsrfOptions(options): give an object such as { require: true }.', 'TET_ERR_CSRF_OPTIONS');
  const merged = { ...DEFAULTS, ...options, safeMethods: (options.safeMethods ?? DEFAULTS.safeMethods).map((m) => m.toUpperCase()) };
  if (typeof merged.token !== 'string' || typeof merged.header !== 'string' || !Array.isArray(merged.trustedOrigins)) {
    throw new ConfigurationError('setDefaultCsrfOptions(): token and header are names (strings) and trustedOrigins a list of host[:port] strings.', 'TET_ERR_CSRF_OPTIONS');
  }
  return merged;
}

/**
 * Pyramid's `check_csrf_token`: the token from the header or the form field must be the
 * session's. Reads the form when the request carries one. Throws {@link HTTPBadCSRFToken}.
 * @example
 * await checkCsrfToken(request)
 */
export async function checkCsrfToken(request: Request, options: Required<CsrfOptions> = request.registry.csrfOptions ?? DEFAULTS): Promise<void> {
  const header = request.headers[options.header.toLowerCase()];
  let supplied = typeof header === 'string' ? header : undefined;
  if (supplied === undefined && isFormRequest(request.raw)) supplied = (await request.form()).get(options.token);
  const session = request.session;
  if (supplied === undefined)
    throw new HTTPBadCSRFToken(`This ${request.method} needs a CSRF token: the '${options.token}' form field or the ${options.header} header, with the value of request.session.getCsrfToken().`);
  if (!session.checkCsrfToken(supplied)) {
    const why = session.rejected === undefined ? (session.isNew ? ' The request has no session (cookies off, or it expired).' : '') : ` The session was not accepted: ${session.rejected}.`;
    throw new HTTPBadCSRFToken(`The CSRF token of this ${request.method} is not the session's: reload the page and try again.${why}`);
  }
}

function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Pyramid's `check_csrf_origin`: on HTTPS, `Origin` (or, without it, `Referer`) must be this
 * host or a trusted origin. Throws {@link HTTPBadCSRFOrigin}.
 * @example
 * checkCsrfOrigin(request)
 */
export function checkCsrfOrigin(request: Request, options: Required<CsrfOptions> = request.registry.csrfOptions ?? DEFAULTS): void {
  if (request.scheme !== 'https') return;
  const origin = request.headers.origin;
  const source = origin !== undefined && origin !== 'null' ? origin : request.headers.referer;
  if (source === undefined) {
    if (options.allowNoOrigin) return;
    throw new HTTPBadCSRFOrigin('This HTTPS request has neither an Origin nor a Referer header, so it cannot be told from a cross-site forgery.');
  }
  const host = hostOf(source);
  if (host !== undefined && (host === request.host || options.trustedOrigins.includes(host))) return;
  throw new HTTPBadCSRFOrigin(`This request comes from ${JSON.stringify(source.slice(0, 200))}, which is not this site (${request.host}) nor a trusted origin.`);
}

/**
 * The view deriver that checks CSRF on unsafe methods when `requireCsrf` (or the default
 * `require`) says so. Exception views are never checked.
 */
export function csrfView(view: DerivedView, info: ViewDeriverInfo): DerivedView {
  const options = info.registry.csrfOptions ?? DEFAULTS;
  const required = info.options.requireCsrf ?? options.require;
  if (!required || info.exceptionView) return view;
  const safe = new Set(options.safeMethods);
  // A view that answers only safe methods (a GET page, a static view) needs no wrapper at all.
  const methods = (info.options as { requestMethod?: string | readonly string[] }).requestMethod;
  if (methods !== undefined && (typeof methods === 'string' ? [methods] : methods).every((method) => safe.has(method.toUpperCase()))) return view;
  const checked = async (request: Request): Promise<Response> => {
    if (options.checkOrigin) checkCsrfOrigin(request, options);
    await checkCsrfToken(request, options);
    return view(request);
  };
  return (request) => (safe.has(request.method) ? view(request) : checked(request));
}

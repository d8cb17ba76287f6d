// @tet/core: a Pyramid-style Configurator with find-my-way routing on node:http.

// Configuration
export { applicationFactory, type Configure } from './application-factory.js';
export {
  Configurator,
  type AddRouteOptions,
  type ConfiguratorOptions,
  type DirectiveImpl,
  type Directives,
  type Includeable,
  type IncludeFunction,
  type IncludeOptions,
  type RequestMethodImpl,
} from './configurator.js';
export type { AddExceptionViewOptions, AddViewOptions, ClassViewOptions, RequestMethodList, ViewOptions } from './view-options.js';
export { sendEarlyHints } from './early-hints.js';
export { INGRESS } from './ordering.js';
export type { ViewClass, ViewMethodName } from './class-views.js';
export { viewConfig, type ViewConfigOptions } from './scan.js';
export { accepts, PredicateMismatch, type PredicateFactory, type PredicateInfo, type PredicateTest } from './view-predicates.js';
export { ApplicationCreated, BeforeRender, ContextFound, NewRequest, NewResponse, type EventClass, type Subscriber } from './events.js';
export { MAIN, type Handler, type TweenFactory, type TweenOptions } from './tweens.js';
export { VIEW, type DerivedView, type ViewDeriver, type ViewDeriverInfo, type ViewDeriverOptions } from './view-derivers.js';
export { Phase } from './actions.js';
export { Registry, type Logger } from './registry.js';
export { asBool, asList, type Settings } from './settings.js';
export { findPackage, isAssetSpec, resolveAssetSpec, type PackageLocation } from './asset-spec.js';

// Requests, responses and views
export { App, type NextFunction, type RequestHandler } from './app.js';
export type { CloseOptions } from './shutdown.js';
export { Request, type FinishedCallback, type RequestContext, type ResponseCallback, type RouteUrlOptions } from './request.js';
// request.cookies and response.setCookie()/deleteCookie() parse and write cookies; the
// session's signing and form limits are the factories' and request.form()'s own business.
export type { CookieOptions } from './cookies.js';
export { Form, type UploadedFile } from './forms.js';
export { Session, type SessionData } from './session.js';
export { cookieSessionFactory, type SessionCookieOptions, type SessionFactory } from './session-factory.js';
export { sessionSecrets } from './session-secrets.js';
export { MemorySessionStore, RedisSessionStore, storeSessionFactory, type RedisLike, type SessionStore, type StoredSession, type StoreSessionOptions } from './session-stores.js';
export { checkCsrfOrigin, checkCsrfToken, HTTPBadCSRFOrigin, HTTPBadCSRFToken, type CsrfOptions } from './csrf.js';
export { forget, NO_PERMISSION_REQUIRED, remember, type SecurityPolicy } from './security.js';
export { SessionSecurityPolicy, type SessionSecurityOptions } from './session-security.js';
export { loadSession } from './session-request.js';
export type { InjectCookie, InjectOptions, InjectResponse } from './inject.js';
export { Response, type ResponseBody, type ResponseHeaders, type ResponseInit } from './response.js';
export type { View } from './routes.js';
// For package authors: answers before routing (@tet/static's views)
export type { FastPath } from './fast-paths.js';
export { shareable } from './write-response.js';
export type { RouteParams } from './route-pattern.js';
export type { RendererFactory, RendererInfo, RenderFunction, RenderSystem } from './renderers.js';
export type { ErrorClass } from './exception-views.js';

// Introspection: what a package adds to `tet routes` / `tet views` (registry.introspectors)
export type { IntrospectionTable, Introspector } from './introspect.js';

// Safe HTML (also @tet/templating's `literal`/`Markup`, and the tags @tet/static renders)
export { escapeHtml, literal, Markup } from './markup.js';

// Errors
export {
  ConfigurationConflictError,
  ConfigurationError,
  ConfigurationExecutionError,
  TetError,
  type ActionInfo,
} from './errors.js';
export type { TetErrorCode, TetErrorCodes } from './error-codes.js';
export * from './http-exceptions.js';

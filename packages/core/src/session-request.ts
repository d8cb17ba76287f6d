// `request.session`: made by the application's session factory on first use, saved by a
// response callback, so only requests that touch the session pay for it.
import { TetError } from './errors.js';
import type { Request } from './request.js';
import type { Session } from './session.js';
import type { SessionFactory } from './session-factory.js';
import type { DerivedView, ViewDeriverInfo } from './view-derivers.js';

declare module './view-options.js' {
  interface ViewOptions {
    /** false: this view never reads `request.session`, so a store-backed session is not loaded before it. */
    session?: boolean;
  }
}

declare module './registry.js' {
  interface Registry {
    /** Set by `config.setSessionFactory()`. */
    sessionFactory?: SessionFactory;
  }
}

const sessions = new WeakMap<Request, Session>();

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function factoryOf(request: Request): SessionFactory {
  const factory = request.registry.sessionFactory;
  if (factory === undefined) {
    throw new TetError(
      'request.session: this application has no session factory. Add one: config.setSessionFactory(cookieSessionFactory({ secrets: [settings.session_secret] })).',
      'TET_ERR_SESSION_FACTORY',
    );
  }
  return factory;
}

function attach(request: Request, factory: SessionFactory, session: Session): Session {
  sessions.set(request, session);
  request.addResponseCallback((req, response) => factory.save(req, session, response));
  return session;
}

/** Gives a test's request its session without a factory (nothing saves it): for {@link DummyRequest}. */
export function presetSession(request: Request, session: Session): void {
  sessions.set(request, session);
}

/** `request.session`: loaded on first use; a store-backed session was loaded before the view. */
export function requestSession(request: Request): Session {
  const existing = sessions.get(request);
  if (existing !== undefined) return existing;
  const factory = factoryOf(request);
  const loaded = factory.load(request);
  if (isThenable(loaded)) {
    throw new TetError(
      'request.session: the session factory loads sessions asynchronously (a store), and this code runs outside a view, where sessions are loaded before the view runs. `await loadSession(request)` first.',
      'TET_ERR_SESSION_FACTORY',
    );
  }
  return attach(request, factory, loaded);
}

/**
 * Loads the request's session if it is not loaded yet; a Promise only when the factory must
 * fetch it (a store).
 * @example
 * await loadSession(request); request.session.get('user')
 */
export function loadSession(request: Request): Session | Promise<Session> {
  const existing = sessions.get(request);
  if (existing !== undefined) return existing;
  const factory = factoryOf(request);
  const loaded = factory.load(request);
  if (!isThenable(loaded)) return attach(request, factory, loaded);
  return Promise.resolve(loaded).then((session) => sessions.get(request) ?? attach(request, factory, session));
}

/**
 * The view deriver that loads a store-backed session before the view, so `request.session`
 * is synchronous in views. Views of apps with a cookie session (or none) are left alone.
 */
export function sessionView(view: DerivedView, info: ViewDeriverInfo): DerivedView {
  // A view that says it never reads the session (static files) is not made to wait for a
  // store round trip on every request of a signed-in browser.
  if (info.registry.sessionFactory?.preload !== true || info.options.session === false) return view;
  return (request) => {
    const loaded = loadSession(request);
    return isThenable(loaded) ? loaded.then(() => view(request)) : view(request);
  };
}

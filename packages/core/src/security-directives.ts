// The bodies of the session, CSRF and security directives, and core's three view derivers.
import { Phase } from './actions.js';
import type { DirectiveContext } from './directive-context.js';
import { type CsrfOptions, csrfOptions, csrfView } from './csrf.js';
import { ConfigurationError } from './errors.js';
import { HTTPForbidden, HTTPNotFound } from './http-exceptions.js';
import type { View } from './routes.js';
import { addExceptionView } from './view-directives.js';
import type { AddExceptionViewOptions } from './view-options.js';
import { checkPolicy, type SecurityPolicy, securedView } from './security.js';
import type { SessionFactory } from './session-factory.js';
import { sessionView } from './session-request.js';
import { INGRESS } from './view-derivers.js';

/** Core's derivers, outermost first: load the session, check the permission, check CSRF. */
export function registerSecurityDerivers(config: DirectiveContext): void {
  const table = config.registry.viewDerivers;
  table.add('tet.session', sessionView, { options: ['session'], under: INGRESS });
  table.add('tet.secured', securedView, { options: ['permission'], under: 'tet.session' });
  table.add('tet.csrf', csrfView, { options: ['requireCsrf'], under: 'tet.secured' });
}

export function setSessionFactory(config: DirectiveContext, factory: SessionFactory): void {
  if (typeof factory?.load !== 'function' || typeof factory.save !== 'function') {
    throw new ConfigurationError(
      'setSessionFactory(factory): a session factory has load(request) and save(request, session, response); use cookieSessionFactory({ secrets }) or storeSessionFactory({ store, secrets }).',
      'TET_ERR_SESSION_FACTORY',
    );
  }
  config.action(
    'session-factory',
    () => {
      config.registry.sessionFactory = factory;
    },
    { order: Phase.early },
  );
}

export function setDefaultCsrfOptions(config: DirectiveContext, options: CsrfOptions): void {
  const complete = csrfOptions(options);
  config.action(
    'default-csrf-options',
    () => {
      config.registry.csrfOptions = complete;
    },
    { order: Phase.early },
  );
}

export function setSecurityPolicy(config: DirectiveContext, policy: SecurityPolicy): void {
  checkPolicy(policy);
  config.action(
    'security-policy',
    () => {
      config.registry.securityPolicy = policy;
    },
    { order: Phase.early },
  );
}

export function setDefaultPermission(config: DirectiveContext, permission: string): void {
  if (typeof permission !== 'string' || permission === '')
    throw new ConfigurationError(`setDefaultPermission(${JSON.stringify(permission)}): give a permission name such as 'view'.`, 'TET_ERR_SECURITY_POLICY');
  config.action(
    'default-permission',
    () => {
      config.registry.defaultPermission = permission;
    },
    { order: Phase.early },
  );
}

/** Pyramid's `add_forbidden_view`: the view for HTTPForbidden (a denied permission). */
export function addForbiddenView(config: DirectiveContext, view: View, options: Omit<AddExceptionViewOptions, 'context'>): void {
  addExceptionView(config, view, { ...options, context: HTTPForbidden });
}

/** Pyramid's `add_notfound_view`: the view for HTTPNotFound. */
export function addNotFoundView(config: DirectiveContext, view: View, options: Omit<AddExceptionViewOptions, 'context'>): void {
  addExceptionView(config, view, { ...options, context: HTTPNotFound });
}

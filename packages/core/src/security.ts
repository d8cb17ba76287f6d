// Pyramid's security: a policy says who the request is and what it may do; views name the
// permission they need, and a denied view raises HTTPForbidden for the forbidden view to render.
import { ConfigurationError } from './errors.js';
import { HTTPForbidden } from './http-exceptions.js';
import type { Request } from './request.js';
import type { ResponseHeaders } from './response.js';
import type { DerivedView, ViewDeriverInfo } from './view-derivers.js';

/**
 * Pyramid's `ISecurityPolicy`, set with `config.setSecurityPolicy()`. `remember`/`forget`
 * return headers to add to the response (a cookie policy), or nothing (a session policy).
 * @example
 * config.setSecurityPolicy(new SessionSecurityPolicy({ permits: (request, context, permission, userid) => userid === 'admin' || permission === 'view' }))
 */
export interface SecurityPolicy {
  /** Whatever the application knows about the user (a record), or undefined when anonymous. */
  identity(request: Request): unknown;
  /** The user's id, or undefined when anonymous. */
  authenticatedUserid(request: Request): string | undefined;
  /** Whether the request may do `permission` on `context`. */
  permits(request: Request, context: unknown, permission: string): boolean;
  /** Signs `userid` in (Pyramid's `remember`). */
  remember(request: Request, userid: string, options?: Record<string, unknown>): ResponseHeaders | undefined;
  /** Signs the user out (Pyramid's `forget`). */
  forget(request: Request, options?: Record<string, unknown>): ResponseHeaders | undefined;
}

/** A view with this permission is public even under a default permission (Pyramid's `NO_PERMISSION_REQUIRED`). */
export const NO_PERMISSION_REQUIRED = '__no_permission_required__';

declare module './registry.js' {
  interface Registry {
    /** Set by `config.setSecurityPolicy()`. */
    securityPolicy?: SecurityPolicy;
    /** Set by `config.setDefaultPermission()`. */
    defaultPermission?: string;
  }
}

declare module './view-options.js' {
  interface ViewOptions {
    /** The permission the view needs (checked with the security policy before it runs). */
    permission?: string;
  }
}

/** Checks a policy object at `setSecurityPolicy()` so a missing method fails at start-up. */
export function checkPolicy(policy: SecurityPolicy): void {
  const missing = (['identity', 'authenticatedUserid', 'permits', 'remember', 'forget'] as const).filter((name) => typeof (policy as unknown as Record<string, unknown>)?.[name] !== 'function');
  if (missing.length > 0) {
    throw new ConfigurationError(
      `setSecurityPolicy(policy): the policy has no ${missing.join(', ')} method${missing.length > 1 ? 's' : ''}. A policy has identity, authenticatedUserid, permits, remember and forget; SessionSecurityPolicy is a ready-made one.`,
      'TET_ERR_SECURITY_POLICY',
    );
  }
}

function policyOf(request: Request): SecurityPolicy | undefined {
  return request.registry.securityPolicy;
}

/** `request.identity`: the policy's identity, or undefined without a policy. */
export function identityOf(request: Request): unknown {
  return policyOf(request)?.identity(request);
}

/** `request.authenticatedUserid`. */
export function authenticatedUseridOf(request: Request): string | undefined {
  return policyOf(request)?.authenticatedUserid(request);
}

/** `request.hasPermission()`: without a policy everything is allowed, as in Pyramid. */
export function hasPermission(request: Request, permission: string, context?: unknown): boolean {
  const policy = policyOf(request);
  if (policy === undefined || permission === NO_PERMISSION_REQUIRED) return true;
  return policy.permits(request, context, permission);
}

/**
 * Pyramid's `remember`: signs `userid` in with the policy; returns the headers to send.
 * @example
 * const headers = remember(request, 'ada'); return new HTTPSeeOther('/', { headers })
 */
export function remember(request: Request, userid: string, options?: Record<string, unknown>): ResponseHeaders {
  const policy = policyOf(request);
  if (policy === undefined) throw new ConfigurationError('remember(): the application has no security policy; add one with config.setSecurityPolicy(...).', 'TET_ERR_SECURITY_POLICY');
  return policy.remember(request, userid, options) ?? {};
}

/**
 * Pyramid's `forget`: signs the user out; returns the headers to send.
 * @example
 * const headers = forget(request); return new HTTPSeeOther('/', { headers })
 */
export function forget(request: Request, options?: Record<string, unknown>): ResponseHeaders {
  const policy = policyOf(request);
  if (policy === undefined) throw new ConfigurationError('forget(): the application has no security policy; add one with config.setSecurityPolicy(...).', 'TET_ERR_SECURITY_POLICY');
  return policy.forget(request, options) ?? {};
}

/**
 * Pyramid's `secured_view`: a view with a permission (its own, or the default one) runs only
 * when the policy permits it; otherwise it raises HTTPForbidden. Exception views are exempt.
 */
export function securedView(view: DerivedView, info: ViewDeriverInfo): DerivedView {
  const permission = info.options.permission ?? (info.exceptionView ? undefined : info.registry.defaultPermission);
  if (permission === undefined || permission === NO_PERMISSION_REQUIRED) return view;
  const where = info.routeName === undefined ? 'this view' : `the view of route '${info.routeName}'`;
  return (request) => {
    if (!hasPermission(request, permission, undefined)) throw new HTTPForbidden(`You do not have the '${permission}' permission needed for ${where}.`);
    return view(request);
  };
}

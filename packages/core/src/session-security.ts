// The common case of a security policy: the signed-in user's id in the session.
import type { Request } from './request.js';
import type { SecurityPolicy } from './security.js';

/** Options of {@link SessionSecurityPolicy}. */
export interface SessionSecurityOptions {
  /** The session key holding the user id (default `auth.userid`). */
  key?: string;
  /** What `request.identity` is for a user id (default `{ userid }`). */
  identity?: (request: Request, userid: string) => unknown;
  /** Who may do what; by default every signed-in user has every permission, anonymous users none. */
  permits?: (request: Request, context: unknown, permission: string, userid: string | undefined) => boolean;
}

/**
 * A security policy that keeps the user id in `request.session` (Pyramid's
 * `SessionAuthenticationHelper`). `remember` starts a fresh session for the user (new id,
 * new CSRF token: no session fixation), keeping its other values; `forget` empties it.
 * @example
 * config.setSecurityPolicy(new SessionSecurityPolicy({ permits: (_r, _c, permission, userid) => userid !== undefined && permission !== 'admin' }))
 */
export class SessionSecurityPolicy implements SecurityPolicy {
  private readonly key: string;
  private readonly options: SessionSecurityOptions;

  constructor(options: SessionSecurityOptions = {}) {
    this.key = options.key ?? 'auth.userid';
    this.options = options;
  }

  authenticatedUserid(request: Request): string | undefined {
    const userid = request.session.get(this.key);
    return typeof userid === 'string' ? userid : undefined;
  }

  identity(request: Request): unknown {
    const userid = this.authenticatedUserid(request);
    if (userid === undefined) return undefined;
    return this.options.identity === undefined ? { userid } : this.options.identity(request, userid);
  }

  permits(request: Request, context: unknown, permission: string): boolean {
    const userid = this.authenticatedUserid(request);
    return this.options.permits === undefined ? userid !== undefined : this.options.permits(request, context, permission, userid);
  }

  remember(request: Request, userid: string): undefined {
    const session = request.session;
    const kept = Object.fromEntries(session.keys().map((key) => [key, session.get(key)]));
    session.invalidate();
    for (const [key, value] of Object.entries(kept)) session.set(key, value);
    session.set(this.key, userid);
    session.newCsrfToken();
    return undefined;
  }

  forget(request: Request): undefined {
    request.session.invalidate();
    return undefined;
  }
}

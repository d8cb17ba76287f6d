// Signing in and out: a session (an encrypted cookie), CSRF checks on every form (on by
// default), a security policy over the session, and a page that needs the 'view' permission.
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Configurator, cookieSessionFactory, forget, HTTPSeeOther, NO_PERMISSION_REQUIRED, type Request, remember, SessionSecurityPolicy, sessionSecrets } from '@tet/core';

/** The demo's one user; a real application asks its database. */
const USERS: Record<string, { passwordSha256: string; name: string }> = {
  ada: { passwordSha256: createHash('sha256').update('lovelace').digest('hex'), name: 'Ada Lovelace' },
};

function checkPassword(user: string, password: string): boolean {
  const known = USERS[user];
  const given = createHash('sha256').update(password).digest();
  // Compare in constant time; an unknown user costs the same as a wrong password.
  return timingSafeEqual(given, Buffer.from(known?.passwordSha256 ?? '0'.repeat(64), 'hex')) && known !== undefined;
}

function loginPage(request: Request, error = '') {
  return { title: 'Sign in', messages: request.session.popFlash(), error, next: request.params.get('next') ?? '' };
}

/** GET /login: the form (with its CSRF token, see templates/login.eta). */
export function loginFormView(request: Request) {
  return loginPage(request);
}

/** POST /login: checks the password, signs in, and goes to the page asked for. */
export async function loginView(request: Request) {
  const form = await request.form();
  const user = form.get('user') ?? '';
  if (!checkPassword(user, form.get('password') ?? '')) {
    request.response.status = 401;
    return loginPage(request, 'Wrong name or password.');
  }
  const headers = remember(request, user);
  request.session.flash(`Signed in as ${USERS[user]!.name}.`);
  return new HTTPSeeOther(localPath(form.get('next') ?? '') ?? request.routePath('account'), { headers });
}

/**
 * `next` if it is a path of this site, else undefined: never an open redirect. Resolved the
 * way a browser does, so `/\evil.com` and `/\t/evil.com` (both `//evil.com` to a browser) fail.
 */
function localPath(next: string): string | undefined {
  if (!next.startsWith('/')) return undefined;
  const base = 'http://this.site';
  const url = new URL(next, base);
  return url.origin === base ? url.pathname + url.search + url.hash : undefined;
}

/** POST /logout: signs out and says so. */
export function logoutView(request: Request) {
  const headers = forget(request);
  request.session.flash('You are signed out.');
  return new HTTPSeeOther(request.routePath('login'), { headers });
}

/** GET /account: needs the 'view' permission, i.e. a signed-in user. */
export function accountView(request: Request) {
  const identity = request.identity as { userid: string; name: string };
  return { title: 'Your account', name: identity.name, messages: request.session.popFlash() };
}

/** Denied: anonymous users sign in first (and come back); others get a 403 page. */
export function forbiddenView(request: Request) {
  if (request.authenticatedUserid === undefined) return new HTTPSeeOther(request.routePath('login', {}, { query: { next: request.path } }));
  request.response.status = 403;
  return { title: 'Forbidden', messages: [] };
}

/** The sign-in part of the application: `config.include(auth)`. */
export function auth(config: Configurator): void {
  // No secret, no start: production.ini leaves it to MYAPP_SESSION_SECRET, and the error names both.
  config.setSessionFactory(
    cookieSessionFactory({
      secrets: sessionSecrets(config.registry.settings, 'myapp.session_secret'),
      secure: config.registry.settings['myapp.secure_cookies'] === 'true',
    }),
  );
  config.setDefaultCsrfOptions({ require: true });
  config.setSecurityPolicy(new SessionSecurityPolicy({ identity: (_request, userid) => ({ userid, name: USERS[userid]?.name ?? userid }) }));

  config.addRoute('login', '/login');
  config.addView(loginFormView, { routeName: 'login', requestMethod: 'GET', renderer: 'myapp:templates/login.eta' });
  config.addView(loginView, { routeName: 'login', requestMethod: 'POST', renderer: 'myapp:templates/login.eta', permission: NO_PERMISSION_REQUIRED });
  config.addRoute('logout', '/logout');
  config.addView(logoutView, { routeName: 'logout', requestMethod: 'POST' });
  config.addRoute('account', '/account');
  config.addView(accountView, { routeName: 'account', requestMethod: 'GET', renderer: 'myapp:templates/account.eta', permission: 'view' });
  config.addForbiddenView(forbiddenView, { renderer: 'myapp:templates/forbidden.eta' });
}

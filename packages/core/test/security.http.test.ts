import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type App,
  Configurator,
  ConfigurationError,
  cookieSessionFactory,
  forget,
  HTTPForbidden,
  HTTPSeeOther,
  NO_PERMISSION_REQUIRED,
  remember,
  Response,
  type SecurityPolicy,
  SessionSecurityPolicy,
} from '../src/index.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';
import { cookieFrom, NEW } from './session-app.js';

async function securedApp(withForbiddenView: boolean): Promise<App> {
  const config = new Configurator();
  config.setSessionFactory(cookieSessionFactory({ secrets: [NEW] }));
  config.setSecurityPolicy(
    new SessionSecurityPolicy({
      identity: (_request, userid) => ({ userid, name: userid.toUpperCase() }),
      permits: (_request, context, permission, userid) =>
        userid !== undefined && (permission === 'view' || (permission === 'admin' && userid === 'root') || (permission === 'edit' && context === userid)),
    }),
  );
  config.setDefaultPermission('view');
  config.addRoute('login', '/login');
  config.addView(
    async (request) => {
      const user = (await request.form()).get('user') ?? '';
      request.session.flash(`Welcome ${user}`);
      return new HTTPSeeOther('/private', { headers: remember(request, user) });
    },
    { routeName: 'login', permission: NO_PERMISSION_REQUIRED },
  );
  config.addRoute('logout', '/logout');
  config.addView((request) => new HTTPSeeOther('/login', { headers: forget(request) }), { routeName: 'logout' });
  config.addRoute('private', '/private');
  config.addView(
    (request) =>
      Response.json({
        userid: request.authenticatedUserid,
        identity: request.identity,
        admin: request.hasPermission('admin'),
        editsOwn: request.hasPermission('edit', request.authenticatedUserid),
        editsOther: request.hasPermission('edit', 'someone-else'),
        flash: request.session.popFlash(),
      }),
    { routeName: 'private' },
  );
  config.addRoute('admin', '/admin');
  config.addView(() => new Response('the admin page'), { routeName: 'admin', permission: 'admin' });
  config.addRoute('public', '/public');
  config.addView((request) => Response.json({ userid: request.authenticatedUserid ?? null, identity: request.identity ?? null }), { routeName: 'public', permission: NO_PERMISSION_REQUIRED });
  if (withForbiddenView) {
    config.addForbiddenView((request) => {
      const response = new Response(`Forbidden here: ${(request.exception as Error).message}`, { status: 403 });
      return request.authenticatedUserid === undefined ? new HTTPSeeOther('/login') : response;
    });
    config.addNotFoundView((request) => new Response(`No page at ${request.path}`, { status: 404 }));
  }
  return config.makeApp();
}

interface Ctx {
  app: App;
  server: TestServer;
}

const Security = suite<Ctx>('Security.sessionPolicy');
Security.before(async (ctx) => {
  ctx.app = await securedApp(false);
  ctx.server = await startTestServer(ctx.app);
});
Security.after((ctx) => ctx.server.close());

Security('anonymous: a permission view raises HTTPForbidden (403); public views run', (ctx) =>
  withTimeout(async () => {
    const http = await rawRequest(ctx.server.base, '/private');
    assert.is(http.status, 403);
    assert.match(http.text, "403 Forbidden\n\nYou do not have the 'view' permission needed for the view of route 'private'.");
    const injected = await ctx.app.inject({ url: '/admin' });
    assert.is(injected.status, 403);
    assert.equal((await ctx.app.inject({ url: '/public' })).json(), { userid: null, identity: null });
  }),
);

Security('sign in (remember), see the protected page with identity and permissions, sign out (forget)', (ctx) =>
  withTimeout(async () => {
    const login = await rawRequest(ctx.server.base, '/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=ada' });
    assert.is(login.status, 303);
    assert.is(login.headers.location, '/private');
    const cookie = `session=${cookieFrom(login.headers['set-cookie'])!}`;
    const page = await rawRequest(ctx.server.base, '/private', { headers: { cookie } });
    assert.is(page.status, 200);
    assert.equal(JSON.parse(page.text), { userid: 'ada', identity: { userid: 'ada', name: 'ADA' }, admin: false, editsOwn: true, editsOther: false, flash: ['Welcome ada'] });
    assert.is((await ctx.app.inject({ url: '/admin', headers: { cookie } })).status, 403, 'ada is no admin');
    const logout = await ctx.app.inject({ url: '/logout', headers: { cookie } });
    assert.is(logout.status, 303);
    assert.match(String((logout.headers['set-cookie'] as string[])[0]), 'session=; Max-Age=0');
    // The browser dropped the cookie; a client that kept the old one still holds a valid session
    // (a cookie session cannot be revoked server-side; storeSessionFactory can).
    assert.is((await rawRequest(ctx.server.base, '/private')).status, 403);
  }),
);

Security('remember starts a new session value and a new CSRF token (no fixation), keeping other values', async ({ app }) => {
  const login = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'user=root' });
  const cookie = `session=${cookieFrom(login.headers['set-cookie'])!}`;
  assert.is((await app.inject({ url: '/admin', headers: { cookie } })).text, 'the admin page');
});

const Views = suite('Security.forbiddenView');

Views('addForbiddenView renders denials (here: anonymous users go to the login page); addNotFoundView renders 404s', async () => {
  const app = await securedApp(true);
  const anonymous = await app.inject({ url: '/private' });
  assert.is(anonymous.status, 303);
  assert.is(anonymous.headers.location, '/login');
  const login = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'user=ada' });
  const denied = await app.inject({ url: '/admin', cookies: { session: cookieFrom(login.headers['set-cookie'])! } });
  assert.is(denied.status, 403);
  assert.is(denied.text, "Forbidden here: 403 Forbidden: You do not have the 'admin' permission needed for the view of route 'admin'.");
  const missing = await app.inject({ url: '/nowhere' });
  assert.equal([missing.status, missing.text], [404, 'No page at /nowhere']);
});

Views('a policy of its own: remember/forget headers reach the response; no policy means everything is allowed', async () => {
  const headerPolicy: SecurityPolicy = {
    identity: (request) => request.headers['x-user'],
    authenticatedUserid: (request) => request.headers['x-user'] as string | undefined,
    permits: (request, _context, permission) => permission === 'view' && request.headers['x-user'] !== undefined,
    remember: (_request, userid) => ({ 'x-remembered': userid }),
    forget: () => ({ 'x-forgotten': 'yes' }),
  };
  const config = new Configurator();
  config.setSecurityPolicy(headerPolicy);
  config.addRoute('in', '/in');
  config.addView((request) => new Response('in', { headers: remember(request, 'bo') }), { routeName: 'in' });
  config.addRoute('page', '/page');
  config.addView((request) => new Response(`hi ${request.authenticatedUserid}`), { routeName: 'page', permission: 'view' });
  const app = await config.makeApp();
  assert.is((await app.inject({ url: '/in' })).headers['x-remembered'], 'bo');
  assert.is((await app.inject({ url: '/page' })).status, 403);
  assert.is((await app.inject({ url: '/page', headers: { 'x-user': 'bo' } })).text, 'hi bo');

  const open = new Configurator();
  open.addRoute('page', '/page');
  open.addView((request) => new Response(String(request.hasPermission('anything'))), { routeName: 'page', permission: 'view' });
  assert.is((await (await open.makeApp()).inject({ url: '/page' })).text, 'true');
});

Views('an incomplete policy or an empty default permission is a ConfigurationError; HTTPForbidden is 403', () => {
  const config = new Configurator();
  for (const act of [() => config.setSecurityPolicy({ permits: () => true } as unknown as SecurityPolicy), () => config.setDefaultPermission('')]) {
    try {
      act();
      assert.unreachable('should throw');
    } catch (error) {
      assert.instance(error, ConfigurationError);
      assert.is((error as ConfigurationError).code, 'TET_ERR_SECURITY_POLICY');
    }
  }
  assert.is(new HTTPForbidden().status, 403);
});

Security.run();
Views.run();

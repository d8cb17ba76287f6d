import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HTTPBadRequest, type Request, Response, Session, SessionSecurityPolicy } from '../src/index.js';
import { DummyRequest, testConfig } from '../src/testing.js';

declare module '../src/index.js' {
  interface Request {
    shout(text: string): string;
    visits: number;
  }
}

async function greet(request: Request): Promise<Response> {
  const form = await request.form();
  return new Response(`${request.shout(form.get('name') ?? '?')} ${request.matchdict.id} ${request.cookies.theme} ${request.routePath('user', { id: '7' })} ${request.visits}`);
}

const Dummy = suite('Testing.DummyRequest');

Dummy('a view runs on a DummyRequest with a configured registry', async () => {
  const config = testConfig({ 'tet.debug': true });
  config.addRoute('user', '/users/:id');
  config.addRequestMethod('shout', (_request, text) => text.toUpperCase());
  let computed = 0;
  config.addRequestMethod('visits', () => ++computed, { reify: true });
  await config.commit();
  assert.is(config.registry.settings['tet.debug'], true);
  const request = new DummyRequest({ registry: config.registry, post: { name: 'ada' }, matchdict: { id: '7' }, cookies: { theme: 'dark' } });
  assert.is(request.method, 'POST');
  const response = await greet(request);
  assert.is(response.body, 'ADA 7 dark /users/7 1');
  assert.is(request.visits, 1, 'reified once');
  assert.is(computed, 1);
});

Dummy('url, headers and body reach the request as a server would give them', async () => {
  const request = new DummyRequest({ method: 'PUT', url: '/a/b?x=1&x=2', headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
  assert.is(request.pathInfo, '/a/b');
  assert.equal(request.query.getAll('x'), ['1', '2']);
  assert.is(request.url, 'http://example.com/a/b?x=1&x=2');
  assert.equal(await request.json(), { ok: true });
  const bad = new DummyRequest({ headers: { 'content-type': 'multipart/form-data' }, body: 'x', method: 'POST' });
  try {
    await bad.form();
    assert.unreachable('should reject');
  } catch (error) {
    assert.instance(error, HTTPBadRequest);
    assert.match((error as Error).message, 'Boundary not found');
  }
});

Dummy('a DummyRequest can carry a session, and a security policy reads it', async () => {
  const config = testConfig();
  config.setSecurityPolicy(new SessionSecurityPolicy());
  await config.commit();
  const session = new Session({ 'auth.userid': 'ada' }, { isNew: false });
  const request = new DummyRequest({ registry: config.registry, session });
  assert.is(request.session, session);
  assert.is(request.authenticatedUserid, 'ada');
  assert.ok(request.hasPermission('view'));
  request.session.flash('hi');
  assert.equal(session.popFlash(), ['hi']);
  assert.is(new DummyRequest({ registry: config.registry, session: new Session() }).authenticatedUserid, undefined);
});

Dummy.run();

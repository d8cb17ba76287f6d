// A template gets the CSRF token with `$request.session.getCsrfToken()` (issue 17).
import { cookieSessionFactory, Response } from '@tet/core';
import { rawRequest, type TestApp, withTimeout } from '@tet/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { APP, startApp } from './helpers.js';

const page = suite<{ app: TestApp }>('a form template with $request.session.getCsrfToken()');

page.before(async (context) => {
  context.app = await startApp((config) => {
    config.setSessionFactory(cookieSessionFactory({ secrets: ['t'.repeat(40)] }));
    config.setDefaultCsrfOptions({ require: true });
    config.addRoute('form', '/form');
    config.addView(() => ({}), { routeName: 'form', requestMethod: 'GET', renderer: `${APP}:templates/csrf-form.eta` });
    config.addView(() => new Response('accepted'), { routeName: 'form', requestMethod: 'POST' });
  });
});
page.after(async ({ app }) => app.close());

page('the rendered token, posted back with the session cookie, passes the CSRF check; without it the POST is refused', ({ app }) =>
  withTimeout(async () => {
    const form = await rawRequest(app.base, '/form');
    assert.is(form.status, 200);
    const token = /name="csrf_token" value="([0-9a-f]{40})"/.exec(form.text)?.[1];
    assert.ok(token !== undefined, form.text);
    const cookie = String(form.headers['set-cookie']?.[0]).split(';')[0]!;
    const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded' };
    const ok = await rawRequest(app.base, '/form', { method: 'POST', headers, body: `csrf_token=${token}` });
    assert.equal([ok.status, ok.text], [200, 'accepted']);
    const refused = await rawRequest(app.base, '/form', { method: 'POST', headers, body: 'csrf_token=' });
    assert.is(refused.status, 400);
    assert.match(refused.text, 'Bad CSRF Token');
  }),
);

page.run();

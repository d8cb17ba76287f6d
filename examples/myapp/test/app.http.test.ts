import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, ConfigurationError } from '@tet/core';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '@tet/core/testing';
import { main } from '../src/app.js';
import { fromEnvironment } from '../src/settings.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
interface Context {
  server: TestServer;
  app: App;
}
const application = suite<Context>('myapp');

application.before(async (context) => {
  context.app = await main(fromEnvironment({ RELEASE: 'r2026.11' }).settings);
  context.server = await startTestServer(context.app);
});
application.after((context) => context.server.close());

application('the home page links its stylesheet, script and logo under the release token', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/`);
    assert.is(res.status, 200);
    assert.is(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await res.text();
    for (const file of ['style.css', 'app.js', 'img/logo.png']) assert.match(html, `${context.server.base}/static/r2026.11/${file}`);
    assert.match(html, /<link rel="stylesheet" href="[^"]+" integrity="sha384-[A-Za-z0-9+/=]+">/);
    assert.match(html, '<h1>Hello from Tet</h1>');
  }),
);

application('every linked asset is served for a year, and the logo is a real PNG', (context) =>
  withTimeout(async () => {
    const html = await (await fetch(`${context.server.base}/`)).text();
    const urls = [...html.matchAll(/(?:href|src)="(http[^"]+\/static\/[^"]+)"/g)].map((m) => m[1]!);
    assert.ok(urls.length >= 3);
    for (const url of urls) {
      const res = await fetch(url);
      assert.is(res.status, 200, url);
      assert.is(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    }
    const logo = Buffer.from(await (await fetch(`${context.server.base}/static/r2026.11/img/logo.png`)).arrayBuffer());
    assert.ok(logo.subarray(0, 8).equals(PNG_SIGNATURE));
    assert.is(logo.readUInt32BE(16), 96, 'width');
  }),
);

application('the JSON route reports the release', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/api/status`);
    assert.is(res.headers.get('content-type'), 'application/json');
    const body = (await res.json()) as Record<string, unknown>;
    assert.is(body.app, 'myapp');
    assert.is(body.release, 'r2026.11');
    assert.is(body.stylesheet, `${context.server.base}/static/r2026.11/style.css`);
  }),
);

// A browser in miniature: keeps the session cookie between requests.
function client(base: string) {
  let cookie = '';
  return async (path: string, options: { method?: string; form?: Record<string, string> } = {}) => {
    const body = options.form === undefined ? undefined : new URLSearchParams(options.form).toString();
    const headers: Record<string, string> = cookie === '' ? {} : { cookie };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await rawRequest(base, path, { method: options.method ?? 'GET', headers, body });
    const set = res.headers['set-cookie']?.find((line) => line.startsWith('session='));
    if (set !== undefined) cookie = set.slice(0, set.indexOf(';'));
    const token = /name="csrf_token" value="([0-9a-f]+)"/.exec(res.text)?.[1];
    return { ...res, token };
  };
}

application('sign in, see the protected page with a flash message, sign out; anonymous users are sent to sign in', (context) =>
  withTimeout(async () => {
    const browser = client(context.server.base);
    const anonymous = await browser('/account');
    assert.is(anonymous.status, 303);
    assert.is(anonymous.headers.location, '/login?next=%2Faccount');
    const form = await browser('/login?next=/account');
    assert.is(form.status, 200);
    assert.ok(form.token !== undefined, 'the form carries a CSRF token');
    const wrong = await browser('/login', { method: 'POST', form: { csrf_token: form.token!, user: 'ada', password: 'nope' } });
    assert.is(wrong.status, 401);
    assert.match(wrong.text, 'Wrong name or password.');
    const signedIn = await browser('/login', { method: 'POST', form: { csrf_token: wrong.token!, user: 'ada', password: 'lovelace', next: '/account' } });
    assert.is(signedIn.status, 303);
    assert.is(signedIn.headers.location, '/account');
    const account = await browser('/account');
    assert.is(account.status, 200);
    assert.match(account.text, 'Signed in as <strong>Ada Lovelace</strong>.');
    assert.match(account.text, '<p class="flash" role="status">Signed in as Ada Lovelace.</p>');
    assert.not.match((await browser('/account')).text, 'class="flash"', 'a flash message shows once');
    const signedOut = await browser('/logout', { method: 'POST', form: { csrf_token: account.token! } });
    assert.is(signedOut.status, 303);
    assert.match((await browser('/login')).text, 'You are signed out.');
    assert.is((await browser('/account')).status, 303);
  }),
);

// Browsers read `/\evil.com` (and `/\t/evil.com`, tabs being stripped) as `//evil.com`.
application('signing in never redirects to another site, whatever `next` says', (context) =>
  withTimeout(async () => {
    for (const next of ['/\\evil.com', '/\\/evil.com', '/\t/evil.com', '//evil.com', 'https://evil.com/', '/%5Cevil.com']) {
      const browser = client(context.server.base);
      const form = await browser('/login');
      const signedIn = await browser('/login', { method: 'POST', form: { csrf_token: form.token!, user: 'ada', password: 'lovelace', next } });
      assert.is(signedIn.status, 303, next);
      const location = signedIn.headers.location!;
      assert.is(new URL(location, 'http://myapp.test/').origin, 'http://myapp.test', `${JSON.stringify(next)} -> ${location}`);
    }
  }),
);

application('a POST without a CSRF token is refused with 400, over HTTP and in-process', (context) =>
  withTimeout(async () => {
    const browser = client(context.server.base);
    await browser('/login');
    const refused = await browser('/login', { method: 'POST', form: { user: 'ada', password: 'lovelace' } });
    assert.is(refused.status, 400);
    assert.match(refused.text, '400 Bad CSRF Token');
    assert.is(refused.headers['set-cookie'], undefined, 'nobody was signed in');
    const injected = await context.app.inject({ method: 'POST', url: '/logout', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'x=1' });
    assert.is(injected.status, 400);
    assert.match(injected.text, "needs a CSRF token: the 'csrf_token' form field");
  }),
);

application('settings come from the environment with defaults', () => {
  const defaults = fromEnvironment({});
  assert.equal(defaults.listen, { port: 6543, host: '127.0.0.1' });
  assert.is(defaults.settings['myapp.release'], '');
  const custom = fromEnvironment({ PORT: '8080', HOST: '0.0.0.0', RELEASE: 'abc', TET_DEBUG: 'true' });
  assert.equal(custom.listen, { port: 8080, host: '0.0.0.0' });
  assert.is(custom.settings['tet.debug'], 'true');
  assert.throws(() => fromEnvironment({ PORT: 'eighty' }), /PORT must be a port number/);
});

application('a session secret: SESSION_SECRET, a random one on a developer machine, none (an error) with NODE_ENV=production', () => {
  const secret = 'from-the-environment-0123456789abcdefghij';
  assert.is(fromEnvironment({ SESSION_SECRET: secret, NODE_ENV: 'production' }).settings['myapp.session_secret'], secret);
  const random = fromEnvironment({}).settings['myapp.session_secret'];
  assert.type(random, 'string');
  assert.ok((random as string).length >= 32);
  assert.is.not(fromEnvironment({}).settings['myapp.session_secret'], random, 'one per start');
  try {
    fromEnvironment({ NODE_ENV: 'production' });
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_SESSION_SECRET');
    assert.match((error as Error).message, 'SESSION_SECRET is not set, and NODE_ENV=production');
  }
});

const process_ = suite('myapp server process');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process_(`prints its URL, serves, and exits 0 on ${signal}`, () =>
    withTimeout(async () => {
      const script = fileURLToPath(new URL('../src/server.js', import.meta.url));
      const child = spawn(process.execPath, [script], { env: { ...process.env, PORT: '0', RELEASE: 'proc-1' }, stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      while (!/serving on (http:\S+)/.test(output)) {
        if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
        await once(child.stdout, 'data');
      }
      const url = /serving on (http:\/\/localhost:(\d+)\/)/.exec(output)!;
      assert.match(output, '(release proc-1)');
      const res = await fetch(`http://127.0.0.1:${url[2]}/api/status`);
      assert.is(res.status, 200);
      child.kill(signal);
      const [code] = await once(child, 'exit');
      assert.is(code, 0);
      assert.match(output, `${signal}, shutting down`);
    }, 15_000),
  );
}

process_('with NODE_ENV=production and no SESSION_SECRET it does not start: exit 1, TET_ERR_SESSION_SECRET naming SESSION_SECRET', () =>
  withTimeout(async () => {
    const script = fileURLToPath(new URL('../src/server.js', import.meta.url));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', NODE_ENV: 'production' };
    delete env.SESSION_SECRET;
    const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = await once(child, 'exit');
    assert.is(code, 1);
    assert.match(output, 'TET_ERR_SESSION_SECRET');
    assert.match(output, 'SESSION_SECRET is not set');
    assert.not.match(output, 'serving on');
  }, 15_000),
);

application.run();
process_.run();

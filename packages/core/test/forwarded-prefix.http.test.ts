// Issue 12 item 4: with tet.trust_proxy on, X-Forwarded-Prefix counts only when it is a
// canonical path prefix; anything else (`/\evil.com`, `//evil.com`, `..`, `%2F`) is ignored.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, HTTPFound } from '../src/index.js';
import { canonicalPrefix } from '../src/forwarded-prefix.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

const main = applicationFactory((config) => {
  config.addRoute('echo', '/echo');
  config.addView((request) => ({ scriptName: request.scriptName, url: request.routeUrl('echo') }), { routeName: 'echo', renderer: 'json' });
  config.addRoute('go', '/go');
  config.addView((request) => new HTTPFound(request.routePath('echo')), { routeName: 'go' });
});

const REFUSED = [
  '/\\evil.com',
  '//evil.com',
  '///evil.com',
  '/%5Cevil.com',
  '/%5cevil.com',
  '/%2F%2Fevil.com',
  '/%2fevil.com',
  '/a/%2F/b',
  '/a//b',
  '/a/\\b',
  '/a/../b',
  '/..',
  '/a/./b',
  '/.',
  '/%2e%2e/x',
  '/.%2E',
  '/%2E',
  'evil.com',
  'http://evil.com',
  'https://evil.com/x',
  '/a b',
  '/a\tb',
  '/a%00b',
  '/a%0d%0aSet-Cookie:x=1',
  '/a%7F',
  '/a%zz',
  '/a%',
  '/a?x=1',
  '/a#frag',
  '/a"b',
  '/a<b>',
  '/caf\u00e9',
  `/${'a'.repeat(1100)}`,
  '',
];

const ACCEPTED: [string, string][] = [
  ['/shop', '/shop'],
  ['/shop/', '/shop'],
  ['/', ''],
  ['/a/b-c_d.e~f', '/a/b-c_d.e~f'],
  ['/caf%C3%A9', '/caf%C3%A9'],
  ['/v1.2/..a/.b', '/v1.2/..a/.b'],
  ["/a:b@c!$&'()*+;=", "/a:b@c!$&'()*+;="],
  ['/shop, /other', '/shop'],
];

const prefix = suite<{ server: TestServer }>('X-Forwarded-Prefix');

prefix.before(async (context) => {
  context.server = await startTestServer(main({ 'tet.trust_proxy': true }));
});
prefix.after(async (context) => context.server.close());

prefix('a value that is not a canonical path prefix is ignored, in URLs and redirects', (context) =>
  withTimeout(async () => {
    for (const value of REFUSED) {
      const echo = await rawRequest(context.server.base, '/echo', { headers: { 'x-forwarded-prefix': value } });
      assert.is(echo.status, 200, JSON.stringify(value));
      assert.equal(JSON.parse(echo.text), { scriptName: '', url: `${context.server.base}/echo` }, JSON.stringify(value));
      const go = await rawRequest(context.server.base, '/go', { headers: { 'x-forwarded-prefix': value } });
      assert.is(go.headers.location, '/echo', JSON.stringify(value));
    }
  }),
);

prefix('a canonical prefix is the mount point, without its trailing slash', (context) =>
  withTimeout(async () => {
    for (const [value, expected] of ACCEPTED) {
      const echo = await rawRequest(context.server.base, '/echo', { headers: { 'x-forwarded-prefix': value } });
      assert.equal(JSON.parse(echo.text), { scriptName: expected, url: `${context.server.base}${expected}/echo` }, JSON.stringify(value));
      const go = await rawRequest(context.server.base, '/go', { headers: { 'x-forwarded-prefix': value } });
      assert.is(go.headers.location, `${expected}/echo`, JSON.stringify(value));
    }
  }),
);

prefix('canonicalPrefix decides the same for values no HTTP client would send', () => {
  for (const value of ['/a\r\nb', '/a\u0000', '/\u2028', '/a/\u00e9']) assert.is(canonicalPrefix(value), undefined, JSON.stringify(value));
  assert.is(canonicalPrefix('/a/b/'), '/a/b');
});

prefix.run();

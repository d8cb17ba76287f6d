// Issue 13: @tet/core's entry exports what an application or package author uses; the cookie,
// session-signing and form-limit helpers the framework calls for them stay inside.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as core from '../src/index.js';

const entry = suite('@tet/core entry');

entry('does not export the cookie, session-signing and form-limit internals', () => {
  const names = new Set(Object.keys(core));
  for (const internal of ['parseCookies', 'appendSetCookie', 'appendDeleteCookie', 'SessionCrypto', 'formLimits']) assert.not.ok(names.has(internal), internal);
});

entry('exports what the docs tell applications and packages to call', () => {
  // docs/security.md, docs/requests.md, docs/views.md; @tet/static and @tet/templating.
  const names = new Set(Object.keys(core));
  for (const name of [
    'checkCsrfToken',
    'checkCsrfOrigin',
    'HTTPBadCSRFToken',
    'loadSession',
    'cookieSessionFactory',
    'storeSessionFactory',
    'Session',
    'Form',
    'findPackage',
    'isAssetSpec',
    'sendEarlyHints',
    'escapeHtml',
  ]) {
    assert.ok(names.has(name), name);
  }
});

entry.run();

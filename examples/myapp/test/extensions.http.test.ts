import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '@tet/core/testing';
import { main } from '../src/app.js';
import { SECURITY_HEADERS } from '../src/extensions.js';
import { fromEnvironment } from '../src/settings.js';

const extensions = suite<{ server: TestServer }>('myapp tween and BeforeRender subscriber');

extensions.before(async (context) => {
  context.server = await startTestServer(main(fromEnvironment({ RELEASE: 'r-ext' }).settings));
});
extensions.after((context) => context.server.close());

extensions('the security-headers tween covers pages, static files and error pages', (context) =>
  withTimeout(async () => {
    for (const path of ['/', '/static/r-ext/style.css', '/no-such-page', '/api/status']) {
      const res = await rawRequest(context.server.base, path);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) assert.is(res.headers[name], value, `${path}: ${name}`);
    }
    const notModified = await rawRequest(context.server.base, '/static/r-ext/style.css');
    const again = await rawRequest(context.server.base, '/static/r-ext/style.css', { headers: { 'if-none-match': String(notModified.headers.etag) } });
    assert.is(again.status, 304);
    assert.is(again.headers['referrer-policy'], 'same-origin');
  }),
);

extensions('the BeforeRender subscriber and renderer globals reach the templates', (context) =>
  withTimeout(async () => {
    const html = (await rawRequest(context.server.base, '/')).text;
    assert.match(html, `<footer>myapp · ${new Date().getUTCFullYear()}</footer>`);
  }),
);

extensions.run();

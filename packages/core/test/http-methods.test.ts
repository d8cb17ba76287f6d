// Issue 12 item 18 (core): requestMethod names only methods Node can receive (http.METHODS).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, ConfigurationError, Response } from '../src/index.js';
import { rawRequest, startTestServer, withTimeout } from '../src/testing.js';

async function configurationError(configure: Parameters<typeof applicationFactory>[0]): Promise<ConfigurationError> {
  try {
    await applicationFactory(configure)({});
  } catch (error) {
    assert.instance(error, ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

const methods = suite('requestMethod');

methods('an unknown method is a ConfigurationError that names the closest known one', async () => {
  const error = await configurationError((config) => {
    config.addRoute('home', '/');
    config.addView(() => new Response('x'), { routeName: 'home', requestMethod: 'GETT' });
  });
  assert.is(error.code, 'TET_ERR_METHOD_UNKNOWN');
  assert.match(error.message, "addView(view, { routeName: \"home\" }): requestMethod 'GETT' is not an HTTP method Node can receive; did you mean 'GET'. Known methods: ACL, BIND, CHECKOUT,");
  assert.match(error.message, ' DELETE, GET, HEAD,');
});

methods('lists are checked item by item, on routes too; a far-off name gets no guess', async () => {
  const route = await configurationError((config) => config.addRoute('items', '/items', { requestMethod: ['GET', 'psot'] }));
  assert.is(route.code, 'TET_ERR_METHOD_UNKNOWN');
  assert.match(route.message, "addRoute('items'): requestMethod 'psot' is not an HTTP method Node can receive; did you mean 'POST'.");
  const far = await configurationError((config) => {
    config.addRoute('home', '/');
    config.addView(() => new Response('x'), { routeName: 'home', requestMethod: ['BREWCOFFEE'] });
  });
  assert.match(far.message, "requestMethod 'BREWCOFFEE' is not an HTTP method Node can receive. Known methods:");
  const shape = await configurationError((config) => config.addRoute('items', '/items', { requestMethod: 'GET POST' }));
  assert.is(shape.code, 'TET_ERR_VIEW_OPTIONS');
});

methods('known methods in any case work, extension methods such as PROPFIND included', () =>
  withTimeout(async () => {
    const main = applicationFactory((config) => {
      config.addRoute('dav', '/dav');
      config.addView(() => new Response('props'), { routeName: 'dav', requestMethod: ['propfind', 'Get'] });
    });
    const server = await startTestServer(main());
    try {
      assert.is((await rawRequest(server.base, '/dav', { method: 'PROPFIND' })).text, 'props');
      assert.is((await rawRequest(server.base, '/dav')).text, 'props');
      const post = await rawRequest(server.base, '/dav', { method: 'POST' });
      assert.is(post.status, 405);
      assert.is(post.headers.allow, 'PROPFIND, GET, HEAD');
    } finally {
      await server.close();
    }
  }),
);

methods.run();

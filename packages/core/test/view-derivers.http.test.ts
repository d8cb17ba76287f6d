import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, ConfigurationError, Configurator, HTTPForbidden, INGRESS, Response, VIEW, type ViewDeriver } from '../src/index.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

declare module '../src/index.js' {
  interface ViewOptions {
    /** Read by the `secured` deriver below. */
    permission?: string;
  }
}

// A permission check as a deriver, the way request-essentials' `permission` option works.
const secured: ViewDeriver = (view, info) => {
  const permission = info.options.permission;
  if (permission === undefined) return view; // no wrapper, no cost
  return (request) => {
    if (request.headers['x-grant'] !== permission) throw new HTTPForbidden(`needs ${permission}`);
    return view(request);
  };
};

const stamp =
  (label: string): ViewDeriver =>
  (view) =>
  async (request) => {
    const response = await view(request);
    const before = response.headers['x-chain'];
    response.setHeader('x-chain', before === undefined ? label : `${before}>${label}`);
    return response;
  };

interface Context {
  server: TestServer;
}
const derivers = suite<Context>('Configurator.addViewDeriver over HTTP');

derivers.before(async (context) => {
  const main = applicationFactory((config) => {
    config.addViewDeriver(secured, { options: ['permission'] });
    // Innermost first in x-chain: each stamps after the view it wraps returned.
    config.addViewDeriver(stamp('outer'), { name: 'outer', under: INGRESS });
    config.addViewDeriver(stamp('inner'), { name: 'inner', over: VIEW, under: 'middle' });
    config.addViewDeriver(stamp('middle'), { name: 'middle', under: 'outer' });
    config.addRoute('open', '/open');
    config.addView(() => new Response('open'), { routeName: 'open' });
    config.addRoute('secret', '/secret');
    config.addView(() => ({ secret: 42 }), { routeName: 'secret', renderer: 'json', permission: 'view-secret' });
    config.addExceptionView((request) => new Response(`denied: ${(request.exception as Error).message}`, { status: 403 }), { context: HTTPForbidden });
  });
  context.server = await startTestServer(main());
});
derivers.after(async (context) => context.server.close());

derivers('every view is wrapped by the derivers in under/over order and they see the rendered Response', (context) =>
  withTimeout(async () => {
    const open = await rawRequest(context.server.base, '/open');
    assert.is(open.text, 'open');
    assert.is(open.headers['x-chain'], 'inner>middle>outer');
    const granted = await rawRequest(context.server.base, '/secret', { headers: { 'x-grant': 'view-secret' } });
    assert.is(granted.status, 200);
    assert.is(granted.text, '{"secret":42}');
    assert.is(granted.headers['content-type'], 'application/json');
    assert.is(granted.headers['x-chain'], 'inner>middle>outer');
  }),
);

derivers('a deriver reading an augmented view option guards the view; exception views are derived too', (context) =>
  withTimeout(async () => {
    const denied = await rawRequest(context.server.base, '/secret');
    assert.is(denied.status, 403);
    assert.is(denied.text, 'denied: 403 Forbidden: needs view-secret');
    // The exception view passed through the stamping derivers as well.
    assert.is(denied.headers['x-chain'], 'inner>middle>outer');
  }),
);

const errors = suite('Configurator.addViewDeriver configuration errors');

errors('an unknown view option is reported at commit, naming the option', () => {
  const config = new Configurator();
  config.addRoute('home', '/');
  config.addView(() => new Response('x'), { routeName: 'home', ...({ permision: 'typo' } as object) });
  try {
    config.commit();
    assert.unreachable('commit should fail');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_VIEW_OPTIONS');
    assert.match((error as Error).message, "unknown view option 'permision'");
  }
});

errors('ordering constraints naming no deriver, or forming a cycle, are ConfigurationErrors', () => {
  const unknown = new Configurator();
  unknown.addViewDeriver(stamp('a'), { name: 'a', under: 'nope' });
  unknown.addRoute('home', '/');
  unknown.addView(() => new Response('x'), { routeName: 'home' });
  try {
    unknown.commit();
    assert.unreachable('commit should fail');
  } catch (error) {
    assert.is((error as ConfigurationError).code, 'TET_ERR_VIEW_DERIVER');
    assert.match((error as Error).message, 'addViewDeriver(\'a\', { under: "nope" }): no view deriver of that name');
  }
  const cycle = new Configurator();
  cycle.addViewDeriver(stamp('a'), { name: 'a', under: 'b' });
  cycle.addViewDeriver(stamp('b'), { name: 'b', under: 'a' });
  cycle.addRoute('home', '/');
  cycle.addView(() => new Response('x'), { routeName: 'home' });
  try {
    cycle.commit();
    assert.unreachable('commit should fail');
  } catch (error) {
    assert.is((error as ConfigurationError).code, 'TET_ERR_VIEW_DERIVER');
    assert.match((error as Error).message, "'a', 'b' form a cycle");
  }
});

errors('two derivers with one name conflict; an anonymous deriver needs a name', () => {
  const config = new Configurator();
  config.addViewDeriver(stamp('a'), { name: 'same' });
  config.addViewDeriver(stamp('b'), { name: 'same' });
  try {
    config.commit();
    assert.unreachable('commit should fail');
  } catch (error) {
    assert.is((error as ConfigurationError).code, 'TET_ERR_CONFIG_CONFLICT');
    assert.match((error as Error).message, 'view-deriver:same');
  }
  try {
    new Configurator().addViewDeriver((view) => view);
    assert.unreachable('should throw');
  } catch (error) {
    assert.is((error as ConfigurationError).code, 'TET_ERR_VIEW_DERIVER');
    assert.match((error as Error).message, 'with a name');
  }
});

derivers.run();
errors.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, ConfigurationError, Configurator, HTTPServiceUnavailable, INGRESS, MAIN, Response, type TweenFactory } from '../src/index.js';
import { memoryLogger, rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

// Each tween appends its name to x-order on the way in (request header copy) and to
// x-out on the way out, so the test sees the chain from both ends.
const tracing =
  (label: string): TweenFactory =>
  (handler) =>
  async (request) => {
    const seen = (request.headers['x-seen'] as string | undefined) ?? '';
    request.headers['x-seen'] = seen === '' ? label : `${seen}>${label}`;
    const response = await handler(request);
    const out = response.headers['x-out'];
    response.setHeader('x-out', out === undefined ? label : `${out}>${label}`);
    return response;
  };

interface Context {
  server: TestServer;
  logger: ReturnType<typeof memoryLogger>;
  tweenNames: string[];
}
const tweens = suite<Context>('Configurator.addTween over HTTP');

tweens.before(async (context) => {
  context.logger = memoryLogger();
  const main = applicationFactory((config) => {
    config.registry.logger = context.logger;
    config.addTween('first', tracing('first'));
    config.addTween('second', tracing('second')); // added later, unconstrained: outside 'first'
    config.addTween('nearMain', tracing('nearMain'), { over: MAIN, under: 'first' });
    config.addTween('overSecond', tracing('overSecond'), { under: INGRESS, over: ['missing', 'second'] });
    config.addTween(function maintenance(handler, registry) {
      assert.is(registry, config.registry);
      return (request) => {
        if (request.pathInfo === '/short') return new Response('from the tween');
        if (request.pathInfo === '/broken') return undefined as unknown as Response;
        return handler(request);
      };
    });
    config.addRoute('seen', '/seen');
    config.addView((request) => new Response(String(request.headers['x-seen'])), { routeName: 'seen' });
    config.addRoute('crash', '/crash');
    config.addView(
      () => {
        throw new Error('view failed');
      },
      { routeName: 'crash' },
    );
  });
  const app = await main();
  context.tweenNames = app.registry.tweens.names();
  context.server = await startTestServer(app);
});
tweens.after(async (context) => context.server.close());

tweens('tweens wrap every request in Pyramid order: under/over, and the last added under INGRESS outermost', (context) =>
  withTimeout(async () => {
    assert.equal(context.tweenNames, ['maintenance', 'overSecond', 'second', 'first', 'nearMain']);
    const res = await rawRequest(context.server.base, '/seen');
    assert.is(res.status, 200);
    assert.is(res.text, 'overSecond>second>first>nearMain');
    assert.is(res.headers['x-out'], 'nearMain>first>second>overSecond');
  }),
);

tweens('tweens see the error responses MAIN makes (404, 500) like any other', (context) =>
  withTimeout(async () => {
    const missing = await rawRequest(context.server.base, '/nowhere');
    assert.is(missing.status, 404);
    assert.is(missing.headers['x-out'], 'nearMain>first>second>overSecond');
    const crash = await rawRequest(context.server.base, '/crash');
    assert.is(crash.status, 500);
    assert.is(crash.headers['x-out'], 'nearMain>first>second>overSecond');
  }),
);

tweens('a tween may answer without calling the handler', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/short');
    assert.is(res.text, 'from the tween');
    assert.is(res.headers['x-out'], undefined); // the tweens inside it never ran
  }),
);

tweens('a tween answering no Response is a logged 500 that names the tween contract', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/broken');
    assert.is(res.status, 500);
    assert.ok(context.logger.errors.some((error) => error instanceof TypeError && error.message.includes('a tween answered undefined, not a Response')));
  }),
);

const thrown = suite('a tween that throws');

thrown('its error goes to the exception views, then to the HTTP exception or a 500', () =>
  withTimeout(async () => {
    const main = applicationFactory((config) => {
      config.addTween('gate', () => () => {
        throw new HTTPServiceUnavailable('back soon', { headers: { 'retry-after': '30' } });
      });
      config.addRoute('home', '/');
      config.addView(() => new Response('home'), { routeName: 'home' });
    });
    const server = await startTestServer(main());
    try {
      const res = await rawRequest(server.base, '/');
      assert.is(res.status, 503);
      assert.is(res.headers['retry-after'], '30');
    } finally {
      await server.close();
    }
  }),
);

const errors = suite('Configurator.addTween configuration errors');

function failure(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    assert.instance(error, ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

errors('an anonymous factory needs a name; INGRESS and MAIN are reserved', () => {
  const anonymous = failure(() => new Configurator().addTween(() => (request) => new Response(request.path)));
  assert.is(anonymous.code, 'TET_ERR_TWEEN');
  assert.match(anonymous.message, "config.addTween('securityHeaders', factory)");
  assert.is(failure(() => new Configurator().addTween(MAIN, (handler) => handler)).code, 'TET_ERR_TWEEN');
});

errors('two tweens with one name conflict, pointing at both calls', () => {
  const config = new Configurator();
  config.addTween('same', (handler) => handler);
  config.addTween('same', (handler) => handler);
  const error = failure(() => config.commit());
  assert.is(error.code, 'TET_ERR_CONFIG_CONFLICT');
  assert.match(error.message, 'For: tween:same');
  assert.match(error.message, 'tweens.http.test');
});

errors('an unknown under/over name, a cycle, or a factory returning no handler fail when the app is made', () => {
  const unknown = new Configurator();
  unknown.addTween('a', (handler) => handler, { under: 'nope' });
  const unknownError = failure(() => unknown.makeApp());
  assert.is(unknownError.code, 'TET_ERR_TWEEN');
  assert.match(unknownError.message, 'addTween(\'a\', { under: "nope" }): no tween of that name is registered. Known names: INGRESS, a, MAIN');
  const cycle = new Configurator();
  cycle.addTween('a', (handler) => handler, { over: 'b' });
  cycle.addTween('b', (handler) => handler, { over: 'a' });
  assert.match(failure(() => cycle.makeApp()).message, "'a', 'b' form a cycle");
  const broken = new Configurator();
  broken.addTween('broken', () => 'nope' as unknown as () => Response);
  assert.match(failure(() => broken.makeApp()).message, "addTween('broken'): the factory returned string, not a handler");
});

tweens.run();
thrown.run();
errors.run();

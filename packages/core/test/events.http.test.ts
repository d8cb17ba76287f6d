import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ApplicationCreated, applicationFactory, BeforeRender, ConfigurationError, Configurator, ContextFound, HTTPForbidden, NewRequest, NewResponse, Response } from '../src/index.js';
import { memoryLogger, rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

// An event of the application's own, and a subclass: subscribers of the base get both.
class AuditEvent {
  readonly what: string;
  constructor(what: string) {
    this.what = what;
  }
}
class LoginAudit extends AuditEvent {}

interface Context {
  server: TestServer;
  log: string[];
  logger: ReturnType<typeof memoryLogger>;
  created: number;
}
const events = suite<Context>('Configurator.addSubscriber over HTTP');

events.before(async (context) => {
  context.log = [];
  context.created = 0;
  context.logger = memoryLogger();
  const main = applicationFactory((config) => {
    config.registry.logger = context.logger;
    config.addSubscriber(async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      context.log.push(`new-request ${event.request.pathInfo} route=${String(event.request.matchedRouteName)}`);
      if (event.request.headers['x-block'] === 'yes') throw new HTTPForbidden('blocked by a subscriber');
    }, NewRequest);
    config.addSubscriber((event) => {
      context.log.push(`context-found ${String(event.request.matchedRouteName)} id=${String(event.request.matchdict.id)}`);
    }, ContextFound);
    config.addSubscriber((event) => {
      event.response.setHeader('x-new-response', String(event.response.status));
    }, NewResponse);
    config.addSubscriber((event) => {
      context.created++;
      assert.ok(event.app.registry === config.registry);
    }, ApplicationCreated);
    config.addRendererGlobals({ site: 'Tet', greeting: 'hello' });
    config.addSubscriber(async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      event.globals.greeting = 'overridden'; // subscribers override the defaults
      event.globals.route = event.request.matchedRouteName;
      if (event.request.headers['x-replace'] === 'yes') event.rendering = { replaced: true };
    }, BeforeRender);
    config.addSubscriber((event) => {
      context.log.push(`audit ${event.what}`);
    }, AuditEvent);
    config.addRenderer(
      'globals',
      () =>
        (value, { globals }) =>
          JSON.stringify({ value, globals }),
    );
    config.addRoute('item', '/items/:id');
    config.addView(
      async (request) => {
        await request.registry.notify(new LoginAudit(`item ${request.matchdict.id}`));
        return { id: request.matchdict.id };
      },
      { routeName: 'item', renderer: 'globals' },
    );
  });
  context.server = await startTestServer(main());
});
events.after(async (context) => context.server.close());

events('NewRequest (before routing) and ContextFound (after) run in order; async subscribers are awaited', (context) =>
  withTimeout(async () => {
    context.log.length = 0;
    const res = await rawRequest(context.server.base, '/items/7');
    assert.is(res.status, 200);
    assert.equal(context.log, ['new-request /items/7 route=undefined', 'context-found item id=7', 'audit item 7']);
  }),
);

events('BeforeRender adds and overrides renderer globals and may replace the value; the renderer gets them', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/items/7');
    assert.equal(JSON.parse(res.text), { value: { id: '7' }, globals: { site: 'Tet', greeting: 'overridden', route: 'item' } });
    const replaced = await rawRequest(context.server.base, '/items/8', { headers: { 'x-replace': 'yes' } });
    assert.equal(JSON.parse(replaced.text).value, { replaced: true });
  }),
);

events('NewResponse sees every response, error pages included', (context) =>
  withTimeout(async () => {
    const ok = await rawRequest(context.server.base, '/items/1');
    assert.is(ok.headers['x-new-response'], '200');
    const missing = await rawRequest(context.server.base, '/nothing');
    assert.is(missing.status, 404);
    assert.is(missing.headers['x-new-response'], '404');
  }),
);

events('a subscriber that throws an HTTP exception answers with it; ApplicationCreated ran once', (context) =>
  withTimeout(async () => {
    const blocked = await rawRequest(context.server.base, '/items/1', { headers: { 'x-block': 'yes' } });
    assert.is(blocked.status, 403);
    assert.is(blocked.headers['x-new-response'], '403');
    assert.is(context.created, 1);
  }),
);

const created = suite('ApplicationCreated');

created('an async ApplicationCreated subscriber makes makeApp() wait for it', async () => {
  const config = new Configurator();
  let done = false;
  config.addSubscriber(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    done = true;
  }, ApplicationCreated);
  const app = config.makeApp();
  assert.instance(app, Promise);
  await app;
  assert.ok(done);
});

created('addSubscriber without an event class, and addRendererGlobals without an object, are ConfigurationErrors', () => {
  const config = new Configurator();
  try {
    config.addSubscriber(() => {}, undefined as unknown as typeof NewRequest);
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_SUBSCRIBER');
    assert.match((error as Error).message, 'an event class such as NewRequest');
  }
  try {
    config.addRendererGlobals(['x'] as unknown as Record<string, unknown>);
    assert.unreachable('should throw');
  } catch (error) {
    assert.is((error as ConfigurationError).code, 'TET_ERR_SUBSCRIBER');
  }
});

created('without subscribers, no ApplicationCreated is made and makeApp() stays synchronous', () => {
  const config = new Configurator();
  config.addRoute('home', '/');
  config.addView(() => new Response('x'), { routeName: 'home' });
  assert.not.instance(config.makeApp(), Promise);
});

events.run();
created.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, ConfigurationConflictError, ConfigurationError, Configurator, type Request, Response } from '../src/index.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';
import * as clashing from './fixtures/scanned-conflict.js';
import * as scanned from './fixtures/scanned-views.js';

let constructed = 0;

class ItemViews {
  readonly request: Request;
  readonly id: string;
  constructor(request: Request) {
    constructed++;
    this.request = request;
    this.id = request.matchdict.id ?? '';
  }
  call(): Response {
    return new Response(`default ${this.id}`);
  }
  show(): object {
    return { id: this.id, same: this.request.matchedRouteName };
  }
  async later(): Promise<Response> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return new Response(`later ${this.id}`);
  }
}

interface Context {
  server: TestServer;
}
const classes = suite<Context>('class-based views over HTTP');

classes.before(async (context) => {
  const main = applicationFactory((config) => {
    config.addRoute('item', '/items/:id');
    config.addView(ItemViews, { routeName: 'item', attr: 'show', renderer: 'json' });
    config.addView(ItemViews, { routeName: 'item', requestMethod: 'POST' });
    config.addView(ItemViews, { routeName: 'item', requestMethod: 'PUT', attr: 'later' });
    config.addRoute('greeting', '/hello/:name');
    config.addRoute('user', '/users/:id');
    config.scan(scanned);
  });
  context.server = await startTestServer(main());
});
classes.after(async (context) => context.server.close());

classes('a class is constructed per request with the request, and attr names the method (default call)', (context) =>
  withTimeout(async () => {
    const before = constructed;
    const shown = await rawRequest(context.server.base, '/items/3');
    assert.equal(JSON.parse(shown.text), { id: '3', same: 'item' });
    assert.is((await rawRequest(context.server.base, '/items/4', { method: 'POST' })).text, 'default 4');
    assert.is((await rawRequest(context.server.base, '/items/5', { method: 'PUT' })).text, 'later 5');
    assert.is(constructed - before, 3);
  }),
);

classes('config.scan() adds the views @viewConfig recorded on classes and methods', (context) =>
  withTimeout(async () => {
    assert.is((await rawRequest(context.server.base, '/hello/ada')).text, 'hello ada');
    assert.equal(JSON.parse((await rawRequest(context.server.base, '/users/9')).text), { id: '9', view: 'show' });
    assert.is((await rawRequest(context.server.base, '/users/9', { method: 'DELETE' })).text, 'removed 9 by DELETE');
    assert.is((await rawRequest(context.server.base, '/users/9', { method: 'POST', headers: { 'x-confirm': '1' } })).text, 'removed 9 by POST');
    // Without X-Confirm the POST view's predicate fails and the any-method `show` view answers.
    assert.equal(JSON.parse((await rawRequest(context.server.base, '/users/9', { method: 'POST' })).text), { id: '9', view: 'show' });
  }),
);

const errors = suite('class-based views and scan at configuration');

errors('a missing method is named at commit, with the methods the class has', () => {
  const config = new Configurator();
  config.addRoute('item', '/items/:id');
  config.addView(ItemViews, { routeName: 'item', attr: 'nope' as 'show' });
  try {
    config.commit();
    assert.unreachable('commit should fail');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_VIEW_OPTIONS');
    assert.match((error as Error).message, "class ItemViews has no method 'nope'. Its methods: call, show, later.");
  }
});

errors('two decorators claiming one view conflict, pointing at both decorators', () => {
  const config = new Configurator();
  config.addRoute('clash', '/clash');
  config.scan([clashing]);
  try {
    config.commit();
    assert.unreachable('commit should fail');
  } catch (error) {
    assert.instance(error, ConfigurationConflictError);
    const message = (error as Error).message;
    assert.match(message, 'For: view:clash:*');
    assert.match(message, /scanned-conflict\.ts:10:\d+/);
    assert.match(message, /scanned-conflict\.ts:15:\d+/);
  }
});

classes.run();
errors.run();

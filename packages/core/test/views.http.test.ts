import { Readable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, HTTPClientError, HTTPForbidden, HTTPFound, HTTPMovedPermanently, HTTPNotFound, HTTPNotModified, HTTPServiceUnavailable, Response } from '../src/index.js';
import { memoryLogger, rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

function makeMain(logger: ReturnType<typeof memoryLogger>) {
  return applicationFactory((config) => {
    config.registry.logger = logger;
    const route = (name: string, view: Parameters<typeof config.addView>[0], renderer?: string) => {
      config.addRoute(name, `/${name}`);
      config.addView(view, renderer === undefined ? { routeName: name } : { routeName: name, renderer });
    };
    route('text', () => new Response('<p>hi</p>'));
    route('bytes', () => new Response(Buffer.from([1, 2, 3]), { contentType: 'application/octet-stream' }));
    route('stream', () => new Response(Readable.from(['chunk1-', 'chunk2']), { contentType: 'text/plain' }));
    route('async', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return new Response('later');
    });
    route('json', (request) => ({ name: request.matchedRouteName, list: [1, 2] }), 'json');
    route('string', () => 42, 'string');
    route(
      'renderer-status',
      (request) => {
        request.response.status = 202;
        request.response.setHeader('X-Extra', 'yes');
        return { accepted: true };
      },
      'json',
    );
    route(
      'custom-renderer',
      () => ({
        rows: [
          ['a', 1],
          ['b', 2],
        ],
      }),
      'csv',
    );
    config.addRenderer('csv', () => (value, { response }) => {
      response.contentType = 'text/csv';
      return (value as { rows: unknown[][] }).rows.map((row) => row.join(',')).join('\n');
    });
    config.addRenderer('.upper', (info) => (value) => `${info.name}: ${String(value).toUpperCase()}`);
    route('by-extension', () => 'shout', 'templates/page.upper');
    route('no-renderer', () => ({ plain: 'object' }));
    route('throws-http', () => {
      throw new HTTPForbidden('members only');
    });
    route('returns-http', () => new HTTPFound('/text'));
    route('http-response', () => HTTPNotFound.response('no such asset', { headers: { 'Cache-Control': 'no-store' } }));
    route('unavailable', () => {
      throw new HTTPServiceUnavailable('deploying', { headers: { 'Retry-After': '3' } });
    });
    route('crash', () => {
      throw new Error('secret database password in this message');
    });
    route('async-crash', async () => {
      throw new Error('async failure');
    });
    route('teapot', () => {
      throw new HTTPNotFound('no teapot');
    });
    config.addExceptionView((request) => new Response(`custom page for ${request.pathInfo}: ${(request.exception as Error).message}`, { status: 404 }), { context: HTTPNotFound });
  });
}

interface Context {
  server: TestServer;
  logger: ReturnType<typeof memoryLogger>;
}
const views = suite<Context>('views and responses over HTTP');

views.before(async (context) => {
  context.logger = memoryLogger();
  context.server = await startTestServer(makeMain(context.logger)());
});
views.after(async (context) => context.server.close());

views('a string body is sent as UTF-8 HTML with its length, as in Pyramid', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/text`);
    assert.is(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.is(res.headers.get('content-length'), '9');
    assert.is(await res.text(), '<p>hi</p>');
  }),
);

views('Buffer and stream bodies are sent as given', (context) =>
  withTimeout(async () => {
    const bytes = await fetch(`${context.server.base}/bytes`);
    assert.equal([...new Uint8Array(await bytes.arrayBuffer())], [1, 2, 3]);
    assert.is(bytes.headers.get('content-length'), '3');
    const stream = await fetch(`${context.server.base}/stream`);
    assert.is(await stream.text(), 'chunk1-chunk2');
    assert.is(stream.headers.get('transfer-encoding'), 'chunked');
  }),
);

views('async views are awaited', (context) =>
  withTimeout(async () => {
    assert.is(await (await fetch(`${context.server.base}/async`)).text(), 'later');
  }),
);

views('the json and string renderers turn values into bodies', (context) =>
  withTimeout(async () => {
    const json = await fetch(`${context.server.base}/json`);
    assert.is(json.headers.get('content-type'), 'application/json');
    assert.equal(await json.json(), { name: 'json', list: [1, 2] });
    const text = await fetch(`${context.server.base}/string`);
    assert.is(text.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.is(await text.text(), '42');
  }),
);

views('a view with a renderer sets status and headers on request.response', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/renderer-status`);
    assert.is(res.status, 202);
    assert.is(res.headers.get('x-extra'), 'yes');
    assert.equal(await res.json(), { accepted: true });
  }),
);

views('custom renderers work by name and by file extension', (context) =>
  withTimeout(async () => {
    const csv = await fetch(`${context.server.base}/custom-renderer`);
    assert.is(csv.headers.get('content-type'), 'text/csv');
    assert.is(await csv.text(), 'a,1\nb,2');
    const upper = await fetch(`${context.server.base}/by-extension`);
    assert.is(await upper.text(), 'templates/page.upper: SHOUT');
  }),
);

views('a plain value without a renderer is a 500 that says how to fix it', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/no-renderer`);
    assert.is(res.status, 500);
    assert.match(String(context.logger.errors.at(-1)), "the view of route 'no-renderer' returned object, not a Response");
    assert.match(String(context.logger.errors.at(-1)), "renderer: 'json'");
  }),
);

views('HTTP exceptions can be thrown or returned', (context) =>
  withTimeout(async () => {
    const thrown = await fetch(`${context.server.base}/throws-http`);
    assert.is(thrown.status, 403);
    assert.is(await thrown.text(), '403 Forbidden\n\nmembers only\n');
    const returned = await fetch(`${context.server.base}/returns-http`, { redirect: 'manual' });
    assert.is(returned.status, 302);
    assert.is(returned.headers.get('location'), '/text');
    const unavailable = await fetch(`${context.server.base}/unavailable`);
    assert.is(unavailable.status, 503);
    assert.is(unavailable.headers.get('retry-after'), '3');
  }),
);

views('HTTPException.response() gives the response an exception would, as a plain Response', (context) =>
  withTimeout(async () => {
    const made = HTTPNotFound.response('no such asset', { headers: { 'Cache-Control': 'no-store' } });
    assert.ok(made instanceof Response);
    assert.equal(made, new HTTPNotFound('no such asset', { headers: { 'Cache-Control': 'no-store' } }).toResponse());
    assert.is(made.status, 404);
    assert.is(made.body, '404 Not Found\n\nno such asset\n');
    assert.equal(made.headers, { 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8' });
    const moved = HTTPMovedPermanently.response('/new', { headers: { 'cache-control': 'public, max-age=300' } });
    assert.equal([moved.status, moved.headers['location'], moved.headers['cache-control'], moved.body], [301, '/new', 'public, max-age=300', '301 Moved Permanently\n\nThe resource is at /new\n']);
    assert.is(HTTPNotModified.response().body, null);
    assert.is(HTTPNotModified.response().headers['content-type'], undefined, 'a 304 has no body, so no type');
    assert.is(HTTPMovedPermanently.response('/new', { headers: { Location: '/elsewhere' } }).headers['location'], '/new', 'the location given wins');
    const later = new HTTPNotFound('x');
    later.headers['Content-Type'] = 'text/html; charset=utf-8';
    assert.equal(later.toResponse().headers, { 'content-type': 'text/html; charset=utf-8' }, 'headers added after construction are lower-cased too');
    const toSend = later.toResponse();
    toSend.headers['content-length'] = 1;
    assert.is(later.headers['content-length'], undefined, 'the response has its own headers');
    const sent = await fetch(`${context.server.base}/http-response`);
    assert.is(sent.status, 404);
    assert.is(sent.headers.get('cache-control'), 'no-store');
    assert.is(await sent.text(), '404 Not Found\n\nno such asset\n');
  }),
);

views('a crashing view is a generic 500, logged, and the server keeps serving', (context) =>
  withTimeout(async () => {
    const before = context.logger.errors.length;
    for (const path of ['/crash', '/async-crash']) {
      const res = await fetch(`${context.server.base}${path}`);
      assert.is(res.status, 500);
      const body = await res.text();
      assert.is(body, '500 Internal Server Error\n');
      assert.not.match(body, 'secret');
    }
    assert.is(context.logger.errors.length, before + 2);
    assert.match(String(context.logger.errors[before]), 'secret database password');
    assert.match(context.logger.lines.join('\n'), "GET /crash (route 'crash'): unhandled error in a view");
    assert.is((await fetch(`${context.server.base}/text`)).status, 200);
  }),
);

views('an exception view renders errors of its class, including router 404s', (context) =>
  withTimeout(async () => {
    const thrown = await fetch(`${context.server.base}/teapot`);
    assert.is(thrown.status, 404);
    assert.is(await thrown.text(), 'custom page for /teapot: 404 Not Found: no teapot');
    const unrouted = await fetch(`${context.server.base}/does/not/exist`);
    assert.is(await unrouted.text(), 'custom page for /does/not/exist: 404 Not Found: The resource could not be found.');
    const forbidden = await fetch(`${context.server.base}/throws-http`);
    assert.is(forbidden.status, 403, 'other classes are untouched');
  }),
);

views('HEAD on a stream view sends headers only', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/stream', { method: 'HEAD' });
    assert.is(res.status, 200);
    assert.is(res.body.length, 0);
  }),
);

const debug = suite<Context>('views with tet.debug');

debug.before(async (context) => {
  context.logger = memoryLogger();
  context.server = await startTestServer(makeMain(context.logger)({ 'tet.debug': 'true' }));
});
debug.after(async (context) => context.server.close());

debug('a 500 shows the stack when tet.debug is on', (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/crash`);
    assert.is(res.status, 500);
    const body = await res.text();
    assert.match(body, 'Error: secret database password in this message');
    assert.match(body, /views\.http\.test\.ts:\d+/);
  }),
);

const exceptions = suite('HTTP exception classes');

exceptions('carry status, title, detail and a class hierarchy', () => {
  const error = new HTTPNotFound('gone fishing');
  assert.is(error.status, 404);
  assert.is(error.title, 'Not Found');
  assert.is(error.name, 'HTTPNotFound');
  assert.is(error.message, '404 Not Found: gone fishing');
  assert.instance(error, HTTPClientError);
  assert.is(error.stack, 'HTTPNotFound: 404 Not Found: gone fishing', 'a routine answer records no stack trace');
  assert.match(new HTTPServiceUnavailable('down').stack ?? '', /\n\s+at /, 'a server error keeps its stack');
  const redirect = new HTTPFound('/elsewhere');
  assert.is(redirect.headers['location'], '/elsewhere');
  assert.is(redirect.status, 302);
});

views.run();
debug.run();
exceptions.run();

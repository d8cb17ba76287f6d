import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, HTTPNotFound, Response } from '../src/index.js';
import { memoryLogger, rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

interface Context {
  server: TestServer;
  logger: ReturnType<typeof memoryLogger>;
  finished: string[];
}

function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve();
      else if (Date.now() > until) reject(new Error('condition not met in time'));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

const callbacks = suite<Context>('Request.addResponseCallback and addFinishedCallback over HTTP');

callbacks.before(async (context) => {
  context.logger = memoryLogger();
  context.finished = [];
  const main = applicationFactory((config) => {
    config.registry.logger = context.logger;
    const track = (label: string) => (request: import('../src/index.js').Request) => {
      request.addFinishedCallback((r) => {
        context.finished.push(`${label}:${r.pathInfo}`);
      });
    };
    config.addRoute('ok', '/ok');
    config.addView(
      (request) => {
        track('ok')(request);
        request.addResponseCallback((_request, response) => {
          context.finished.push('response callback');
          response.setHeader('x-first', '1');
        });
        request.addResponseCallback(async (_request, response) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          response.setHeader('x-second', String(response.headers['x-first']));
          _request.addResponseCallback((_r, later) => {
            later.setHeader('x-added-by-callback', 'yes');
          });
        });
        return new Response('body');
      },
      { routeName: 'ok' },
    );
    config.addRoute('rendered', '/rendered');
    config.addView(
      (request) => {
        request.addResponseCallback((_request, response) => {
          response.status = 201;
        });
        return { rendered: true };
      },
      { routeName: 'rendered', renderer: 'json' },
    );
    config.addRoute('crash', '/crash');
    config.addView(
      (request) => {
        track('crash')(request);
        request.addResponseCallback((_request, response) => {
          response.setHeader('x-error-page', 'seen');
        });
        throw new Error('boom');
      },
      { routeName: 'crash' },
    );
    config.addRoute('missing', '/missing');
    config.addView(
      (request) => {
        track('missing')(request);
        request.addResponseCallback((_request, response) => {
          response.setHeader('x-on-404', 'yes');
        });
        throw new HTTPNotFound('gone');
      },
      { routeName: 'missing' },
    );
    config.addRoute('bad-callback', '/bad-callback');
    config.addView(
      (request) => {
        track('bad')(request);
        request.addResponseCallback(() => {
          throw new Error('callback broke');
        });
        return new Response('never sent');
      },
      { routeName: 'bad-callback' },
    );
    config.addRoute('bad-finished', '/bad-finished');
    config.addView(
      (request) => {
        request.addFinishedCallback(() => {
          throw new Error('finished broke');
        });
        track('after-bad')(request);
        return new Response('sent');
      },
      { routeName: 'bad-finished' },
    );
  });
  context.server = await startTestServer(main());
});
callbacks.after(async (context) => context.server.close());

callbacks('response callbacks run in order, may be async, and may add callbacks', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/ok');
    assert.is(res.status, 200);
    assert.is(res.text, 'body');
    assert.is(res.headers['x-first'], '1');
    assert.is(res.headers['x-second'], '1');
    assert.is(res.headers['x-added-by-callback'], 'yes');
  }),
);

callbacks('a response callback sees and changes a rendered response', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/rendered');
    assert.is(res.status, 201);
    assert.is(res.text, '{"rendered":true}');
  }),
);

callbacks('response callbacks run on the error response; finished callbacks run after errors', (context) =>
  withTimeout(async () => {
    context.finished.length = 0;
    const crash = await rawRequest(context.server.base, '/crash');
    assert.is(crash.status, 500);
    assert.is(crash.headers['x-error-page'], 'seen');
    const missing = await rawRequest(context.server.base, '/missing');
    assert.is(missing.status, 404);
    assert.is(missing.headers['x-on-404'], 'yes');
    await waitFor(() => context.finished.length === 2);
    assert.equal(context.finished.sort(), ['crash:/crash', 'missing:/missing']);
  }),
);

callbacks('finished callbacks run once the response is written', (context) =>
  withTimeout(async () => {
    context.finished.length = 0;
    const res = await rawRequest(context.server.base, '/ok');
    assert.is(res.text, 'body');
    await waitFor(() => context.finished.length === 2);
    assert.equal(context.finished, ['response callback', 'ok:/ok']);
  }),
);

callbacks('a throwing response callback gives a logged 500; finished callbacks still run', (context) =>
  withTimeout(async () => {
    context.finished.length = 0;
    const res = await rawRequest(context.server.base, '/bad-callback');
    assert.is(res.status, 500);
    assert.not.match(res.text, 'never sent');
    assert.ok(context.logger.lines.some((line) => line.includes('/bad-callback: a response callback failed')));
    await waitFor(() => context.finished.length === 1);
    assert.equal(context.finished, ['bad:/bad-callback']);
  }),
);

callbacks('a throwing finished callback is logged and the next one still runs', (context) =>
  withTimeout(async () => {
    context.finished.length = 0;
    const res = await rawRequest(context.server.base, '/bad-finished');
    assert.is(res.text, 'sent');
    await waitFor(() => context.finished.length === 1);
    assert.ok(context.logger.lines.some((line) => line.includes('/bad-finished: a finished callback failed')));
    assert.equal(context.finished, ['after-bad:/bad-finished']);
  }),
);

callbacks.run();

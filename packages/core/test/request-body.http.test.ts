// Issue 12 (413s): a Content-Length over tet.max_body_size is refused before a byte is read, a
// body that grows past it is a 413 the client receives (not ECONNRESET), and a client that goes
// away mid-body is a 400 that is neither logged as a crash nor an unhandled rejection.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, Response } from '../src/index.js';
import { memoryLogger, rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

const LIMIT = 64 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function makeMain(logger: ReturnType<typeof memoryLogger>, seen: string[]) {
  return applicationFactory((config) => {
    config.registry.logger = logger;
    config.addRoute('text', '/text');
    config.addView(
      async (request) => {
        try {
          return new Response(`got ${(await request.text()).length}`);
        } catch (error) {
          seen.push((error as Error).message);
          throw error;
        }
      },
      { routeName: 'text', requestMethod: 'POST' },
    );
    config.addRoute('twice', '/twice');
    config.addView(async (request) => Response.json({ text: await request.text(), again: await request.text(), json: await request.json() }), { routeName: 'twice', requestMethod: 'POST' });
    config.addRoute('ignore', '/ignore');
    config.addView(
      async () => {
        await sleep(100);
        return new Response('did not read it');
      },
      { routeName: 'ignore', requestMethod: 'POST' },
    );
  });
}

/** POSTs `size` bytes in 16 KiB chunks, with a Content-Length or chunked; resolves with the answer or the error code. */
function upload(server: TestServer, path: string, size: number, chunked: boolean): Promise<string> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = chunked ? {} : { 'content-length': size };
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method: 'POST', path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(`${res.statusCode} ${res.headers.connection} ${body.split('\n').filter(Boolean).pop()}`));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
    const chunk = Buffer.alloc(16 * 1024, 97);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

const body = suite<{ server: TestServer; logger: ReturnType<typeof memoryLogger>; seen: string[]; unhandled: unknown[]; onUnhandled: (reason: unknown) => void }>('request.text() limits');

body.before(async (context) => {
  context.logger = memoryLogger();
  context.seen = [];
  context.unhandled = [];
  context.onUnhandled = (reason) => context.unhandled.push(reason);
  process.on('unhandledRejection', context.onUnhandled);
  context.server = await startTestServer(makeMain(context.logger, context.seen)({ 'tet.max_body_size': LIMIT }));
});
body.after(async (context) => {
  process.off('unhandledRejection', context.onUnhandled);
  await context.server.close();
});

body('a Content-Length over the limit is a 413 before any of the body is sent', (context) =>
  withTimeout(async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(context.server.port, '127.0.0.1', () => socket.write('POST /text HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\n\r\n'));
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        data += chunk;
      });
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 413 /, JSON.stringify(answer));
    assert.match(answer, /\r\nconnection: close\r\n/i);
    assert.match(answer, `The body is larger than ${LIMIT} bytes (tet.max_body_size)`);
  }, 3000),
);

body('a large upload gets its 413, declared or chunked, never a reset connection', (context) =>
  withTimeout(async () => {
    assert.is(await upload(context.server, '/text', 50 * 1024 * 1024, false), `413 close The body is larger than ${LIMIT} bytes (tet.max_body_size)`);
    assert.is(await upload(context.server, '/text', 8 * 1024 * 1024, true), `413 close The body is larger than ${LIMIT} bytes (tet.max_body_size)`);
    assert.is(await upload(context.server, '/text', LIMIT, true), `200 close got ${LIMIT}`);
    assert.is(await upload(context.server, '/text', LIMIT, false), `200 close got ${LIMIT}`);
  }),
);

body('a client that goes away mid-body is a 400 for the view, not a crash, a 500 or an unhandled rejection', (context) =>
  withTimeout(async () => {
    const before = context.seen.length;
    for (const path of ['/text', '/ignore']) {
      const socket = connect(context.server.port, '127.0.0.1', () => socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nonly ten b`));
      socket.on('error', () => {});
      await sleep(50);
      socket.destroy();
    }
    await sleep(200);
    assert.equal(context.seen.slice(before), ['400 Bad Request: The request body was not received completely: the client went away.']);
    assert.equal(
      context.logger.lines.filter((line) => line.includes('unhandled')),
      [],
    );
    assert.equal(context.unhandled, []);
    assert.is((await rawRequest(context.server.base, '/twice', { method: 'POST', body: '{"a":1}' })).status, 200);
  }),
);

body('the body is read once: text() twice and json() after it give the same body', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/twice', { method: 'POST', body: '{"a":[1,2]}' });
    assert.equal(JSON.parse(res.text), { text: '{"a":[1,2]}', again: '{"a":[1,2]}', json: { a: [1, 2] } });
  }),
);

body.run();

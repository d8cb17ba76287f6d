// How responses leave the server: what reaches the socket, not only what the client reads.
import { connect, type Socket } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, Response } from '../src/index.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

const PAGE = '<p>café ☕</p>\n'.repeat(40);

const main = applicationFactory((config) => {
  config.addRoute('page', '/page');
  config.addView(() => new Response(PAGE), { routeName: 'page' });
  config.addRoute('slow', '/slow');
  config.addView(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return new Response('slow answer', { contentType: 'text/plain; charset=utf-8' });
    },
    { routeName: 'slow' },
  );
  config.addRoute('bytes', '/bytes');
  config.addView(() => new Response(Buffer.from('raw bytes'), { contentType: 'application/octet-stream' }), { routeName: 'bytes' });
});

interface Writes {
  write: number;
  writev: number;
}

/** Counts the server side's socket writes (`_write` one chunk, `_writev` several) per connection. */
function countWrites(server: TestServer): Writes[] {
  const perConnection: Writes[] = [];
  server.server.on('connection', (socket: Socket) => {
    const counts = { write: 0, writev: 0 };
    perConnection.push(counts);
    const streamSocket = socket as Socket & { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
    const write = streamSocket._write.bind(socket);
    const writev = streamSocket._writev.bind(socket);
    streamSocket._write = (...args) => {
      counts.write++;
      write(...args);
    };
    streamSocket._writev = (...args) => {
      counts.writev++;
      writev(...args);
    };
  });
  return perConnection;
}

/** Sends `text` on one connection and collects what comes back until `done` says it is all there. */
function exchange(base: string, text: string, done: (received: string) => boolean): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (done(received)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed after: ${received}`)));
  });
}

const wire = suite<{ server: TestServer; writes: Writes[] }>('responses on the wire');

wire.before(async (context) => {
  context.server = await startTestServer(main());
  context.writes = countWrites(context.server);
});
wire.after(async (context) => context.server.close());

wire('a text body leaves with its head in one socket write, not a writev', (context) =>
  withTimeout(async () => {
    const before = context.writes.length;
    const res = await rawRequest(context.server.base, '/page');
    assert.is(res.status, 200);
    assert.is(res.text, PAGE);
    assert.is(Number(res.headers['content-length']), Buffer.byteLength(PAGE));
    assert.equal(context.writes.slice(before), [{ write: 1, writev: 0 }]);
  }),
);

wire('keep-alive: the next request on the connection is answered too', (context) =>
  withTimeout(async () => {
    const request = 'GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const length = Buffer.byteLength(PAGE);
    const received = await exchange(
      context.server.base,
      request + request,
      (text) => text.split('HTTP/1.1 200 OK').length === 3 && Buffer.byteLength(text.slice(text.lastIndexOf('\r\n\r\n') + 4)) === length,
    );
    assert.is(received.split(PAGE).length, 3, 'both pages arrived whole');
  }),
);

wire('pipelined behind a slow view, a text answer waits its turn and arrives whole', (context) =>
  withTimeout(async () => {
    const received = await exchange(context.server.base, 'GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', (text) => text.endsWith(PAGE));
    const slow = received.indexOf('slow answer');
    const page = received.indexOf(PAGE);
    assert.ok(slow !== -1 && page > slow, 'the slow answer first, then the page');
  }),
);

wire('an HTTP/1.0 client gets the whole text body, then the connection closes', (context) =>
  withTimeout(async () => {
    const { hostname, port } = new URL(context.server.base);
    const received = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => socket.write('GET /page HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(received, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(received, /\r\nConnection: close\r\n/i);
    assert.ok(received.endsWith(`\r\n\r\n${PAGE}`), 'the body follows the head, whole');
  }),
);

wire('a client that leaves before a slow text view answers does not disturb the server', (context) =>
  withTimeout(async () => {
    const { hostname, port } = new URL(context.server.base);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write('GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', () => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 80)); // the view answers into a closed connection
    const res = await rawRequest(context.server.base, '/page');
    assert.is(res.text, PAGE);
  }),
);

wire('HEAD gets the head and the length of a text body, not the body', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/page', { method: 'HEAD' });
    assert.is(res.status, 200);
    assert.is(Number(res.headers['content-length']), Buffer.byteLength(PAGE));
    assert.is(res.body.length, 0);
  }),
);

wire('byte bodies are sent as they are', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/bytes');
    assert.is(res.text, 'raw bytes');
    assert.is(res.headers['content-type'], 'application/octet-stream');
  }),
);

wire.run();

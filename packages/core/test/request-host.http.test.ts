// Where request.host and request.applicationUrl take the authority from: X-Forwarded-Host
// (trusted proxies only), an absolute-form target (RFC 9112 §3.2.2), Host, HTTP/2's :authority.
import { connect, constants, type ClientHttp2Session, createServer as createH2cServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, applicationFactory, Response } from '../src/index.js';
import { startTestServer, type TestServer, withTimeout } from '../src/testing.js';
import { sendRaw } from './keep-alive.js';

const main = applicationFactory((config) => {
  config.addRoute('where', '/where');
  config.addView((request) => new Response(`host=${request.host} app=${request.applicationUrl}`), { routeName: 'where' });
});

const get = (target: string, headers: string[]) => `GET ${target} HTTP/1.1\r\n${[...headers, 'Connection: close'].join('\r\n')}\r\n\r\n`;
const bodyOf = (answer: string) => answer.slice(answer.indexOf('\r\n\r\n') + 4);
const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? 0);

interface Context {
  direct: TestServer;
  proxied: TestServer;
}

const http1 = suite<Context>('Request.host over HTTP/1.1');
http1.before(async (context) => {
  context.direct = await startTestServer(main());
  context.proxied = await startTestServer(main({ 'tet.trust_proxy': 'true' }));
});
http1.after(async (context) => {
  await context.direct?.close();
  await context.proxied?.close();
});

http1('an absolute-form target names the host, over the Host header (RFC 9112 §3.2.2)', (context) =>
  withTimeout(async () => {
    const answer = await sendRaw(context.direct.base, get('http://example.com:8080/where?x=1', ['Host: other.example']));
    assert.is(statusOf(answer), 200);
    assert.is(bodyOf(answer), 'host=example.com:8080 app=http://example.com:8080');
    const origin = await sendRaw(context.direct.base, get('/where', ['Host: other.example']));
    assert.is(bodyOf(origin), 'host=other.example app=http://other.example');
  }),
);

http1('two Host headers are still a 400 with an absolute-form target', (context) =>
  withTimeout(async () => {
    const answer = await sendRaw(context.direct.base, get('http://example.com/where', ['Host: a.example', 'Host: b.example']));
    assert.is(statusOf(answer), 400);
    assert.match(answer, 'The request has more than one host header');
  }),
);

http1('a trusted X-Forwarded-Host still wins over the target; an untrusted one is ignored', (context) =>
  withTimeout(async () => {
    const headers = ['Host: other.example', 'X-Forwarded-Host: cdn.example', 'X-Forwarded-Proto: https'];
    const proxied = await sendRaw(context.proxied.base, get('http://example.com/where', headers));
    assert.is(bodyOf(proxied), 'host=cdn.example app=https://cdn.example');
    const direct = await sendRaw(context.direct.base, get('http://example.com/where', headers));
    assert.is(bodyOf(direct), 'host=example.com app=http://example.com');
  }),
);

interface H2Context {
  app: App;
  server: Http2Server;
  client: ClientHttp2Session;
}

// HTTP/2 (cleartext, as a proxy in front may speak it) sends the authority as :authority, no Host.
const http2 = suite<H2Context>('Request.host over HTTP/2');
http2.before(async (context) => {
  context.app = await main();
  context.server = createH2cServer((req, res) => context.app.handler(req as never, res as never));
  await new Promise<void>((resolve) => context.server.listen(0, '127.0.0.1', resolve));
  const { port } = context.server.address() as AddressInfo;
  context.client = connect(`http://127.0.0.1:${port}`);
});
http2.after(async (context) => {
  context.client?.close();
  await new Promise((resolve) => context.server?.close(resolve));
  await context.app?.close();
});

function h2get(client: ClientHttp2Session, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = client.request({ [constants.HTTP2_HEADER_METHOD]: 'GET', [constants.HTTP2_HEADER_PATH]: '/where', ...headers });
    let status = 0;
    let body = '';
    stream.setTimeout(5000, () => stream.close(constants.NGHTTP2_CANCEL));
    stream.on('response', (head) => {
      status = Number(head[constants.HTTP2_HEADER_STATUS]);
    });
    stream.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    stream.on('end', () => resolve({ status, body }));
    stream.on('error', reject);
    stream.on('close', () => (status === 0 ? reject(new Error('HTTP/2 stream closed without an answer')) : undefined));
  });
}

http2(':authority is the host when there is no Host header', (context) =>
  withTimeout(async () => {
    const res = await h2get(context.client, { [constants.HTTP2_HEADER_AUTHORITY]: 'h2.example:8443' });
    assert.is(res.status, 200);
    assert.is(res.body, 'host=h2.example:8443 app=http://h2.example:8443');
  }),
);

http2('an invalid :authority is not echoed: the connection address instead', (context) =>
  withTimeout(async () => {
    const res = await h2get(context.client, { [constants.HTTP2_HEADER_AUTHORITY]: 'user@evil.example' });
    assert.is(res.status, 200);
    assert.match(res.body, /^host=127\.0\.0\.1:\d+ app=http:\/\/127\.0\.0\.1:\d+$/);
  }),
);

http1.run();
http2.run();

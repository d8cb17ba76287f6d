// Issue 12 item 14 and the malformed-request cases around it: two Host headers (or other
// singleton headers), an escaped NUL, bad UTF-8, raw non-ASCII and absolute-form targets with
// a bad host are each a 400, and the server keeps serving.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, Response } from '../src/index.js';
import { duplicatedSingleton } from '../src/duplicate-headers.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';
import { sendRaw } from './keep-alive.js';

const main = applicationFactory((config) => {
  config.addRoute('echo', '/echo/:rest');
  config.addView((request) => new Response(`host=${request.host} path=${request.pathInfo} rest=${request.matchdict.rest}`), { routeName: 'echo' });
});

const request = (target: string, headers: string[] = ['Host: 127.0.0.1']) => `GET ${target} HTTP/1.1\r\n${[...headers, 'Connection: close'].join('\r\n')}\r\n\r\n`;

function status(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? 0);
}

const duplicates = suite<{ server: TestServer }>('duplicated singleton headers');

duplicates.before(async (context) => {
  context.server = await startTestServer(main());
});
duplicates.after(async (context) => context.server.close());

duplicates('two Host headers are a 400 that closes the connection', (context) =>
  withTimeout(async () => {
    for (const hosts of [
      ['Host: 127.0.0.1', 'Host: evil.example'],
      ['Host: 127.0.0.1', 'host: 127.0.0.1'],
      ['HOST: a', 'Accept: */*', 'hOsT: b'],
    ]) {
      const answer = await sendRaw(context.server.base, request('/echo/x', hosts));
      assert.is(status(answer), 400, hosts.join(' / '));
      assert.match(answer, /\r\nconnection: close\r\n/i);
      assert.match(answer, '400 Bad Request\n\nThe request has more than one host header');
    }
  }),
);

duplicates('other headers Node silently de-duplicates are refused the same way', (context) =>
  withTimeout(async () => {
    for (const name of ['Content-Type', 'Authorization', 'Proxy-Authorization', 'If-Modified-Since', 'If-Unmodified-Since']) {
      const answer = await sendRaw(context.server.base, request('/echo/x', ['Host: 127.0.0.1', `${name}: one`, `${name.toLowerCase()}: two`]));
      assert.is(status(answer), 400, name);
      assert.match(answer, `The request has more than one ${name.toLowerCase()} header`);
    }
    // Node's parser refuses two Content-Length headers itself.
    assert.is(status(await sendRaw(context.server.base, request('/echo/x', ['Host: 127.0.0.1', 'Content-Length: 0', 'Content-Length: 0']))), 400);
  }),
);

duplicates('headers that may repeat still work, and the server keeps serving', (context) =>
  withTimeout(async () => {
    const answer = await sendRaw(context.server.base, request('/echo/x', ['Host: 127.0.0.1', 'Accept: text/html', 'Accept: */*', 'Cookie: a=1', 'Cookie: b=2']));
    assert.is(status(answer), 200);
    assert.ok(answer.endsWith('host=127.0.0.1 path=/echo/x rest=x'), answer);
    assert.is((await rawRequest(context.server.base, '/echo/y')).status, 200);
  }),
);

duplicates('duplicatedSingleton names the first repeated singleton, in any case', () => {
  assert.is(duplicatedSingleton(['Host', 'a', 'Accept', 'x', 'Accept', 'y']), undefined);
  assert.is(duplicatedSingleton(['Content-Type', 'a', 'Host', 'h', 'CONTENT-TYPE', 'b']), 'content-type');
  assert.is(duplicatedSingleton([]), undefined);
});

const targets = suite<{ server: TestServer }>('malformed request targets');

targets.before(async (context) => {
  context.server = await startTestServer(main());
});
targets.after(async (context) => context.server.close());

targets('bad escapes, bad UTF-8 and an escaped NUL are a 400', (context) =>
  withTimeout(async () => {
    for (const path of ['/echo/%zz', '/echo/%', '/echo/%E2%82', '/echo/%C0%AE%C0%AE', '/echo/%C0%80', '/echo/%ED%A0%80', '/echo/%FF', '/echo/a%00b', '/echo/%00']) {
      const res = await rawRequest(context.server.base, path);
      assert.is(res.status, 400, path);
      assert.match(res.text, 'The request path is not a valid URL path', path);
    }
    assert.is((await rawRequest(context.server.base, '/echo/%E2%82%AC')).text, `host=127.0.0.1:${context.server.port} path=/echo/%E2%82%AC rest=\u20ac`);
  }),
);

targets('raw non-ASCII and control characters never reach the application (Node answers 400)', (context) =>
  withTimeout(async () => {
    const raw = Buffer.concat([Buffer.from('GET /echo/caf'), Buffer.from([0xc3, 0xa9]), Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')]);
    assert.is(status(await sendRaw(context.server.base, raw)), 400);
    assert.is(status(await sendRaw(context.server.base, request('/echo/a\u0001b'))), 400);
  }),
);

targets('an absolute-form target is routed by its path, and refused when its host is not a host', (context) =>
  withTimeout(async () => {
    const good = await sendRaw(context.server.base, request('http://example.com:8080/echo/abs?q=1'));
    assert.is(status(good), 200);
    assert.ok(good.endsWith('path=/echo/abs rest=abs'), good);
    for (const target of ['http://[::1/echo/x', 'http://user@example.com/echo/x', 'http://example.com:99999999/echo/x', 'http://ex%41mple.com/echo/x', 'http:/echo/x', 'ftp://example.com/echo/x']) {
      const answer = await sendRaw(context.server.base, request(target));
      assert.is(status(answer), 400, target);
    }
    assert.is((await rawRequest(context.server.base, '/echo/z')).status, 200);
  }),
);

duplicates.run();
targets.run();

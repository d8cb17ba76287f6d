// Issue 12 item 1: a status or header Node refuses is a logged 500, never a crashed process;
// every Location is percent-encoded the way Express's encodeurl does.
import { Readable } from 'node:stream';
import encodeUrl from 'encodeurl';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, HTTPFound, HTTPMovedPermanently, HTTPSeeOther, Response, type ResponseHeaders } from '../src/index.js';
import { encodeLocationHeaders } from '../src/response-head.js';
import { keepAliveExchange } from './keep-alive.js';
import { memoryLogger, rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

const streams: Readable[] = [];

function makeMain(logger: ReturnType<typeof memoryLogger>) {
  return applicationFactory((config) => {
    config.registry.logger = logger;
    const headerView = (headers: ResponseHeaders) => () => new Response('body', { headers });
    const route = (name: string, pattern: string, view: Parameters<typeof config.addView>[0], renderer?: string) => {
      config.addRoute(name, pattern);
      config.addView(view, renderer === undefined ? { routeName: name } : { routeName: name, renderer });
    };
    route('go', '/go/:n', (r) => new HTTPFound(`/hello/${r.matchdict.n}`));
    route('go-async', '/go-async/:n', async (r) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new HTTPSeeOther(`/hello/${r.matchdict.n}`);
    });
    route('next', '/login', (r) => new HTTPFound(r.query.get('next') ?? '/'));
    route('moved', '/moved', () => HTTPMovedPermanently.response('/caf\u00e9/\u20ac?q=a b'));
    route('own-location', '/own-location', () => new Response(null, { status: 303, headers: { location: '/\u20ac%zz%41' } }));
    route('cd', '/cd', headerView({ 'content-disposition': 'attachment; filename="\u20ac-report.pdf"' }));
    route('crlf', '/crlf', headerView({ 'x-note': 'a\r\nset-cookie: stolen=1' }));
    route('lf', '/lf', headerView({ 'x-note': 'a\nb' }));
    route('nul', '/nul', headerView({ 'x-note': 'a\u0000b' }));
    route('bad-name', '/bad-name', headerView({ 'bad name': 'x' }));
    route('undefined-value', '/undefined-value', headerView({ 'x-note': undefined as unknown as string }));
    route('array-value', '/array-value', headerView({ 'x-note': ['fine', 'not\u2028fine'] }));
    for (const [name, status] of [
      ['999', 999],
      ['nan', Number.NaN],
      ['fraction', 200.5],
      ['text', '200'],
      ['interim', 101],
      ['low', 99],
    ] as const) {
      route(`status-${name}`, `/status/${name}`, () => new Response('x', { status: status as number }));
    }
    route('bad-body', '/bad-body', () => new Response(42 as unknown as string));
    route('stream', '/stream', () => {
      const stream = Readable.from(['never sent']);
      streams.push(stream);
      return new Response(stream, { headers: { 'x-note': '\u20ac' } });
    });
    route('async-cd', '/async-cd', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return new Response('x', { headers: { 'content-disposition': 'inline; filename="\u20ac.txt"' } });
    });
    route(
      'renderer',
      '/renderer',
      (r) => {
        r.response.setHeader('x-note', 'line\r\nbreak');
        return { ok: true };
      },
      'json',
    );
    route(
      'async-renderer',
      '/async-renderer',
      async (r) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        r.response.status = Number.NaN;
        return { ok: true };
      },
      'json',
    );
    route('latin1', '/latin1', headerView({ 'content-disposition': 'attachment; filename="caf\u00e9.txt"' }));
    route('ok', '/ok', () => new Response('still serving'));
  });
}

const redirects = suite<{ server: TestServer }>('Location encoding');

redirects.before(async (context) => {
  context.server = await startTestServer(makeMain(memoryLogger())());
});
redirects.after(async (context) => context.server.close());

redirects('a redirect built from a decoded route parameter is encoded, not a crash', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/go/%E2%82%AC');
    assert.is(res.status, 302);
    assert.is(res.headers.location, '/hello/%E2%82%AC');
    const asyncRes = await rawRequest(context.server.base, '/go-async/%E2%82%AC%20x');
    assert.is(asyncRes.status, 303);
    assert.is(asyncRes.headers.location, '/hello/%E2%82%AC%20x');
  }),
);

redirects('valid escapes are kept, a lone % and raw characters are encoded', (context) =>
  withTimeout(async () => {
    // The route parameter is decoded once, so %2541 arrives as the escape %41 and stays one.
    const kept = await rawRequest(context.server.base, '/go/a%2541');
    assert.is(kept.headers.location, '/hello/a%41');
    const next = await rawRequest(context.server.base, `/login?next=${encodeURIComponent('/caf\u00e9 x%zz?a=1#top')}`);
    assert.is(next.headers.location, '/caf%C3%A9%20x%25zz?a=1#top');
    const moved = await rawRequest(context.server.base, '/moved');
    assert.is(moved.status, 301);
    assert.is(moved.headers.location, '/caf%C3%A9/%E2%82%AC?q=a%20b');
    const own = await rawRequest(context.server.base, '/own-location');
    assert.is(own.status, 303);
    assert.is(own.headers.location, '/%E2%82%AC%25zz%41');
  }),
);

redirects('CR/LF in a redirect target cannot inject a header', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, `/login?next=${encodeURIComponent('/a\r\nSet-Cookie: stolen=1\r\n\r\n<script>')}`);
    assert.is(res.status, 302);
    assert.is(res.headers.location, '/a%0D%0ASet-Cookie:%20stolen=1%0D%0A%0D%0A%3Cscript%3E');
    assert.is(res.headers['set-cookie'], undefined);
  }),
);

const refused = suite<{ server: TestServer; logger: ReturnType<typeof memoryLogger> }>('refused response heads');

refused.before(async (context) => {
  context.logger = memoryLogger();
  context.server = await startTestServer(makeMain(context.logger)());
});
refused.after(async (context) => context.server.close());

async function expect500(context: { server: TestServer; logger: ReturnType<typeof memoryLogger> }, path: string, reason: string | RegExp, method = 'GET'): Promise<void> {
  const before = context.logger.lines.length;
  const res = await rawRequest(context.server.base, path, { method });
  assert.is(res.status, 500, `${path}: ${res.status} ${res.text}`);
  assert.is(res.text, method === 'HEAD' ? '' : '500 Internal Server Error\n', path);
  assert.is(res.headers['cache-control'], 'no-store', path);
  assert.is(res.headers['x-note'], undefined, path);
  assert.is(res.headers['set-cookie'], undefined, path);
  const logged = context.logger.lines.slice(before);
  assert.is(logged.length, 1, `${path}: ${logged.join(' | ')}`);
  assert.match(logged[0]!, `error: ${method} ${path}: the response could not be sent (`, path);
  assert.match(logged[0]!, reason, path);
  assert.match(logged[0]!, 'answered 500 instead', path);
}

refused('header values outside Latin-1 or holding CR, LF or NUL are a logged 500', (context) =>
  withTimeout(async () => {
    await expect500(context, '/cd', 'Invalid character in header content ["content-disposition"]');
    await expect500(context, '/crlf', 'Invalid character in header content ["x-note"]');
    await expect500(context, '/lf', 'Invalid character in header content ["x-note"]');
    await expect500(context, '/nul', 'Invalid character in header content ["x-note"]');
    await expect500(context, '/array-value', 'Invalid character in header content ["x-note"]');
    await expect500(context, '/cd', 'Invalid character', 'HEAD');
  }),
);

refused('an invalid header name or a missing value is a logged 500', (context) =>
  withTimeout(async () => {
    await expect500(context, '/bad-name', 'Header name must be a valid HTTP token ["bad name"]');
    await expect500(context, '/undefined-value', 'Invalid value "undefined" for header "x-note"');
  }),
);

refused('a status that is not an integer from 200 to 599 is a logged 500', (context) =>
  withTimeout(async () => {
    await expect500(context, '/status/999', 'the status 999 is not an integer from 200 to 599');
    await expect500(context, '/status/nan', 'the status NaN is not');
    await expect500(context, '/status/fraction', 'the status 200.5 is not');
    await expect500(context, '/status/text', 'the status string "200" is not');
    await expect500(context, '/status/interim', 'the status 101 is not');
    await expect500(context, '/status/low', 'the status 99 is not');
    await expect500(context, '/bad-body', 'the body is number, not a string');
  }),
);

refused('asynchronous views and renderer views are answered the same way', (context) =>
  withTimeout(async () => {
    await expect500(context, '/async-cd', 'Invalid character in header content ["content-disposition"]');
    await expect500(context, '/renderer', 'Invalid character in header content ["x-note"]');
    await expect500(context, '/async-renderer', 'the status NaN is not');
  }),
);

refused('a stream body that cannot be sent is destroyed, not left open', (context) =>
  withTimeout(async () => {
    const before = streams.length;
    await expect500(context, '/stream', 'Invalid character in header content ["x-note"]');
    assert.is(streams.length, before + 1);
    assert.ok(streams[before]!.destroyed, 'the body stream is destroyed');
  }),
);

refused('Latin-1 header values still pass, as Node sends them', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/latin1');
    assert.is(res.status, 200);
    // Node sends such a value as Latin-1 or, joined with a text body, as UTF-8: not Tet's to
    // fix here, but it must not be refused (RFC 9110 obs-text).
    assert.match(res.headers['content-disposition']!, /^attachment; filename="caf.+\.txt"$/);
  }),
);

refused('the process keeps serving, on the same keep-alive connection too', (context) =>
  withTimeout(async () => {
    const paths = ['/cd', '/status/nan', '/async-cd', '/renderer', '/ok'];
    const answers = await Promise.all(paths.map((path) => rawRequest(context.server.base, path)));
    assert.equal(
      answers.map((res) => res.status),
      [500, 500, 500, 500, 200],
    );
    const texts = await keepAliveExchange(context.server.base, ['/crlf', '/async-cd', '/ok']);
    assert.equal(
      texts.map((text) => text.slice(0, 12)),
      ['HTTP/1.1 500', 'HTTP/1.1 500', 'HTTP/1.1 200'],
    );
    assert.match(texts[2]!, 'still serving');
  }),
);

redirects('the fast path for clean values gives exactly what encodeurl gives', () => {
  const alphabet = [
    'a',
    'Z',
    '0',
    '/',
    '?',
    '#',
    '&',
    '=',
    '%',
    '%4',
    '%41',
    '%zz',
    ' ',
    '"',
    "'",
    '<',
    '\\',
    '^',
    '`',
    '{',
    '|',
    '}',
    '~',
    '\u00e9',
    '\u20ac',
    '\ud83d\ude00',
    '\ud800',
    '\r',
    '\n',
    '\t',
    '[',
    ']',
    '@',
    '!',
    '$',
    '*',
    '+',
    ',',
    ';',
    ':',
  ];
  let seed = 7;
  for (let i = 0; i < 5000; i++) {
    let value = '/';
    for (let j = 0; j < 8; j++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      value += alphabet[seed % alphabet.length];
    }
    const headers: ResponseHeaders = { location: value, 'content-location': value };
    encodeLocationHeaders(headers);
    assert.is(headers.location, encodeUrl(value), JSON.stringify(value));
    assert.is(headers['content-location'], encodeUrl(value), JSON.stringify(value));
  }
});

redirects.run();
refused.run();

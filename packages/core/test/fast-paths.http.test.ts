// A view's fast path (fast-paths.ts) answers before routing only when nothing in the
// application could tell the difference; everything else takes the general way.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError, Configurator, ContextFound, type FastPath, NewRequest, NewResponse, Response, shareable } from '../src/index.js';
import { rawRequest, startTestApp, type TestApp, thrown, withTimeout } from '../src/testing.js';
import { sendRaw } from './keep-alive.js';

const FAST = shareable(new Response('fast answer', { contentType: 'text/plain; charset=utf-8', headers: { 'x-answered': 'fast' } }));

interface Counts {
  fast: number;
  view: number;
}

// `/files/*`: the fast path answers `/files/fast` only; the view answers everything.
function filesApp(counts: Counts, more: (config: Configurator) => void = () => {}, settings: Record<string, unknown> = {}): Promise<TestApp> {
  return startTestApp(
    (config) => {
      config.addRoute('files', '/files/*');
      config.addView(
        (request) => {
          counts.view++;
          return new Response(`view ${request.pathInfo}`, { contentType: 'text/plain; charset=utf-8' });
        },
        {
          routeName: 'files',
          requestMethod: 'GET',
          fastPath: (_raw, pathInfo) => {
            counts.fast++;
            return pathInfo === '/files/fast' ? FAST : undefined;
          },
        },
      );
      more(config);
    },
    { package: import.meta.url, settings },
  );
}

async function answerOf(server: TestApp, path: string, options: Parameters<typeof rawRequest>[2] = {}): Promise<string> {
  const res = await rawRequest(server.base, path, options);
  return `${res.status} ${res.text}`;
}

const taken = suite('fast paths: taken');

taken('the fast path answers before routing; what it declines goes to the view', () =>
  withTimeout(async () => {
    const counts = { fast: 0, view: 0 };
    const server = await filesApp(counts);
    try {
      const fast = await rawRequest(server.base, '/files/fast');
      assert.is(fast.status, 200);
      assert.is(fast.text, 'fast answer');
      assert.is(fast.headers['x-answered'], 'fast');
      assert.is(fast.headers['content-length'], '11');
      assert.equal(counts, { fast: 1, view: 0 });
      assert.is(await answerOf(server, '/files/other'), '200 view /files/other');
      assert.equal(counts, { fast: 2, view: 1 });
      // HEAD: the view answers GET, so HEAD too; the shared answer goes out without its body.
      const head = await rawRequest(server.base, '/files/fast', { method: 'HEAD' });
      assert.is(head.status, 200);
      assert.is(head.text, '');
      assert.is(head.headers['content-length'], '11');
      // A method the view does not answer never reaches the fast path: 405 as before.
      const post = await rawRequest(server.base, '/files/fast', { method: 'POST' });
      assert.is(post.status, 405);
      assert.is(post.headers.allow, 'GET, HEAD');
      assert.is(counts.fast, 3);
    } finally {
      await server.close();
    }
  }),
);

taken('a shared answer is the same every time, and writing never changes it', () =>
  withTimeout(async () => {
    const counts = { fast: 0, view: 0 };
    const server = await filesApp(counts);
    try {
      const first = await rawRequest(server.base, '/files/fast');
      for (let i = 0; i < 20; i++) {
        const again = await rawRequest(server.base, '/files/fast', { method: i % 2 === 0 ? 'GET' : 'HEAD' });
        assert.is(again.status, 200);
        assert.is(again.text, i % 2 === 0 ? first.text : '');
      }
      assert.ok(Object.isFrozen(FAST) && Object.isFrozen(FAST.headers));
      assert.equal(FAST.headers, { 'content-type': 'text/plain; charset=utf-8', 'x-answered': 'fast', 'content-length': 11 });
    } finally {
      await server.close();
    }
  }),
);

taken('a route whose literal start stops before the prefix (a parameter, a wildcard) does not turn it off', () =>
  withTimeout(async () => {
    const counts = { fast: 0, view: 0 };
    const server = await filesApp(counts, (config) => {
      config.addRoute('section', '/:section/*');
      config.addView(() => new Response('section'), { routeName: 'section' });
    });
    try {
      assert.is(await answerOf(server, '/files/fast'), '200 fast answer');
      assert.is(await answerOf(server, '/other/x'), '200 section');
      assert.equal(counts, { fast: 1, view: 0 });
    } finally {
      await server.close();
    }
  }),
);

taken('shareable() completes the headers as writing would (length, type, an encoded Location) and freezes them', () => {
  const moved = shareable(new Response('moved', { status: 301, headers: { location: '/a b/ü' } }));
  assert.equal(moved.headers, { location: '/a%20b/%C3%BC', 'content-length': 5, 'content-type': 'text/html; charset=utf-8' });
  assert.throws(() => {
    moved.headers['x-later'] = 'no';
  }, TypeError);
  // What could not be written is refused when it is made, not on every request.
  assert.throws(() => shareable(new Response('x', { status: 99 })), /shareable\(\): the status 99 is not an integer from 200 to 599/);
});

const off = suite('fast paths: after routing, or not at all');

// Each of these must see every request: the fast path then answers after them and the
// routing (App.callView), on a copy of its shared answer.
const seeing: [string, (config: Configurator, seen: string[]) => void][] = [
  [
    'a tween (it must see every request, and may change the answer)',
    (config, seen) =>
      config.addTween('seeing', (handler) => async (request) => {
        const response = await handler(request);
        // After the handler, a tween sees the route that answered, as on the general way.
        seen.push(`tween ${request.pathInfo} ${request.matchedRouteName} ${JSON.stringify(request.matchdict)}`);
        response.headers['x-tween'] = 'changed';
        return response;
      }),
  ],
  ['a NewRequest subscriber', (config, seen) => config.addSubscriber((event) => void seen.push(`NewRequest ${event.request.pathInfo}`), NewRequest)],
  ['a ContextFound subscriber', (config, seen) => config.addSubscriber((event) => void seen.push(`ContextFound ${event.request.matchedRouteName}`), ContextFound)],
  ['a NewResponse subscriber', (config, seen) => config.addSubscriber((event) => void seen.push(`NewResponse ${event.response.status}`), NewResponse)],
];

for (const [what, configure] of seeing) {
  off(`${what}: it sees the request, then the fast path answers`, () =>
    withTimeout(async () => {
      const counts = { fast: 0, view: 0 };
      const seen: string[] = [];
      const server = await filesApp(counts, (config) => configure(config, seen));
      try {
        const res = await rawRequest(server.base, '/files/fast');
        assert.is(`${res.status} ${res.text}`, '200 fast answer');
        assert.equal(counts, { fast: 1, view: 0 });
        assert.is(seen.length, 1);
        if (what.startsWith('a tween')) {
          assert.is(res.headers['x-tween'], 'changed');
          assert.equal(seen, ['tween /files/fast files {"*":"fast"}']);
        }
        if (what.startsWith('a ContextFound')) assert.equal(seen, ['ContextFound files']);
        // The shared answer itself is never changed by what a tween does to its copy.
        assert.equal(FAST.headers, { 'content-type': 'text/plain; charset=utf-8', 'x-answered': 'fast', 'content-length': 11 });
      } finally {
        await server.close();
      }
    }),
  );
}

off('a view deriver that wraps the view (it must run around the view): no fast path at all', () =>
  withTimeout(async () => {
    const counts = { fast: 0, view: 0 };
    const server = await filesApp(counts, (config) => config.addViewDeriver((view) => (request) => view(request), { name: 'wrapping' }));
    try {
      assert.is(await answerOf(server, '/files/fast'), '200 view /files/fast');
      assert.equal(counts, { fast: 0, view: 1 });
    } finally {
      await server.close();
    }
  }),
);

off('another route under the prefix (find-my-way prefers it for its paths): routing decides first', () =>
  withTimeout(async () => {
    const counts = { fast: 0, view: 0 };
    const server = await filesApp(counts, (config) => {
      config.addRoute('special', '/files/special/*');
      config.addView(() => new Response('special'), { routeName: 'special' });
    });
    try {
      assert.is(await answerOf(server, '/files/special/fast'), '200 special');
      assert.equal(counts, { fast: 0, view: 0 });
      assert.is(await answerOf(server, '/files/fast'), '200 fast answer');
      assert.equal(counts, { fast: 1, view: 0 });
    } finally {
      await server.close();
    }
  }),
);

off('a malformed path is a 400 and two Host headers are a 400, as on the general way', () =>
  withTimeout(async () => {
    const counts = { fast: 0, view: 0 };
    const server = await filesApp(counts);
    try {
      assert.is((await rawRequest(server.base, '/files/%zz')).status, 400);
      const twoHosts = await sendRaw(server.base, 'GET /files/fast HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n');
      assert.match(twoHosts, /^HTTP\/1\.1 400 /);
      assert.equal(counts, { fast: 0, view: 0 });
    } finally {
      await server.close();
    }
  }),
);

off('behind a trusted proxy that sends X-Forwarded-Prefix (the view generates URLs under it): the view answers', () =>
  withTimeout(async () => {
    const counts = { fast: 0, view: 0 };
    const server = await filesApp(counts, undefined, { 'tet.trust_proxy': true });
    try {
      assert.is(await answerOf(server, '/files/fast', { headers: { 'x-forwarded-prefix': '/app' } }), '200 view /files/fast');
      assert.is(await answerOf(server, '/files/fast'), '200 fast answer');
      assert.equal(counts, { fast: 1, view: 1 });
    } finally {
      await server.close();
    }
  }),
);

off('as Connect/Express middleware: mounted under a prefix, the view answers (its URLs need the mount point)', () =>
  withTimeout(async () => {
    const counts = { fast: 0, view: 0 };
    const tet = await filesApp(counts);
    const server: Server = createServer((req, res) => {
      if (req.url?.startsWith('/mounted/')) {
        (req as typeof req & { baseUrl: string }).baseUrl = '/mounted';
        req.url = req.url.slice('/mounted'.length);
      }
      tet.app.handler(req, res, () => res.end('next'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      assert.is((await rawRequest(base, '/mounted/files/fast')).text, 'view /files/fast');
      assert.equal(counts, { fast: 0, view: 1 });
      assert.is((await rawRequest(base, '/files/fast')).text, 'fast answer');
      assert.equal(counts, { fast: 1, view: 1 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await tet.close();
    }
  }),
);

off('a fastPath that is not a function is a ConfigurationError, at the call', () => {
  const config = new Configurator({ package: import.meta.url });
  config.addRoute('files', '/files/*');
  const error = thrown(() => config.addView(() => new Response('x'), { routeName: 'files', fastPath: 'yes' as unknown as FastPath }));
  assert.instance(error, ConfigurationError);
  assert.is((error as ConfigurationError).code, 'TET_ERR_VIEW_OPTIONS');
  assert.match(error.message, "'fastPath' must be a function");
});

taken.run();
off.run();

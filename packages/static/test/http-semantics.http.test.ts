// Conditional requests, ranges and encodings over real sockets (issue 12, items 2, 11, 12, 13),
// with cases ported from send's and serve-static's suites.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { App } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

const T = 't1';
interface Context {
  fixture: FixtureApp;
  server: TestServer & { app: App };
  etag: string;
  lastModified: string;
}
const get = (context: Context, file: string, headers: Record<string, string> = {}) => rawRequest(context.server.base, `/static/${T}/${file}`, { headers });

const conditional = suite<Context>('static files: preconditions (RFC 9110 §13)');

conditional.before(startFixture);
conditional.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

conditional('If-Match: * and a list holding the ETag serve the file; other tags are 412', (context) =>
  withTimeout(async () => {
    assert.is((await get(context, 'nums.txt', { 'if-match': '*' })).text, '123456789');
    const listed = await get(context, 'nums.txt', { 'if-match': `"foo", "bar", ${context.etag}` });
    assert.is(listed.status, 200);
    const failed = await get(context, 'nums.txt', { 'if-match': ' "foo", "bar" ' });
    assert.is(failed.status, 412);
    assert.is(failed.body.length, 0);
    assert.is(failed.headers['cache-control'], 'no-store');
    assert.is((await get(context, 'nums.txt', { 'if-match': `W/${context.etag}` })).status, 412, 'strong comparison: a weak tag never matches');
  }),
);

conditional('If-Unmodified-Since: 412 for a date before the file changed, the file otherwise', (context) =>
  withTimeout(async () => {
    assert.is((await get(context, 'nums.txt', { 'if-unmodified-since': context.lastModified })).status, 200);
    const earlier = new Date(Date.parse(context.lastModified) - 60_000).toUTCString();
    assert.is((await get(context, 'nums.txt', { 'if-unmodified-since': earlier })).status, 412);
    assert.is((await get(context, 'nums.txt', { 'if-unmodified-since': 'foo' })).status, 200, 'an invalid date is ignored');
  }),
);

conditional('a failed If-Match wins over If-None-Match, If-Modified-Since and Range (§13.2.2)', (context) =>
  withTimeout(async () => {
    assert.is((await get(context, 'nums.txt', { 'if-match': '"nope"', 'if-none-match': context.etag })).status, 412);
    assert.is((await get(context, 'nums.txt', { 'if-match': '"nope"', 'if-modified-since': context.lastModified })).status, 412);
    assert.is((await get(context, 'nums.txt', { 'if-match': '"nope"', range: 'bytes=0-0' })).status, 412);
    const earlier = new Date(Date.parse(context.lastModified) - 60_000).toUTCString();
    assert.is((await get(context, 'nums.txt', { 'if-unmodified-since': earlier, range: 'bytes=0-0' })).status, 412);
    const ranged = await get(context, 'nums.txt', { 'if-match': context.etag, range: 'bytes=0-0' });
    assert.is(ranged.status, 206);
    assert.is(ranged.text, '1');
  }),
);

conditional('If-None-Match decides over If-Modified-Since', (context) =>
  withTimeout(async () => {
    const changed = await get(context, 'nums.txt', { 'if-none-match': '"123"', 'if-modified-since': context.lastModified });
    assert.is(changed.status, 200);
    assert.is(changed.text, '123456789');
    const same = await get(context, 'nums.txt', { 'if-none-match': context.etag, 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' });
    assert.is(same.status, 304);
    assert.is(same.headers['content-length'], undefined, 'a 304 carries no content metadata');
    assert.is(same.headers['content-type'], undefined);
  }),
);

conditional('only a valid HTTP-date is a date: ISO 8601 and numbers are ignored (200)', (context) =>
  withTimeout(async () => {
    for (const bogus of ['2099-01-01T00:00:00Z', '99999', '2099', 'Tue, 01 Jan 2099']) {
      const res = await get(context, 'nums.txt', { 'if-modified-since': bogus });
      assert.is(res.status, 200, `If-Modified-Since: ${bogus}`);
      const ranged = await get(context, 'nums.txt', { 'if-range': bogus, range: 'bytes=0-0' });
      assert.is(ranged.status, 200, `If-Range: ${bogus}`);
      assert.is(ranged.text, '123456789');
    }
    const future = new Date(Date.now() + 86_400_000);
    assert.is((await get(context, 'nums.txt', { 'if-modified-since': future.toUTCString() })).status, 304, 'IMF-fixdate');
    const weekday = future.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
    const [, dd, mon, yyyy, time] = future.toUTCString().split(' ') as [string, string, string, string, string];
    assert.is((await get(context, 'nums.txt', { 'if-modified-since': `${weekday}, ${dd}-${mon}-${yyyy.slice(2)} ${time} GMT` })).status, 304, 'RFC 850');
    const asctime = `${future.toUTCString().slice(0, 3)} ${mon} ${String(future.getUTCDate()).padStart(2, ' ')} ${time} ${yyyy}`;
    assert.is((await get(context, 'nums.txt', { 'if-modified-since': asctime })).status, 304, 'asctime');
  }),
);

const ranges = suite<Context>('static files: ranges');

ranges.before(startFixture);
ranges.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

async function startFixture(context: Context): Promise<void> {
  context.fixture = makeFixtureApp();
  writeFileSync(join(context.fixture.staticDir, 'nums.txt'), '123456789');
  writeFileSync(join(context.fixture.staticDir, 'zipped.txt'), 'zipped text\n'.repeat(50));
  writeFileSync(join(context.fixture.staticDir, 'zipped.txt.gz'), gzipSync('zipped text\n'.repeat(50)));
  context.server = await serve(context.fixture.dir, (config) => {
    config.setCachebreaker(T);
    config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
  });
  const first = await get(context, 'nums.txt');
  context.etag = first.headers.etag!;
  context.lastModified = first.headers['last-modified']!;
}

ranges('byte ranges as send tests them: inclusive, suffix, open-ended, clamped, 416', (context) =>
  withTimeout(async () => {
    const cases: Array<[string, number, string, string | undefined]> = [
      ['bytes=0-4', 206, '12345', 'bytes 0-4/9'],
      ['bytes=0-0', 206, '1', 'bytes 0-0/9'],
      ['bytes=-3', 206, '789', 'bytes 6-8/9'],
      ['bytes=3-', 206, '456789', 'bytes 3-8/9'],
      ['bytes=2-50', 206, '3456789', 'bytes 2-8/9'],
      ['items=0-4', 200, '123456789', undefined],
      ['asdf', 200, '123456789', undefined],
      ['bytes=1-1,3-', 200, '123456789', undefined],
    ];
    for (const [range, status, body, contentRange] of cases) {
      const res = await get(context, 'nums.txt', { range });
      assert.is(res.status, status, range);
      assert.is(res.text, body, range);
      assert.is(res.headers['content-range'], contentRange, range);
      assert.is(res.headers['content-length'], String(body.length), range);
    }
    const unsatisfiable = await get(context, 'nums.txt', { range: 'bytes=9-50' });
    assert.is(unsatisfiable.status, 416);
    assert.is(unsatisfiable.headers['content-range'], 'bytes */9');
  }),
);

ranges('If-Range: a changed ETag or date, or a value that is neither, sends the whole file', (context) =>
  withTimeout(async () => {
    assert.is((await get(context, 'nums.txt', { 'if-range': context.etag, range: 'bytes=0-0' })).text, '1');
    assert.is((await get(context, 'nums.txt', { 'if-range': context.lastModified, range: 'bytes=0-0' })).text, '1');
    const otherTag = context.etag.replace(/"(.)/, '"0$1');
    const earlier = new Date(Date.parse(context.lastModified) - 20_000).toUTCString();
    for (const ifRange of [otherTag, earlier, 'foo']) {
      const res = await get(context, 'nums.txt', { 'if-range': ifRange, range: 'bytes=0-0' });
      assert.is(res.status, 200, ifRange);
      assert.is(res.text, '123456789', ifRange);
    }
  }),
);

ranges('a pathological Range header answers at once and stalls nobody else', (context) =>
  withTimeout(async () => {
    // Before: 'bytes=' + 16,000 blanks + 'x' cost 0.5 s of CPU each, and 8 at once stalled
    // every other client for about 4 s.
    const hostile = `bytes=${' '.repeat(16_000)}x`;
    const started = performance.now();
    const attacks = Array.from({ length: 8 }, () => get(context, 'nums.txt', { range: hostile }));
    const bystander = get(context, 'nums.txt').then((res) => ({ res, at: performance.now() - started }));
    const answers = await Promise.all(attacks);
    const { res, at } = await bystander;
    for (const answer of answers) {
      assert.is(answer.status, 200, 'an over-long Range is ignored');
      assert.is(answer.text, '123456789');
    }
    assert.is(res.status, 200);
    assert.ok(at < 400, `the other client waited ${Math.round(at)} ms`);
    assert.ok(performance.now() - started < 800, `the eight took ${Math.round(performance.now() - started)} ms`);
    const long = await get(context, 'nums.txt', { range: `bytes=${' '.repeat(250)}0-0` });
    assert.is(long.status, 200, 'a Range header over 200 characters is ignored');
  }),
);

ranges('Accept-Encoding: a listed coding with q > 0 beats an identity the client did not list', (context) =>
  withTimeout(async () => {
    for (const accept of ['gzip;q=0.9', 'deflate;q=1, gzip;q=0.5', 'gzip;q=0.001']) {
      const res = await get(context, 'zipped.txt', { 'accept-encoding': accept });
      assert.is(res.headers['content-encoding'], 'gzip', accept);
      assert.is(res.headers.vary, 'Accept-Encoding');
    }
    for (const accept of ['gzip;q=0', 'gzip;q=0.5, identity', 'deflate', 'identity']) {
      const res = await get(context, 'zipped.txt', { 'accept-encoding': accept });
      assert.is(res.headers['content-encoding'], undefined, accept);
      assert.is(res.text, 'zipped text\n'.repeat(50), accept);
    }
    const plain = await get(context, 'zipped.txt');
    assert.is(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: the file itself');
    assert.is(plain.headers.vary, 'Accept-Encoding', 'Vary even then, so a cache keys on it');
  }),
);

conditional.run();
ranges.run();

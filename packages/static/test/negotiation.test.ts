import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseEncoding, ifRangeMatches, noneMatch, notModifiedSince, parseAcceptEncoding, parseRange } from '../src/negotiation.js';

const encoding = suite('Accept-Encoding');
const both = { br: 1, gzip: 1 };

encoding('parses codings with q-values', () => {
  assert.equal(
    [...parseAcceptEncoding('gzip, br;q=0.5, *;q=0')],
    [
      ['gzip', 1],
      ['br', 0.5],
      ['*', 0],
    ],
  );
  assert.equal(
    [...parseAcceptEncoding('BR ; Q=0.2,identity;q=bogus')],
    [
      ['br', 0.2],
      ['identity', 0],
    ],
  );
});

encoding('prefers brotli, then gzip, then the file, unless q-values say otherwise', () => {
  assert.is(chooseEncoding('gzip, deflate, br', both), 'br');
  assert.is(chooseEncoding('gzip, br;q=0.5', both), 'gzip');
  assert.is(chooseEncoding('br;q=0, gzip', both), 'gzip', 'br;q=0 means no brotli');
  assert.is(chooseEncoding('br;q=0, gzip;q=0', both), null);
  assert.is(chooseEncoding('gzip', { br: 1 }), null, 'only what exists is offered');
  assert.is(chooseEncoding('identity;q=0.1, gzip;q=0.5', both), 'gzip');
  assert.is(chooseEncoding('*', both), 'br');
  assert.is(chooseEncoding('x-gzip', both), 'gzip');
  assert.is(chooseEncoding(undefined, both), null);
  assert.is(chooseEncoding('', both), null);
});

const ranges = suite('Range');

ranges('parses a single byte range, suffix and open-ended forms', () => {
  assert.equal(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
  assert.equal(parseRange('bytes=90-', 100), { start: 90, end: 99 });
  assert.equal(parseRange('bytes=-10', 100), { start: 90, end: 99 });
  assert.equal(parseRange('bytes=-500', 100), { start: 0, end: 99 });
  assert.equal(parseRange('bytes=50-5000', 100), { start: 50, end: 99 });
});

ranges('reports unsatisfiable ranges and ignores ones it will not honour', () => {
  assert.is(parseRange('bytes=100-', 100), 'unsatisfiable');
  assert.is(parseRange('bytes=-0', 100), 'unsatisfiable');
  assert.is(parseRange('bytes=0-1, 5-6', 100), null, 'several ranges: the whole file');
  assert.is(parseRange('items=0-1', 100), null);
  assert.is(parseRange('bytes=9-2', 100), null);
  assert.is(parseRange('bytes=-', 100), null);
});

const validators = suite('validators');

validators('If-None-Match compares weakly and understands lists and *', () => {
  assert.ok(noneMatch('"abc"', '"abc"'));
  assert.ok(noneMatch('W/"abc"', '"abc"'));
  assert.ok(noneMatch('"x", "abc"', '"abc"'));
  assert.ok(noneMatch('*', '"abc"'));
  assert.not.ok(noneMatch('"abcd"', '"abc"'));
});

validators('If-Modified-Since works at second precision', () => {
  const mtime = Date.parse('Mon, 23 Nov 2026 10:00:00 GMT') + 450;
  assert.ok(notModifiedSince('Mon, 23 Nov 2026 10:00:00 GMT', mtime));
  assert.ok(notModifiedSince('Mon, 23 Nov 2026 11:00:00 GMT', mtime));
  assert.not.ok(notModifiedSince('Mon, 23 Nov 2026 09:59:59 GMT', mtime));
  assert.not.ok(notModifiedSince('not a date', mtime));
});

validators('If-Range needs a strong ETag match or the exact date', () => {
  const mtime = Date.parse('Mon, 23 Nov 2026 10:00:00 GMT');
  assert.ok(ifRangeMatches('"abc"', '"abc"', mtime));
  assert.not.ok(ifRangeMatches('W/"abc"', '"abc"', mtime));
  assert.ok(ifRangeMatches('Mon, 23 Nov 2026 10:00:00 GMT', '"abc"', mtime));
  assert.not.ok(ifRangeMatches('Mon, 23 Nov 2026 10:00:01 GMT', '"abc"', mtime));
});

encoding.run();
ranges.run();
validators.run();

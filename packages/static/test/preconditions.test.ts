import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseHttpDate } from '../src/http-date.js';
import { evaluatePreconditions, ifMatch, ifRangeMatches, noneMatch, notModifiedSince, unmodifiedSince } from '../src/preconditions.js';

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

validators('If-Match compares strongly: *, lists, and never a weak tag', () => {
  assert.ok(ifMatch('*', '"abc"'));
  assert.ok(ifMatch('"abc"', '"abc"'));
  assert.ok(ifMatch('"foo", "bar", "abc"', '"abc"'));
  assert.not.ok(ifMatch(' "foo", "bar" ', '"abc"'));
  assert.not.ok(ifMatch('W/"abc"', '"abc"'));
});

validators('If-Unmodified-Since fails only for a valid date before the mtime', () => {
  const mtime = Date.parse('Mon, 23 Nov 2026 10:00:00 GMT') + 450;
  assert.ok(unmodifiedSince('Mon, 23 Nov 2026 10:00:00 GMT', mtime));
  assert.not.ok(unmodifiedSince('Mon, 23 Nov 2026 09:59:59 GMT', mtime));
  assert.ok(unmodifiedSince('foo', mtime), 'an invalid date is ignored');
});

validators('only a valid HTTP-date counts for If-Modified-Since and If-Range', () => {
  const mtime = Date.parse('Mon, 23 Nov 2026 10:00:00 GMT');
  for (const bogus of ['2099-01-01T00:00:00Z', '99999', '2099', 'Tue, 01 Jan 2099', 'tomorrow']) {
    assert.not.ok(notModifiedSince(bogus, mtime), bogus);
    assert.not.ok(ifRangeMatches(bogus, '"abc"', mtime), bogus);
  }
});

const order = suite('preconditions: RFC 9110 §13.2.2 order');
const etag = '"abc"';
const mtime = Date.parse('Mon, 23 Nov 2026 10:00:00 GMT');
const before = 'Mon, 23 Nov 2026 09:00:00 GMT';
const after = 'Mon, 23 Nov 2026 11:00:00 GMT';

order('a false If-Match is 412 even when If-None-Match or If-Modified-Since would be 304', () => {
  assert.is(evaluatePreconditions({ 'if-match': '"x"', 'if-none-match': etag }, etag, mtime), 'failed');
  assert.is(evaluatePreconditions({ 'if-match': '"x"', 'if-modified-since': after }, etag, mtime), 'failed');
});

order('If-Unmodified-Since is ignored when If-Match is present', () => {
  assert.is(evaluatePreconditions({ 'if-match': etag, 'if-unmodified-since': before }, etag, mtime), 'proceed');
  assert.is(evaluatePreconditions({ 'if-unmodified-since': before }, etag, mtime), 'failed');
  assert.is(evaluatePreconditions({ 'if-unmodified-since': after }, etag, mtime), 'proceed');
});

order('If-None-Match decides, and If-Modified-Since is then ignored', () => {
  assert.is(evaluatePreconditions({ 'if-none-match': '"other"', 'if-modified-since': after }, etag, mtime), 'proceed');
  assert.is(evaluatePreconditions({ 'if-none-match': etag, 'if-modified-since': before }, etag, mtime), 'not-modified');
  assert.is(evaluatePreconditions({ 'if-modified-since': after }, etag, mtime), 'not-modified');
  assert.is(evaluatePreconditions({ 'if-modified-since': '2099-01-01T00:00:00Z' }, etag, mtime), 'proceed');
  assert.is(evaluatePreconditions({}, etag, mtime), 'proceed');
});

const dates = suite('parseHttpDate');

dates('reads the three HTTP-date forms', () => {
  const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
  assert.is(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), expected);
  assert.is(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), expected);
  assert.is(parseHttpDate('Sun Nov  6 08:49:37 1994'), expected);
});

dates('refuses everything else', () => {
  for (const bogus of [
    '2099-01-01T00:00:00Z',
    '99999',
    '',
    'Sun, 31 Feb 2026 00:00:00 GMT',
    'Sun, 06 Nov 1994 25:00:00 GMT',
    'sun, 06 nov 1994 08:49:37 gmt',
    'Sun, 06 Nov 1994 08:49:37 UTC',
    `Sun, 06 Nov 1994 08:49:37 GMT${' '.repeat(50)}`,
  ]) {
    assert.is(parseHttpDate(bogus), undefined, JSON.stringify(bogus.slice(0, 40)));
  }
});

dates('a two-digit RFC 850 year more than 50 years ahead is in the past century', () => {
  const year = new Date().getUTCFullYear();
  const far = String((year + 60) % 100).padStart(2, '0');
  assert.is(new Date(parseHttpDate(`Monday, 01-Jan-${far} 00:00:00 GMT`)!).getUTCFullYear(), year + 60 - 100);
});

validators.run();
order.run();
dates.run();

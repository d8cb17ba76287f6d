import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalPath } from '../src/index.js';
import { encodePath } from '../src/safe-path.js';

const paths = suite('canonicalPath');

paths('accepts plain and percent-encoded paths, decoding once', () => {
  assert.is(canonicalPath('style.css'), 'style.css');
  assert.is(canonicalPath('css/site%20main.css'), 'css/site main.css');
  assert.is(canonicalPath('%E2%82%AC.txt'), '€.txt');
  assert.is(canonicalPath('%252e%252e/x'), '%2e%2e/x', 'double encoding decodes once, to a harmless literal name');
});

paths('refuses traversal, empty and dot segments, encoded separators, NUL and backslashes', () => {
  for (const raw of [
    '..',
    '../x',
    'a/../b',
    '%2e%2e/x',
    '%2E%2E/x',
    'a/%2e/b',
    'a//b',
    'a/',
    '/etc/passwd',
    './a',
    'a%2Fb',
    'a%2fb',
    'a%5Cb',
    'a\\b',
    'a%00b',
    'a\0b',
    '.env',
    'dir/.git/config',
    '%2eenv',
    '',
  ]) {
    assert.is(canonicalPath(raw), null, raw);
  }
});

paths('refuses malformed percent-encoding and overlong paths', () => {
  assert.is(canonicalPath('%zz'), null);
  assert.is(canonicalPath('%C3%28'), null);
  assert.is(canonicalPath('a/'.repeat(600) + 'b'), null);
});

paths('encodePath encodes each segment and keeps the slashes', () => {
  assert.is(encodePath('css/site main.css'), 'css/site%20main.css');
  assert.is(encodePath('100%/a?b#c.txt'), '100%25/a%3Fb%23c.txt');
  assert.is(encodePath("css/app.min-2_(x)~!*'.css"), "css/app.min-2_(x)~!*'.css", 'nothing to encode: the path as it is');
  // Whatever the character, the result is encodeURIComponent's, segment by segment.
  const characters = [...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)), 'é', '中', '😀'];
  for (const character of characters) {
    const path = `dir/a${character}b.txt`;
    assert.is(encodePath(path), path.split('/').map(encodeURIComponent).join('/'), JSON.stringify(character));
  }
});

paths.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError } from '@tet/core';
import { classifyToken, generateCachebreaker, validateCachebreaker } from '../src/index.js';

const tokens = suite('cache-breaker tokens');

tokens('are the time in milliseconds, zero-padded to at least 12 digits', () => {
  assert.is(generateCachebreaker(1_763_877_600_123), '1763877600123');
  assert.is(generateCachebreaker(42), '000000000042');
  const before = Date.now();
  const now = Number(generateCachebreaker());
  assert.ok(now >= before && now <= Date.now(), 'defaults to the current time');
});

tokens('must be non-empty and URL-path-safe', () => {
  for (const bad of ['', 'a/b', 'a?b', 'a#b', 'a%20b', 'a b', 'tab\t', '..', '.', undefined, 42]) {
    try {
      validateCachebreaker(bad, 'setCachebreaker');
      assert.unreachable(`should reject ${String(bad)}`);
    } catch (error) {
      assert.instance(error, ConfigurationError);
      assert.is((error as ConfigurationError).code, 'TET_ERR_STATIC_TOKEN');
      assert.match((error as Error).message, 'setCachebreaker(');
    }
  }
  for (const good of ['1763877600123', 'v1.2.3', 'a1b2c3d', 'release-2026_11+build.5']) assert.is(validateCachebreaker(good, 'x'), good);
});

tokens('all-digit tokens compare as numbers, not strings', () => {
  const none = new Set<string>();
  assert.is(classifyToken('999', '1763877600123', none), 'older', "Python Tet's string comparison would say newer");
  assert.is(classifyToken('1763877600122', '1763877600123', none), 'older');
  assert.is(classifyToken('1763877600124', '1763877600123', none), 'newer');
  assert.is(classifyToken('0001763877600124', '1763877600123', none), 'newer', 'leading zeros do not matter');
  assert.is(classifyToken('1763877600123', '1763877600123', none), 'current');
});

tokens('other tokens are older only when listed as previous; otherwise unknown', () => {
  const previous = new Set(['v1', 'v2']);
  assert.is(classifyToken('v2', 'v3', previous), 'older');
  assert.is(classifyToken('v4', 'v3', previous), 'unknown');
  assert.is(classifyToken('1763877600123', 'v3', previous), 'unknown', 'a digit token against a tag has no order');
  assert.is(classifyToken('v3', 'v3', previous), 'current');
});

tokens.run();

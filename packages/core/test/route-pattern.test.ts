import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError, TetError } from '../src/index.js';
import { compileRoutePath, joinRoutePrefix, translatePattern } from '../src/route-pattern.js';

const patterns = suite('route patterns');

patterns('joinRoutePrefix joins like Pyramid', () => {
  assert.is(joinRoutePrefix('', '/users'), '/users');
  assert.is(joinRoutePrefix('api', '/users'), '/api/users');
  assert.is(joinRoutePrefix('/api/', 'users'), '/api/users');
  assert.is(joinRoutePrefix('api', ''), '/api');
  assert.is(joinRoutePrefix('api', '/'), '/api/');
});

patterns('translatePattern adds the leading slash and accepts Pyramid placeholders', () => {
  assert.is(translatePattern('users/{id}/posts/{post_id}', 'r').pattern, '/users/:id/posts/:post_id');
  assert.is(translatePattern('/a/:b', 'r').pattern, '/a/:b');
  assert.equal(translatePattern('/y/{year:\\d{4}}/*rest', 'r'), { pattern: '/y/:year(^\\d{4}$)/*', wildcardName: 'rest' });
  // find-my-way's own regex keeps its braces.
  assert.is(translatePattern('/n/:id(^\\d{2}$)', 'r').pattern, '/n/:id(^\\d{2}$)');
});

patterns('compileRoutePath fills params, encodes them, and keeps wildcard slashes', () => {
  assert.is(compileRoutePath('/users/:id', 'u')({ id: 'a/b c' }), '/users/a%2Fb%20c');
  assert.is(compileRoutePath('/files/*', 'f')({ '*': 'a b/c.txt' }), '/files/a%20b/c.txt');
  assert.is(compileRoutePath('/files/*', 'f')({}), '/files/');
  assert.is(compileRoutePath('/range/:from-:to', 'r')({ from: 1, to: 9 }), '/range/1-9');
  assert.is(compileRoutePath('/n/:id(^\\d+)/x', 'n')({ id: 5 }), '/n/5/x');
  assert.is(compileRoutePath('/opt/:id?', 'o')({}), '/opt');
  assert.is(compileRoutePath('/time::now', 't')({}), '/time:now');
});

patterns('a missing parameter is a TetError naming the route and the parameter', () => {
  try {
    compileRoutePath('/users/:id', 'user')({});
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, TetError);
    assert.is((error as TetError).code, 'TET_ERR_ROUTE_PARAMS');
    assert.match((error as Error).message, "routeUrl('user'): missing the parameter 'id'");
  }
});

patterns('a malformed pattern is a ConfigurationError', () => {
  assert.throws(
    () => compileRoutePath('/bad/:(x)', 'bad'),
    (error: unknown) => error instanceof ConfigurationError && error.code === 'TET_ERR_ROUTE_PATTERN',
  );
  assert.throws(
    () => compileRoutePath('/bad/:id(\\d+', 'bad'),
    (error: unknown) => error instanceof ConfigurationError && /unbalanced/.test(error.message),
  );
});

patterns.run();

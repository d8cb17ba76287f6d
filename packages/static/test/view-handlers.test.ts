import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Request } from '@tet/core';
import type { FileEntry } from '../src/file-entry.js';
import type { Representations } from '../src/representations.js';
import { type PathLookup, ResolvedPaths } from '../src/resolved-paths.js';

const entry = (relativePath: string) => ({ relativePath }) as FileEntry;
const FILES = new Map<string, Representations>([
  ['css/site main.css', { entry: entry('css/site main.css') }],
  ['app.js', { entry: entry('app.js') }],
]);

function source(stable: boolean): PathLookup & { finds: number } {
  return {
    finds: 0,
    find(relativePath) {
      this.finds++;
      return FILES.get(relativePath);
    },
    reading: () => false,
    findOrWait(relativePath) {
      return this.find(relativePath);
    },
    stable,
  };
}

// What ResolvedPaths reads of a request: its path and query string.
function request(target: string): Request {
  const q = target.indexOf('?');
  return { pathInfo: q === -1 ? target : target.slice(0, q), queryString: q === -1 ? '' : target.slice(q + 1) } as Request;
}

const resolved = suite('resolved paths');

resolved('a found file is remembered under the exact path asked, once per file', () => {
  const paths = new ResolvedPaths();
  const files = source(true);
  assert.is(paths.lookup(files, request('/static/1/app.js'), '/static/1/', 'app.js'), FILES.get('app.js'));
  assert.is(paths.get('/static/1/app.js'), FILES.get('app.js'));
  assert.is(paths.lookup(files, request('/static/1/%61pp.js'), '/static/1/', '%61pp.js'), FILES.get('app.js'), 'another spelling finds the file');
  assert.is(paths.lookup(files, request('/static/1/css/site%20main.css'), '/static/1/', 'css/site%20main.css'), FILES.get('css/site main.css'));
  assert.is(paths.size, 1, 'only the spelling that is its own canonical form is kept');
  assert.is(paths.get('/static/1/%61pp.js'), undefined);
});

resolved('misses and refused paths are never remembered', () => {
  const paths = new ResolvedPaths();
  const files = source(true);
  for (const rest of ['missing.js', '../app.js', '.env', 'css//app.js', 'a%2Fb', 'a\\b']) assert.is(paths.lookup(files, request(`/s/${rest}`), '/s/', rest), undefined, rest);
  assert.is(paths.size, 0);
});

resolved('a path asked with a query string finds the file but is not remembered', () => {
  const paths = new ResolvedPaths();
  assert.is(paths.lookup(source(true), request(`/static/1/app.js?${'x'.repeat(8000)}`), '/static/1/', 'app.js'), FILES.get('app.js'));
  assert.is(paths.size, 0);
});

resolved('nothing is remembered while files can change (reload mode)', () => {
  const paths = new ResolvedPaths();
  assert.is(paths.lookup(source(false), request('/static/1/app.js'), '/static/1/', 'app.js'), FILES.get('app.js'));
  assert.is(paths.size, 0);
});

resolved('a new prefix (a new token) forgets the old paths', () => {
  const paths = new ResolvedPaths();
  const files = source(true);
  paths.lookup(files, request('/static/1/app.js'), '/static/1/', 'app.js');
  paths.lookup(files, request('/static/2/app.js'), '/static/2/', 'app.js');
  assert.is(paths.size, 1);
  assert.is(paths.get('/static/1/app.js'), undefined);
  assert.is(paths.get('/static/2/app.js'), FILES.get('app.js'));
});

resolved.run();

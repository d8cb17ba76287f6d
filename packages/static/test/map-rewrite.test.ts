import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findMapReferences, rewriteMap } from '../src/map-rewrite.js';

const MAP = JSON.stringify({ version: 3, file: 'app.js', sources: ['../src/app.ts', 'https://example.com/x.ts', 'webpack://y.ts', null], sourcesContent: ['a'], names: [], mappings: 'AAAA' });

const maps = suite('source maps');

maps("finds the tree's files among a map's sources, relative to the map", () => {
  assert.equal(findMapReferences(MAP, 'js/app.js.map'), [{ relativePath: 'src/app.ts', suffix: '' }]);
});

maps('rewrites those sources and keeps every other field', () => {
  const out = JSON.parse(rewriteMap(MAP, 'js/app.js.map', (ref) => `../h/${ref.relativePath}`));
  assert.equal(out, { ...JSON.parse(MAP), sources: ['../h/src/app.ts', 'https://example.com/x.ts', 'webpack://y.ts', null] });
});

maps('leaves alone a map that is not JSON, has a sourceRoot, or needs no change', () => {
  assert.is(
    rewriteMap('not json', 'a.map', () => 'x'),
    'not json',
  );
  const rooted = JSON.stringify({ version: 3, sourceRoot: '/src/', sources: ['a.ts'], mappings: '' });
  assert.is(
    rewriteMap(rooted, 'a.map', () => 'x'),
    rooted,
  );
  assert.equal(findMapReferences(rooted, 'a.map'), []);
  assert.is(
    rewriteMap(MAP, 'js/app.js.map', () => undefined),
    MAP,
  );
});

maps.run();

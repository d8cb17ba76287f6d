import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ledgerOf, nextManifest, type ManifestFile } from '../src/index.js';

const file = (hash: string): ManifestFile => ({ hash, integrity: `sha384-${hash}`, size: 1, encodings: [] });
const ledger = suite('asset manifest and ledger');

ledger('a new release moves the previous files into the history, newest first, keeping N', () => {
  const first = nextManifest(undefined, 't1', { 'a.css': file('aaa1') }, 2, new Date('2026-01-01T00:00:00Z'));
  assert.equal(first.history, []);
  const same = nextManifest(first, 't1', { 'a.css': file('aaa1') }, 2);
  assert.equal(same.history, [], 'an unchanged tree adds no release');
  const second = nextManifest(same, 't2', { 'a.css': file('aaa2') }, 2);
  const third = nextManifest(second, 't3', { 'a.css': file('aaa3'), 'b.js': file('bbb3') }, 2);
  const fourth = nextManifest(third, 't4', { 'b.js': file('bbb4') }, 2);
  assert.equal(
    fourth.history.map((release) => release.tree),
    ['t3', 't2'],
  );
  assert.equal(fourth.history[0]!.files, { 'a.css': 'aaa3', 'b.js': 'bbb3' });
  const known = ledgerOf(fourth);
  assert.ok(known.wasHashOf('a.css', 'aaa2'));
  assert.not.ok(known.wasHashOf('a.css', 'aaa1'), 'older than N releases is forgotten');
  assert.not.ok(known.wasHashOf('b.js', 'aaa3'), 'a hash belongs to its own file');
  assert.ok(known.knewPath('a.css'));
  assert.equal([...known.trees], ['t3', 't2']);
});

ledger.run();

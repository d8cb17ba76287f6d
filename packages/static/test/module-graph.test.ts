import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { shortHash, sha384 } from '../src/content-hash.js';
import { type GraphHost, type HashedFile, hashGraph } from '../src/module-graph.js';

interface Built extends HashedFile {
  readonly text: string;
}

// A tree of text files whose references are `-> target` lines; building a file appends the
// hash of each target it was given, as a rewritten reference would.
function graphOf(files: Record<string, string[]>): { host: GraphHost<Built>; built: Map<string, Built>; builds: string[] } {
  const built = new Map<string, Built>();
  const builds: string[] = [];
  const host: GraphHost<Built> = {
    done: (path) => built.get(path),
    exists: (path) => path in files,
    references: (path) => files[path]!,
    build: (path, hashOf) => {
      builds.push(path);
      const text = [path, ...files[path]!.map((target) => `-> ${target}@${hashOf(target) ?? 'same'}`)].join('\n');
      const digest = sha384(text);
      return { text, entry: { digest }, hash: shortHash(digest) };
    },
    store: (path, file, hash) => built.set(path, { ...file, hash }),
  };
  return { host, built, builds };
}

function hashAll(files: Record<string, string[]>): Map<string, Built> {
  const { host, built } = graphOf(files);
  for (const path of Object.keys(files)) hashGraph(path, host);
  return built;
}

const TREE = {
  'app.js': ['router.js', 'util.js'],
  'router.js': ['views.js'],
  'views.js': ['router.js', 'leaf.js'], // a cycle: router <-> views
  'util.js': ['leaf.js'],
  'leaf.js': [],
  'sibling.js': ['util.js'],
  'lonely.js': [],
};

const graph = suite('hashGraph');

graph('builds leaves first, so each file is built once, with the final hashes of what it refers to', () => {
  const { host, built, builds } = graphOf(TREE);
  hashGraph('app.js', host);
  assert.is(builds.filter((path) => path === 'leaf.js').length, 1);
  assert.ok(builds.indexOf('leaf.js') < builds.indexOf('util.js'));
  assert.ok(builds.indexOf('util.js') < builds.indexOf('app.js'));
  assert.match(built.get('app.js')!.text, `-> util.js@${built.get('util.js')!.hash}`);
  assert.not.ok(built.has('sibling.js'), 'only what app.js reaches');
});

graph('gives the files of a cycle one hash, computed over all of them, and leaves their references to each other alone', () => {
  const built = hashAll(TREE);
  const router = built.get('router.js')!;
  const views = built.get('views.js')!;
  assert.is(router.hash, views.hash);
  assert.is.not(router.hash, shortHash(router.entry.digest));
  assert.match(views.text, '-> router.js@same');
  assert.match(views.text, `-> leaf.js@${built.get('leaf.js')!.hash}`);
  assert.match(built.get('app.js')!.text, `-> router.js@${router.hash}`);
});

graph('a changed leaf changes the hash of every file reaching it, and of nothing else', () => {
  const before = hashAll(TREE);
  const after = hashAll({ ...TREE, 'leaf.js': ['new-dependency.js'], 'new-dependency.js': [] });
  for (const path of ['leaf.js', 'util.js', 'app.js', 'router.js', 'views.js', 'sibling.js']) assert.is.not(after.get(path)!.hash, before.get(path)!.hash, path);
  assert.is(after.get('lonely.js')!.hash, before.get('lonely.js')!.hash);
  const cycleOnly = hashAll({ ...TREE, 'views.js': ['router.js', 'leaf.js', 'lonely.js'] });
  for (const path of ['leaf.js', 'util.js', 'sibling.js', 'lonely.js']) assert.is(cycleOnly.get(path)!.hash, before.get(path)!.hash, path);
  for (const path of ['router.js', 'views.js', 'app.js']) assert.is.not(cycleOnly.get(path)!.hash, before.get(path)!.hash, path);
});

graph('ignores references to missing files and to the file itself', () => {
  const built = hashAll({ 'a.js': ['a.js', 'missing.js'] });
  const a = built.get('a.js')!;
  assert.is(a.hash, shortHash(a.entry.digest), 'a self-reference is no cycle');
});

graph('walks a chain of 20,000 modules without overflowing the stack, and a cycle through all of them', () => {
  const chain: Record<string, string[]> = {};
  for (let i = 0; i < 20_000; i++) chain[`m${i}.js`] = i === 19_999 ? [] : [`m${i + 1}.js`];
  const built = hashAll(chain);
  assert.is(built.size, 20_000);
  chain['m19999.js'] = ['m0.js'];
  const ring = hashAll(chain);
  assert.is(new Set([...ring.values()].map((file) => file.hash)).size, 1);
});

graph.run();

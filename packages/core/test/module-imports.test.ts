// Issue 13: the built-in directives' bodies take a narrow DirectiveContext, so configurator.ts
// imports them and nothing it imports leads back to it (no import cycle through the Configurator).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const IMPORT = /(?:from|import)\s*\(?\s*'\.\/([\w-]+)\.js'/g;

/** Each source module's relative imports (type-only ones too: a cycle of types is a cycle for a reader). */
function importGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const name of readdirSync(SRC)) {
    if (!name.endsWith('.ts')) continue;
    const text = readFileSync(`${SRC}${name}`, 'utf8');
    graph.set(name.slice(0, -3), new Set([...text.matchAll(IMPORT)].map((match) => match[1]!)));
  }
  return graph;
}

/** The modules `start` leads to, with the path to each. */
function reachable(graph: Map<string, Set<string>>, start: string): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const queue: string[][] = [[start]];
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    for (const next of graph.get(path.at(-1)!) ?? []) {
      if (paths.has(next)) continue;
      paths.set(next, [...path, next]);
      queue.push([...path, next]);
    }
  }
  return paths;
}

const graph = suite('core module graph');

graph('configurator.ts is on no import cycle: the directive bodies it imports never import it back', () => {
  const imports = importGraph();
  assert.ok(imports.get('configurator')!.has('view-directives'), 'configurator.ts imports view-directives.ts');
  assert.ok(imports.get('configurator')!.has('security-directives'), 'configurator.ts imports security-directives.ts');
  const back = reachable(imports, 'configurator').get('configurator');
  assert.is(back, undefined, `cycle: ${back?.join(' → ')}`);
});

graph('the directive bodies name DirectiveContext, never Configurator', () => {
  for (const name of ['view-directives', 'security-directives']) {
    const text = readFileSync(`${SRC}${name}.ts`, 'utf8');
    assert.ok(text.includes("from './directive-context.js'"), name);
    assert.not.ok(text.includes("'./configurator.js'"), name);
  }
});

graph.run();

// Every TypeScript snippet in the docs is type-checked against the real packages, so the
// docs cannot drift from the API. A snippet whose first line is `// name.ts` is written
// under that name (so snippets can import each other); a snippet that uses `config`,
// `request` or `app` without declaring them gets them declared, as the fragment it is.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const work = join(repo, 'test-output', 'doc-snippets');
const DOCS = [
  'README.md',
  'docs/index.md',
  'docs/getting-started.md',
  'docs/configuration.md',
  'docs/views.md',
  'docs/static.md',
  'docs/templating.md',
  'docs/errors.md',
  'docs/requests.md',
  'docs/security.md',
  'docs/operations.md',
  'docs/serving.md',
  'docs/frontend.md',
  'docs/deploying.md',
  'packages/core/README.md',
  'packages/templating/README.md',
  'packages/static/README.md',
  'packages/vite/README.md',
];

const FREE_NAMES: Record<string, string> = {
  config: "import('@tet/core').Configurator",
  request: "import('@tet/core').Request",
  app: "import('@tet/core').App",
};

interface Snippet {
  file: string;
  line: number;
  preludeLines: number;
}

function declares(code: string, name: string): boolean {
  return new RegExp(`^\\s*(?:export\\s+)?(?:const|let|var|function|class)\\s+${name}\\b|^import\\b[^\\n]*\\b${name}\\b`, 'm').test(code);
}

/** Writes a doc's snippets as a small TypeScript project; returns where each came from. */
function writeSnippets(doc: string, dir: string): Snippet[] {
  const text = readFileSync(join(repo, doc), 'utf8');
  const snippets: Snippet[] = [];
  const used = new Set<string>();
  mkdirSync(dir, { recursive: true });
  for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const code = match[1]!;
    const line = text.slice(0, match.index).split('\n').length + 1;
    const named = /^\/\/ ((?:[\w-]+\/)*[\w-]+\.ts)\b/.exec(code)?.[1];
    let file = named ?? `snippet-${line}.ts`;
    if (used.has(file)) file = file.replace(/\.ts$/, `-${line}.ts`);
    used.add(file);
    const prelude = ["import '@tet/static';", "import '@tet/templating';"];
    for (const [name, type] of Object.entries(FREE_NAMES)) {
      if (new RegExp(`\\b${name}\\b`).test(code) && !declares(code, name)) prelude.push(`declare const ${name}: ${type};`);
    }
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), `${prelude.join('\n')}\n${code}\nexport {};\n`);
    snippets.push({ file, line, preludeLines: prelude.length });
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023'], types: ['node'], noEmit: true, skipLibCheck: true },
      include: ['**/*.ts'],
    }),
  );
  return snippets;
}

const docs = suite('docs snippets');
docs.before(() => rmSync(work, { recursive: true, force: true }));

for (const doc of DOCS) {
  docs(`${doc}: every TypeScript snippet type-checks`, () => {
    const dir = join(work, doc.replace(/[/.]/g, '_'));
    const snippets = writeSnippets(doc, dir);
    if (doc === 'docs/getting-started.md' || doc === 'docs/static.md') assert.ok(snippets.length >= 3, `${doc} has ${snippets.length} snippets`);
    if (snippets.length === 0) return;
    const result = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
    // Report errors where they are in the doc, not in the generated files.
    const errors = result.stdout
      .split('\n')
      .filter((line) => /error TS\d+/.test(line))
      .map((line) => {
        const found = /^(.+?\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
        const snippet = snippets.find((s) => found !== null && found[1]!.endsWith(s.file));
        return snippet === undefined ? line : `${doc}:${snippet.line + Number(found![2]) - 1 - snippet.preludeLines}: ${found![4]}`;
      });
    assert.equal(errors, [], `${doc}: snippets that do not type-check`);
    assert.is(result.status, 0, result.stdout + result.stderr);
  });
}

docs.run();

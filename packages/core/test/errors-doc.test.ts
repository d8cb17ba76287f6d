import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationConflictError, ConfigurationError, ConfigurationExecutionError, TetError } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** Each package's code table (`src/error-codes.ts`, as built), by package directory. */
async function codeTables(): Promise<Map<string, Record<string, unknown>>> {
  const tables = new Map<string, Record<string, unknown>>();
  for (const pkg of readdirSync(join(repo, 'packages'))) {
    const file = join(repo, 'packages', pkg, 'dist', 'src', 'error-codes.js');
    if (!existsSync(file)) continue;
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, table] of Object.entries(module)) {
      if (name.endsWith('ErrorCodes') && typeof table === 'object' && table !== null) tables.set(`${pkg}.${name}`, table as Record<string, unknown>);
    }
  }
  return tables;
}

const docs = suite('docs/errors.md');

docs('documents exactly the error codes the packages declare, each declared once with a meaning', async () => {
  const tables = await codeTables();
  assert.equal([...tables.keys()].sort(), ['core.coreErrorCodes', 'static.staticErrorCodes', 'templating.templatingErrorCodes', 'vite.viteErrorCodes']);
  const declared = new Map<string, string>();
  for (const [table, codes] of tables) {
    for (const [code, meaning] of Object.entries(codes)) {
      assert.not.ok(declared.has(code), `${code} is declared by ${declared.get(code)} and ${table}`);
      assert.match(code, /^TET_ERR_[A-Z0-9_]+$/);
      assert.ok(typeof meaning === 'string' && meaning.length > 10, `${table}.${code} needs a one-line meaning`);
      declared.set(code, table);
    }
  }
  const documented = new Set([...readFileSync(join(repo, 'docs', 'errors.md'), 'utf8').matchAll(/^### (TET_ERR_[A-Z0-9_]+)$/gm)].map((m) => m[1]!));
  assert.equal([...declared.keys()].filter((code) => !documented.has(code)).sort(), [], 'codes declared but not documented');
  assert.equal([...documented].filter((code) => !declared.has(code)).sort(), [], 'codes documented but not declared');
});

const classes = suite('error classes');

classes('are named after their class and carry a code', () => {
  const config = new ConfigurationError('bad', 'TET_ERR_ROUTE_NAME');
  assert.is(config.name, 'ConfigurationError');
  assert.is(config.code, 'TET_ERR_ROUTE_NAME');
  assert.instance(config, TetError);
  const conflict = new ConfigurationConflictError(
    new Map([
      [
        'route:x',
        [
          { file: '/a.ts', line: 1, column: 2 },
          { file: '/b.ts', line: 3, column: 4 },
        ],
      ],
    ]),
  );
  assert.is(conflict.name, 'ConfigurationConflictError');
  assert.match(conflict.message, '  For: route:x\n    /a.ts:1:2\n    /b.ts:3:4');
  assert.instance(conflict, ConfigurationError);
  const execution = new ConfigurationExecutionError(new Error('boom'), { file: '/c.ts', line: 5, column: 6 }, 'view:x:*');
  assert.is(execution.name, 'ConfigurationExecutionError');
  assert.is(execution.message, 'boom\n  while committing the configuration action for view:x:*, declared at /c.ts:5:6');
});

docs.run();
classes.run();

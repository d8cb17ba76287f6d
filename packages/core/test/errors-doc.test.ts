import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationConflictError, ConfigurationError, ConfigurationExecutionError, TetError } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const docs = suite('docs/errors.md');

docs('documents exactly the error codes the packages use', () => {
  const used = new Set<string>();
  for (const pkg of readdirSync(join(repo, 'packages'))) {
    for (const file of sourceFiles(join(repo, 'packages', pkg, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/'(TET_ERR_[A-Z0-9_]+)'/g)) used.add(match[1]!);
    }
  }
  const documented = new Set([...readFileSync(join(repo, 'docs', 'errors.md'), 'utf8').matchAll(/^### (TET_ERR_[A-Z0-9_]+)$/gm)].map((m) => m[1]!));
  assert.ok(used.size > 10, `found ${used.size} codes in the sources`);
  assert.equal([...used].filter((code) => !documented.has(code)).sort(), [], 'codes used but not documented');
  assert.equal([...documented].filter((code) => !used.has(code)).sort(), [], 'codes documented but not used');
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

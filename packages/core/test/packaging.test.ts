// publint on every package of the workspace, so a packaging mistake (an export pointing at a
// file that is not published, `types` after `default`) fails CI instead of the npm page.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withTimeout } from '../src/testing.js';

const packages = fileURLToPath(new URL('../../../../packages/', import.meta.url));

async function lint(pkgDir: string): Promise<string[]> {
  const { messages, pkg } = await publint({ pkgDir, pack: 'npm', level: 'suggestion', strict: true });
  return messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`);
}

const packaging = suite('publint');

for (const name of readdirSync(packages)) {
  packaging(`packages/${name} has no publint message`, () =>
    withTimeout(async () => {
      assert.equal(await lint(join(packages, name)), []);
    }, 30_000),
  );
}

packaging('reports a broken package, so the checks above can fail', () =>
  withTimeout(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tet-publint-'));
    try {
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'index.js'), 'export const x = 1;\n');
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'broken', version: '1.0.0', type: 'module', files: ['dist'], exports: { '.': { default: './dist/index.js', types: './dist/index.d.ts' } } }),
      );
      const messages = await lint(dir);
      assert.ok(messages.some((m) => m.includes('types should be the first')) && messages.some((m) => m.includes('the file does not exist')), messages.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000),
);

packaging.run();

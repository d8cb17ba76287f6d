// `tet` imports @tet/static from the project: a package that is missing is told apart from
// one that is there but fails to load, whose real error is shown.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { importFromProject, PackageNotInstalledError } from '../src/project-import.js';
import { rejected } from '../src/testing.js';

const builtSrc = dirname(fileURLToPath(import.meta.url)).replace(/test$/, 'src');

/** A project folder with the given files (path -> text) under it. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tet-project-import-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', type: 'module' }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const pkg = (name: string, exports: Record<string, string>) => JSON.stringify({ name, version: '1.0.0', type: 'module', exports });

const FILES = {
  'node_modules/@scope/works/package.json': pkg('@scope/works', { './cli': './cli.js' }),
  'node_modules/@scope/works/cli.js': 'export const answer = 42;\n',
  'node_modules/@scope/throws/package.json': pkg('@scope/throws', { './cli': './cli.js' }),
  'node_modules/@scope/throws/cli.js': "throw new Error('boom while loading');\n",
  'node_modules/@scope/needs-dep/package.json': pkg('@scope/needs-dep', { './cli': './cli.js' }),
  'node_modules/@scope/needs-dep/cli.js': "import 'tet-missing-dependency';\n",
  'node_modules/@scope/no-cli/package.json': pkg('@scope/no-cli', { '.': './index.js' }),
  'node_modules/@scope/no-cli/index.js': '',
};

const imports = suite('importFromProject');

imports('imports a package and subpath from the project folder', async () => {
  const dir = project(FILES);
  try {
    assert.is((await importFromProject<{ answer: number }>('@scope/works/cli', dir)).answer, 42);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

imports('a package installed nowhere is a PackageNotInstalledError naming the package', async () => {
  const dir = project({});
  try {
    const error = await rejected(() => importFromProject('@scope/nowhere-at-all/cli', dir));
    assert.instance(error, PackageNotInstalledError);
    assert.is((error as PackageNotInstalledError).packageName, '@scope/nowhere-at-all');
    assert.match(error.message, `@scope/nowhere-at-all is not installed in ${dir}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

imports('a package that throws while loading, misses a dependency or lacks the subpath rejects with its own error', async () => {
  const dir = project(FILES);
  try {
    const throws = await rejected(() => importFromProject('@scope/throws/cli', dir));
    assert.not.instance(throws, PackageNotInstalledError);
    assert.is(throws.message, 'boom while loading');
    const needsDep = await rejected(() => importFromProject('@scope/needs-dep/cli', dir));
    assert.not.instance(needsDep, PackageNotInstalledError);
    assert.is((needsDep as { code?: string }).code, 'ERR_MODULE_NOT_FOUND');
    assert.match(needsDep.message, "Cannot find package 'tet-missing-dependency'");
    const noCli = await rejected(() => importFromProject('@scope/no-cli/cli', dir));
    assert.not.instance(noCli, PackageNotInstalledError);
    assert.is((noCli as { code?: string }).code, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const cli = suite('tet assets without a working @tet/static');

function tet(cwd: string, cliFile: string): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [cliFile, 'assets', 'manifest', 'static'], { cwd, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stderr: result.stderr };
}

cli('@tet/static installed nowhere: exit 2 and the npm install advice', () => {
  // The built CLI, copied outside this workspace, so not even the fallback beside @tet/core finds @tet/static.
  const dir = project({});
  try {
    cpSync(builtSrc, join(dir, 'tet'), { recursive: true });
    writeFileSync(join(dir, 'tet', 'package.json'), JSON.stringify({ type: 'module' }));
    const { status, stderr } = tet(dir, join(dir, 'tet', 'cli.js'));
    assert.is(status, 2, stderr);
    assert.match(stderr, "tet assets: @tet/static is not installed here. Run 'npm install @tet/static' first.");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

cli('@tet/static installed but failing to load: exit 1 and its real error', () => {
  const dir = project({
    'node_modules/@tet/static/package.json': pkg('@tet/static', { './cli': './cli.js' }),
    'node_modules/@tet/static/cli.js': "import 'tet-missing-dependency';\n",
  });
  try {
    const { status, stderr } = tet(dir, join(builtSrc, 'cli.js'));
    assert.is(status, 1, stderr);
    assert.match(stderr, 'tet assets: @tet/static is installed but failed to load:');
    assert.match(stderr, "Cannot find package 'tet-missing-dependency'");
    assert.not.match(stderr, 'is not installed here');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

imports.run();
cli.run();

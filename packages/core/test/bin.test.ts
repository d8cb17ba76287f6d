// Issue 12 item 10: `npx --no-install tet new ../my-app` works in a fresh clone. npm links a
// package's bins when it installs, before `prepare` builds dist/, so the bin must be a file
// that is committed, not one the build makes; .ci/run proves it from a real fresh clone.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const core = join(repo, 'packages', 'core');
const manifest = JSON.parse(readFileSync(join(core, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };

const bin = suite('the tet bin');

bin('points at a committed, executable file that is published', () => {
  const target = manifest.bin.tet!;
  assert.is(target, 'bin/tet.js');
  const listed = spawnSync('git', ['ls-files', '-s', '--', join('packages', 'core', target)], { cwd: repo, encoding: 'utf8' });
  assert.match(listed.stdout, /^100755 /, `git tracks ${target} as an executable file: ${listed.stdout}${listed.stderr}`);
  assert.ok(manifest.files.includes('bin'), 'package.json files includes bin');
});

bin('is what the workspace links as node_modules/.bin/tet, and runs the built CLI', () => {
  assert.is(realpathSync(join(repo, 'node_modules', '.bin', 'tet')), realpathSync(join(core, 'bin', 'tet.js')));
  const help = spawnSync(join(repo, 'node_modules', '.bin', 'tet'), ['help'], { encoding: 'utf8' });
  assert.is(help.status, 0, help.stderr);
  assert.match(help.stdout, 'Usage: tet <command> [options]');
  const unknown = spawnSync(process.execPath, [join(core, 'bin', 'tet.js'), 'nope'], { encoding: 'utf8' });
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, "tet: unknown command 'nope'");
});

bin('says what to do when the CLI is not built yet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tet-bin-'));
  try {
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(core, 'bin', 'tet.js'), join(dir, 'bin', 'tet.js'));
    copyFileSync(join(core, 'package.json'), join(dir, 'package.json')); // its #cli import, with no dist/ beside it
    const run = spawnSync(process.execPath, [join(dir, 'bin', 'tet.js'), 'help'], { encoding: 'utf8' });
    assert.is(run.status, 1);
    assert.match(run.stderr, "tet: @tet/core is not built yet (dist/cli.js is missing). In a checkout of Tet, run 'npm install' or 'npm run build' at its root.");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

bin.run();

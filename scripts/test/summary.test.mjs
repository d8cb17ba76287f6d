// The summary line CI reads, made from the output of real uvu runs over fixture test files.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { summarize } from '../test-summary.mjs';

const child = fileURLToPath(new URL('../uvu-child.mjs', import.meta.url));
const fixture = (name) => fileURLToPath(new URL(`fixtures/${name}.test.mjs`, import.meta.url));

function runUvu(name) {
  const result = spawnSync(process.execPath, [child, fixture(name)], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '1' }, timeout: 30_000 });
  return summarize(result.stdout, result.status, result.signal);
}

const summary = suite('test summary');

summary('counts passes, failures and skips of a real uvu run', () => {
  const result = runUvu('mixed');
  assert.equal([result.passed, result.failed, result.skipped], [2, 1, 1]);
  assert.is(result.line, 'tests: 2 passed, 1 failed, 1 skipped');
});

summary('skipped tests are not failures (uvu leaves them out of Total)', () => {
  const result = runUvu('skips');
  assert.is(result.line, 'tests: 1 passed, 0 failed, 2 skipped');
});

summary('a run that fails after its summary still fails', () => {
  const result = runUvu('rejects');
  assert.is(result.passed, 1);
  assert.is(result.failed, 1);
});

summary('output without a summary (a crash) is a failure', () => {
  assert.is(summarize('Error: boom\n', 1, null).line, 'tests: 0 passed, 1 failed');
  assert.is(summarize('', null, 'SIGKILL').failed, 1);
});

summary.run();

// tet serve's children run with the Node flags of the process that starts them (so a
// --conditions that picks dist/src or the bundles picks the same in the child), plus source
// maps, and never a second debugger on the same port.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { childExecArgv } from '../src/serve/child-flags.js';

const flags = suite('tet serve child flags');

flags("the parent's flags are passed on, with source maps", () => {
  assert.equal(childExecArgv(['--conditions=tet-unbundled', '--import', 'tsx']), ['--conditions=tet-unbundled', '--import', 'tsx', '--enable-source-maps']);
  assert.equal(childExecArgv(['--enable-source-maps', '--conditions=x']), ['--enable-source-maps', '--conditions=x']);
  assert.equal(childExecArgv([]), ['--enable-source-maps']);
});

flags('debugger flags are not', () => {
  assert.equal(childExecArgv(['--inspect', '--inspect-brk=9230', '--inspect-port=9229', '--max-old-space-size=512']), ['--max-old-space-size=512', '--enable-source-maps']);
});

flags('this test process runs under tet-unbundled, and its children would too', () => {
  assert.ok(process.execArgv.includes('--conditions=tet-unbundled'), process.execArgv.join(' '));
  assert.ok(childExecArgv().includes('--conditions=tet-unbundled'));
});

flags.run();

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError } from '../src/index.js';
import { applyEnvironment } from '../src/serve/environment.js';
import { makePlan } from '../src/serve/plan.js';
import { readSettingsFile } from '../src/serve/settings-file.js';

const dir = mkdtempSync(join(tmpdir(), 'tet-settings-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function throwsConfig(work: () => unknown, code: string, ...fragments: string[]): void {
  try {
    work();
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, code);
    for (const fragment of fragments) assert.ok((error as Error).message.includes(fragment), `'${fragment}' missing from: ${(error as Error).message}`);
    return;
  }
  assert.unreachable('no ConfigurationError');
}

const reading = suite('readSettingsFile');

reading('reads [app:main] dotted keys, use, %(here)s and [server:main] from ini', () => {
  const path = file(
    'good.ini',
    '# comment\n[app:main]\nuse = ./app.js\ntet.debug = true\nmyapp.release =\nmyapp.root = %(here)s/data\n\n[server:main]\nhost = 0.0.0.0\nport = 8080\nworkers = 2\n\n[loggers]\nkeys = root\n',
  );
  const read = readSettingsFile(path);
  assert.is(read.use, './app.js');
  assert.equal(read.settings, { 'tet.debug': true, 'myapp.release': '', 'myapp.root': `${dir}/data` });
  assert.equal(read.server, { host: '0.0.0.0', port: 8080, workers: 2 });
  assert.is(read.where('app:main', 'tet.debug'), `${path}:4 [app:main] tet.debug`);
});

reading('reads the same shape from JSON', () => {
  const read = readSettingsFile(file('good.json', JSON.stringify({ 'app:main': { use: 'myapp', 'tet.static.reload': true }, 'server:main': { port: 0 } })));
  assert.is(read.use, 'myapp');
  assert.equal(read.settings, { 'tet.static.reload': true });
  assert.equal(read.server, { port: 0 });
});

reading('a bad value names the file, the line, the key and the fix', () => {
  const path = file('bad-bool.ini', '[app:main]\n\ntet.debug = maybe\n');
  throwsConfig(() => readSettingsFile(path), 'TET_ERR_SETTINGS_VALUE', `${path}:3 [app:main] tet.debug`, "got 'maybe'", "'tet.debug = true'");
  const port = file('bad-port.ini', '[app:main]\n[server:main]\nport = eighty\n');
  throwsConfig(() => readSettingsFile(port), 'TET_ERR_SETTINGS_VALUE', `${port}:3 [server:main] port`, 'from 0 to 65535', "'port = 6543'");
  const level = file('bad-level.ini', '[app:main]\ntet.logging.level = loud\n');
  throwsConfig(() => readSettingsFile(level), 'TET_ERR_SETTINGS_VALUE', ':2 [app:main] tet.logging.level', 'fatal, error, warn, info');
  const unknown = file('bad-server.ini', '[app:main]\n[server:main]\nuse = egg:waitress#main\n');
  throwsConfig(() => readSettingsFile(unknown), 'TET_ERR_SETTINGS_VALUE', ':3 [server:main] use', 'host, port, workers, shutdown_timeout', 'Remove the key');
});

reading('a misspelt tet setting suggests the right one', () => {
  const path = file('typo.ini', '[app:main]\ntet.static.relaod = true\n');
  throwsConfig(() => readSettingsFile(path), 'TET_ERR_SETTINGS_VALUE', ':2 [app:main] tet.static.relaod', "did you mean 'tet.static.reload'");
});

reading('malformed files: the line and what to write', () => {
  throwsConfig(() => readSettingsFile(file('noeq.ini', '[app:main]\ntet.debug true\n')), 'TET_ERR_SETTINGS_FILE', 'noeq.ini:2', "not 'key = value'");
  throwsConfig(() => readSettingsFile(file('twice.ini', '[app:main]\ntet.debug = true\ntet.debug = false\n')), 'TET_ERR_SETTINGS_FILE', 'twice.ini:3', 'set twice (first on line 2)');
  throwsConfig(() => readSettingsFile(file('noapp.ini', '[server:main]\nport = 1\n')), 'TET_ERR_SETTINGS_FILE', 'noapp.ini: no [app:main] section', 'use = ./dist/src/app.js');
  throwsConfig(() => readSettingsFile(file('bad.json', '{\n  "app:main": {,}\n}')), 'TET_ERR_SETTINGS_FILE', 'bad.json:2', 'not valid JSON');
  throwsConfig(() => readSettingsFile(join(dir, 'missing.ini')), 'TET_ERR_SETTINGS_FILE', 'missing.ini', 'cannot read the settings file');
});

const environment = suite('applyEnvironment');

environment('TET_* names tet.* keys: known, declared, or underscores as dots', () => {
  const settings: Record<string, unknown> = { 'tet.static.reload': 'false' };
  const applied = applyEnvironment(settings, { TET_STATIC_RELOAD: 'true', TET_MAX_BODY_SIZE: '10', TET_MYPKG_COLOR: 'blue', HOME: '/root', TET_SERVE_ROLE: 'child' });
  assert.equal(applied.sort(), ['tet.max_body_size', 'tet.mypkg.color', 'tet.static.reload']);
  assert.equal(settings, { 'tet.static.reload': 'true', 'tet.max_body_size': '10', 'tet.mypkg.color': 'blue' });
});

environment('an application key is overridden only when the file declares it', () => {
  const settings: Record<string, unknown> = { 'myapp.release': '' };
  applyEnvironment(settings, { MYAPP_RELEASE: 'r7', OTHERAPP_THING: 'x' });
  assert.equal(settings, { 'myapp.release': 'r7' });
});

environment('a bad value names the variable; two keys with one name are refused', () => {
  throwsConfig(() => applyEnvironment({}, { TET_DEBUG: 'sometimes' }), 'TET_ERR_SETTINGS_VALUE', 'environment variable TET_DEBUG', "got 'sometimes'");
  throwsConfig(() => applyEnvironment({ 'myapp.a_b': 1, 'myapp.a.b': 2 }, { MYAPP_A_B: '3' }), 'TET_ERR_SETTINGS_ENV', 'MYAPP_A_B', 'myapp.a_b or myapp.a.b');
});

const plan = suite('makePlan');

plan('flags beat PORT, which beats [server:main]; the environment beats the file', () => {
  const path = file('plan.ini', '[app:main]\nuse = ./app.js\ntet.debug = false\n[server:main]\nport = 7000\nhost = 0.0.0.0\n');
  writeFileSync(join(dir, 'app.js'), 'export const main = () => null;\n');
  const fromFile = makePlan([path], {}, dir);
  assert.is(fromFile.port, 7000);
  assert.is(fromFile.host, '0.0.0.0');
  assert.is(fromFile.appModule, join(dir, 'app.js'));
  assert.is(fromFile.settings['tet.logging.level'], 'info');
  assert.is(makePlan([path], { PORT: '7100' }, dir).port, 7100);
  assert.is(makePlan([path, '--port', '7200'], { PORT: '7100' }, dir).port, 7200);
  assert.is(makePlan([path], { TET_DEBUG: 'true' }, dir).settings['tet.debug'], 'true');
  throwsConfig(() => makePlan([path, '--reload', '--workers', '2'], {}, dir), 'TET_ERR_SERVE_USAGE', '--reload runs one process');
  throwsConfig(() => makePlan([path, '--prot', '1'], {}, dir), 'TET_ERR_SERVE_USAGE', "Unknown option '--prot'");
  throwsConfig(() => makePlan([file('nouse.ini', '[app:main]\nuse = ./nowhere.js\n')], {}, dir), 'TET_ERR_SERVE_APP', 'nouse.ini:2 [app:main] use', 'nowhere.js does not exist', 'run tsc');
});

reading.run();
environment.run();
plan.run();

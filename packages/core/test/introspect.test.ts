import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type AppFolder, CLI, makeAppFolder } from './serve-helpers.js';

const INI = '[app:main]\nuse = ./app.js\ntet.static.cachebreaker = r42\n';

function tet(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 10_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const introspect = suite<{ app: AppFolder }>('tet routes / tet views');
introspect.before((context) => {
  context.app = makeAppFolder({ 'development.ini': INI });
});
introspect.after((context) => context.app.remove());

introspect('tet routes lists each route with its pattern, methods and views', (context) => {
  const run = tet(['routes', 'development.ini'], context.app.dir);
  assert.is(run.status, 0, run.stderr);
  const lines = run.stdout.split('\n');
  assert.is(lines[0], 'Routes');
  assert.match(lines[1]!, /^Name +Pattern +Methods +Views$/);
  assert.ok(
    lines.some((line) => /^home +\/ +\* +\(anonymous\)$/.test(line)),
    run.stdout,
  );
  assert.ok(
    lines.some((line) => /^__static:static\/\{breaker\} +\/static\/:breaker\/\* +GET, HEAD/.test(line)),
    run.stdout,
  );
});

introspect('tet views lists each view, then each static view with prefix, folder and token', (context) => {
  const run = tet(['views', 'development.ini'], context.app.dir);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /^Views\nRoute +Methods +View +Renderer +Added at\n/);
  assert.match(run.stdout, new RegExp(`^settings +\\* +\\S+ +json +${context.app.dir}/app\\.js:\\d+:\\d+$`, 'm'));
  assert.match(run.stdout, /\n\nStatic views\nName +Prefix +Folder +Token\n/);
  assert.match(run.stdout, new RegExp(`^static/\\{breaker\\} +/static/r42/ +${context.app.dir}/static +r42$`, 'm'));
});

introspect('--json gives the same tables as data', (context) => {
  const run = tet(['views', 'development.ini', '--json'], context.app.dir);
  assert.is(run.status, 0, run.stderr);
  const tables = JSON.parse(run.stdout) as { title: string; columns: string[]; rows: string[][] }[];
  assert.equal(
    tables.map((table) => table.title),
    ['Views', 'Static views'],
  );
  assert.equal(tables[1]!.rows, [['static/{breaker}', '/static/r42/', `${context.app.dir}/static`, 'r42']]);
});

introspect('a settings error is reported as by tet serve', (context) => {
  context.app.write('bad.ini', '[app:main]\ntet.debug = perhaps\n');
  const run = tet(['routes', 'bad.ini'], context.app.dir);
  assert.is(run.status, 1);
  assert.match(run.stderr, 'bad.ini:2 [app:main] tet.debug');
  assert.match(run.stderr, '[TET_ERR_SETTINGS_VALUE]');
});

introspect.run();

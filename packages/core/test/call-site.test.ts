// Where a directive was called is the user's file, found by skipping Tet's own code: files of
// packages named @tet/… (by their package.json, not guessed from folder names), so an
// application's file in a folder named like Tet's (a monorepo's packages/core/dist/) is its own.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError, type Configurator } from '../src/index.js';

const core = new URL('../src/index.js', import.meta.url).href;
const sites = suite<{ dir: string }>('call sites');
sites.before((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'tet-call-site-'));
});
sites.after((context) => rmSync(context.dir, { recursive: true, force: true }));

async function conflictFrom(file: string, dir: string): Promise<ConfigurationError> {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `import { Configurator } from ${JSON.stringify(core)};
export function configure() {
  const config = new Configurator({ package: ${JSON.stringify(dir)} });
  config.addRoute('home', '/');
  config.addRoute('home', '/other');
  return config;
}
`,
  );
  const { configure } = (await import(pathToFileURL(file).href)) as { configure(): Configurator };
  try {
    await configure().makeApp();
  } catch (error) {
    return error as ConfigurationError;
  }
  throw new Error('no conflict');
}

sites("a conflict names the application's lines", async (context) => {
  const file = join(context.dir, 'app', 'routes.js');
  const error = await conflictFrom(file, context.dir);
  assert.instance(error, ConfigurationError);
  assert.match(error.message, `${file}:4:10`);
  assert.match(error.message, `${file}:5:10`);
});

sites("an application's file under packages/core/dist/ is the application's, not Tet's", async (context) => {
  const file = join(context.dir, 'packages', 'core', 'dist', 'app.js');
  // A monorepo's own package in a folder named like Tet's: its package.json names it.
  mkdirSync(join(context.dir, 'packages', 'core'), { recursive: true });
  writeFileSync(join(context.dir, 'packages', 'core', 'package.json'), JSON.stringify({ name: '@myapp/core', type: 'module' }));
  const error = await conflictFrom(file, context.dir);
  assert.match(error.message, `${file}:4:10`);
  assert.match(error.message, `${file}:5:10`);
  assert.not.match(error.message, 'node:internal');
});

sites.run();

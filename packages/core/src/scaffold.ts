// `tet new <folder>`: a new application made from examples/myapp, the canonical Tet app.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a new application is made of, relative to the example's folder. */
const PARTS = ['src', 'static', 'assets', 'templates', 'development.ini', 'production.ini', 'test/app.http.test.ts'];
const TEXT = /\.(ts|eta|css|js|md|json|html|txt|svg|ini)$/;

interface Template {
  readonly dir: string;
  /** Run from a checkout of the Tet repository: its packages folder, else undefined. */
  readonly checkoutPackages: string | undefined;
}

// In the repository the example itself is the template; a published @tet/core carries a copy
// in template/ (made by its prepack script).
function findTemplate(): Template {
  const core = packageRoot();
  const example = resolve(core, '../../examples/myapp');
  if (existsSync(join(example, 'src', 'app.ts'))) return { dir: example, checkoutPackages: resolve(core, '..') };
  const packaged = join(core, 'template');
  if (existsSync(join(packaged, 'src', 'app.ts'))) return { dir: packaged, checkoutPackages: undefined };
  throw new Error('the application template is missing from this installation of @tet/core');
}

// @tet/core's own folder, found by name rather than from this file's place, which differs
// between dist/src/scaffold.js and the bundle's chunk.
function packageRoot(): string {
  return dirname(fileURLToPath(import.meta.resolve('@tet/core/package.json')));
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/**
 * An npm package name made from a folder name: lower case, letters, digits, `-`, `_`, `.`.
 * @example
 * packageNameFor('My Shop') // 'my-shop'
 */
export function packageNameFor(folder: string): string {
  const name = basename(folder)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  if (name === '') throw new Error(`cannot make a package name from '${basename(folder)}'; use letters and digits`);
  return name;
}

// From a checkout the packages are not on the registry yet: depend on the checkout's folders.
function tetDependency(pkg: string, tetVersion: string, target: string, checkoutPackages: string | undefined): string {
  return checkoutPackages === undefined ? `^${tetVersion}` : `file:${relative(target, join(checkoutPackages, pkg))}`;
}

function manifest(name: string, dependencies: Record<string, string>): string {
  return `${JSON.stringify(
    {
      name,
      version: '0.1.0',
      private: true,
      type: 'module',
      engines: { node: '^20.19.0 || >=22.12.0' },
      scripts: {
        build: 'tsc -p .',
        // As the example: `tet serve` with the settings file (docs/serving.md); dist/src/server.js is
        // the app.listen() way, for those who want their own entry point.
        start: 'tsc -p . && exec tet serve development.ini',
        test: 'tsc -p . && uvu dist/test "\\\\.test\\\\.js$"',
      },
      dependencies,
      devDependencies: { '@types/node': '^20.19.0', typescript: '^7.0.2', uvu: '^0.5.6' },
    },
    null,
    2,
  )}\n`;
}

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      strict: true,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      lib: ['ES2023'],
      types: ['node'],
      verbatimModuleSyntax: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      sourceMap: true,
      rootDir: '.',
      outDir: 'dist',
    },
    include: ['src', 'test'],
  },
  null,
  2,
)}\n`;

function readme(name: string): string {
  return `# ${name}

A [Tet](https://www.npmjs.com/package/@tet/core) application: a Pyramid-style framework for
Node.js with cache-broken static assets.

\`\`\`sh
npm install && npm start    # builds and serves on http://localhost:6543
npm test                    # builds and runs the tests
\`\`\`

- \`src/app.ts\`: the configuration (routes, views, static files, templates)
- \`src/server.ts\`: starts the server; settings come from the environment
  (\`PORT\`, \`HOST\`, \`RELEASE\` for the cache-breaker token, \`TET_DEBUG\`, \`TET_RELOAD\`,
  \`SESSION_SECRET\` to seal session cookies, \`SECURE_COOKIES=true\` behind HTTPS)
- \`src/auth.ts\`: signing in and out (session, CSRF on every form, a page that needs a permission)
- \`templates/\`: Eta templates with \`$name\` and \`\${expression}\` interpolation
- \`static/\`: served under \`/static/<token>/\` with a one-year \`Cache-Control\`
- \`assets/\`: served under \`/assets/<content hash>/\`, also for a year
`;
}

/**
 * Creates a new application in `folder` (which must be empty or not exist yet).
 * @example
 * createApplication('./my-shop') // writes package.json, src/, templates/, static/, test/
 */
export function createApplication(folder: string, tetVersion: string): { name: string; written: string[] } {
  const target = resolve(folder);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(`${target} is not empty; choose a new or empty folder (nothing was written)`);
  }
  const name = packageNameFor(target);
  const template = findTemplate();
  const source = template.dir;
  const written: string[] = [];
  const write = (path: string, content: string | Buffer) => {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), content);
    written.push(path);
  };
  for (const part of PARTS) {
    const from = join(source, part);
    for (const file of existsSync(from) && !TEXT.test(from) ? files(from) : [from]) {
      const path = relative(source, file);
      // The example's package name appears in asset specs and settings: it becomes the new one.
      write(path, TEXT.test(file) ? readFileSync(file, 'utf8').replace(/\bmyapp\b/g, name) : readFileSync(file));
    }
  }
  const dependencies = Object.fromEntries(['core', 'static', 'templating'].map((pkg) => [`@tet/${pkg}`, tetDependency(pkg, tetVersion, target, template.checkoutPackages)]));
  write('package.json', manifest(name, dependencies));
  write('tsconfig.json', TSCONFIG);
  write('README.md', readme(name));
  write('.gitignore', 'node_modules/\ndist/\n');
  return { name, written };
}

/** `tet new <folder>`; resolves with the exit code. */
export async function runNewCommand(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    console.error('Usage: tet new <folder>\n  Creates a new Tet application in <folder>, which must be empty or not exist yet.');
    return 2;
  }
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  try {
    const { name, written } = createApplication(args[0]!, pkg.version);
    console.log(`Created ${name} in ${resolve(args[0]!)} (${written.length} files). Next:\n\n  cd ${args[0]}\n  npm install && npm start\n`);
    return 0;
  } catch (error) {
    console.error(`tet new: ${(error as Error).message}`);
    return 1;
  }
}

#!/usr/bin/env node
// Links each package's compiled modules (tsc's dist/src) into a few ES modules in dist/, which
// its "exports" give Node by default. Node 20 loads a module graph file by file (resolve, read,
// compile, link, and for CommonJS a lexer pass): the ~150 modules of Tet and the ~30 files of
// the dependencies it starts with took 120 ms of a 250 ms cold start; these bundles take about
// 30–45 ms (docs/benchmarks.md "Cold start: where the time goes"). tsc stays the one compiler
// and type checker: esbuild only links, and chains tsc's source maps, so a stack trace under
// --enable-source-maps still names src/*.ts.
//
// The dependencies a server needs from its first request are linked in (INLINED). They stay in
// each package's "dependencies": dist/src (what the `tet-unbundled` condition resolves, and
// what tests run) and the .d.ts files use them. Those loaded only on demand (pino, busboy,
// light-my-request, chokidar, vite, and the parsers only content views use: es-module-lexer,
// postcss-value-parser) stay external, so they cost nothing until used.
// Dynamic imports of Tet's own modules (the CLI's commands, multipart forms) become chunks
// loaded when first used.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Each package's entry modules: one bundle each in dist/, sharing chunks in dist/chunks. */
const BUNDLES = {
  'packages/core': ['index', 'testing', 'cli'],
  'packages/static': ['index', 'cli'],
  'packages/templating': ['index'],
  'packages/vite': ['index'],
};

/** Dependencies linked into the bundles (with their own dependencies); any other stays external. */
const INLINED = new Set(['find-my-way', 'cookie', 'encodeurl', 'ini', 'mime', 'eta']);

const packageName = (specifier) => specifier.split('/', specifier.startsWith('@') ? 2 : 1).join('/');

// find-my-way, as it loads, requires node:assert (about 1 ms to load) and checks three of its
// own regular expressions with safe-regex2, which parses them with ret (1–2 ms): a cold start
// paid both before any route existed. In the bundle, its assert loads Node's on the first
// failed assertion only, and its isRegexSafe answers those three constants (checked here, at
// build time, with the real safe-regex2) at once; a route's own regex still goes through the
// real check, which, like fast-querystring (find-my-way's default query parser, which Tet
// replaces), is required from find-my-way's own installation when first called, not linked
// in: 38 KB fewer to compile at every start-up.
const require = createRequire(import.meta.url);
const findMyWayFile = require.resolve('find-my-way');
const findMyWayRequire = createRequire(findMyWayFile);
const findMyWaySource = readFileSync(findMyWayFile, 'utf8');
// The regex constants find-my-way passes to isRegexSafe() as it loads, as literals.
const findMyWayConstants = new Map([...findMyWaySource.matchAll(/^const (\w+) = (\/.+\/[a-z]*)$/gm)].map((match) => [match[1], match[2]]));
const OWN_REGEXPS = [...findMyWaySource.matchAll(/isRegexSafe\((\w+)\)/g)].map((match) => findMyWayConstants.get(match[1])).filter((literal) => literal !== undefined);
const realIsRegexSafe = findMyWayRequire('safe-regex2');
for (const literal of OWN_REGEXPS) {
  const end = literal.lastIndexOf('/');
  if (!realIsRegexSafe(new RegExp(literal.slice(1, end), literal.slice(end + 1)))) throw new Error(`find-my-way's ${literal} is not safe by safe-regex2: the bundle's shortcut would hide that`);
}
if (OWN_REGEXPS.length === 0) process.stderr.write("bundle: found none of find-my-way's own regular expressions; its load-time check stays as it is\n");

// What find-my-way would have required, as its own installation resolves it.
const FROM_FIND_MY_WAY = "require('node:module').createRequire(require.resolve('find-my-way'))";
const SHIMS = {
  'node:assert': "module.exports = function assert(value, message) { if (!value) require('node:assert').ok(value, message); };",
  'safe-regex2': `const CHECKED = new Set(${JSON.stringify(OWN_REGEXPS)});
let real;
module.exports = function isRegexSafe(re) { return CHECKED.has(String(re)) || (real ??= ${FROM_FIND_MY_WAY}('safe-regex2'))(re); };`,
  'fast-querystring': `let real;
const load = () => (real ??= ${FROM_FIND_MY_WAY}('fast-querystring'));
module.exports = { parse: (query) => load().parse(query), stringify: (value) => load().stringify(value) };`,
};

/** find-my-way's assert, isRegexSafe and query parser as described above; what the shims require is the real thing. */
const findMyWayShims = {
  name: 'tet-find-my-way-shims',
  setup(build) {
    build.onResolve({ filter: /^(node:assert|safe-regex2|fast-querystring)$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]find-my-way[\\/]/.test(args.importer)) return undefined;
      return { path: args.path, namespace: 'tet-shim' };
    });
    build.onLoad({ filter: /.*/, namespace: 'tet-shim' }, (args) => ({ contents: SHIMS[args.path], loader: 'js', resolveDir: dirname(findMyWayFile) }));
  },
};

/** Bare imports from Tet's own code stay external unless INLINED; inside an inlined package, all is linked. */
const dependencies = {
  name: 'tet-dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.namespace === 'tet-shim' || args.importer.includes(`${'/'}node_modules${'/'}`)) return undefined;
      return INLINED.has(packageName(args.path)) ? undefined : { path: args.path, external: true };
    });
  },
};

// esbuild splits code into one chunk per set of entry points (dynamic imports included) that
// reach it, so @tet/core's index came in six files: code shared with its testing entry, with
// its CLI, with the `tet serve` command, with multipart forms... Each file is a resolve, a read
// and a link at start-up (about 2.5 ms for six). Every other entry, static or dynamic, is made
// to import the package's index too: then all of the index's modules are reached from the
// same entries and share one chunk, and what the others add stays in their own.
function oneChunkForTheIndex(dist, entryNames) {
  const index = join(dist, 'src', 'index.js');
  const entries = new Set(entryNames.map((name) => join(dist, 'src', `${name}.js`)));
  return {
    name: 'tet-one-chunk-for-the-index',
    setup(build) {
      build.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(join(dist, 'src'))) return undefined;
        let contents = readFileSync(args.path, 'utf8');
        for (const match of contents.matchAll(/\bimport\(['"](\.{1,2}\/[^'"]+)['"]\)/g)) entries.add(join(dirname(args.path), match[1]));
        if (args.path !== index && entries.has(args.path)) contents += `\nimport ${JSON.stringify(index)};\n`;
        return { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

async function bundle(dir, entries) {
  const dist = join(root, dir, 'dist');
  const missing = entries.filter((name) => !existsSync(join(dist, 'src', `${name}.js`)));
  if (missing.length > 0) throw new Error(`${dir}: dist/src/${missing[0]}.js is missing; run tsc -b first`);
  // Chunk names carry a hash, so the last build's would pile up.
  removeBundles(dist);
  await build({
    entryPoints: Object.fromEntries(entries.map((name) => [name, join(dist, 'src', `${name}.js`)])),
    outdir: dist,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [findMyWayShims, dependencies, oneChunkForTheIndex(dist, entries)],
    // Not keepNames: it calls defineProperty for every named function, at start-up (1–2 ms)
    // and each time a named closure is made (on requests too). Linking renames only a few
    // internal helpers that clash between modules (isThenable2), and classes that refer to
    // themselves, which restoreClassNames() fixes; scripts/test/bundle.test.mjs checks that
    // every exported function and class keeps its name.
    keepNames: false,
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: REQUIRE_BANNER },
    logLevel: 'warning',
    absWorkingDir: join(root, dir),
  });
  for (const file of outputs(dist)) {
    dropUnusedRequire(file);
    restoreClassNames(file);
  }
}

// A CommonJS dependency linked into an ES module still require()s Node's built-ins: each
// output starts with a `require` of its own, which those that never use it drop (creating one
// is about 0.05 ms of a cold start per file). The line stays, empty, so no mapping moves.
const REQUIRE_BANNER = "import { createRequire as __tetCreateRequire } from 'node:module'; const require = __tetCreateRequire(import.meta.url);";
function dropUnusedRequire(file) {
  const text = readFileSync(file, 'utf8');
  const rest = text.slice(REQUIRE_BANNER.length);
  if (text.startsWith(REQUIRE_BANNER) && !/\brequire\b/.test(rest)) writeFileSync(file, rest);
}

/** The bundles' files: dist/*.js and dist/chunks/*.js (not tsc's dist/src and dist/test). */
function outputs(dist) {
  const chunks = join(dist, 'chunks');
  const files = readdirSync(dist)
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(dist, name));
  return existsSync(chunks)
    ? [
        ...files,
        ...readdirSync(chunks)
          .filter((name) => name.endsWith('.js'))
          .map((name) => join(chunks, name)),
      ]
    : files;
}

function removeBundles(dist) {
  if (!existsSync(dist)) return;
  rmSync(join(dist, 'chunks'), { recursive: true, force: true });
  for (const name of readdirSync(dist)) if (/\.js(\.map)?$/.test(name)) rmSync(join(dist, name));
}

// esbuild links a class that refers to itself as `var X = class _X { ... _X ... }`, so its name
// becomes "_X" (Configurator, Response). The original names are set back once the module has
// defined them, at its end (before the source map comment, so no mapping moves).
function restoreClassNames(file) {
  const text = readFileSync(file, 'utf8');
  const names = [...text.matchAll(/^var (\w+) = class _\1\b/gm)].map((match) => match[1]);
  if (names.length === 0) return;
  const restore = `for (const [c, n] of [${names.map((name) => `[${name}, ${JSON.stringify(name)}]`).join(', ')}]) Object.defineProperty(c, "name", { value: n, configurable: true });\n`;
  const at = text.lastIndexOf('//# sourceMappingURL=');
  writeFileSync(file, at < 0 ? text + restore : text.slice(0, at) + restore + text.slice(at));
}

// `--clean` (npm run clean, after tsc -b --clean) removes the bundles only.
if (process.argv.includes('--clean')) for (const dir of Object.keys(BUNDLES)) removeBundles(join(root, dir, 'dist'));
else await Promise.all(Object.entries(BUNDLES).map(([dir, entries]) => bundle(dir, entries)));

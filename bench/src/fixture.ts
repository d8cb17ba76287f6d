// The generated site every server serves: a 1 KB css, a 100 KB js, a 1 MB binary and a tree
// of small files in nested folders, plus the page templates. Content comes from a seeded
// generator, so ETags and sizes are the same on every run and every machine.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FILES, pageAssets, pageText, SITE_PACKAGE, SIZES } from './site.js';

/** A generated fixture, as the harness and the servers see it. */
export interface Fixture {
  /** The fixture's package root: holds package.json, `assets/` and `templates/`. */
  readonly dir: string;
  /** The folder every server serves under `/static/`. */
  readonly assets: string;
  readonly templates: string;
  /** The small files, relative to `assets`, in a fixed order. */
  readonly treeFiles: readonly string[];
  /** The ten assets the templated page links. */
  readonly pageAssets: readonly string[];
}

const MANIFEST = 'fixture.json';
// Bump when the layout changes, so an old fixture directory is never mistaken for a new one.
const LAYOUT_VERSION = 1;

// mulberry32: tiny, seeded, good enough to make incompressible-looking bytes.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bytes(size: number, seed: number): Buffer {
  const next = random(seed);
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor(next() * 256);
  return out;
}

// Text of an exact size, built from lines that look like the file type.
function text(size: number, seed: number, line: (n: number, next: () => number) => string): Buffer {
  const next = random(seed);
  let out = '';
  for (let n = 0; out.length < size; n++) out += line(n, next);
  return Buffer.from(out.slice(0, size - 1) + '\n');
}

const cssLine = (n: number, next: () => number) =>
  `.c${n} { color: #${Math.floor(next() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}; margin: ${n % 9}px; }\n`;
const jsLine = (n: number, next: () => number) => `export const v${n} = ${Math.floor(next() * 1e9)}; // item ${n}\n`;
const noteLine = (n: number, next: () => number) => `note ${n}: ${Math.floor(next() * 1e12).toString(36)}\n`;

/** `tree/d3/e7/f0042.txt`: `count` files, ten per folder, in two levels of folders. */
export function treePaths(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `tree/d${Math.floor(i / 100) % 10}/e${Math.floor(i / 10) % 10}/f${String(i).padStart(4, '0')}.txt`);
}

function write(path: string, content: Buffer | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/**
 * Writes the fixture into `dir` (emptied first) with `treeCount` small files.
 * @example
 * const fixture = generateFixture('/work/main/bench/fixture', 1000)
 */
export function generateFixture(dir: string, treeCount: number): Fixture {
  rmSync(dir, { recursive: true, force: true });
  const assets = join(dir, 'assets');
  const templates = join(dir, 'templates');
  // A package.json makes the folder an application package for Tet's asset specs.
  write(join(dir, 'package.json'), `${JSON.stringify({ name: SITE_PACKAGE, private: true, type: 'module' }, null, 2)}\n`);
  write(join(assets, FILES.small), text(SIZES.small, 1, cssLine));
  write(join(assets, FILES.medium), text(SIZES.medium, 2, jsLine));
  write(join(assets, FILES.large), bytes(SIZES.large, 3));
  const treeFiles = treePaths(treeCount);
  for (const [i, file] of treeFiles.entries()) write(join(assets, file), text(200 + ((i * 37) % 400), 100 + i, noteLine));
  const linked = pageAssets(treeFiles);
  // Tet's template uses @tet/templating's `$` interpolation; Fastify's is plain Eta.
  write(
    join(templates, 'page-tet.eta'),
    pageText('$title', (asset) => `$request.staticUrl('${SITE_PACKAGE}:assets/${asset}')`, linked),
  );
  write(
    join(templates, 'page-fastify.eta'),
    pageText('<%= it.title %>', (asset) => `<%= it.staticUrl('${asset}') %>`, linked),
  );
  write(join(dir, MANIFEST), `${JSON.stringify({ version: LAYOUT_VERSION, treeFiles }, null, 2)}\n`);
  return openFixture(dir);
}

/**
 * Reads a fixture written by {@link generateFixture}: server processes get only its folder.
 * @example
 * const fixture = openFixture(process.argv[3])
 */
export function openFixture(dir: string): Fixture {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { version: number; treeFiles: string[] };
  if (manifest.version !== LAYOUT_VERSION) throw new Error(`${dir} holds a fixture of layout ${manifest.version}, not ${LAYOUT_VERSION}: regenerate it`);
  return { dir, assets: join(dir, 'assets'), templates: join(dir, 'templates'), treeFiles: manifest.treeFiles, pageAssets: pageAssets(manifest.treeFiles) };
}

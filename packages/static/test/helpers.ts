// Shared set-up for @tet/static's tests: a fixture application copied to a temporary folder,
// with what git should not carry (a large binary, precompressed siblings, symlinks) made here.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { App, Configurator, Settings } from '@tet/core';
import { configureTestApp, startTestApp, type TestApp } from '@tet/core/testing';
import { tetStatic } from '../src/index.js';

export const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

/** A copy of test/fixtures/app in a temporary folder, with generated extras. */
export interface FixtureApp {
  readonly dir: string;
  readonly staticDir: string;
  /** 5 MiB of random bytes: larger than the in-memory limit (4 MiB), so it streams. */
  readonly big: Buffer;
  remove(): void;
}

export function makeFixtureApp(): FixtureApp {
  const dir = mkdtempSync(join(tmpdir(), 'tet-static-'));
  cpSync(join(fixtures, 'app'), dir, { recursive: true });
  const staticDir = join(dir, 'static');
  const big = randomBytes(5 * 1024 * 1024);
  writeFileSync(join(staticDir, 'big.bin'), big);
  const css = Buffer.from('h1 { color: red; }\n'.repeat(20));
  writeFileSync(join(staticDir, 'compressed.css'), css);
  writeFileSync(join(staticDir, 'compressed.css.br'), brotliCompressSync(css));
  writeFileSync(join(staticDir, 'compressed.css.gz'), gzipSync(css));
  writeFileSync(join(staticDir, 'only-gzip.js'), 'console.log(1)\n'.repeat(20));
  writeFileSync(join(staticDir, 'only-gzip.js.gz'), gzipSync('console.log(1)\n'.repeat(20)));
  mkdirSync(join(dir, 'outside-dir'));
  writeFileSync(join(dir, 'outside-dir', 'passwd'), 'root:x:0:0\n');
  symlinkSync(join(dir, 'secret.txt'), join(staticDir, 'link-out.txt'));
  symlinkSync(join(dir, 'outside-dir'), join(staticDir, 'dir-out'));
  symlinkSync(join(staticDir, 'style.css'), join(staticDir, 'link-in.css'));
  symlinkSync(join(staticDir, 'nested'), join(staticDir, 'nested-link'));
  symlinkSync(staticDir, join(staticDir, 'nested', 'loop')); // must not walk forever
  return { dir, staticDir, big, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Stylesheets that refer to images, fonts and each other, for content-hashed views. */
export function addStylesheets(staticDir: string): void {
  mkdirSync(join(staticDir, 'theme', 'img'), { recursive: true });
  mkdirSync(join(staticDir, 'theme', 'fonts'), { recursive: true });
  writeFileSync(join(staticDir, 'theme', 'img', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  writeFileSync(join(staticDir, 'theme', 'img', 'bg.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 4, 5, 6]));
  writeFileSync(join(staticDir, 'theme', 'fonts', 'x.woff2'), 'font');
  writeFileSync(join(staticDir, 'theme', 'base.css'), "body { background: url('img/bg.png') }\n");
  writeFileSync(
    join(staticDir, 'theme', 'site.css'),
    '@import "base.css";\n.logo { background: url(img/logo.png) }\n@font-face { src: url(fonts/x.woff2?#iefix) }\n.ext { background: url(https://example.com/x.png) }\n',
  );
}

/** Configures an application on a fixture folder (tetStatic included); `configure` adds what the test needs. */
export function makeApp(dir: string, configure: (config: Configurator) => void, settings: Settings = {}): App | Promise<App> {
  return configureTestApp(configure, { package: dir, settings, include: [tetStatic] }).makeApp();
}

/** {@link makeApp}, served on 127.0.0.1. */
export function serve(dir: string, configure: (config: Configurator) => void, settings: Settings = {}): Promise<TestApp> {
  return startTestApp(configure, { package: dir, settings, include: [tetStatic] });
}

/** The package name of the fixture application. */
export const APP = 'static-fixture-app';

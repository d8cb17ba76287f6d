// Shared set-up for vite-app's tests: the example's front end built by the real Vite, once per
// test run, into a temporary folder (removed when the process exits), and the app served on it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Settings } from '@tet/core';
import { startTestServer, type TestServer } from '@tet/core/testing';
import type { ViteManifest } from '@tet/vite';
import { build, type Plugin } from 'vite';
import { main } from '../src/app.js';

export const exampleDir = fileURLToPath(new URL('../../', import.meta.url));

/** The example's build: where Vite wrote it, and its manifest. */
export interface Built {
  readonly dir: string;
  readonly manifest: ViteManifest;
}

let built: Promise<Built> | undefined;

/**
 * `vite build` of the example (its own vite.config.ts, plus `plugins`) into a new temporary
 * folder, removed when the process exits.
 */
export async function viteBuildInto(plugins: Plugin[] = []): Promise<Built> {
  const dir = mkdtempSync(join(tmpdir(), 'tet-vite-build-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  await build({ root: exampleDir, logLevel: 'silent', plugins, build: { outDir: dir, emptyOutDir: true } });
  const manifest = JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8')) as ViteManifest;
  return { dir, manifest };
}

/** The example's build, made once per process and shared by the test files (which must not change it). */
export function viteBuild(): Promise<Built> {
  built ??= viteBuildInto();
  return built;
}

/** The example application on 127.0.0.1:0, given its settings (`vite_app.build`, `tet.vite.dev_server`). */
export function serveExample(settings: Settings): Promise<TestServer> {
  return startTestServer(main(settings));
}

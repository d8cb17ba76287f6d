// Shared by @tet/templating's tests: the fixture application and how to serve it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configurator, Settings } from '@tet/core';
import { startTestApp, type TestApp } from '@tet/core/testing';
import { tetTemplating } from '../src/index.js';

export const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
/** A package named `templating-fixture-app`, with templates/ and static/. */
export const fixtureApp = join(fixtures, 'app');
export const templates = join(fixtureApp, 'templates');
export const APP = 'templating-fixture-app';

/** Configures an application in `dir` (tetTemplating included), commits it, and serves it on 127.0.0.1. */
export function startApp(configure: (config: Configurator) => void, options: { dir?: string; settings?: Settings } = {}): Promise<TestApp> {
  return startTestApp(configure, { package: options.dir ?? fixtureApp, settings: options.settings ?? {}, include: [tetTemplating] });
}

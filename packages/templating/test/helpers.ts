// Shared by @tet/templating's tests: the fixture application and small assertion helpers.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Configurator, type Settings } from '@tet/core';
import { memoryLogger, startTestServer, type TestServer } from '@tet/core/testing';
import * as assert from 'uvu/assert';
import { tetTemplating } from '../src/index.js';

export const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
/** A package named `templating-fixture-app`, with templates/ and static/. */
export const fixtureApp = join(fixtures, 'app');
export const templates = join(fixtureApp, 'templates');
export const APP = 'templating-fixture-app';

/** The error `work` throws; fails the test when it throws nothing. */
export function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    assert.instance(error, Error);
    return error as Error;
  }
  assert.unreachable('expected an error');
  throw new Error('unreachable');
}

export interface RunningApp {
  readonly server: TestServer;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly config: Configurator;
}

/** Configures an application in `dir` (tetTemplating included), commits it, and serves it on 127.0.0.1. */
export async function startApp(configure: (config: Configurator) => void, options: { dir?: string; settings?: Settings } = {}): Promise<RunningApp> {
  const config = new Configurator({ package: options.dir ?? fixtureApp, settings: options.settings ?? {} });
  const logger = memoryLogger();
  config.registry.logger = logger;
  config.include(tetTemplating);
  configure(config);
  const server = await startTestServer(config.makeApp());
  return { server, logger, config };
}

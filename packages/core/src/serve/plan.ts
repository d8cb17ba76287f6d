// Turns `tet serve [config|app.js] [--host ...]` plus the environment into one plan: which
// module's `main` to load, with which settings, listening where, in how many processes.
import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigurationError } from '../errors.js';
import type { Settings } from '../settings.js';
import { INTERNAL_PREFIX, applyEnvironment } from './environment.js';
import { resolveApplication } from './resolve-app.js';
import { checkCount, checkPort, readSettingsFile } from './settings-file.js';

/** What tet serve will run. */
export interface ServePlan {
  /** What the user named (`development.ini`, `dist/src/app.js`), for messages. */
  readonly source: string;
  readonly configFile: string | undefined;
  /** The module exporting the application's `main`, and that export's name. */
  readonly appModule: string;
  readonly exportName: string;
  /** The directory of the application's package: what --reload watches. */
  readonly packageRoot: string;
  readonly settings: Settings;
  readonly host: string;
  readonly port: number;
  readonly workers: number;
  readonly reload: boolean;
  /** Milliseconds a graceful stop may take before connections are cut. */
  readonly shutdownTimeout: number;
}

export const SERVE_USAGE = `Usage: tet serve [settings.ini | settings.json | app.js] [options]

  With no file: development.ini if there is one, else the package.json's "exports"/"main".

Options:
  --host <address>         listen address (default: [server:main] host, else 127.0.0.1)
  --port <number>          listen port (default: $PORT, else [server:main] port, else 6543)
  --reload                 restart when the application's JS or its settings change
  --workers <n>            run n cluster workers sharing the port
  --shutdown-timeout <s>   seconds a graceful stop may take (default 10)`;

/**
 * Reads the command line, the settings file and the environment into a {@link ServePlan}.
 * @example
 * const plan = makePlan(['development.ini', '--port', '0'], process.env)
 */
export function makePlan(args: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): ServePlan {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (error) {
    throw new ConfigurationError(`tet serve: ${(error as Error).message}\n\n${SERVE_USAGE}`, 'TET_ERR_SERVE_USAGE', { cause: error });
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new ConfigurationError(`tet serve: one file at most, got ${positionals.join(' ')}.\n\n${SERVE_USAGE}`, 'TET_ERR_SERVE_USAGE');
  let named = positionals[0];
  if (named === undefined && existsSync(join(cwd, 'development.ini'))) named = 'development.ini';
  const isModule = named !== undefined && ['.js', '.mjs', '.cjs'].includes(extname(named));
  const file = named === undefined || isModule ? undefined : readSettingsFile(resolve(cwd, named));
  const settings: Settings = { 'tet.logging.level': 'info', ...file?.settings };
  applyEnvironment(settings, env);
  const app = resolveApplication(isModule ? resolve(cwd, named!) : undefined, file?.use, file === undefined ? cwd : dirname(file.file), file?.where('app:main', 'use'));
  const server = file?.server ?? {};
  const internalPort = env[`${INTERNAL_PREFIX}PORT`];
  const port =
    internalPort !== undefined
      ? Number(internalPort)
      : values.port !== undefined
        ? checkPort(values.port, '--port')
        : env.PORT !== undefined && env.PORT !== ''
          ? checkPort(env.PORT, 'environment variable PORT')
          : (server.port ?? 6543);
  const workers = values.workers !== undefined ? checkCount(values.workers, '--workers', 'workers', 1) : (server.workers ?? 1);
  const reload = values.reload === true;
  if (reload && workers > 1) {
    throw new ConfigurationError('tet serve: --reload runs one process; drop --workers (or workers in [server:main]) while developing.', 'TET_ERR_SERVE_USAGE');
  }
  const seconds = values['shutdown-timeout'] !== undefined ? checkCount(values['shutdown-timeout'], '--shutdown-timeout', 'shutdown-timeout', 0) : (server.shutdownTimeout ?? 10);
  return {
    source: named ?? app.module,
    configFile: file?.file,
    appModule: app.module,
    exportName: app.exportName,
    packageRoot: app.packageRoot,
    settings,
    host: values.host ?? server.host ?? '127.0.0.1',
    port,
    workers,
    reload,
    shutdownTimeout: seconds * 1000,
  };
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      reload: { type: 'boolean' },
      workers: { type: 'string' },
      'shutdown-timeout': { type: 'string' },
    },
  });
}

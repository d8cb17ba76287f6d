// `tet serve`: chooses how to run the plan (one process, a --reload supervisor, cluster
// workers) from the command line and from which of tet serve's processes this is.
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { TetError } from '../errors.js';
import { importFromProject, PackageNotInstalledError } from '../project-import.js';
import { makePlan, SERVE_USAGE, type ServePlan } from './plan.js';
import { type Role, runApplication } from './run-app.js';

// The CLI a supervisor or a cluster primary starts its children with: the one this process
// runs (the bundle, or dist/src/cli.js under the tests' `tet-unbundled` condition), which
// import.meta.resolve picks as the bin's `#cli` import did; the children get this process's
// Node flags too (child-flags.ts), so their application resolves @tet/core the same way.
const CLI = fileURLToPath(import.meta.resolve('#cli'));

/**
 * Runs `tet serve ...`; resolves with the exit code once serving has started (or failed).
 * @example
 * process.exitCode = await runServeCommand(['development.ini', '--reload'])
 */
export async function runServeCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(SERVE_USAGE);
    return 0;
  }
  const role: Role = cluster.isWorker ? 'worker' : process.env.TET_SERVE_ROLE === 'child' ? 'child' : 'main';
  try {
    const plan = makePlan(args, process.env);
    if (role === 'main' && plan.reload) {
      const { superviseReload } = await import('./reload.js');
      await superviseReload(plan, CLI, args);
    } else if (role === 'main' && plan.workers > 1) {
      const { runPrimary } = await import('./workers.js');
      await runPrimary(plan, CLI, args, await sharedToken(plan));
    } else {
      await runApplication(plan, role);
    }
    return 0;
  } catch (error) {
    reportFailure(error);
    if (role !== 'main') process.exit(1); // a child that cannot start must not linger
    return 1;
  }
}

/** Prints a Tet error as its message and code; anything else with its stack. */
export function reportFailure(error: unknown): void {
  if (error instanceof TetError) console.error(`${error.message}\n  [${error.code}]`);
  else console.error(error);
}

// Workers must agree on the per-start token, so the primary makes it once, with the same
// rule @tet/static uses, unless the settings already name one.
async function sharedToken(plan: ServePlan): Promise<string | undefined> {
  const configured = plan.settings['tet.static.cachebreaker'];
  if (typeof configured === 'string' && configured !== '') return undefined;
  try {
    const { generateCachebreaker } = await importFromProject<{ generateCachebreaker(): string }>('@tet/static', plan.packageRoot);
    return generateCachebreaker();
  } catch (error) {
    if (error instanceof PackageNotInstalledError) return undefined; // no @tet/static: no token to share
    throw error;
  }
}

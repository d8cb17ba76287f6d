// `tet routes` and `tet views`: load the application as tet serve would (same settings file,
// same environment), print its tables, and exit without listening.
import { formatTable, type IntrospectionTable, routeTable, viewTables } from '../introspect.js';
import { makePlan } from './plan.js';
import { loadApplication } from './resolve-app.js';

/**
 * Runs `tet routes [file] [--json]` or `tet views [file] [--json]`.
 * @example
 * process.exitCode = await runIntrospectCommand('routes', ['development.ini'])
 */
export async function runIntrospectCommand(what: 'routes' | 'views', args: string[]): Promise<number> {
  const json = args.includes('--json');
  const plan = makePlan(
    args.filter((arg) => arg !== '--json'),
    process.env,
  );
  // Loading only: no request log, and errors still reach stderr.
  const app = await loadApplication(plan.appModule, plan.exportName, { ...plan.settings, 'tet.logging.level': '' });
  const tables: IntrospectionTable[] = what === 'routes' ? [routeTable(app.registry)] : viewTables(app.registry);
  console.log(json ? JSON.stringify(tables, null, 2) : tables.map(formatTable).join('\n\n'));
  return 0;
}

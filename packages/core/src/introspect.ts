// What `tet routes` and `tet views` print (Pyramid's proutes and pviews): tables built from
// the registry. Packages add their own tables (static views, say) through `registry.introspectors`.
import { formatActionInfo } from './errors.js';
import type { Registry } from './registry.js';
import type { ViewEntry } from './routes.js';

/** A titled table of strings. */
export interface IntrospectionTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A package's contribution to `tet views`: called after commit with the application's registry. */
export type Introspector = (registry: Registry) => IntrospectionTable;

/**
 * Every route: name, pattern, the methods it answers, and its views.
 * @example
 * routeTable(app.registry).rows // [['home', '/', 'GET, HEAD', 'homeView']]
 */
export function routeTable(registry: Registry): IntrospectionTable {
  const rows = registry.routes.all().map((route) => {
    const methods = route.allowedMethods.length > 0 ? route.allowedMethods.join(', ') : route.views.length > 0 ? '*' : '-';
    return [route.name, route.pattern, methods, route.views.map(viewName).join(', ') || '(no view)'];
  });
  return { title: 'Routes', columns: ['Name', 'Pattern', 'Methods', 'Views'], rows };
}

/**
 * Every view of every route: its methods, callable, renderer and where it was added; then the
 * tables packages contribute (for @tet/static: each static view's prefix, folder and token).
 * @example
 * viewTables(app.registry).map((table) => table.title) // ['Views', 'Static views']
 */
export function viewTables(registry: Registry): IntrospectionTable[] {
  const rows = registry.routes
    .all()
    .flatMap((route) =>
      route.views.map((entry) => [
        route.name,
        entry.methods === null ? (route.methods === null ? '*' : [...route.methods].join(', ')) : [...entry.methods].join(', '),
        viewName(entry),
        entry.rendererName ?? '-',
        formatActionInfo(entry.info),
      ]),
    );
  return [{ title: 'Views', columns: ['Route', 'Methods', 'View', 'Renderer', 'Added at'], rows }, ...registry.introspectors.map((introspector) => introspector(registry))];
}

/**
 * Lays a table out in aligned columns, as a terminal shows it.
 * @example
 * console.log(formatTable(routeTable(app.registry)))
 */
export function formatTable(table: IntrospectionTable): string {
  const widths = table.columns.map((column, i) => Math.max(column.length, ...table.rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const body = table.rows.length === 0 ? ['(none)'] : table.rows.map(line);
  return [table.title, line(table.columns), line(widths.map((width) => '-'.repeat(width))), ...body].join('\n');
}

function viewName(entry: ViewEntry): string {
  return entry.view.name === '' ? '(anonymous)' : entry.view.name;
}

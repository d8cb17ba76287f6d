// @tet/static's rows for `tet views`: each static view's name, URL prefix, folder and token.
import type { IntrospectionTable, Registry } from '@tet/core';

/**
 * The static views table: what `tet views` prints under "Static views".
 * @example
 * staticViewsTable(app.registry).rows // [['static/{breaker}', '/static/1764.../', '/srv/app/static', '1764...']]
 */
export function staticViewsTable(registry: Registry): IntrospectionTable {
  const rows = (registry.staticViews?.all() ?? []).map((view) => {
    const token =
      view.hashFor !== undefined
        ? '(a hash per file)'
        : !view.name.includes('{breaker}')
          ? '-'
          : registry.cachebreakerFromContent === true
            ? '(hash of the folder, in the prefix)'
            : (registry.cachebreaker ?? '-');
    return [view.name, view.urlPrefix ?? view.pathPrefix, view.root, token];
  });
  return { title: 'Static views', columns: ['Name', 'Prefix', 'Folder', 'Token'], rows };
}

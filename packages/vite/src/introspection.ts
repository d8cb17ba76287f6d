// @tet/vite's rows for `tet views`: each Vite build's name, where it is served from, its folder
// and entries, or the dev server it points at.
import type { IntrospectionTable, Registry } from '@tet/core';

/**
 * The Vite builds table: what `tet views` prints under "Vite builds".
 * @example
 * viteBuildsTable(app.registry).rows // [['vite', '/vite/', '/srv/app/dist', 'src/main.ts, src/admin.ts']]
 */
export function viteBuildsTable(registry: Registry): IntrospectionTable {
  const rows = [...(registry.viteBuilds?.values() ?? [])].map((build) => {
    if (build.devServer !== undefined) return [build.name, build.devServer, '-', '(the dev server)'];
    const manifest = build.manifest ?? {};
    const entries = Object.keys(manifest).filter((key) => manifest[key]!.isEntry === true);
    return [build.name, build.prefix, build.root, entries.join(', ') || '-'];
  });
  return { title: 'Vite builds', columns: ['Name', 'Prefix', 'Folder', 'Entries'], rows };
}

import { stat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { type Configurator, ConfigurationError, Phase, resolveAssetSpec } from '@tet/core';
import { isInside } from './safe-path.js';
import type { UrlTable } from './url-table.js';

/** Options of `config.pinAll(folder, options)`. */
export interface PinAllOptions {
  /** The prefix of the names: `'controllers'` pins `controllers/hello` for `hello.js`. Default: none. */
  under?: string;
}

/** The import map's pins: bare specifier -> the file it names (an absolute path). */
export class ImportMapPins {
  private readonly explicit = new Map<string, string>();
  private readonly fromFolders = new Map<string, string>();

  /** Every pin, `pin()` winning over `pinAll()` for the same name. */
  entries(): Map<string, string> {
    return new Map([...this.fromFolders, ...this.explicit]);
  }

  /** The file a bare specifier is pinned to. */
  fileFor(name: string): string | undefined {
    return this.explicit.get(name) ?? this.fromFolders.get(name);
  }

  /** @internal (commit) */
  add(name: string, file: string, fromFolder: boolean): void {
    (fromFolder ? this.fromFolders : this.explicit).set(name, file);
  }
}

const MODULE_FILE = /\.m?js$/;

/** The application's pins. */
export function importMapPins(config: Configurator): ImportMapPins {
  return (config.registry.importMapPins ??= new ImportMapPins());
}

function pinError(message: string): ConfigurationError {
  return new ConfigurationError(message, 'TET_ERR_STATIC_PIN');
}

// A pinned file must be served by a static view, or the import map could not name its URL.
function checkServed(table: UrlTable, file: string, what: string): void {
  if (!table.all().some((view) => view.root !== file && isInside(view.root, file))) {
    throw pinError(
      `${what}: ${file} is not inside any static view's folder. Add a static view for its folder first, e.g. config.addStaticView({ name: 'assets', path: 'myapp:static', cacheBust: 'content' }).`,
    );
  }
}

/**
 * `config.pin(name, spec)`: the import map maps the bare specifier `name` to the file's
 * current URL (a token or content-hashed URL), with its integrity.
 * @example
 * config.pin('lit', 'myapp:static/vendor/lit.js')
 */
export function pin(config: Configurator, name: string, spec: string): void {
  if (typeof name !== 'string' || name === '' || /\s/.test(name)) throw pinError(`pin(${JSON.stringify(name)}, ...): the name is a bare specifier such as 'lit' or 'lit/html.js'`);
  if (typeof spec !== 'string' || spec === '') throw pinError(`pin('${name}', ${JSON.stringify(spec)}): the file is an asset spec such as 'myapp:static/vendor/lit.js'`);
  const file = resolveAssetSpec(spec, config.registry);
  config.action(
    `tet.static:pin:${name}`,
    async () => {
      const info = await stat(file).catch(() => undefined);
      if (info === undefined || !info.isFile()) throw pinError(`pin('${name}', '${spec}'): ${file} is not a file. Fix the spec, or add the file.`);
      checkServed(config.registry.staticViews!, file, `pin('${name}', '${spec}')`);
      importMapPins(config).add(name, file, false);
    },
    { order: Phase.late }, // after the static views have indexed their folders
  );
}

/**
 * `config.pinAll(folder, { under })`: pins every module (`.js`, `.mjs`) of a folder that a
 * static view serves, named by its path without the extension (`under/hello`, and `under`
 * itself for `index.js`), as importmap-rails' `pin_all_from` does.
 * @example
 * config.pinAll('myapp:static/controllers', { under: 'controllers' }) // 'controllers/hello' -> hello.js
 */
export function pinAll(config: Configurator, folder: string, options: PinAllOptions = {}): void {
  if (typeof folder !== 'string' || folder === '') throw pinError(`pinAll(${JSON.stringify(folder)}): the folder is an asset spec such as 'myapp:static/controllers'`);
  const under = (options.under ?? '').replace(/^\/+|\/+$/g, '');
  const root = resolveAssetSpec(folder, config.registry);
  config.action(
    `tet.static:pin-all:${root}:${under}`,
    () => {
      const what = `pinAll('${folder}')`;
      const view = config.registry.staticViews!.all().find((candidate) => isInside(candidate.root, root));
      if (view === undefined) throw pinError(`${what}: ${root} is not inside any static view's folder. Add a static view for it first.`);
      const inFolder = relative(view.root, root).split(sep).join('/');
      const prefix = inFolder === '' ? '' : `${inFolder}/`;
      let count = 0;
      for (const entry of view.index.entries()) {
        if (!entry.relativePath.startsWith(prefix) || !MODULE_FILE.test(entry.relativePath)) continue;
        const path = entry.relativePath.slice(prefix.length).replace(MODULE_FILE, '');
        const base = path === 'index' ? '' : path.endsWith('/index') ? path.slice(0, -'/index'.length) : path;
        const name = posix.join(under, base);
        if (name === '.' || name === '') continue; // an index.js with no `under` has no name
        importMapPins(config).add(name, join(view.root, ...entry.relativePath.split('/')), true);
        count++;
      }
      if (count === 0) throw pinError(`${what}: no .js or .mjs files under ${root}. Fix the folder, or remove the pinAll().`);
    },
    { order: Phase.late },
  );
}

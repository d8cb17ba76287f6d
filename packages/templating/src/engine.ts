// One Eta instance per application, with Tet's file handling: template names resolve
// relative to the including template (or its package, or an asset spec), compiled templates
// are cached, and with reload on a changed file is compiled again.
import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { findPackage, HTTPException, isAssetSpec, type Registry, resolveAssetSpec } from '@tet/core';
import { Eta, type Options } from 'eta';
import { compileTemplate } from './compile.js';
import { dollarSyntax } from './dollar-syntax.js';
import { TemplateError } from './errors.js';
import { escapeHtml } from './markup.js';

// Resolved include names, by including file and name; cleared when it grows past this
// (names computed from data could otherwise grow it without bound).
const MAX_RESOLVED = 1000;

function hint(error: unknown): string {
  return error instanceof ReferenceError ? " (a template's names are the keys of the object its view returns, plus request)" : '';
}

/**
 * Renders template files for one application: `render(file, data)` with `file` absolute.
 * @example
 * new TemplateEngine(config.registry, false).render('/srv/app/templates/index.eta', { request, title })
 */
export class TemplateEngine {
  readonly eta: Eta;
  private readonly registry: Registry;
  private readonly reload: boolean;
  /** Each file's text as last compiled, to tell whether it changed (reload only). */
  private readonly sources = new Map<string, string>();
  private readonly resolved = new Map<string, string>();
  private readonly packageRoots = new Map<string, string>();

  constructor(registry: Registry, reload: boolean) {
    this.registry = registry;
    this.reload = reload;
    const eta = new Eta({ cache: true, debug: true, useWith: false, autoEscape: true, escapeFunction: escapeHtml, plugins: [dollarSyntax()] });
    eta.compile = (template: string, options?: Partial<Options>) => compileTemplate(eta, template, options);
    eta.resolvePath = (name, options) => this.resolvePath(name, options?.filepath);
    eta.readFile = (file) => this.readFile(file);
    // Eta's debug mode calls this with the line it was on when a template threw.
    eta.RuntimeErr = (error: unknown, source: string, line: number, file: string | undefined) => {
      if (error instanceof HTTPException) throw error; // a view's 404 stays a 404
      if (error instanceof TemplateError) {
        // An include that could not be found or resolved is located at the include() call;
        // an error inside the included template gets the call as an extra frame.
        if (error.file === undefined && error.line === undefined) throw error.with({ file, line, source });
        throw error.with({ trail: [...error.trail, `included from ${file ?? 'a template string'}:${line}`] });
      }
      const reason = error instanceof Error ? `${error.name}: ${error.message}${hint(error)}` : `threw ${String(error)}`;
      throw new TemplateError(reason, { file, line, source }, { cause: error });
    };
    this.eta = eta;
  }

  /** Renders an absolute template file path with `data` as its top-level names. */
  render(file: string, data: object): string {
    return this.eta.render(file, data);
  }

  private resolvePath(name: string, parent: string | undefined): string {
    const file = parent === undefined && isAbsolute(name) ? name : this.locate(name, parent);
    if (this.reload) this.forgetIfChanged(file);
    return file;
  }

  /** `include()` and `layout()` names: asset specs, `/` from the package root, else relative. */
  private locate(name: string, parent: string | undefined): string {
    const key = `${parent}\0${name}`;
    const known = this.resolved.get(key);
    if (known !== undefined) return known;
    let file: string;
    if (isAssetSpec(name)) {
      file = resolveAssetSpec(name, this.registry);
    } else {
      if (parent === undefined) {
        throw new TemplateError(`cannot resolve '${name}' without a template file to start from; use an asset spec such as 'myapp:templates/${name}' or an absolute path`, {
          code: 'TET_ERR_TEMPLATE_PATH',
        });
      }
      const root = this.packageRoot(parent);
      file = name.startsWith('/') ? join(root, name) : resolve(dirname(parent), name);
      const inside = relative(root, file);
      if (inside.startsWith('..') || isAbsolute(inside)) {
        throw new TemplateError(
          `'${name}' resolves to ${file}, outside the package of the template that names it (${root}); name a template in another package with an asset spec such as 'otherpkg:templates/x.eta'`,
          { code: 'TET_ERR_TEMPLATE_PATH' },
        );
      }
    }
    if (extname(file) === '') file += '.eta';
    if (this.resolved.size >= MAX_RESOLVED) this.resolved.clear();
    this.resolved.set(key, file);
    return file;
  }

  private packageRoot(file: string): string {
    const dir = dirname(file);
    let root = this.packageRoots.get(dir);
    if (root === undefined) {
      root = findPackage(dir)?.root ?? dir;
      this.packageRoots.set(dir, root);
    }
    return root;
  }

  private readFile(file: string): string {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') throw error;
      throw new TemplateError(`no template file at ${file}; check the name passed to include() or layout()`, { code: 'TET_ERR_TEMPLATE_NOT_FOUND' }, { cause: error });
    }
    if (this.reload) this.sources.set(file, text);
    return text;
  }

  // Content, not modification times: an edit within the file system's timestamp
  // resolution would otherwise go unnoticed.
  private forgetIfChanged(file: string): void {
    const compiled = this.sources.get(file);
    if (compiled === undefined) return;
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== compiled) {
      this.sources.delete(file);
      this.eta.templatesSync.remove(file);
      this.eta.templatesAsync.remove(file);
    }
  }
}

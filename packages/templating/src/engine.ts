// One Eta instance per application, with Tet's file handling: template names resolve
// relative to the including template (or its package, or an asset spec), compiled templates
// are cached, and with reload on a changed file is compiled again.
import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { findPackage, HTTPException, isAssetSpec, type Registry, resolveAssetSpec } from '@tet/core';
import type { Options } from 'eta';
import { compileTemplate } from './compile.js';
import { dollarSyntax } from './dollar-syntax.js';
import { TemplateError } from './errors.js';
import { escapeHtml } from './markup.js';
import { TetEta } from './tet-eta.js';

// Resolved include names, by including file and name; cleared when it grows past this
// (names computed from data could otherwise grow it without bound).
const MAX_RESOLVED = 1000;
// A page is rendered asynchronously when its file has this word anywhere (text included: a
// false positive only costs a promise), or when its layout turns out to need it.
const AWAIT = /\bawait\b/;

function hint(error: unknown): string {
  return error instanceof ReferenceError ? " (a template's names are the keys of the object its view returns, plus request)" : '';
}

/**
 * Renders template files for one application: `render(file, data)` with `file` absolute.
 * @example
 * new TemplateEngine(config.registry, false).render('/srv/app/templates/index.eta', { request, title })
 */
export class TemplateEngine {
  readonly eta: TetEta;
  private readonly registry: Registry;
  private readonly reload: boolean;
  /** Each file's text as last compiled, to tell whether it changed (reload only). */
  private readonly sources = new Map<string, string>();
  private readonly resolved = new Map<string, string>();
  private readonly packageRoots = new Map<string, string>();
  /** Whether a page file is rendered asynchronously, by file. */
  private readonly asyncPages = new Map<string, boolean>();

  constructor(registry: Registry, reload: boolean) {
    this.registry = registry;
    this.reload = reload;
    const eta = new TetEta({ cache: true, debug: true, useWith: false, autoEscape: true, escapeFunction: escapeHtml, plugins: [dollarSyntax()] });
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

  /**
   * Renders an absolute template file path with `data` as its top-level names: a string, or
   * a promise of one when the page (or its layout) uses `await`.
   */
  render(file: string, data: object): string | Promise<string> {
    if (this.reload) this.forgetIfChanged(file);
    let async = this.asyncPages.get(file);
    if (async === undefined) {
      async = AWAIT.test(this.readFile(file));
      this.asyncPages.set(file, async);
    }
    if (async) return this.eta.renderAsync(file, data).then(String);
    try {
      return String(this.eta.render(file, data));
    } catch (error) {
      // A layout that awaits cannot be applied synchronously: render this page asynchronously
      // from now on (its code runs a second time, once). A partial that awaits fails again,
      // with the advice to include it with includeAsync().
      if (!(error instanceof TemplateError) || error.code !== 'TET_ERR_TEMPLATE_AWAIT') throw error;
      this.asyncPages.set(file, true);
      return this.eta.renderAsync(file, data).then(String);
    }
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
      this.asyncPages.delete(file);
      this.eta.templatesSync.remove(file);
      this.eta.templatesAsync.remove(file);
    }
  }
}

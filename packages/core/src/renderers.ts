import type { Registry } from './registry.js';
import type { Request } from './request.js';
import type { Response } from './response.js';

/** What a renderer receives besides the view's value. */
export interface RenderSystem {
  readonly request: Request;
  /** `request.response`: set its status and headers from the view; the renderer fills the body. */
  readonly response: Response;
  readonly rendererName: string;
  /** Renderer globals: `config.addRendererGlobals()` defaults plus what BeforeRender subscribers set. Template renderers expose them as names, under the view's own. */
  readonly globals: Readonly<Record<string, unknown>>;
}

/** Turns a view's value into a response body. */
export type RenderFunction = (value: unknown, system: RenderSystem) => string | Uint8Array | Promise<string | Uint8Array>;

/** What a renderer factory is told about the renderer it makes. */
export interface RendererInfo {
  /** The renderer name the view gave: `json`, or `myapp:templates/index.eta`. */
  readonly name: string;
  readonly registry: Registry;
}

/**
 * Makes a render function for one renderer name, once, at configuration time.
 * @example
 * config.addRenderer('.txt', (info) => (value) => String(value))
 */
export type RendererFactory = (info: RendererInfo) => RenderFunction;

/** The built-in `json` renderer: `JSON.stringify` with `application/json`. */
export const jsonRenderer: RendererFactory =
  () =>
  (value, { response }) => {
    response.headers['content-type'] ??= 'application/json';
    return JSON.stringify(value) ?? 'null';
  };

/** The built-in `string` renderer: `String(value)` as UTF-8 plain text. */
export const stringRenderer: RendererFactory =
  () =>
  (value, { response }) => {
    response.headers['content-type'] ??= 'text/plain; charset=utf-8';
    return value === undefined || value === null ? '' : String(value);
  };

/** Renderer factories by name (`json`) or file extension (`.eta`). */
export class RendererTable {
  private factories = new Map<string, RendererFactory>();

  set(name: string, factory: RendererFactory): void {
    this.factories.set(name, factory);
  }

  /** The factory for a renderer name: by exact name first, then by the name's extension. */
  lookup(name: string): RendererFactory | undefined {
    const exact = this.factories.get(name);
    if (exact !== undefined) return exact;
    const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf(':'));
    const dot = name.lastIndexOf('.');
    return dot > slash ? this.factories.get(name.slice(dot)) : undefined;
  }

  names(): string[] {
    return [...this.factories.keys()];
  }
}

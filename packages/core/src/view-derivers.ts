import type { ActionInfo } from './errors.js';
import { HTTPException } from './http-exceptions.js';
import { BeforeRender } from './events.js';
import { INGRESS, nameList, type OrderedItem, orderChain } from './ordering.js';
import type { Registry } from './registry.js';
import type { RenderFunction } from './renderers.js';
import type { Request } from './request.js';
import { Response } from './response.js';
import { isThenable } from './thenable.js';
import type { ViewOptions } from './view-options.js';

// INGRESS is shared with the tween chain; it is also importable from here, next to VIEW.
export { INGRESS };

/** The inside end of the view-deriver chain: the view itself, already rendered into a Response. */
export const VIEW = 'VIEW';

/** A view after derivation: every deriver sees and returns one. The result is always a Response. */
export type DerivedView = (request: Request) => Response | Promise<Response>;

/** What a view deriver is told about the view it wraps. */
export interface ViewDeriverInfo {
  /** Every option given to `addView` (or `addExceptionView`), including those packages add to {@link ViewOptions}. */
  readonly options: Readonly<ViewOptions> & { readonly routeName?: string };
  readonly registry: Registry;
  /** The route the view answers; undefined for an exception view. */
  readonly routeName: string | undefined;
  /** True for views added with `addExceptionView`. */
  readonly exceptionView: boolean;
  /** Where the view was added. */
  readonly info: ActionInfo;
}

/**
 * Pyramid's view deriver: wraps a view once, at commit, e.g. to check a permission before it
 * runs. Return `view` itself to leave a view alone (no cost per request).
 * @example
 * const timing: ViewDeriver = (view) => async (request) => { const r = await view(request); r.setHeader('x-view', 'done'); return r }
 */
export type ViewDeriver = (view: DerivedView, info: ViewDeriverInfo) => DerivedView;

/** Options of `config.addViewDeriver()`. */
export interface ViewDeriverOptions {
  /** The deriver's name, for ordering and conflicts; defaults to the function's name. */
  name?: string;
  /** The view options this deriver reads, e.g. `['permission']`; others are rejected as typos. */
  options?: readonly (keyof ViewOptions & string)[];
  /** Sit inside these derivers (alternatives: the first present is used), or `INGRESS`. */
  under?: string | readonly string[];
  /** Sit outside these derivers, or `VIEW`. */
  over?: string | readonly string[];
}

interface DeriverRecord {
  readonly deriver: ViewDeriver;
  readonly options: readonly string[];
}

/** The view derivers of one application, ordered once, before the first view is derived. */
export class ViewDeriverTable {
  private items: OrderedItem<DeriverRecord>[] = [];
  private ordered: readonly ViewDeriver[] | undefined;
  private names = new Set<string>();

  add(name: string, deriver: ViewDeriver, options: ViewDeriverOptions): void {
    this.items.push({ name, value: { deriver, options: options.options ?? [] }, under: nameList(options.under), over: nameList(options.over) });
    for (const option of options.options ?? []) this.names.add(option);
    this.ordered = undefined;
  }

  /** The view option names the derivers declared they read. */
  get optionNames(): ReadonlySet<string> {
    return this.names;
  }

  /** Outermost first. */
  chain(): readonly ViewDeriver[] {
    return (this.ordered ??= orderChain(this.items, INGRESS, VIEW, 'addViewDeriver', 'TET_ERR_VIEW_DERIVER').map((item) => item.value.deriver));
  }
}

function describeResult(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/**
 * The innermost deriver, Pyramid's `rendered_view`: turns what the view returned into a
 * Response (a Response as is, a returned HTTP exception as its response, anything else
 * through the view's renderer).
 */
export function renderedView(view: (request: Request) => unknown, render: RenderFunction | null, rendererName: string | undefined, where: string, registry: Registry): DerivedView {
  const toResponse = (value: unknown, request: Request): Response | Promise<Response> => {
    if (value instanceof Response) return value;
    if (value instanceof HTTPException) return value.toResponse(request);
    if (render === null) {
      throw new TypeError(`${where} returned ${describeResult(value)}, not a Response. Return a Response, or give the view a renderer: config.addView(view, { routeName, renderer: 'json' }).`);
    }
    const globals = registry.rendererGlobals;
    if (registry.subscribers.has(BeforeRender)) {
      const event = new BeforeRender(request, rendererName ?? '', { ...globals }, value);
      const pending = registry.notify(event);
      if (pending !== undefined) return pending.then(() => renderValue(event.rendering, event.globals, request));
      return renderValue(event.rendering, event.globals, request);
    }
    return renderValue(value, globals, request);
  };
  const renderValue = (value: unknown, globals: Record<string, unknown>, request: Request): Response | Promise<Response> => {
    const response = request.response;
    const body = render!(value, { request, response, rendererName: rendererName ?? '', globals });
    if (typeof body === 'string' || body instanceof Uint8Array) {
      response.body = body;
      return response;
    }
    return body.then((text) => {
      response.body = text;
      return response;
    });
  };
  return (request) => {
    const value = view(request);
    return isThenable(value) ? Promise.resolve(value).then((resolved) => toResponse(resolved, request)) : toResponse(value, request);
  };
}

/** Applies the application's derivers, innermost first, to a rendered view. */
export function deriveView(rendered: DerivedView, table: ViewDeriverTable, info: ViewDeriverInfo): DerivedView {
  const chain = table.chain();
  let view = rendered;
  for (let i = chain.length - 1; i >= 0; i--) view = chain[i]!(view, info);
  return view;
}

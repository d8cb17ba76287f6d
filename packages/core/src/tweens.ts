import { ConfigurationError } from './errors.js';
import { INGRESS, nameList, type OrderedItem, orderChain } from './ordering.js';
import type { Registry } from './registry.js';
import type { Request } from './request.js';
import type { Response } from './response.js';

/** The inside end of the tween chain, Pyramid's `MAIN`: routing, the view, exception views. */
export const MAIN = 'MAIN';

/** What a tween wraps and returns: a request in, a Response out. */
export type Handler = (request: Request) => Response | Promise<Response>;

/**
 * Pyramid's tween factory: called once, when the application is made, with the handler it
 * wraps (the next tween, or MAIN) and the registry; returns the handler that replaces it.
 * @example
 * const timing: TweenFactory = (handler) => async (request) => { const response = await handler(request); response.setHeader('server-timing', 'app'); return response }
 */
export type TweenFactory = (handler: Handler, registry: Registry) => Handler;

/** Where a tween sits: `under` tweens nearer INGRESS, `over` tweens nearer MAIN. */
export interface TweenOptions {
  /** Sit inside (after) this tween, or `INGRESS`; a list gives alternatives, the first present used. */
  under?: string | readonly string[];
  /** Sit outside (before) this tween, or `MAIN`. */
  over?: string | readonly string[];
}

/** The tweens of one application; `wrap()` builds the chain around MAIN. */
export class TweenTable {
  private items: OrderedItem<TweenFactory>[] = [];

  get size(): number {
    return this.items.length;
  }

  add(name: string, factory: TweenFactory, options: TweenOptions): void {
    this.items.push({ name, value: factory, under: nameList(options.under), over: nameList(options.over) });
  }

  /** The tween names, outermost first. */
  names(): string[] {
    return orderChain(this.items, INGRESS, MAIN, 'addTween', 'TET_ERR_TWEEN').map((item) => item.name);
  }

  /** The chain around `main`, or `undefined` when there are no tweens (requests call MAIN directly). */
  wrap(main: Handler, registry: Registry): Handler | undefined {
    if (this.items.length === 0) return undefined;
    const ordered = orderChain(this.items, INGRESS, MAIN, 'addTween', 'TET_ERR_TWEEN');
    let handler = main;
    for (let i = ordered.length - 1; i >= 0; i--) {
      const { name, value: factory } = ordered[i]!;
      const wrapped = factory(handler, registry);
      if (typeof wrapped !== 'function') {
        throw new ConfigurationError(`addTween('${name}'): the factory returned ${typeof wrapped}, not a handler (request) => Response; return a function.`, 'TET_ERR_TWEEN');
      }
      handler = wrapped;
    }
    return handler;
  }
}

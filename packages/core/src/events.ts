import type { App } from './app.js';
import type { Request } from './request.js';
import type { Response } from './response.js';
import { isThenable } from './thenable.js';

/**
 * Sent when a request starts, before routing (Pyramid's `NewRequest`).
 * @example
 * config.addSubscriber((event) => { event.request.raw.setTimeout(30_000) }, NewRequest)
 */
export class NewRequest {
  readonly request: Request;
  constructor(request: Request) {
    this.request = request;
  }
}

/**
 * Sent once a route and its view are found, before the view runs: `request.matchdict` and
 * `request.matchedRouteName` are set (Pyramid's `ContextFound`, sent after URL dispatch).
 * @example
 * config.addSubscriber((event) => { log(event.request.matchedRouteName) }, ContextFound)
 */
export class ContextFound {
  readonly request: Request;
  constructor(request: Request) {
    this.request = request;
  }
}

/**
 * Sent before a renderer runs (Pyramid's `BeforeRender`): `globals` holds the renderer
 * globals (the `addRendererGlobals` defaults, copied per render), which subscribers may add
 * to or override; `rendering` is the view's value, which they may replace.
 * @example
 * config.addSubscriber((event) => { event.globals.year = new Date().getFullYear() }, BeforeRender)
 */
export class BeforeRender {
  readonly request: Request;
  readonly rendererName: string;
  readonly globals: Record<string, unknown>;
  rendering: unknown;
  constructor(request: Request, rendererName: string, globals: Record<string, unknown>, rendering: unknown) {
    this.request = request;
    this.rendererName = rendererName;
    this.globals = globals;
    this.rendering = rendering;
  }
}

/**
 * Sent with every response, error pages included, after the response callbacks and before it
 * is written (Pyramid's `NewResponse`).
 * @example
 * config.addSubscriber((event) => { event.response.setHeader('x-request-path', event.request.path) }, NewResponse)
 */
export class NewResponse {
  readonly request: Request;
  readonly response: Response;
  constructor(request: Request, response: Response) {
    this.request = request;
    this.response = response;
  }
}

/**
 * Sent once by `makeApp()` (and `applicationFactory`'s `main`), with the new application
 * (Pyramid's `ApplicationCreated`).
 * @example
 * config.addSubscriber((event) => { event.app.registry.logger.info('ready') }, ApplicationCreated)
 */
export class ApplicationCreated {
  readonly app: App;
  constructor(app: App) {
    this.app = app;
  }
}

/** A class of events: the built-in ones, or any class of your own sent with `registry.notify`. */
export type EventClass<E extends object = object> = abstract new (...args: never[]) => E;

/** Receives an event; may return a Promise, which the request (or `makeApp`) waits for. */
export type Subscriber<E extends object = object> = (event: E) => void | Promise<void>;

/**
 * The subscribers of one application, by event class. An event reaches the subscribers of
 * its class and of every class it extends, in the order they were added.
 */
export class SubscriberTable {
  private byClass = new Map<unknown, Subscriber<never>[]>();

  add<E extends object>(type: EventClass<E>, subscriber: Subscriber<E>): void {
    const list = this.byClass.get(type.prototype);
    if (list === undefined) this.byClass.set(type.prototype, [subscriber as Subscriber<never>]);
    else list.push(subscriber as Subscriber<never>);
  }

  /** Whether anything listens for this class (or a class it extends): lets the hot path skip building events. */
  has(type: EventClass): boolean {
    if (this.byClass.size === 0) return false;
    for (let proto: unknown = type.prototype; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) if (this.byClass.has(proto)) return true;
    return false;
  }

  /**
   * Sends `event` to its subscribers in order; returns a Promise only once one of them does
   * (those after it wait for it). A subscriber's error propagates to the caller.
   */
  notify(event: object): void | Promise<void> {
    const subscribers: Subscriber<never>[] = [];
    const chain: unknown[] = [];
    for (let proto: unknown = Object.getPrototypeOf(event); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) chain.unshift(proto);
    for (const proto of chain) subscribers.push(...(this.byClass.get(proto) ?? []));
    for (let i = 0; i < subscribers.length; i++) {
      const result = (subscribers[i] as Subscriber)(event);
      if (isThenable(result)) {
        return (async () => {
          await result;
          for (let j = i + 1; j < subscribers.length; j++) await (subscribers[j] as Subscriber)(event);
        })();
      }
    }
    return undefined;
  }
}

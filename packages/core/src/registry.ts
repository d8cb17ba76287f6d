import type { Introspector } from './introspect.js';
import { ExceptionViewTable } from './exception-views.js';
import { RendererTable } from './renderers.js';
import { RouteTable } from './routes.js';
import type { Settings } from './settings.js';
import { SubscriberTable } from './events.js';
import { TweenTable } from './tweens.js';
import { ViewDeriverTable } from './view-derivers.js';
import { PredicateTable } from './view-predicates.js';

/** A request method or reified property added by `config.addRequestMethod()`. */
export interface RequestExtension {
  readonly fn: (request: never, ...args: never[]) => unknown;
  readonly reify: boolean;
}

/** Where the application reports errors; replace `registry.logger` to route them elsewhere. */
export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
}

/** The default logger: `console`, one line per message. */
export const consoleLogger: Logger = {
  error: (message, error) => console.error(message, ...(error === undefined ? [] : [error])),
  warn: (message) => console.warn(message),
  info: (message) => console.info(message),
};

/**
 * One per application: its settings and whatever packages store in it. Packages add
 * typed members by module augmentation, e.g. `interface Registry { cachebreaker?: string }`.
 */
export interface Registry {}

/**
 * One per application: its settings and whatever packages store in it.
 * @example
 * config.registry.settings['myapp.release']
 */
export class Registry {
  readonly settings: Settings;
  logger: Logger = consoleLogger;
  /** The name of the application's own package (from its package.json), if known. */
  readonly packageName: string | undefined;
  /** The directory holding the application's package.json, if known. */
  readonly packageRoot: string | undefined;
  /** Every route, by name; filled in at commit. */
  readonly routes: RouteTable = new RouteTable();
  /** Renderer factories, by name or extension. */
  readonly renderers: RendererTable = new RendererTable();
  /** Exception views, by the error class they handle. */
  readonly exceptionViews: ExceptionViewTable = new ExceptionViewTable();
  /** Members `config.addRequestMethod()` adds to every request, by name. */
  readonly requestExtensions: Map<string, RequestExtension> = new Map();
  /** The wrappers every view gets at commit (`config.addViewDeriver()`), in order. */
  readonly viewDerivers: ViewDeriverTable = new ViewDeriverTable();
  /** View predicates by option name: accept, header, requestParam, matchParam, xhr, and `addViewPredicate()`'s. */
  readonly viewPredicates: PredicateTable = new PredicateTable(['accept', 'header', 'requestParam', 'matchParam', 'xhr']);
  /** Route predicates by option name: accept, header, requestParam, xhr, and `addRoutePredicate()`'s. */
  readonly routePredicates: PredicateTable = new PredicateTable(['accept', 'header', 'requestParam', 'xhr']);
  /** The tweens around every request (`config.addTween()`), ordered when the app is made. */
  readonly tweens: TweenTable = new TweenTable();
  /** Event subscribers (`config.addSubscriber()`), by event class. */
  readonly subscribers: SubscriberTable = new SubscriberTable();
  /** Names every renderer gets (`config.addRendererGlobals()`); BeforeRender subscribers add more per render. */
  readonly rendererGlobals: Record<string, unknown> = {};

  /** Tables packages add to `tet views` (e.g. @tet/static's static views). */
  readonly introspectors: Introspector[] = [];

  /**
   * Sends an event to its subscribers (Pyramid's `registry.notify`); a Promise when one of them is async.
   * @example
   * await request.registry.notify(new OrderPlaced(order))
   */
  notify(event: object): void | Promise<void> {
    return this.subscribers.notify(event);
  }

  constructor(settings: Settings = {}, packageName?: string, packageRoot?: string) {
    this.settings = settings;
    this.packageName = packageName;
    this.packageRoot = packageRoot;
  }
}

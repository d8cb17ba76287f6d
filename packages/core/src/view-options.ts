import type { ErrorClass } from './exception-views.js';
import type { FastPath } from './fast-paths.js';

/** One method (`'GET'`) or several (`['GET', 'POST']`). */
export type RequestMethodList = string | readonly string[];

/** Options of `config.addRoute()`: its predicates. Augment it to type your own (`config.addRoutePredicate`). */
export interface AddRouteOptions {
  /** Only these methods match the route (a route predicate, as in Pyramid). */
  requestMethod?: RequestMethodList;
  /** Only requests whose `Accept` accepts one of these media types (or that send no `Accept`). */
  accept?: string | readonly string[];
  /** Only requests with these headers: `'X-Name'` or `'X-Name:regex'`. */
  header?: string | readonly string[];
  /** Only requests with these query parameters: `'name'` or `'name=value'`. */
  requestParam?: string | readonly string[];
  /** Only XMLHttpRequests when true, only others when false. */
  xhr?: boolean;
}

/**
 * Options every view accepts, route views and exception views alike. Packages add their own
 * by module augmentation, and read them in a view deriver (`config.addViewDeriver`) that
 * declares them:
 * @example
 * declare module '@tet/core' { interface ViewOptions { permission?: string } }
 * config.addViewDeriver(securedView, { options: ['permission'] })
 */
export interface ViewOptions {
  /** A renderer name (`json`, `string`) or a template spec (`myapp:templates/home.eta`). */
  renderer?: string;
}

/** Options of `config.addView()`: {@link ViewOptions} plus the route and predicates. */
export interface AddViewOptions extends ViewOptions {
  /** The route this view answers. */
  routeName: string;
  /** Only these methods reach the view; a GET view also answers HEAD. */
  requestMethod?: RequestMethodList;
  /** Only requests whose `Accept` accepts one of these media types (or that send no `Accept`). */
  accept?: string | readonly string[];
  /** Only requests with these headers: `'X-Name'` (present) or `'X-Name:regex'` (the value matches); all must hold. */
  header?: string | readonly string[];
  /** Only requests with these query parameters: `'name'` (present) or `'name=value'`; all must hold. */
  requestParam?: string | readonly string[];
  /** Only when the route's `matchdict` has these values: `'name=value'`; all must hold. */
  matchParam?: string | readonly string[];
  /** Only XMLHttpRequests (`X-Requested-With: XMLHttpRequest`) when true, only others when false. */
  xhr?: boolean;
  /**
   * For package authors: the view's answer from the raw request, before routing, when nothing
   * in the application could tell (see {@link FastPath}); @tet/static's views have one.
   */
  fastPath?: FastPath;
}

/** What a class-based view adds to {@link AddViewOptions}: the method to call. */
export interface ClassViewOptions {
  /** The method of the class that answers (default `call`, Pyramid's `__call__`). */
  attr?: string;
}

/** Options of `config.addExceptionView()`. */
export interface AddExceptionViewOptions extends ViewOptions {
  /** The error class to handle; subclasses are handled too. */
  context: ErrorClass;
}

/** The option names core itself reads; any other must be declared by a view deriver or predicate. */
export const CORE_VIEW_OPTIONS: ReadonlySet<string> = new Set(['routeName', 'requestMethod', 'renderer', 'context', 'attr', 'fastPath']);

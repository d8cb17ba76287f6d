import { ConfigurationError } from './errors.js';
import type { Request } from './request.js';

/** A class-based view: constructed per request with the request; a method answers it. */
export type ViewClass<R extends Request = Request> = new (request: R) => object;

/** The names of an instance's methods that take no arguments: what `attr` may name. */
export type ViewMethodName<C extends ViewClass<never>> = {
  [K in keyof InstanceType<C>]: InstanceType<C>[K] extends () => unknown ? K : never;
}[keyof InstanceType<C>] &
  string;

/** The method a class-based view calls when `attr` names none (Pyramid's `__call__`). */
export const DEFAULT_VIEW_METHOD = 'call';

/** Whether a function is a class (`class X {}`), which must be called with `new`. */
export function isClass(fn: unknown): fn is ViewClass {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/**
 * Pyramid's mapped view: a class becomes `(request) => new View(request)[attr]()`, checked at
 * commit (the method must exist); a plain function is returned as is.
 */
export function mappedView(view: (request: Request) => unknown, attr: string | undefined, where: string): (request: Request) => unknown {
  if (!isClass(view)) {
    if (attr !== undefined) throw new ConfigurationError(`${where}: 'attr' names a method of a class-based view, but the view is a function; drop 'attr' or pass the class.`, 'TET_ERR_VIEW_OPTIONS');
    return view;
  }
  const name = attr ?? DEFAULT_VIEW_METHOD;
  if (typeof (view.prototype as Record<string, unknown>)[name] !== 'function') {
    const methods = Object.getOwnPropertyNames(view.prototype).filter((key) => key !== 'constructor' && typeof (view.prototype as Record<string, unknown>)[key] === 'function');
    throw new ConfigurationError(
      `${where}: class ${view.name || '(anonymous)'} has no method '${name}'${attr === undefined ? ` (the method called when 'attr' is not given)` : ''}. Its methods: ${methods.join(', ') || '(none)'}.`,
      'TET_ERR_VIEW_OPTIONS',
    );
  }
  const Class = view;
  return (request) => {
    const instance = new Class(request) as Record<string, () => unknown>;
    return instance[name]!();
  };
}

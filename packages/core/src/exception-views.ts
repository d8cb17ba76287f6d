import type { ViewEntry } from './routes.js';

/** Any error class a view may throw, or an HTTP exception class. */
export type ErrorClass = abstract new (...args: never[]) => unknown;

/**
 * Exception views by the error class they handle; lookup walks the thrown error's
 * prototype chain, so a view for `HTTPClientError` also handles `HTTPNotFound`.
 */
export class ExceptionViewTable {
  private views = new Map<unknown, ViewEntry>();

  set(context: ErrorClass, entry: ViewEntry): void {
    this.views.set(context.prototype, entry);
  }

  get size(): number {
    return this.views.size;
  }

  lookup(error: unknown): ViewEntry | undefined {
    if (this.views.size === 0 || typeof error !== 'object' || error === null) return undefined;
    for (let proto: unknown = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
      const entry = this.views.get(proto);
      if (entry !== undefined) return entry;
    }
    return undefined;
  }
}

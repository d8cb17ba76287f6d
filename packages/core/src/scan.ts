import { captureCallSite } from './call-site.js';
import type { ActionInfo } from './errors.js';
import type { AddViewOptions } from './view-options.js';

/** What `@viewConfig()` takes: `addView`'s options (on a method, `attr` is the method). */
export type ViewConfigOptions = AddViewOptions & { attr?: string };

/** One decorator's record: its options and where it was written. */
interface ViewConfigRecord {
  readonly options: ViewConfigOptions;
  readonly info: ActionInfo;
}

// Records by decorated class or method, kept off the user's objects; scan() reads them.
const records = new WeakMap<object, ViewConfigRecord[]>();

/**
 * Pyramid's `@view_config` as a standard (TC39) decorator, on a class-based view's methods or
 * on the class itself. It only records; `config.scan(module)` adds the views, as actions
 * that point at the decorator's file and line.
 * @example
 * export class UserViews {
 *   constructor(readonly request: Request) {}
 *   \@viewConfig({ routeName: 'user', renderer: 'json' })
 *   show() { return { id: this.request.matchdict.id } }
 * }
 */
export function viewConfig(options: ViewConfigOptions): (value: object, context: ClassDecoratorContext | ClassMethodDecoratorContext) => void {
  const info = captureCallSite();
  return (value, context) => {
    const own = context.kind === 'method' ? { ...options, attr: String(context.name) } : options;
    const list = records.get(value);
    if (list === undefined) records.set(value, [{ options: own, info }]);
    else list.push({ options: own, info });
  };
}

/** A view `scan()` found: the class, `addView`'s options, and the decorator's location. */
export interface ScannedView {
  readonly view: abstract new (...args: never[]) => object;
  readonly options: ViewConfigOptions;
  readonly info: ActionInfo;
}

/**
 * The views decorated in the given modules (module namespace objects, or any objects whose
 * values are classes), in the order the decorators were written within each class.
 */
export function scannedViews(modules: object | readonly object[]): ScannedView[] {
  const found: ScannedView[] = [];
  const seen = new Set<unknown>();
  for (const module of Array.isArray(modules) ? modules : [modules]) {
    for (const value of Object.values(module as Record<string, unknown>)) {
      if (typeof value !== 'function' || seen.has(value)) continue;
      seen.add(value);
      const view = value as abstract new (...args: never[]) => object;
      const entries: ScannedView[] = [];
      for (const record of records.get(value) ?? []) entries.push({ view, ...record });
      for (const name of Object.getOwnPropertyNames(value.prototype ?? {})) {
        if (name === 'constructor') continue; // the class itself: its records are read above
        const method = Object.getOwnPropertyDescriptor(value.prototype, name)?.value;
        if (typeof method === 'function') for (const record of records.get(method) ?? []) entries.push({ view, ...record });
      }
      entries.sort((a, b) => a.info.line - b.info.line || a.info.column - b.info.column);
      found.push(...entries);
    }
  }
  return found;
}

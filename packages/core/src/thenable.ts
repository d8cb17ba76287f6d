/**
 * Whether a value is a promise or any other thenable: what an action, a view or a renderer
 * may return instead of its result. Checking `then` rather than `instanceof Promise` accepts
 * promises from other realms and libraries, as `await` does.
 * @example
 * const result = view(request); if (isThenable(result)) result.then(finish); else finish(result);
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

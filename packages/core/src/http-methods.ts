// Which request methods a view or route predicate may name: the methods Node's HTTP parser
// accepts (`http.METHODS`). A request with any other method never reaches the application
// (Node answers 400 itself), so `requestMethod: 'GETT'` could only be a typo that silently
// leaves the view unreachable.
import { METHODS } from 'node:http';
import { ConfigurationError } from './errors.js';

const KNOWN: ReadonlySet<string> = new Set(METHODS);

/**
 * Throws a `ConfigurationError` (`TET_ERR_METHOD_UNKNOWN`) for a method outside `http.METHODS`,
 * naming the closest known one and the whole list; case does not matter (`'get'` is `GET`).
 * @example
 * checkKnownMethods(['GET', 'POST'], "addView(list)")
 */
export function checkKnownMethods(methods: readonly string[], where: string): void {
  for (const method of methods) {
    const upper = method.toUpperCase();
    if (KNOWN.has(upper)) continue;
    const guess = closest(upper);
    throw new ConfigurationError(
      `${where}: requestMethod '${method}' is not an HTTP method Node can receive${guess === undefined ? '' : `; did you mean '${guess}'`}. Known methods: ${METHODS.join(', ')}.`,
      'TET_ERR_METHOD_UNKNOWN',
    );
  }
}

// The known method at edit distance 2 or less, if there is one (GETT -> GET, PSOT -> POST).
function closest(method: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of METHODS) {
    const distance = editDistance(method, known);
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

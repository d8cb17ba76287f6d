import type { TetErrorCode } from './error-codes.js';
import { ConfigurationError } from './errors.js';

/**
 * The outside end of the tween chain and of the view-deriver chain, as Pyramid's `INGRESS`:
 * `{ under: INGRESS }` puts a tween or deriver outermost.
 */
export const INGRESS = 'INGRESS';

/** One item to place in a chain: its name and the names it must sit under (after) and over (before). */
export interface OrderedItem<T> {
  readonly name: string;
  readonly value: T;
  /** Names (or the chain's first end) this item must come after; the first one present is used. */
  readonly under: readonly string[];
  /** Names (or the chain's last end) this item must come before; the first one present is used. */
  readonly over: readonly string[];
}

/**
 * Pyramid's TopologicalSorter for tweens and view derivers: orders items from `first`
 * (INGRESS, the outside) to `last` (MAIN or VIEW, the inside) by their `under`/`over`
 * constraints. An item with neither sits right under `first`, so among unconstrained items
 * the one added last is outermost, as in Pyramid. Several names in `under`/`over` are
 * alternatives: the first that exists is used.
 * @example
 * orderChain([{ name: 'a', value: 1, under: [], over: [] }], 'INGRESS', 'MAIN', 'addTween', code)
 */
export function orderChain<T>(items: readonly OrderedItem<T>[], first: string, last: string, directive: string, code: TetErrorCode): OrderedItem<T>[] {
  const byName = new Map(items.map((item) => [item.name, item]));
  const known = (name: string) => name === first || name === last || byName.has(name);
  const pick = (item: OrderedItem<T>, names: readonly string[], side: 'under' | 'over'): string | undefined => {
    if (names.length === 0) return undefined;
    const found = names.find(known);
    if (found === undefined) {
      throw new ConfigurationError(
        `${directive}('${item.name}', { ${side}: ${JSON.stringify(names.length === 1 ? names[0] : names)} }): no ${directive === 'addTween' ? 'tween' : 'view deriver'} of that name is registered. ` +
          `Known names: ${[first, ...byName.keys(), last].join(', ')}.`,
        code,
      );
    }
    return found;
  };
  // edges: a → b means a sits outside (before) b
  const after = new Map<string, Set<string>>([...byName.keys(), first, last].map((name) => [name, new Set()]));
  const edge = (from: string, to: string) => after.get(from)!.add(to);
  edge(first, last);
  for (const item of items) {
    let under = pick(item, item.under, 'under');
    const over = pick(item, item.over, 'over');
    if (under === undefined && over === undefined) under = first;
    if (under === last || over === first) {
      throw new ConfigurationError(`${directive}('${item.name}'): nothing can be under ${last} or over ${first}; use under: ${first} or over: ${last}.`, code);
    }
    edge(first, item.name);
    edge(item.name, last);
    if (under !== undefined) edge(under, item.name);
    if (over !== undefined) edge(item.name, over);
  }
  const incoming = new Map<string, number>([...after.keys()].map((name) => [name, 0]));
  for (const targets of after.values()) for (const target of targets) incoming.set(target, incoming.get(target)! + 1);
  const order: string[] = [];
  // Ready names in insertion order; the most recently added ready item goes first (Pyramid's implicit order).
  const rank = new Map(items.map((item, index) => [item.name, index]));
  const ready = [first];
  while (ready.length > 0) {
    ready.sort((a, b) => (rank.get(a) ?? -1) - (rank.get(b) ?? -1));
    const name = ready.pop()!;
    order.push(name);
    for (const target of after.get(name)!) {
      const left = incoming.get(target)! - 1;
      incoming.set(target, left);
      if (left === 0) ready.push(target);
    }
  }
  if (order.length !== after.size) {
    const stuck = [...byName.keys()].filter((name) => !order.includes(name));
    throw new ConfigurationError(`${directive}: the under/over constraints of ${stuck.map((n) => `'${n}'`).join(', ')} form a cycle; change one so the chain has an order.`, code);
  }
  return order.filter((name) => name !== first && name !== last).map((name) => byName.get(name)!);
}

/** Normalises an `under`/`over` option: a name, a list of alternative names, or nothing. */
export function nameList(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

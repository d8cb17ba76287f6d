import { ConfigurationError } from './errors.js';
import { HTTPNotFound } from './http-exceptions.js';
import type { Registry } from './registry.js';
import type { Request } from './request.js';

/** A compiled predicate: true when the request may reach the view (or route). */
export type PredicateTest = (request: Request) => boolean;

/** What a predicate factory is told besides the option's value. */
export interface PredicateInfo {
  /** The option name, e.g. `header`. */
  readonly name: string;
  readonly registry: Registry;
}

/**
 * Makes a predicate from a view's (or route's) option value, once, at commit (Pyramid's
 * predicate factories, as a function).
 * @example
 * config.addViewPredicate('beta', (wanted: boolean) => (request) => (request.headers['x-beta'] === '1') === wanted)
 */
export type PredicateFactory<V = never> = (value: V, info: PredicateInfo) => PredicateTest;

/**
 * Raised (a 404) when a route matched but no view's predicates did, and the method is not
 * what differs (that is a 405): Pyramid's `PredicateMismatch`.
 * @example
 * config.addExceptionView(() => new Response('No view for that', { status: 404 }), { context: PredicateMismatch })
 */
export class PredicateMismatch extends HTTPNotFound {}

function list(value: unknown, name: string): string[] {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (items === undefined || items.length === 0 || items.some((item) => typeof item !== 'string' || item === '')) {
    throw new ConfigurationError(`the '${name}' predicate takes a non-empty string or a list of them; got ${JSON.stringify(value)}`, 'TET_ERR_VIEW_OPTIONS');
  }
  return items as string[];
}

function splitPair(item: string, separator: string): [string, string | undefined] {
  const at = item.indexOf(separator);
  return at === -1 ? [item, undefined] : [item.slice(0, at).trim(), item.slice(at + 1).trim()];
}

// Media ranges of an Accept header with q > 0, lower-cased: ['text/html', 'text/*', '*/*'].
function acceptedRanges(header: string): string[] {
  const ranges: string[] = [];
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';');
    const q = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    const type = range!.trim().toLowerCase();
    if (type !== '') ranges.push(type);
  }
  return ranges;
}

/** Whether an Accept header accepts a media type (`*` and `type/*` ranges count); no header accepts everything, as Pyramid. */
export function accepts(header: string | undefined, mediaType: string): boolean {
  if (header === undefined) return true;
  const wanted = mediaType.toLowerCase();
  const slash = wanted.indexOf('/');
  return acceptedRanges(header).some((range) => range === wanted || range === '*/*' || range === '*' || (range.endsWith('/*') && range.slice(0, -1) === wanted.slice(0, slash + 1)));
}

/** The built-in view predicates (routes get all but `matchParam`, which needs the view's route). */
export const builtinPredicates: Readonly<Record<string, PredicateFactory<unknown>>> = {
  accept: (value) => {
    const types = list(value, 'accept');
    return (request) => {
      const header = request.headers.accept;
      return types.some((type) => accepts(header, type));
    };
  },
  header: (value) => {
    // 'Name' (present) or 'Name:regex' (the value matches), every one of them.
    const checks = list(value, 'header').map((item) => {
      const [name, pattern] = splitPair(item, ':');
      return { name: name.toLowerCase(), pattern: pattern === undefined ? undefined : new RegExp(pattern) };
    });
    return (request) =>
      checks.every(({ name, pattern }) => {
        const raw = request.headers[name];
        const text = Array.isArray(raw) ? raw.join(', ') : raw;
        return text !== undefined && (pattern === undefined || pattern.test(text));
      });
  },
  requestParam: (value) => {
    // 'name' (present in the query) or 'name=value', every one of them.
    const checks = list(value, 'requestParam').map((item) => splitPair(item, '='));
    return (request) => checks.every(([name, wanted]) => (wanted === undefined ? request.query.has(name) : request.query.getAll(name).includes(wanted)));
  },
  matchParam: (value) => {
    const checks = list(value, 'matchParam').map((item) => {
      const [name, wanted] = splitPair(item, '=');
      if (wanted === undefined) throw new ConfigurationError(`the 'matchParam' predicate takes 'name=value' items; got '${item}'`, 'TET_ERR_VIEW_OPTIONS');
      return [name, wanted] as const;
    });
    return (request) => checks.every(([name, wanted]) => request.matchdict[name] === wanted);
  },
  xhr: (value) => {
    if (typeof value !== 'boolean') throw new ConfigurationError(`the 'xhr' predicate takes true or false; got ${JSON.stringify(value)}`, 'TET_ERR_VIEW_OPTIONS');
    return (request) => (request.headers['x-requested-with'] === 'XMLHttpRequest') === value;
  },
};

/** Predicate factories by option name: the built-ins and those `addViewPredicate`/`addRoutePredicate` add. */
export class PredicateTable {
  private factories = new Map<string, PredicateFactory<unknown>>();
  /** Names declared at the directive call, so discriminators made before commit know them. */
  readonly declared = new Set<string>();

  constructor(builtins: readonly string[]) {
    for (const name of builtins) {
      this.factories.set(name, builtinPredicates[name]!);
      this.declared.add(name);
    }
  }

  set(name: string, factory: PredicateFactory<unknown>): void {
    this.factories.set(name, factory);
  }

  has(name: string): boolean {
    return this.factories.has(name);
  }

  /** The tests for the predicate options among `options`, in name order. */
  compile(options: object, registry: Registry): PredicateTest[] {
    const tests: PredicateTest[] = [];
    for (const [name, value] of Object.entries(options).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const factory = this.factories.get(name);
      if (factory !== undefined && value !== undefined) tests.push(factory(value, { name, registry }));
    }
    return tests;
  }

  /** The discriminator part for the predicates among `options`: two views with the same predicates conflict. */
  key(options: object): string {
    const parts: string[] = [];
    for (const [name, value] of Object.entries(options).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (this.declared.has(name) && value !== undefined) parts.push(`${name}=${JSON.stringify(Array.isArray(value) ? [...value].sort() : value)}`);
    }
    return parts.join('&');
  }
}

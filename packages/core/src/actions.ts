import { type ActionInfo, ConfigurationConflictError, ConfigurationError, ConfigurationExecutionError, formatActionInfo } from './errors.js';
import { isThenable } from './thenable.js';

/**
 * Action phases: actions run in ascending `order`, then in the order they were declared.
 * @example
 * config.action('my:thing', () => { ... }, { order: Phase.early })
 */
export const Phase = { first: -30, early: -20, routes: -10, default: 0, late: 10 } as const;

/** The identity of one include: the callable that was included. */
export type IncludeId = (...args: never[]) => unknown;

/** One recorded configuration action, executed at commit. */
export interface Action {
  readonly discriminator: string | null;
  readonly execute: (() => void | Promise<void>) | undefined;
  readonly order: number;
  readonly info: ActionInfo;
  readonly includePath: readonly IncludeId[];
  readonly index: number;
}

function isPrefix(prefix: readonly IncludeId[], path: readonly IncludeId[]): boolean {
  if (prefix.length >= path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== path[i]) return false;
  return true;
}

/**
 * Pyramid's conflict resolution: among actions with the same discriminator, the one
 * with the shortest include path wins when its path is a strict prefix of every other
 * (the includer overrides what it included); anything else is a conflict.
 * Returns the winning actions sorted by (order, index).
 */
export function resolveConflicts(actions: readonly Action[], executed: ReadonlyMap<string, Action> = new Map()): Action[] {
  const byDiscriminator = new Map<string, Action[]>();
  const winners: Action[] = [];
  for (const action of actions) {
    if (action.discriminator === null) {
      winners.push(action);
      continue;
    }
    const group = byDiscriminator.get(action.discriminator);
    if (group === undefined) byDiscriminator.set(action.discriminator, [action]);
    else group.push(action);
  }
  const conflicts = new Map<string, ActionInfo[]>();
  for (const [discriminator, group] of byDiscriminator) {
    const previous = executed.get(discriminator);
    if (previous !== undefined) group.unshift(previous);
    group.sort((a, b) => a.includePath.length - b.includePath.length || a.index - b.index);
    const [base, ...rest] = group as [Action, ...Action[]];
    for (const other of rest) {
      if (!isPrefix(base.includePath, other.includePath)) {
        const infos = conflicts.get(discriminator) ?? [base.info];
        infos.push(other.info);
        conflicts.set(discriminator, infos);
      }
    }
    if (base !== previous) winners.push(base);
  }
  if (conflicts.size > 0) throw new ConfigurationConflictError(conflicts);
  return winners.sort((a, b) => a.order - b.order || a.index - b.index);
}

type MaybePromise = void | Promise<void>;

function wrapFailure(error: unknown, action: Action): Error {
  // A ConfigurationError already says what is wrong; keep its class and code, add where.
  if (error instanceof ConfigurationError && !(error instanceof ConfigurationExecutionError)) {
    error.message += `\n  (declared at ${formatActionInfo(action.info)})`;
    return error;
  }
  return new ConfigurationExecutionError(error, action.info, action.discriminator);
}

/**
 * Runs actions in sequence, synchronously until one returns a Promise; from then on
 * the rest are awaited in order. Returns a Promise only if some action was async.
 */
export function executeInOrder(actions: readonly Action[], onExecuted: (action: Action) => void): MaybePromise {
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i]!;
    let result: unknown;
    try {
      result = action.execute?.();
    } catch (error) {
      throw wrapFailure(error, action);
    }
    if (isThenable(result)) {
      return (async () => {
        try {
          await result;
        } catch (error) {
          throw wrapFailure(error, action);
        }
        onExecuted(action);
        const rest = executeInOrder(actions.slice(i + 1), onExecuted);
        if (rest !== undefined) await rest;
      })();
    }
    onExecuted(action);
  }
  return undefined;
}

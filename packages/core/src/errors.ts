/**
 * Tet's error classes. Every error carries a stable `code` (`TET_ERR_...`) that
 * docs/errors.md documents; messages say what went wrong, where, and how to fix it.
 */

import type { TetErrorCode } from './error-codes.js';

/**
 * Base class of Tet's own (non-HTTP) errors.
 * @example
 * try { request.routeUrl('nope') } catch (e) { if (e instanceof TetError) console.log(e.code) }
 */
export class TetError extends Error {
  override name: string = 'TetError';
  readonly code: TetErrorCode;
  constructor(message: string, code: TetErrorCode = 'TET_ERR_INTERNAL', options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Raised at configuration time when the configuration is invalid.
 * @example
 * throw new ConfigurationError("addRoute('home', ''): the pattern is empty; use '/'", 'TET_ERR_ROUTE_PATTERN')
 */
export class ConfigurationError extends TetError {
  override name: string = 'ConfigurationError';
  constructor(message: string, code: TetErrorCode = 'TET_ERR_CONFIG', options?: ErrorOptions) {
    super(message, code, options);
  }
}

/** Where a configuration action was declared: the file, line and column of the call. */
export interface ActionInfo {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Formats an {@link ActionInfo} as `file:line:column`. */
export function formatActionInfo(info: ActionInfo): string {
  return info.line > 0 ? `${info.file}:${info.line}:${info.column}` : info.file;
}

/**
 * Two or more actions share a discriminator and none of them overrides the others.
 * @example
 * catch (e) { if (e instanceof ConfigurationConflictError) for (const [d, infos] of e.conflicts) console.log(d, infos) }
 */
export class ConfigurationConflictError extends ConfigurationError {
  override name: string = 'ConfigurationConflictError';
  readonly conflicts: ReadonlyMap<string, readonly ActionInfo[]>;
  constructor(conflicts: ReadonlyMap<string, readonly ActionInfo[]>) {
    const lines = ['Conflicting configuration actions:'];
    for (const [discriminator, infos] of conflicts) {
      lines.push(`  For: ${discriminator}`);
      for (const info of infos) lines.push(`    ${formatActionInfo(info)}`);
    }
    lines.push(
      'Each registration above claims the same thing. Remove all but one, give them different ' + 'names, or make one override the other by calling it from the configuration that includes the other.',
    );
    super(lines.join('\n'), 'TET_ERR_CONFIG_CONFLICT');
    this.conflicts = conflicts;
  }
}

/**
 * An action failed while the configuration was being committed; `cause` holds the original error.
 * @example
 * catch (e) { if (e instanceof ConfigurationExecutionError) console.log(e.info, e.cause) }
 */
export class ConfigurationExecutionError extends ConfigurationError {
  override name: string = 'ConfigurationExecutionError';
  readonly info: ActionInfo;
  constructor(cause: unknown, info: ActionInfo, discriminator: string | null) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const what = discriminator === null ? 'a configuration action' : `the configuration action for ${discriminator}`;
    super(`${reason}\n  while committing ${what}, declared at ${formatActionInfo(info)}`, 'TET_ERR_CONFIG_EXECUTION', { cause });
    this.info = info;
  }
}

// The Node flags of the processes `tet serve` starts (a --reload child, cluster workers).

/**
 * This process's own Node flags (a `--conditions`, an `--import`, `--require`), so a child
 * loads the same modules as the process that started it, plus source maps for its stack
 * traces. Debugger flags are not passed on: a second process on the same inspector port fails.
 * @example
 * fork(cli, ['serve', ...args], { execArgv: childExecArgv() })
 */
export function childExecArgv(parent: readonly string[] = process.execArgv): string[] {
  const flags = parent.filter((flag) => !/^--(inspect|debug)/.test(flag));
  return flags.includes('--enable-source-maps') ? flags : [...flags, '--enable-source-maps'];
}

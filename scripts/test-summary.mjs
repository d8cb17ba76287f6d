// The one line CI reads at the end of `npm test`, made from uvu's closing block.

const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Counts from uvu's output and how its process ended. uvu's `Total` leaves out skipped tests,
 * so the failures are Total − Passed; a process that failed after printing its summary (an
 * unhandled rejection, a signal) counts one failure, so CI never reads it as green.
 * @example
 * summarize(output, 0, null).line // 'tests: 256 passed, 0 failed, 5 skipped'
 */
export function summarize(output, exitCode, signal) {
  const plain = output.replace(ANSI, '');
  const last = (label) => {
    const found = [...plain.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'gm'))].at(-1);
    return found === undefined ? undefined : Number(found[1]);
  };
  const total = last('Total');
  const passed = last('Passed') ?? 0;
  const skipped = last('Skipped') ?? 0;
  let failed = total === undefined ? 1 : Math.max(total - passed, 0);
  if (failed === 0 && (exitCode !== 0 || signal !== null)) failed = 1;
  const line = `tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  return { passed, failed, skipped, line };
}

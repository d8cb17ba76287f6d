/**
 * Runs `worker` over `items` with at most `concurrency` at a time, in order of starting.
 * @example
 * await runPool(paths, 8, async (path) => check(path))
 */
export async function runPool<T>(items: readonly T[], concurrency: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) await worker(items[next++]!);
  });
  await Promise.all(lanes);
}

// The queue of a lazy index's background reads (background-reads.ts): what is put off is tried
// again later, a read that rejects is not an unhandled rejection, and whoever waits for a
// pending file waits on the same promise.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withTimeout } from '@tet/core/testing';
import { BackgroundReads, PendingFile, type ReadResult } from '../src/background-reads.js';

const queue = suite('BackgroundReads');

queue('a read put off is tried again after a while, and a read that rejects leaves nothing unhandled', () =>
  withTimeout(async () => {
    const unhandled: unknown[] = [];
    const record = (error: unknown) => unhandled.push(error);
    process.on('unhandledRejection', record);
    try {
      const calls: Array<[string, number]> = [];
      const started = performance.now();
      let finished: () => void;
      const done = new Promise<void>((resolve) => {
        finished = resolve;
      });
      const results: Record<string, ReadResult[]> = { a: ['retry', 'retry', 'done'], b: ['done'] };
      const reads = new BackgroundReads(async (path) => {
        calls.push([path, performance.now() - started]);
        if (path === 'broken') throw new Error('not a file system error');
        const result = results[path]!.shift()!;
        if (path === 'a' && result === 'done') finished();
        return result;
      });
      reads.add('broken');
      reads.add('a');
      reads.add('b');
      await done;
      await new Promise((resolve) => setTimeout(resolve, 20));
      const times = calls.filter(([path]) => path === 'a').map(([, at]) => at);
      assert.is(times.length, 3, 'tried three times');
      assert.ok(times[1]! - times[0]! >= 90, `the first retry after 100 ms (${times[1]! - times[0]!})`);
      assert.ok(times[2]! - times[1]! >= 190, `the second after 200 ms (${times[2]! - times[1]!})`);
      assert.equal(
        calls.filter(([path]) => path !== 'a').map(([path]) => path),
        ['broken', 'b'],
      );
      assert.equal(unhandled, []);
    } finally {
      process.off('unhandledRejection', record);
    }
  }),
);

const pending = suite('PendingFile');

pending('every waiter gets the same promise, settled once per read', async () => {
  const file = fileURLToPath(import.meta.url);
  const seen = new PendingFile(file, statSync(file), 0);
  const first = seen.settled();
  assert.ok(seen.settled() === first, 'the same promise for every waiter');
  let woke = false;
  void first.then(() => {
    woke = true;
  });
  seen.settle();
  await first;
  assert.ok(woke);
  assert.ok(seen.settled() !== first, 'the next read has a promise of its own');
});

queue.run();
pending.run();

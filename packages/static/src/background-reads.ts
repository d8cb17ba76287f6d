// A lazy index's big files: what the walk saw of one not read yet, and the queue that reads them
// in the background once the index is built, so that start-up never waits for a big file to be
// hashed. What a read's result does to the index is file-index.ts's; the read is index-reads.ts's.
import type { Stats } from 'node:fs';
import { UnreadFile } from './index-reads.js';

/**
 * A big file of a lazy index, found by the walk and not read yet: read in the background, or
 * synchronously by the first caller that needs its entry at once. Requests that come first wait
 * for {@link settled}.
 */
export class PendingFile extends UnreadFile {
  /** Bytes of the memory budget set aside for its content at start-up (0: it streams). */
  claimed: number;
  private wake: (() => void) | undefined = undefined;
  private waiting: Promise<void> | undefined = undefined;

  constructor(realPath: string, info: Stats, claimed: number) {
    super(realPath, info);
    this.claimed = claimed;
  }

  /** Settles when the read under way ends, whatever it found (never rejects); the same promise for every waiter. */
  settled(): Promise<void> {
    this.waiting ??= new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    return this.waiting;
  }

  /** Wakes whoever waits: the file was read (or found gone), or its read was put off. */
  settle(): void {
    const wake = this.wake;
    this.wake = undefined;
    this.waiting = undefined;
    wake?.();
  }
}

/** What one background read did: finished with the file, or put it off ('retry': out of descriptors, being written). */
export type ReadResult = 'done' | 'retry';

// Two at a time: each is a chain of reads through the thread pool (4 threads by default), which
// requests streaming files and other start-up reads share.
const CONCURRENCY = 2;
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;

/**
 * The background reads of one index, {@link CONCURRENCY} at a time, in the order added. A read
 * put off is tried again later, waiting twice as long each time (up to 5 s), on a timer that
 * never keeps the process alive. `read` must not reject; if it does, the file is left as it is.
 * @example
 * const reads = new BackgroundReads((path) => index.readLater(path))
 * reads.add('media/video.mp4')
 */
export class BackgroundReads {
  private readonly read: (relativePath: string) => Promise<ReadResult>;
  private readonly queue: string[] = [];
  private readonly retries = new Map<string, number>();
  private running = 0;

  constructor(read: (relativePath: string) => Promise<ReadResult>) {
    this.read = read;
  }

  add(relativePath: string): void {
    this.queue.push(relativePath);
    this.next();
  }

  private next(): void {
    while (this.running < CONCURRENCY && this.queue.length > 0) {
      const relativePath = this.queue.shift()!;
      this.running++;
      this.read(relativePath)
        .catch((): ReadResult => 'done')
        .then((result) => {
          this.running--;
          if (result === 'retry') this.later(relativePath);
          else this.retries.delete(relativePath);
          this.next();
        });
    }
  }

  private later(relativePath: string): void {
    const attempt = this.retries.get(relativePath) ?? 0;
    this.retries.set(relativePath, attempt + 1);
    setTimeout(() => this.add(relativePath), Math.min(FIRST_RETRY_MS * 2 ** attempt, LAST_RETRY_MS)).unref();
  }
}

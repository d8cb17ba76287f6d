// How one index spends the static views' shared memory budget (docs/static.md): the small
// files' share set aside at start-up before a big file may take any, then first come, first
// served; a big file read in the background keeps what was set aside for it when it was walked.
import type { PendingFile } from './background-reads.js';
import { claimMemory, type MemoryPolicy } from './file-reader.js';
import { SMALL_FILE_SIZE } from './index-reads.js';

/**
 * One index's part of the memory budget.
 * @example
 * const memory = new IndexMemory(policy)
 * memory.reserve(smallBytes) // at start-up, before any big file claims
 * memory.keepSmall(2048) // a small file's first read: true to keep its bytes
 */
export class IndexMemory {
  readonly policy: MemoryPolicy;
  // The part of the budget set aside at start-up for the small files not read yet, so bigger
  // files cannot take what the stylesheets and scripts need.
  private reserved = 0;

  constructor(policy: MemoryPolicy) {
    this.policy = policy;
  }

  /** Start-up: sets aside what the small files not read yet need (as much as is left). */
  reserve(bytes: number): void {
    this.reserved = Math.min(bytes, this.policy.remaining);
    this.policy.remaining -= this.reserved;
  }

  /**
   * A small file's first read: from the small files' share while it lasts, then from what is
   * left; false to stream it (and always for one that grew past the small size since the walk).
   */
  keepSmall(size: number): boolean {
    if (size > SMALL_FILE_SIZE || size > this.policy.maxFileSize) return false;
    if (size <= this.reserved) {
      this.reserved -= size;
      return true;
    }
    return claimMemory(this.policy, size);
  }

  /** Start-up: sets aside a big file's size when it fits in what is left; what was set aside (0: it streams). */
  claim(size: number): number {
    return claimMemory(this.policy, size) ? size : 0;
  }

  /**
   * A big file about to be read keeps what was set aside for it; if its size changed since the
   * walk, that is given back and the new size claimed from what is left. False to stream it.
   */
  keepPending(pending: PendingFile, size: number): boolean {
    if (pending.claimed === size) return size > 0;
    this.release(pending);
    pending.claimed = this.claim(size);
    return pending.claimed > 0;
  }

  /** Gives back what was set aside for a big file whose bytes are not kept after all. */
  release(pending: PendingFile): void {
    this.policy.remaining += pending.claimed;
    pending.claimed = 0;
  }
}

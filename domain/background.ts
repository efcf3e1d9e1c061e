/**
 * Work that follows a request but need not hold up its answer: replacing a posted card for
 * everyone, sending notices. Tracked, so shutdown can wait for it (`drain`), and coalesced per
 * key, so a burst of answers on one check-in becomes one card update instead of one per answer
 * (which would also run into Teams' per-thread send limit).
 */
import type { Logger } from './ports';

interface Slot {
  running: Promise<void>;
  /** The latest work asked for while one run was in flight; runs once after it. */
  next?: () => Promise<void>;
}

export class BackgroundTasks {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly logger: Logger) {}

  /** Runs `fn` now, without waiting; errors are logged. */
  run(label: string, fn: () => Promise<void>): void {
    const p = fn()
      .catch((err: unknown) => this.logger.error({ task: label, err: { message: (err as Error).message } }, 'background task failed'))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /**
   * Runs `fn` for `key` now if nothing runs for that key; otherwise remembers it (replacing any
   * earlier waiting one) and runs it once the current run ends. At most one run and one waiting
   * per key.
   */
  coalesce(key: string, fn: () => Promise<void>): void {
    const slot = this.slots.get(key);
    if (slot) {
      slot.next = fn;
      return;
    }
    const start = (work: () => Promise<void>): Promise<void> =>
      work()
        .catch((err: unknown) => this.logger.error({ task: key, err: { message: (err as Error).message } }, 'background task failed'))
        .then(() => {
          const current = this.slots.get(key);
          const next = current?.next;
          if (current && next) {
            current.next = undefined;
            current.running = start(next);
            return current.running;
          }
          this.slots.delete(key);
          return undefined;
        });
    const entry: Slot = { running: Promise.resolve() };
    this.slots.set(key, entry);
    entry.running = start(fn);
    const tracked = entry.running.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Waits until every task (including work queued meanwhile) has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}

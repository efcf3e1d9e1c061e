/**
 * Work that follows a request but need not hold up its answer: replacing a posted card for
 * everyone, sending notices. Tracked, so shutdown can wait for it (`drain`), and coalesced per
 * key, so a burst of answers on one check-in becomes one card update instead of one per answer
 * (which would also run into Teams' per-thread send limit).
 */
import type { Logger } from '../ports';

interface Slot {
  /** The latest work asked for while one run was in flight (or waiting); runs once after it. */
  next?: () => Promise<void>;
}

export class BackgroundTasks {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly logger: Logger) {}

  /** Runs `fn` now, without waiting; errors are logged. */
  run(label: string, fn: () => Promise<void>): void {
    const p = fn()
      .catch((err: unknown) =>
        this.logger.error({ task: label, err: { message: (err as Error).message } }, 'background task failed'),
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /**
   * Runs `fn` for `key` now if nothing runs for that key; otherwise remembers it (replacing any
   * earlier waiting one) and runs it once the current run ends. With `minIntervalMs`, no run of
   * the key starts sooner than that after the previous one started, whether or not that one was
   * still running (a card is not replaced more often than Teams' per-thread limits allow, however
   * fast the answers come). At most one run and one waiting per key. `drain` cuts the wait short.
   */
  coalesce(key: string, fn: () => Promise<void>, options: { minIntervalMs?: number } = {}): void {
    const slot = this.slots.get(key);
    if (slot) {
      slot.next = fn;
      return;
    }
    const interval = options.minIntervalMs ?? 0;
    const entry: Slot = { next: fn };
    this.slots.set(key, entry);
    const loop = async (): Promise<void> => {
      while (entry.next) {
        const wait = (this.lastStarts.get(key) ?? -Infinity) + interval - Date.now();
        // No wait: the first run starts synchronously, inside this call.
        if (wait > 0) await this.pause(wait);
        const work = entry.next;
        entry.next = undefined;
        this.noteStart(key);
        try {
          await work();
        } catch (err) {
          this.logger.error({ task: key, err: { message: (err as Error).message } }, 'background task failed');
        }
      }
      this.slots.delete(key);
    };
    const tracked: Promise<void> = loop().finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** When each key's last run started (forgotten after a minute: no interval is that long). */
  private readonly lastStarts = new Map<string, number>();

  private noteStart(key: string): void {
    const now = Date.now();
    this.lastStarts.delete(key);
    this.lastStarts.set(key, now);
    for (const [k, at] of this.lastStarts) {
      if (at > now - 60_000) break;
      this.lastStarts.delete(k);
    }
  }

  private readonly wakers = new Set<() => void>();
  private draining = false;

  /** Waits `ms`, or less when `drain` is called (shutdown is not held up by a wait). */
  pause(ms: number): Promise<void> {
    if (ms <= 0 || this.draining) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.wakers.add(wake);
    });
  }

  /** Waits until every task (including work queued meanwhile) has finished. */
  async drain(): Promise<void> {
    this.draining = true;
    try {
      [...this.wakers].forEach((wake) => wake());
      while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    } finally {
      this.draining = false;
    }
  }
}

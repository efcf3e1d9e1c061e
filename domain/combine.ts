/**
 * Write combining for rows that many people change at once (an action answered by several
 * people in the same minute, the week's check-in row). Inside one process the changes to a row
 * wait their turn instead of racing each other's ETags: the changes that arrive while a write of
 * the row is on the wire are applied in arrival order to the row and written together, once.
 * The result is what writing them one after another would give; each caller's promise settles
 * when the write holding its change is stored. Other processes are still kept honest by the
 * ETag: a refused write re-reads the row and applies the changes again.
 */
import { ConcurrencyError, NotFoundError } from './errors';

export interface CombinedRows<T> {
  /** The row as stored now (with its ETag); undefined when it does not exist. */
  read(key: string): Promise<T | undefined>;
  /** Writes the row if its ETag is current (else ConcurrencyError); returns it with the new ETag. */
  write(row: T): Promise<T>;
}

/** A change to a row: the new row, or undefined when it leaves the row as it is. */
export type RowChange<T> = (current: T) => T | undefined;

interface Pending<T> {
  change: RowChange<T>;
  resolve(changed: boolean): void;
  reject(err: unknown): void;
}

export interface CombinerOptions {
  attempts: number;
  /** Wait before re-reading after a refused write (attempt 1, 2, …). */
  backoff(attempt: number): Promise<void>;
  /** How many rows' last written versions are kept to skip the read (oldest forgotten first). */
  remember?: number;
}

export class RowCombiner<T extends object> {
  private readonly queues = new Map<string, Pending<T>[]>();
  /** The version this process wrote last, per row: the next write starts from it. */
  private readonly written = new Map<string, T>();

  constructor(
    private readonly rows: CombinedRows<T>,
    private readonly options: CombinerOptions,
  ) {}

  /**
   * Applies `change` to the row. `seen` is a version the caller has just read (spares a read
   * when this process has not written the row yet). Resolves true when the change was stored,
   * false when the row does not exist or the change left it as it was.
   */
  apply(key: string, change: RowChange<T>, seen?: T): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ change, resolve, reject });
        return;
      }
      this.queues.set(key, []);
      void this.run(key, [{ change, resolve, reject }], seen);
    });
  }

  private async run(key: string, batch: Pending<T>[], seen?: T): Promise<void> {
    try {
      await this.write(key, batch, seen);
    } catch (err) {
      this.written.delete(key);
      // Callers already settled (a change of theirs threw) are not affected.
      batch.forEach((p) => p.reject(err));
    }
    const next = this.queues.get(key) ?? [];
    if (next.length === 0) {
      this.queues.delete(key);
      return;
    }
    this.queues.set(key, []);
    void this.run(key, next);
  }

  /** Applies the batch's changes and writes the row once; settles every caller it can. */
  private async write(key: string, batch: Pending<T>[], seen?: T): Promise<void> {
    let current = this.written.get(key) ?? seen ?? (await this.rows.read(key));
    let live = batch;
    for (let attempt = 1; ; attempt++) {
      if (current === undefined) {
        live.forEach((p) => p.resolve(false));
        return;
      }
      let row = current;
      const changed = new Map<Pending<T>, boolean>();
      for (const p of live) {
        try {
          const next = p.change(row);
          changed.set(p, next !== undefined);
          if (next !== undefined) row = next;
        } catch (err) {
          // A change that throws fails its own caller only; the row goes on without it.
          p.reject(err);
        }
      }
      live = live.filter((p) => changed.has(p));
      if (![...changed.values()].includes(true)) {
        live.forEach((p) => p.resolve(false));
        return;
      }
      try {
        this.remember(key, await this.rows.write(row));
        live.forEach((p) => p.resolve(changed.get(p)!));
        return;
      } catch (err) {
        this.written.delete(key);
        // Deleted meanwhile (by an import, say): as if it had not existed.
        if (err instanceof NotFoundError) {
          live.forEach((p) => p.resolve(false));
          return;
        }
        if (!(err instanceof ConcurrencyError) || attempt >= this.options.attempts) throw err;
        await this.options.backoff(attempt);
        current = await this.rows.read(key);
      }
    }
  }

  private remember(key: string, row: T): void {
    this.written.delete(key);
    this.written.set(key, row);
    const limit = this.options.remember ?? 10_000;
    if (this.written.size > limit) this.written.delete(this.written.keys().next().value!);
  }
}

/** RowCombiner (domain/combine.ts) over an in-memory row store with ETags. */
import { RowCombiner, type CombinedRows, type CombinerOptions, type RowChange } from '../../domain/combine';
import { ConcurrencyError, NotFoundError } from '../../domain/errors';

interface Row {
  key: string;
  etag?: string;
  items: string[];
  value: number;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/** Rows with ETags, like Table Storage: a write with a stale ETag is refused with ConcurrencyError. */
class MemoryRows implements CombinedRows<Row> {
  readonly rows = new Map<string, Row>();
  reads = 0;
  writes = 0;
  private version = 0;
  /** Runs inside each write before the ETag check (a test can change the row behind our back or fail). */
  beforeWrite?: (row: Row) => void | Promise<void>;
  /** Every write that was stored, in order. */
  readonly stored: Row[] = [];

  seed(key: string, items: string[] = [], value = 1): Row {
    const row = { key, items, value, etag: this.nextEtag() };
    this.rows.set(key, row);
    return { ...row, items: [...row.items] };
  }

  /** Another process writes the row (the combiner does not know). */
  outside(key: string, change: (row: Row) => Row): void {
    const current = this.rows.get(key)!;
    this.rows.set(key, { ...change(current), etag: this.nextEtag() });
  }

  async read(key: string): Promise<Row | undefined> {
    this.reads++;
    await tick();
    const row = this.rows.get(key);
    return row && { ...row, items: [...row.items] };
  }

  async write(row: Row): Promise<Row> {
    this.writes++;
    await tick();
    await this.beforeWrite?.(row);
    const current = this.rows.get(row.key);
    if (!current || current.etag !== row.etag) throw new ConcurrencyError(`row ${row.key}: stale etag`);
    const stored = { ...row, items: [...row.items], etag: this.nextEtag() };
    this.rows.set(row.key, stored);
    this.stored.push(stored);
    return { ...stored, items: [...stored.items] };
  }

  private nextEtag(): string {
    return `W/"${++this.version}"`;
  }
}

function combiner(rows: MemoryRows, options: Partial<CombinerOptions> = {}) {
  const backoffs: number[] = [];
  const c = new RowCombiner<Row>(rows, {
    attempts: 5,
    backoff: async (attempt) => {
      backoffs.push(attempt);
      await tick();
    },
    ...options,
  });
  return { c, backoffs };
}

/** An order-sensitive change: appends its label and folds its number into `value`. */
const step =
  (label: string, n: number): RowChange<Row> =>
  (row) => ({ ...row, items: [...row.items, label], value: row.value * 3 + n });

function applyInOrder(row: Row, changes: RowChange<Row>[]): Row {
  return changes.reduce((r, change) => change(r) ?? r, row);
}

describe('RowCombiner', () => {
  it('writes 20 concurrent changes to one row in arrival order, in far fewer writes', async () => {
    const rows = new MemoryRows();
    const initial = rows.seed('a', ['start'], 1);
    const { c } = combiner(rows);
    const changes = Array.from({ length: 20 }, (_, i) => step(`c${i}`, i));
    const settledWith: string[][] = [];
    const results = await Promise.all(
      changes.map((change, i) =>
        c.apply('a', change).then((changed) => {
          // A caller's promise settles once the write holding its change is stored.
          settledWith.push(rows.rows.get('a')!.items);
          expect(rows.rows.get('a')!.items).toContain(`c${i}`);
          return changed;
        }),
      ),
    );
    expect(results).toEqual(changes.map(() => true));
    const expected = applyInOrder(initial, changes);
    const final = rows.rows.get('a')!;
    expect(final.items).toEqual(expected.items);
    expect(final.value).toBe(expected.value);
    expect(rows.writes).toBeLessThanOrEqual(3);
    expect(rows.reads).toBe(1);
    expect(settledWith).toHaveLength(20);
  });

  it('keeps arrival order across batches and starts from the version it wrote last', async () => {
    const rows = new MemoryRows();
    const initial = rows.seed('a', [], 2);
    const { c } = combiner(rows);
    const first = Array.from({ length: 5 }, (_, i) => step(`x${i}`, i));
    await Promise.all(first.map((ch) => c.apply('a', ch)));
    const readsAfterFirst = rows.reads;
    const second = Array.from({ length: 5 }, (_, i) => step(`y${i}`, 10 + i));
    await Promise.all(second.map((ch) => c.apply('a', ch)));
    expect(rows.reads).toBe(readsAfterFirst); // the remembered version spared the read
    expect(rows.rows.get('a')).toMatchObject({
      items: applyInOrder(initial, [...first, ...second]).items,
      value: applyInOrder(initial, [...first, ...second]).value,
    });
  });

  it('uses a version the caller has just read instead of reading again', async () => {
    const rows = new MemoryRows();
    const seen = rows.seed('a');
    const { c } = combiner(rows);
    expect(await c.apply('a', step('s', 0), seen)).toBe(true);
    expect(rows.reads).toBe(0);
    expect(rows.rows.get('a')?.items).toEqual(['s']);
  });

  it('does not hold up changes to another row', async () => {
    const rows = new MemoryRows();
    rows.seed('slow');
    rows.seed('fast');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    rows.beforeWrite = (row) => (row.key === 'slow' ? gate : undefined);
    const { c } = combiner(rows);
    let slowDone = false;
    const slow = c.apply('slow', step('s', 1)).then((v) => {
      slowDone = true;
      return v;
    });
    await tick();
    expect(await c.apply('fast', step('f1', 1))).toBe(true);
    expect(await c.apply('fast', step('f2', 2))).toBe(true);
    expect(slowDone).toBe(false);
    expect(rows.rows.get('fast')?.items).toEqual(['f1', 'f2']);
    release();
    expect(await slow).toBe(true);
    expect(rows.rows.get('slow')?.items).toEqual(['s']);
  });

  it('re-reads and re-applies when another process wrote the row, keeping its change', async () => {
    const rows = new MemoryRows();
    rows.seed('a', [], 1);
    const { c, backoffs } = combiner(rows);
    await c.apply('a', step('ours-1', 1)); // the combiner now remembers this version
    rows.outside('a', (r) => ({ ...r, items: [...r.items, 'outside'], value: r.value + 100 }));
    const afterOutside = { ...rows.rows.get('a')! };
    const readsBefore = rows.reads;
    const [r1, r2] = await Promise.all([c.apply('a', step('ours-2', 2)), c.apply('a', step('ours-3', 3))]);
    expect([r1, r2]).toEqual([true, true]);
    expect(backoffs).toEqual([1]);
    expect(rows.reads).toBe(readsBefore + 1);
    const expected = applyInOrder(afterOutside, [step('ours-2', 2), step('ours-3', 3)]);
    expect(rows.rows.get('a')).toMatchObject({
      items: ['ours-1', 'outside', 'ours-2', 'ours-3'],
      value: expected.value,
    });
  });

  it('gives up with ConcurrencyError after `attempts` refused writes', async () => {
    const rows = new MemoryRows();
    rows.seed('a');
    const { c, backoffs } = combiner(rows, { attempts: 3 });
    let applied = 0;
    const change: RowChange<Row> = (row) => {
      applied++;
      return { ...row, items: [...row.items, 'ours'] };
    };
    let ourAttempts = 0;
    // Someone else writes the row just before each write of our two changes lands.
    rows.beforeWrite = (row) => {
      if (!row.items.includes('ours')) return;
      ourAttempts++;
      rows.outside(row.key, (r) => ({ ...r, items: [...r.items, 'outside'] }));
    };
    const gate = c.apply('a', step('gate', 1)); // on the wire while the next two queue (one batch)
    const outcomes = Promise.allSettled([c.apply('a', change), c.apply('a', change)]);
    expect(await gate).toBe(true);
    (await outcomes).forEach((o) =>
      expect(o.status === 'rejected' ? o.reason : undefined).toBeInstanceOf(ConcurrencyError),
    );
    expect(ourAttempts).toBe(3);
    expect(rows.writes).toBe(1 + 3);
    expect(backoffs).toEqual([1, 2]);
    expect(applied).toBe(2 * 3); // both changes re-applied on each attempt
    expect(rows.stored.flatMap((r) => r.items)).not.toContain('ours');
  });

  it('resolves false and writes nothing when the change leaves the row as it is, or the row is missing', async () => {
    const rows = new MemoryRows();
    rows.seed('a', ['x']);
    const { c } = combiner(rows);
    expect(await c.apply('a', () => undefined)).toBe(false);
    expect(await c.apply('missing', step('m', 1))).toBe(false);
    expect(rows.writes).toBe(0);
    expect(rows.rows.has('missing')).toBe(false);
    // In one batch: a no-op change beside real ones resolves false, the others true.
    const gate = c.apply('a', step('first', 1));
    const batch = Promise.all([c.apply('a', () => undefined), c.apply('a', step('second', 2))]);
    expect(await gate).toBe(true);
    expect(await batch).toEqual([false, true]);
    expect(rows.rows.get('a')?.items).toEqual(['x', 'first', 'second']);
    expect(rows.writes).toBe(2);
  });

  it('rejects every caller of a write that fails otherwise, and reads afresh next time', async () => {
    const rows = new MemoryRows();
    rows.seed('a');
    const { c, backoffs } = combiner(rows);
    await c.apply('a', step('one', 1));
    await c.apply('a', step('two', 2));
    expect(rows.reads).toBe(1); // the second write started from the remembered version

    const gate = c.apply('a', step('three', 3)); // on the wire while the next two queue
    const queued = [c.apply('a', step('four', 4)), c.apply('a', step('five', 5))];
    const boom = new Error('store on fire');
    let fail = false;
    rows.beforeWrite = () => {
      if (fail) throw boom;
    };
    fail = true;
    const outcomes = await Promise.allSettled([gate, ...queued]);
    outcomes.forEach((o) => expect(o.status === 'rejected' ? o.reason : undefined).toBe(boom));
    expect(backoffs).toEqual([]); // not a concurrency error: no retry
    expect(rows.rows.get('a')?.items).toEqual(['one', 'two']);

    fail = false;
    // Meanwhile the row changed elsewhere: a remembered version would be refused, a fresh read is not.
    rows.outside('a', (r) => ({ ...r, items: [...r.items, 'outside'] }));
    const readsBefore = rows.reads;
    const writesBefore = rows.writes;
    expect(await c.apply('a', step('six', 6))).toBe(true);
    expect(rows.reads).toBe(readsBefore + 1);
    expect(rows.writes).toBe(writesBefore + 1); // no refused write first
    expect(rows.rows.get('a')?.items).toEqual(['one', 'two', 'outside', 'six']);
  });

  it('forgets the oldest remembered rows beyond `remember`', async () => {
    const rows = new MemoryRows();
    ['a', 'b', 'c'].forEach((k) => rows.seed(k));
    const { c } = combiner(rows, { remember: 2 });
    for (const k of ['a', 'b', 'c']) await c.apply(k, step(k, 1));
    expect(rows.reads).toBe(3);
    await c.apply('c', step('c2', 1));
    await c.apply('b', step('b2', 1));
    expect(rows.reads).toBe(3); // b and c still remembered
    await c.apply('a', step('a2', 1));
    expect(rows.reads).toBe(4); // a was forgotten
    expect(rows.rows.get('a')?.items).toEqual(['a', 'a2']);
  });

  it('a change that throws fails only its own caller; the others are written as they would be one by one', async () => {
    const rows = new MemoryRows();
    const initial = rows.seed('a');
    const { c } = combiner(rows);
    const gate = c.apply('a', step('first', 1));
    const bad = new Error('this change is invalid');
    const outcomes = Promise.allSettled([
      c.apply('a', step('before-bad', 2)),
      c.apply('a', () => {
        throw bad;
      }),
      c.apply('a', step('after-bad', 3)),
    ]);
    expect(await gate).toBe(true);
    const [before, thrown, after] = await outcomes;
    expect(thrown).toEqual({ status: 'rejected', reason: bad });
    expect(before).toEqual({ status: 'fulfilled', value: true });
    expect(after).toEqual({ status: 'fulfilled', value: true });
    expect(rows.rows.get('a')?.items).toEqual(
      applyInOrder(initial, [step('first', 1), step('before-bad', 2), step('after-bad', 3)]).items,
    );
  });

  it('treats a row deleted meanwhile (the write answers not found) as missing: false, and forgets it', async () => {
    const rows = new MemoryRows();
    rows.seed('gone', ['start'], 1);
    const { c } = combiner(rows);
    expect(await c.apply('gone', step('first', 1))).toBe(true);
    // Deleted behind the combiner's back (an import); the next write is refused with 404.
    rows.rows.delete('gone');
    rows.beforeWrite = (row) => {
      if (!rows.rows.has(row.key)) throw new NotFoundError(`row ${row.key}: not found`);
    };
    expect(await Promise.all([c.apply('gone', step('second', 2)), c.apply('gone', step('third', 3))])).toEqual([
      false,
      false,
    ]);
    // Forgotten: the next change reads (and finds nothing).
    const reads = rows.reads;
    expect(await c.apply('gone', step('fourth', 4))).toBe(false);
    expect(rows.reads).toBe(reads + 1);
  });
});

/**
 * FreshReads and TransactionBatcher (storage/coalesce.ts) against a real Azurite table service:
 * real TableClients, real transactions, real 409/412 refusals. Transactions are counted as the
 * `$batch` requests through the client's pipeline.
 */
import { TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import { ConcurrencyError, StorageUnavailableError } from '../../domain/errors';
import type { Action, LogEvent } from '../../domain/types';
import { TableActionRepository } from '../../storage/actions.repository';
import { azuriteConnectionString, freePort } from '../../storage/azurite';
import { FreshReads, MAX_TRANSACTION_OPS, TransactionBatcher } from '../../storage/coalesce';
import { TableEventLog } from '../../storage/event-log.repository';
import { TableStore, readEntity } from '../../storage/table-store';
import { startStorageProxy } from '../trust/storage-proxy';
import { useFreshTables } from '../support/storage';
import { testAction, testStatusEvent } from '../support/fixtures';

let store: TableStore;

const storage = useFreshTables((t) => {
  store = t.store;
});

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Settles a promise into a value the test can inspect without an unhandled rejection. */
async function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

const statusOfError = (e: unknown) => (e as { statusCode?: number }).statusCode;

type Row = { partitionKey: string; rowKey: string; value?: string };

const PK = 'p1';

/** A client of the store's `jobs` table (an empty, plain table per test). */
const rawTable = () => store.client('jobs');

/**
 * Records each transaction (a `$batch` request through the client's pipeline, whether the SDK or
 * storage/transaction.ts wrote it) and the row keys of its operations.
 */
function countTransactions(client: TableClient) {
  const transactions: string[][] = [];
  client.pipeline.addPolicy({
    name: 'countTransactions',
    sendRequest: (request, next) => {
      if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/$batch'))
        transactions.push(
          String(request.body)
            .split('\r\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => String((JSON.parse(line) as { RowKey: unknown }).RowKey)),
        );
      return next(request);
    },
  });
  return {
    count: () => transactions.length,
    rowsOf: (i: number) => transactions[i] ?? [],
    sizes: () => transactions.map((rows) => rows.length),
  };
}

async function rowValue(client: TableClient, rowKey: string): Promise<string | undefined> {
  try {
    return (await client.getEntity<Row>(PK, rowKey)).value;
  } catch (err) {
    if (statusOfError(err) === 404) return undefined;
    throw err;
  }
}

const create = (rowKey: string, value = rowKey): TransactionAction => ['create', { partitionKey: PK, rowKey, value }];

describe('FreshReads on Azurite', () => {
  it('callers arriving while a read is in flight share exactly one next read', async () => {
    const client = rawTable();
    await client.createEntity({ partitionKey: PK, rowKey: 'r', value: 'v1' });
    const reads = new FreshReads();
    let calls = 0;
    const read = () => {
      calls++;
      return client.getEntity<Row>(PK, 'r');
    };
    const first = reads.read('r', read);
    const joiners = Array.from({ length: 6 }, () => reads.read('r', read));
    // Another key is not held up by, nor shared with, the first.
    let otherCalls = 0;
    const other = reads.read('other', async () => {
      otherCalls++;
      return 'other';
    });
    expect(calls).toBe(1);
    const [a, ...rest] = await Promise.all([first, ...joiners]);
    expect(await other).toBe('other');
    expect(otherCalls).toBe(1);
    expect(calls).toBe(2);
    expect(a.value).toBe('v1');
    rest.forEach((r) => expect(r.value).toBe('v1'));
    // The joiners got the one shared result; a new call after they settled reads again.
    expect(new Set(rest).size).toBe(1);
    await reads.read('r', read);
    expect(calls).toBe(3);
  });

  it('never hands a caller a value read before its call', async () => {
    const client = rawTable();
    await client.createEntity({ partitionKey: PK, rowKey: 'r', value: 'old' });
    const reads = new FreshReads();
    const readDone = deferred();
    const gate = deferred();
    let calls = 0;
    const a = reads.read('r', async () => {
      calls++;
      const row = await client.getEntity<Row>(PK, 'r');
      readDone.resolve();
      await gate.promise; // A's answer is slow to come back
      return row;
    });
    await readDone.promise;
    await client.updateEntity({ partitionKey: PK, rowKey: 'r', value: 'new' }, 'Replace');
    // B asks after the update finished, while A (which read before it) is still in flight.
    const b = reads.read('r', async () => {
      calls++;
      return client.getEntity<Row>(PK, 'r');
    });
    gate.resolve();
    expect((await a).value).toBe('old');
    expect((await b).value).toBe('new');
    expect(calls).toBe(2);
  });

  it('gives an error to every sharer, and the next call reads again', async () => {
    const client = rawTable();
    const reads = new FreshReads();
    const gate = deferred();
    let calls = 0;
    const first = reads.read('missing', async () => {
      calls++;
      await gate.promise;
      return 'first';
    });
    // The shared next read fails for real: the row does not exist (404 from Azurite).
    const read = async () => {
      calls++;
      return (await client.getEntity<Row>(PK, 'missing')).value;
    };
    const sharers = Array.from({ length: 4 }, () => settle(reads.read('missing', read)));
    gate.resolve();
    expect(await first).toBe('first');
    const outcomes = await Promise.all(sharers);
    expect(calls).toBe(2);
    const errors = outcomes.map((o) => (o.ok ? undefined : o.error));
    errors.forEach((e) => expect(statusOfError(e)).toBe(404));
    expect(new Set(errors).size).toBe(1); // one read, one error, handed to each

    await client.createEntity({ partitionKey: PK, rowKey: 'missing', value: 'now here' });
    expect(await reads.read('missing', read)).toBe('now here');
    expect(calls).toBe(3);
  });

  it('a failed read still starts the read its waiters are waiting for', async () => {
    const client = rawTable();
    await client.createEntity({ partitionKey: PK, rowKey: 'r', value: 'v' });
    const reads = new FreshReads();
    const gate = deferred();
    const first = settle(
      reads.read('r', async () => {
        await gate.promise;
        throw new Error('first read failed');
      }),
    );
    const waiters = Array.from({ length: 3 }, () => reads.read('r', () => client.getEntity<Row>(PK, 'r')));
    gate.resolve();
    const f = await first;
    expect(f.ok ? undefined : (f.error as Error).message).toBe('first read failed');
    (await Promise.all(waiters)).forEach((r) => expect(r.value).toBe('v'));
  });

  it('readEntity shares reads of one row and gives each caller its own copy', async () => {
    const client = rawTable();
    await client.createEntity({ partitionKey: PK, rowKey: 'r', value: 'v' });
    const spy = jest.spyOn(client, 'getEntity');
    const got = await Promise.all(
      Array.from({ length: 8 }, () => readEntity<Row>(client, { partitionKey: PK, rowKey: 'r' }, 'read')),
    );
    expect(spy.mock.calls.length).toBe(2);
    got.forEach((r) => expect(r?.value).toBe('v'));
    (got[1] as TableEntityResult<Row>).value = 'changed by one caller';
    got.filter((_, i) => i !== 1).forEach((r) => expect(r?.value).toBe('v'));
    expect(await readEntity(client, { partitionKey: PK, rowKey: 'nope' }, 'read')).toBeUndefined();
  });
});

const event = (eventId: string, at: string): LogEvent =>
  testStatusEvent(eventId, at, { comment: `comment ${eventId}` });

const action = (id: string, progress = 0): Action =>
  testAction(id, {
    title: `Åtgärd ${id}`,
    owner: { name: 'Anna', email: 'anna@example.se' },
    responsibleBody: 'Nämnden',
    start: '2026-01-01',
    status: 'not_started',
    progress,
  });

const WEEK_AT = (i: number) => `2026-03-11T10:${String(i % 60).padStart(2, '0')}:00.000Z`;

describe('TransactionBatcher on Azurite', () => {
  it('with plainSingle, a lone operation goes as a plain request with the same outcome; shared ones still as a transaction', async () => {
    const client = rawTable();
    const tx = countTransactions(client);
    const batcher = new TransactionBatcher(() => client, { plainSingle: true });
    const [created] = await batcher.submit(PK, [create('lone', 'v1')]);
    expect(tx.count()).toBe(0);
    const stored = await client.getEntity<Row>(PK, 'lone');
    expect(created).toEqual({ rowKey: 'lone', etag: stored.etag });
    // An update with that ETag works and returns the next one; a stale ETag is refused (412).
    const [updated] = await batcher.submit(PK, [
      ['update', { partitionKey: PK, rowKey: 'lone', value: 'v2' }, 'Replace', { etag: created!.etag }],
    ]);
    expect(updated!.etag).toBe((await client.getEntity<Row>(PK, 'lone')).etag);
    expect(await rowValue(client, 'lone')).toBe('v2');
    const stale = await settle(
      batcher.submit(PK, [
        ['update', { partitionKey: PK, rowKey: 'lone', value: 'v3' }, 'Replace', { etag: created!.etag }],
      ]),
    );
    expect(stale.ok ? 0 : statusOfError(stale.error)).toBe(412);
    // A second create of the row is refused as in a transaction (409).
    const again = await settle(batcher.submit(PK, [create('lone')]));
    expect(again.ok ? 0 : statusOfError(again.error)).toBe(409);
    expect(await rowValue(client, 'lone')).toBe('v2');
    // Two operations (one group, or groups that meet) still go as one transaction.
    await batcher.submit(PK, [create('pair-a'), create('pair-b')]);
    expect(tx.count()).toBe(1);
  });

  it('logs 40 concurrent appends in far fewer than 40 transactions, every event stored', async () => {
    const log = new TableEventLog(store, 'Europe/Stockholm');
    const tx = countTransactions(store.client('events'));
    const events = Array.from({ length: 40 }, (_, i) => event(`ev-${i}`, WEEK_AT(i)));
    const results = await Promise.all(events.map((e) => log.append(e)));
    expect(results).toEqual(events.map(() => true));
    expect(tx.count()).toBeLessThanOrEqual(3);
    // Each event went in once, with its marker: 80 operations in all.
    expect(tx.sizes().reduce((a, b) => a + b, 0)).toBe(80);
    const week = log.weekOf(events[0]!);
    const stored = await log.listWeek({ programId: 'harnosand', week });
    expect(stored.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    expect(stored.find((e) => e.eventId === 'ev-7')).toEqual(events[7]);
    for (const e of events) expect(await log.has('harnosand', week, e.eventId)).toBe(true);
  });

  it('a duplicate group in a merged transaction fails alone with 409; the others are stored', async () => {
    const client = rawTable();
    const tx = countTransactions(client);
    const batcher = new TransactionBatcher(() => client);
    const pair = (id: string): TransactionAction[] => [create(`id|${id}`), create(`e|${id}`)];
    await batcher.submit(PK, pair('dup'));
    expect(tx.count()).toBe(1);

    const primer = batcher.submit(PK, pair('primer')); // on the wire while the rest queue
    const outcomes = Promise.all(
      [pair('a'), pair('dup'), pair('b'), pair('c')].map((ops) => settle(batcher.submit(PK, ops))),
    );
    const [p, [a, dup, b, c]] = await Promise.all([settle(primer), outcomes]);
    expect(p.ok).toBe(true);
    expect(dup!.ok).toBe(false);
    expect(dup!.ok ? undefined : statusOfError(dup!.error)).toBe(409);
    for (const o of [a, b, c]) {
      expect(o!.ok).toBe(true);
      if (o!.ok) expect(o!.value.map((r) => r.rowKey)).toHaveLength(2);
    }
    // The groups were merged into one transaction first (refused by the duplicate), then each
    // group of that transaction was sent on its own.
    const calls = Array.from({ length: tx.count() }, (_, i) => tx.rowsOf(i).sort());
    const merged = calls.findIndex((rows) =>
      ['a', 'b', 'c', 'dup'].every((id) => rows.includes(`id|${id}`) && rows.includes(`e|${id}`)),
    );
    expect(merged).toBeGreaterThan(0);
    const groupsInMerged = calls[merged]!.filter((r) => r.startsWith('id|')).map((r) => r.slice(3));
    expect(calls.slice(merged + 1).sort()).toEqual(groupsInMerged.map((id) => [`e|${id}`, `id|${id}`]).sort());
    for (const id of ['primer', 'a', 'b', 'c']) {
      expect(await rowValue(client, `id|${id}`)).toBe(`id|${id}`);
      expect(await rowValue(client, `e|${id}`)).toBe(`e|${id}`);
    }
  });

  it('TableEventLog.append reports only the redelivered event as a duplicate in a merged batch', async () => {
    const log = new TableEventLog(store, 'Europe/Stockholm');
    expect(await log.append(event('seen', WEEK_AT(1)))).toBe(true);
    const fresh = ['n1', 'n2', 'n3'].map((id, i) => event(id, WEEK_AT(i + 2)));
    const results = await Promise.all([
      log.append(event('primer', WEEK_AT(9))),
      log.append(event('seen', WEEK_AT(1))),
      ...fresh.map((e) => log.append(e)),
    ]);
    expect(results).toEqual([true, false, true, true, true]);
    const stored = await log.listWeek({ programId: 'harnosand', week: log.weekOf(fresh[0]!) });
    expect(stored.map((e) => e.eventId).sort()).toEqual(['n1', 'n2', 'n3', 'primer', 'seen']);
  });

  it('a stale ETag in a merged batch of action updates fails that update only; the others get usable ETags', async () => {
    const repo = new TableActionRepository(store);
    const tx = countTransactions(store.client('actions'));
    const created = await Promise.all(['A0', 'A1', 'A2', 'A3', 'A4'].map((id) => repo.create(action(id))));
    const [a0, a1, a2, a3, a4] = created as [Action, Action, Action, Action, Action];
    // A2 is changed by someone else: our copy's ETag is stale.
    await repo.update({ ...a2, progress: 99 });
    const before = tx.count();

    const outcomes = await Promise.all(
      [
        { ...a0, progress: 10 }, // primer: on the wire while the rest queue
        { ...a1, progress: 11 },
        { ...a2, progress: 12 }, // stale
        { ...a3, progress: 13 },
        { ...a4, progress: 14 },
      ].map((a) => settle(repo.update(a))),
    );
    // The queued updates went together first (with or without the first one), then one by one.
    expect(Math.max(...tx.sizes().slice(before))).toBeGreaterThanOrEqual(4);
    const stale = outcomes[2]!;
    expect(stale.ok ? undefined : stale.error).toBeInstanceOf(ConcurrencyError);
    const updated = outcomes.filter((_, i) => i !== 2).map((o) => (o.ok ? o.value : undefined));
    updated.forEach((u) => expect(u?.etag).toBeTruthy());
    for (const [i, u] of updated.entries()) {
      const id = ['A0', 'A1', 'A3', 'A4'][i]!;
      const stored = await repo.get('harnosand', id);
      expect(stored?.progress).toBe(u!.progress);
      expect(u!.etag).toBe(stored?.etag);
    }
    expect((await repo.get('harnosand', 'A2'))?.progress).toBe(99);
    // The new ETags work for the next update (all of them, concurrently, merged again).
    const second = await Promise.all(updated.map((u) => repo.update({ ...u!, progress: u!.progress + 50 })));
    expect(second.map((s) => s.progress)).toEqual([60, 61, 63, 64]);
    expect((await repo.list('harnosand')).map((a) => [a.id, a.progress]).sort()).toEqual([
      ['A0', 60],
      ['A1', 61],
      ['A2', 99],
      ['A3', 63],
      ['A4', 64],
    ]);
  });

  it('resolves each operation with the ETag the store now holds for it', async () => {
    const client = rawTable();
    const batcher = new TransactionBatcher(() => client);
    const submitted = await Promise.all(
      ['x', 'y', 'z'].map((k) => batcher.submit(PK, [create(`${k}1`), create(`${k}2`)])),
    );
    for (const [i, k] of ['x', 'y', 'z'].entries()) {
      expect(submitted[i]!.map((r) => r.rowKey)).toEqual([`${k}1`, `${k}2`]);
      for (const r of submitted[i]!) expect(r.etag).toBe((await client.getEntity(PK, r.rowKey)).etag);
    }
  });

  it('puts the same row twice into separate transactions: the second create fails 409 alone', async () => {
    const client = rawTable();
    const tx = countTransactions(client);
    const batcher = new TransactionBatcher(() => client);
    const primer = settle(batcher.submit(PK, [create('primer')]));
    const first = settle(batcher.submit(PK, [create('same', 'first')]));
    const second = settle(batcher.submit(PK, [create('same', 'second'), create('with-same')]));
    const other = settle(batcher.submit(PK, [create('other')]));
    const [p, f, s, o] = await Promise.all([primer, first, second, other]);
    expect(p.ok && f.ok && o.ok).toBe(true);
    expect(s.ok).toBe(false);
    expect(s.ok ? undefined : statusOfError(s.error)).toBe(409);
    // No transaction ever held a row twice (the service would refuse it with 400).
    for (let i = 0; i < tx.count(); i++) expect(new Set(tx.rowsOf(i)).size).toBe(tx.rowsOf(i).length);
    expect(tx.rowsOf(1).sort()).toEqual(['other', 'same']);
    expect(tx.rowsOf(2).sort()).toEqual(['same', 'with-same']);
    expect(tx.count()).toBe(3);
    expect(await rowValue(client, 'same')).toBe('first');
    expect(await rowValue(client, 'with-same')).toBeUndefined(); // its group failed as a whole
    expect(await rowValue(client, 'other')).toBe('other');
  });

  it('keeps arrival order for a row: a later group never overtakes an earlier one deferred for size', async () => {
    // Queued behind the primer: `filler` (50 ops), `early` (60 ops, creates X) and `late` (creates X).
    // `early` does not fit beside `filler` and waits for the next transaction; `late` touches the
    // same row X, so it must wait too (one after another, `early` creates X and `late` gets 409).
    const client = rawTable();
    const tx = countTransactions(client);
    const batcher = new TransactionBatcher(() => client);
    const primer = settle(batcher.submit(PK, [create('primer')]));
    const filler = settle(
      batcher.submit(
        PK,
        Array.from({ length: 50 }, (_, i) => create(`f${i}`)),
      ),
    );
    const early = settle(
      batcher.submit(PK, [create('X', 'early'), ...Array.from({ length: 59 }, (_, i) => create(`e${i}`))]),
    );
    const late = settle(batcher.submit(PK, [create('X', 'late')]));
    const [p, f, e, l] = await Promise.all([primer, filler, early, late]);
    expect(p.ok && f.ok).toBe(true);
    tx.sizes().forEach((n) => expect(n).toBeLessThanOrEqual(MAX_TRANSACTION_OPS));
    expect(e.ok).toBe(true);
    expect(l.ok ? undefined : statusOfError(l.error)).toBe(409);
    expect(await rowValue(client, 'X')).toBe('early');
  });

  it('splits more than 100 queued operations into several transactions, all of which land', async () => {
    const client = rawTable();
    const tx = countTransactions(client);
    const batcher = new TransactionBatcher(() => client);
    const groups = Array.from({ length: 90 }, (_, i) => [create(`g${i}-a`), create(`g${i}-b`), create(`g${i}-c`)]);
    const results = await Promise.all([
      batcher.submit(PK, [create('primer')]),
      ...groups.map((ops) => batcher.submit(PK, ops)),
    ]);
    expect(results.slice(1).map((r) => r.length)).toEqual(groups.map(() => 3));
    const sizes = tx.sizes();
    sizes.forEach((n) => expect(n).toBeLessThanOrEqual(MAX_TRANSACTION_OPS));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1 + 270);
    expect(sizes.length).toBeGreaterThanOrEqual(1 + Math.ceil(270 / MAX_TRANSACTION_OPS));
    expect(sizes.length).toBeLessThanOrEqual(1 + 4); // 33 groups of 3 fit in 100: 99, 99, 72
    const stored = [];
    for await (const e of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${PK}'` } }))
      stored.push(e.rowKey);
    expect(stored.sort()).toEqual(
      ['primer', ...groups.flat().map((op) => String((op[1] as { rowKey: string }).rowKey))].sort(),
    );
  });

  it('takes a full group of 100 operations, and refuses a group over 100 at once', async () => {
    const client = rawTable();
    const batcher = new TransactionBatcher(() => client);
    const hundred = Array.from({ length: MAX_TRANSACTION_OPS }, (_, i) => create(`h${i}`));
    const [small, full] = await Promise.all([batcher.submit(PK, [create('s')]), batcher.submit(PK, hundred)]);
    expect(small).toHaveLength(1);
    expect(full).toHaveLength(100);
    await expect(batcher.submit(PK, [...hundred, create('h100')])).rejects.toBeInstanceOf(RangeError);
    expect(await batcher.submit(PK, [])).toEqual([]);
  });

  it('rejects every waiter when the store is not there, and works again when it is', async () => {
    const port = await freePort(); // nothing listens here
    const downByConnection = TableClient.fromConnectionString(azuriteConnectionString(port), 'Nowhere', {
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
    });
    let target: TableClient = downByConnection;
    const batcher = new TransactionBatcher(() => target);
    const started = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => settle(batcher.submit(PK, [create(`r${i}`)]))),
    );
    expect(Date.now() - started).toBeLessThan(10000);
    outcomes.forEach((o) => expect(o.ok).toBe(false));
    outcomes.forEach((o) => expect(o.ok ? undefined : statusOfError(o.error)).toBeUndefined());

    target = rawTable();
    expect(await batcher.submit(PK, [create('after')])).toHaveLength(1);
    expect(await rowValue(rawTable(), 'after')).toBe('after');
  }, 15000);

  it('through TableStore: every append fails with StorageUnavailableError when the store is down', async () => {
    const port = await freePort();
    const downStore = new TableStore({ connectionString: azuriteConnectionString(port), tablePrefix: 'down' });
    const log = new TableEventLog(downStore, 'Europe/Stockholm');
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => settle(log.append(event(`d${i}`, WEEK_AT(i))))),
    );
    outcomes.forEach((o) => expect(o.ok ? undefined : o.error).toBeInstanceOf(StorageUnavailableError));
  }, 15000);

  it('a 503 on a merged transaction rejects every group in it, without trying them one by one', async () => {
    const proxy = await startStorageProxy(storage().azurite.port);
    try {
      const client = TableClient.fromConnectionString(proxy.connectionString, store.tableName('jobs'), {
        allowInsecureConnection: true,
        retryOptions: { maxRetries: 0 },
      });
      const tx = countTransactions(client);
      const batcher = new TransactionBatcher(() => client);
      proxy.cutAfter(1); // the first transaction gets through, the merged one is refused
      const primer = settle(batcher.submit(PK, [create('primer')]));
      const rest = Array.from({ length: 5 }, (_, i) => settle(batcher.submit(PK, [create(`r${i}`)])));
      const [p, ...others] = await Promise.all([primer, ...rest]);
      expect(p.ok).toBe(true);
      others.forEach((o) => expect(o.ok ? undefined : statusOfError(o.error)).toBe(503));
      expect(tx.count()).toBe(2);
      expect(tx.rowsOf(1)).toHaveLength(5);
      proxy.restore();
      for (let i = 0; i < 5; i++) expect(await rowValue(rawTable(), `r${i}`)).toBeUndefined();
    } finally {
      await proxy.close();
    }
  }, 15000);
});

describe('TransactionBatcher error routing (stub client)', () => {
  /** A client whose transactions fail with `status` when they hold more than one group's rows. */
  function stub(status: number) {
    const calls: string[][] = [];
    const client = {
      submitTransaction: async (ops: TransactionAction[]) => {
        calls.push(ops.map((op) => String((op[1] as { rowKey: string }).rowKey)));
        await new Promise((r) => setImmediate(r));
        if (ops.length > 1) throw Object.assign(new Error(`status ${status}`), { statusCode: status });
        return { status: 202, subResponses: [{ status: 204, etag: ` W/"${ops.length}" ` }] };
      },
    } as unknown as TableClient;
    return { client, calls };
  }

  it.each([408, 429, 500, 503])('does not split a merged transaction refused with %i', async (status) => {
    const { client, calls } = stub(status);
    const batcher = new TransactionBatcher(() => client);
    const outcomes = await Promise.all(['p', 'a', 'b', 'c'].map((k) => settle(batcher.submit(PK, [create(k)]))));
    expect(outcomes[0]).toEqual({ ok: true, value: [{ rowKey: 'p', etag: 'W/"1"' }] });
    outcomes.slice(1).forEach((o) => expect(o.ok ? undefined : statusOfError(o.error)).toBe(status));
    expect(calls).toEqual([['p'], ['a', 'b', 'c']]);
  });

  it.each([400, 404, 409, 412])(
    'tries each group alone when a merged transaction is refused with %i',
    async (status) => {
      const { client, calls } = stub(status);
      const batcher = new TransactionBatcher(() => client);
      const outcomes = await Promise.all(['p', 'a', 'b', 'c'].map((k) => settle(batcher.submit(PK, [create(k)]))));
      outcomes.forEach((o) => expect(o.ok).toBe(true));
      expect(calls).toEqual([['p'], ['a', 'b', 'c'], ['a'], ['b'], ['c']]);
    },
  );
});

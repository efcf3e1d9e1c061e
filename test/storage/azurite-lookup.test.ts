/**
 * The embedded Azurite's row lookup by RowKey's index (storage/azurite-lookup.ts): in LokiJS as
 * Azurite loads it, it finds exactly the rows Azurite's own lookup finds while reading a few rows
 * instead of the partition; through the launcher, a write into a full partition costs what one
 * into an empty partition does, and duplicates and stale ETags are refused as before.
 */
import * as path from 'node:path';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { KEY_LOOKUP_SOURCE } from '../../storage/azurite-lookup';
import { statusOf } from '../../storage/table-store';
import { startTestStorage, type TestStorage } from '../support/storage';

type Doc = Record<string, unknown>;
interface LokiCollection {
  insert(doc: Doc): Doc;
  findOne(query: Doc): Doc | null;
}
interface LokiModule {
  new (file: string): { addCollection(name: string, options: { indices: string[] }): LokiCollection };
  Collection: { prototype: { findOne: (this: LokiCollection, query: Doc) => Doc | null } };
}

const tableDir = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'table');
// The LokiJS module Azurite itself loads (the launcher resolves it the same way).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Loki = require(require.resolve('lokijs', { paths: [tableDir] })) as LokiModule;
const azuriteFindOne = Loki.Collection.prototype.findOne;
const applyKeyLookup = () => new Function('loki', KEY_LOOKUP_SOURCE)(Loki) as void;

/** A collection as Azurite makes one per table (indices on both keys). */
function table(): LokiCollection {
  return new Loki('test.db').addCollection(`t${Math.random()}`, { indices: ['PartitionKey', 'RowKey'] });
}

describe('the key lookup in LokiJS', () => {
  afterEach(() => {
    Loki.Collection.prototype.findOne = azuriteFindOne;
  });

  it('reads a few rows where Azurite reads the whole partition', () => {
    const rows = table();
    let reads = 0;
    for (let i = 0; i < 5000; i++) {
      const doc: Doc = { PartitionKey: 'harnosand|2026-W48' };
      const rowKey = `e|${String(i).padStart(5, '0')}`;
      Object.defineProperty(doc, 'RowKey', { enumerable: true, get: () => (reads++, rowKey) });
      rows.insert(doc);
    }
    const lookup = (rowKey: string) => {
      reads = 0;
      const found = rows.findOne({ PartitionKey: 'harnosand|2026-W48', RowKey: rowKey });
      return { found: found?.RowKey, reads };
    };
    const before = [lookup('e|04999'), lookup('id|new')];
    applyKeyLookup();
    const after = [lookup('e|04999'), lookup('id|new')];

    expect(before.map((l) => l.found)).toEqual(['e|04999', undefined]);
    expect(after.map((l) => l.found)).toEqual(['e|04999', undefined]);
    for (const l of before) expect(l.reads).toBeGreaterThanOrEqual(5000);
    for (const l of after) expect(l.reads).toBeLessThan(50);
  });

  it('finds exactly the row Azurite finds, for keys LokiJS compares loosely in its indices', () => {
    const rows = table();
    const partitions = ['p', 'q', '1', '01', '1.0', ''];
    const rowKeys = ['1', '01', '1.0', ' 1', '', 'x', 'X', 'A-01', 'id|imp-1', 'true', 'null'];
    for (const pk of partitions)
      for (const rk of rowKeys) if ((pk.length + rk.length) % 3 !== 0) rows.insert({ PartitionKey: pk, RowKey: rk });
    const queries = partitions.flatMap((pk) => [...rowKeys, 'missing'].map((rk) => ({ PartitionKey: pk, RowKey: rk })));
    const expected = queries.map((q) => azuriteFindOne.call(rows, q));
    applyKeyLookup();
    applyKeyLookup(); // a second time changes nothing
    expect(queries.map((q) => rows.findOne(q))).toEqual(expected);
    expect(expected.filter((d) => d !== null).length).toBeGreaterThan(20);
    // Other queries go to Azurite's lookup unchanged.
    expect(rows.findOne({ RowKey: 'x' })).toEqual(azuriteFindOne.call(rows, { RowKey: 'x' }));
  });
});

describe('the key lookup in the embedded Azurite', () => {
  let storage: TestStorage;
  let client: TableClient;

  beforeAll(async () => {
    storage = await startTestStorage();
    client = (await storage.fresh()).store.client('events');
  });
  afterAll(() => storage.stop());

  const batch = (pk: string, from: number, n = 100): TransactionAction[] =>
    Array.from({ length: n }, (_, i) => [
      'create',
      { partitionKey: pk, rowKey: `r${from + i}`, data0: 'x'.repeat(200) },
    ]);

  async function batchMs(pk: string, from: number): Promise<number> {
    const started = performance.now();
    await client.submitTransaction(batch(pk, from));
    return performance.now() - started;
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it('a batch into a partition of 10 000 rows costs about what one into an empty partition does', async () => {
    for (let i = 0; i < 100; i++) await client.submitTransaction(batch('full', i * 100));
    const empty: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < 5; i++) {
      empty.push(await batchMs(`empty${i}`, 0));
      full.push(await batchMs('full', 10_000 + i * 100));
    }
    // Azurite's own lookup makes the full partition's batch about ten times slower.
    expect(median(full)).toBeLessThan(3 * median(empty) + 5);
  });

  it('refuses a duplicate row and a stale ETag, and keeps the same row key apart in two partitions', async () => {
    await client.submitTransaction(batch('a', 0, 3));
    await client.submitTransaction(batch('b', 0, 3));
    const err = await client.submitTransaction(batch('a', 2, 2)).catch((e: unknown) => e);
    expect(statusOf(err)).toBe(409);
    // The refused transaction wrote nothing: r3 is not in partition a.
    const a: string[] = [];
    for await (const e of client.listEntities({ queryOptions: { filter: "PartitionKey eq 'a'" } })) a.push(e.rowKey!);
    expect(a.sort()).toEqual(['r0', 'r1', 'r2']);

    const row = await client.getEntity('b', 'r1');
    await client.updateEntity({ partitionKey: 'b', rowKey: 'r1', data0: 'new' }, 'Replace', { etag: row.etag });
    const stale = await client
      .updateEntity({ partitionKey: 'b', rowKey: 'r1', data0: 'newer' }, 'Replace', { etag: row.etag })
      .catch((e: unknown) => e);
    expect(statusOf(stale)).toBe(412);
    await client.deleteEntity('b', 'r1');
    expect((await client.getEntity('a', 'r1')).data0).toBe('x'.repeat(200));
    expect(statusOf(await client.getEntity('b', 'r1').catch((e: unknown) => e))).toBe(404);
  });
});

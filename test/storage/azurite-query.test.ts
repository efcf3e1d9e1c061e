/**
 * The embedded Azurite's query of one partition (storage/azurite-query.ts): in Azurite's own store
 * as the launcher patches it, every filter gives the pages Azurite's own query gives (the same
 * rows in the same order, the same continuation tokens, the same errors), and a query of one
 * partition reads that partition's rows instead of the table's; through the launcher, a query of
 * one partition reads as many rows in a table of 50 partitions as in a table of one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { azuriteConnectionString, freePort } from '../../storage/azurite';
import { launcherSource } from '../../storage/azurite-launcher';
import { PARTITION_QUERY_SOURCE } from '../../storage/azurite-query';
import { TableStore } from '../../storage/table-store';

const tableDir = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'table');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tableModule = (name: string): unknown => require(path.join(tableDir, name));

interface Entity {
  PartitionKey: string;
  RowKey: string;
  properties: Record<string, unknown>;
  lastModifiedTime: string;
  eTag: string;
}
type Page = [Entity[], string | undefined, string | undefined];
interface QueryOptions {
  filter?: string;
  top?: number;
}
interface Store {
  init(): Promise<void>;
  createTable(context: object, table: { account: string; table: string }): Promise<void>;
  insertTableEntity(context: object, table: string, account: string, entity: Entity, batchId: string): Promise<unknown>;
  queryTableEntities(
    context: object,
    account: string,
    table: string,
    options: QueryOptions,
    nextPartitionKey?: string,
    nextRowKey?: string,
  ): Promise<Page>;
}
type StoreClass = { new (file: string, inMemory: boolean): Store; prototype: Store };

// Azurite's own store, from the modules Azurite itself loads (the launcher loads them the same way).
const LokiStore = (tableModule('persistence/LokiTableMetadataStore') as { default: StoreClass }).default;
const azuriteQuery = LokiStore.prototype.queryTableEntities;
const applyPartitionQuery = () => new Function('tableModule', PARTITION_QUERY_SOURCE)(tableModule) as void;

const context = { contextID: 'test' };
const ACCOUNT = 'devstoreaccount1';

/** A deterministic shuffle, so rows are not stored in the order Azurite sorts them. */
function shuffled<T>(xs: T[], seed = 7): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const entity = (pk: string, rk: string, properties: Record<string, unknown> = {}): Entity => ({
  PartitionKey: pk,
  RowKey: rk,
  properties,
  lastModifiedTime: '2026-11-27T12:00:00.000Z',
  eTag: `W/"${pk}|${rk}"`,
});

async function storeWith(rows: Entity[], table = 'events'): Promise<Store> {
  const store = new LokiStore(`query-${Math.random()}.db`, true);
  await store.init();
  await store.createTable(context, { account: ACCOUNT, table });
  for (const row of rows) await store.insertTableEntity(context, table, ACCOUNT, row, '');
  return store;
}

/** Every page of a query (following the continuation), or the error Azurite answered. */
async function pages(store: Store, options: QueryOptions, table = 'events'): Promise<unknown> {
  const out: { rows: string[]; next: [string | undefined, string | undefined] }[] = [];
  let next: [string | undefined, string | undefined] = [undefined, undefined];
  try {
    do {
      const [rows, pk, rk] = await store.queryTableEntities(context, ACCOUNT, table, options, ...next);
      out.push({
        rows: rows.map((r) => `${r.PartitionKey}/${r.RowKey}/${JSON.stringify(r.properties)}`),
        next: [pk, rk],
      });
      next = [pk, rk];
    } while ((next[0] !== undefined || next[1] !== undefined) && out.length < 3000);
  } catch (err) {
    const e = err as { statusCode?: number; storageErrorCode?: string };
    return { error: e.statusCode, code: e.storageErrorCode };
  }
  return out;
}

describe('the partition query in Azurite’s store', () => {
  afterEach(() => {
    LokiStore.prototype.queryTableEntities = azuriteQuery;
  });

  // Keys LokiJS's index compares loosely ('1', '01' and '1.0' are one value to it), quotes,
  // non-ASCII, an empty key, and a partition larger than Azurite's page of 1 000 rows.
  const partitions = [
    'p3',
    'p4',
    'p10',
    '1',
    '01',
    '1.0',
    ' 1',
    '',
    '0',
    "o'brien",
    'å|2026-W48',
    'harnosand|2026-W48',
  ];
  const rowKeys = [
    'e|2026-11-27T10:00:00.000Z|a',
    'e|2026-11-27T09:00:00.000Z|b',
    'id|a',
    'id|b',
    '1',
    '01',
    'r5',
    'x',
  ];
  const rows = shuffled([
    ...partitions.flatMap((pk) =>
      rowKeys.map((rk, i) => entity(pk, rk, { n: i, team: i % 2 ? 'bygg' : 'skola', data0: `${pk}:${rk}` })),
    ),
    ...Array.from({ length: 1200 }, (_, i) => entity('big', `e|${String(i).padStart(5, '0')}`, { n: i % 10 })),
  ]);

  const filters: (string | undefined)[] = [
    // partition only, as the repositories send it, and as anyone might write it
    "PartitionKey eq 'p3'",
    "PartitionKey eq 'big'",
    "(PartitionKey eq 'p3')",
    "'p3' eq PartitionKey",
    "PartitionKey eq 'harnosand|2026-W48'",
    "PartitionKey eq 'å|2026-W48'",
    "PartitionKey eq 'o''brien'",
    "PartitionKey eq ''",
    "PartitionKey eq '1'",
    "PartitionKey eq '01'",
    "PartitionKey eq 'missing'",
    // partition and a RowKey range or a point
    "PartitionKey eq 'harnosand|2026-W48' and RowKey ge 'e|' and RowKey lt 'e}'",
    "PartitionKey eq 'big' and RowKey ge 'e|00100' and RowKey lt 'e|01150'",
    "PartitionKey eq 'p3' and RowKey eq 'r5'",
    "RowKey ge 'id|' and PartitionKey eq 'p4'",
    "(RowKey ge 'e|' and RowKey lt 'e}') and (PartitionKey eq '1.0')",
    // partition and other properties
    "PartitionKey eq 'p3' and team eq 'bygg'",
    "PartitionKey eq 'big' and n gt 6",
    "PartitionKey eq 'p4' and (n eq 1 or n eq 6)",
    "PartitionKey eq 'p4' and not (team eq 'skola')",
    "PartitionKey eq 'p3' and PartitionKey eq 'p4'",
    // no single partition required: Azurite's own path
    "PartitionKey eq 'p3' or PartitionKey eq 'p4'",
    "(PartitionKey eq 'p3' and n lt 3) or PartitionKey eq 'big'",
    "not (PartitionKey eq 'p3')",
    "PartitionKey ge 'p' and PartitionKey lt 'q'",
    "PartitionKey ne 'big'",
    'PartitionKey eq 1',
    "partitionkey eq 'p3'",
    "RowKey ge 'id|'",
    "team eq 'bygg'",
    undefined,
    '',
    'true',
    // refused by Azurite, with or without the patch
    'PartitionKey eq',
    "PartitionKey eq 'p3' and",
    "'p3' eq 'p3'",
  ];
  const tops = [undefined, 3, 1000];

  it('gives the same pages as Azurite’s own query for every filter, $top and continuation', async () => {
    const store = await storeWith(rows);
    const cases = filters.flatMap((filter) => tops.map((top) => ({ filter, top })));
    const expected = [];
    for (const c of cases) expected.push(await pages(store, c));
    applyPartitionQuery();
    applyPartitionQuery(); // a second time changes nothing
    const actual = [];
    for (const c of cases) actual.push(await pages(store, c));
    for (let i = 0; i < cases.length; i++)
      expect({ ...cases[i], result: actual[i] }).toEqual({ ...cases[i], result: expected[i] });

    // The comparison covers what it should: rows across many pages, empty answers and refusals.
    const lengths = expected.map((r) => (Array.isArray(r) ? r.length : 0));
    expect(Math.max(...lengths)).toBeGreaterThan(100);
    const big = expected[cases.findIndex((c) => c.filter === "PartitionKey eq 'big'" && c.top === undefined)];
    expect((big as { rows: string[] }[]).map((p) => p.rows.length)).toEqual([1000, 200]);
    expect(expected.filter((r) => !Array.isArray(r))).toHaveLength(3 * tops.length);
    const one = expected[cases.findIndex((c) => c.filter === "PartitionKey eq '1'" && c.top === undefined)];
    expect((one as { rows: string[] }[])[0]!.rows).toHaveLength(rowKeys.length);
  });

  it('answers a table Azurite does not know with its own error', async () => {
    const store = await storeWith([entity('p', 'r')]);
    const expected = await pages(store, { filter: "PartitionKey eq 'p'" }, 'missing');
    applyPartitionQuery();
    expect(await pages(store, { filter: "PartitionKey eq 'p'" }, 'missing')).toEqual(expected);
    expect(expected).toEqual({ error: 404, code: 'TableNotFound' });
  });

  it('reads the rows of the partition where Azurite reads the whole table', async () => {
    // Rows that note when their partition key is read, by Azurite's filter or by LokiJS's index.
    const touched = new Set<Entity>();
    const counted = (pk: string, rk: string): Entity => {
      const row = entity(pk, rk, { data0: 'x' });
      Object.defineProperty(row, 'PartitionKey', { enumerable: true, get: () => (touched.add(row), pk) });
      return row;
    };
    const week = (w: number) => `harnosand|2026-W${String(w).padStart(2, '0')}`;
    const store = await storeWith(
      shuffled(
        Array.from({ length: 50 * 100 }, (_, i) => counted(week(1 + (i % 50)), `e|${String(i).padStart(5, '0')}`)),
      ),
    );
    const read = async (filter: string) => {
      touched.clear();
      const [found] = await store.queryTableEntities(context, ACCOUNT, 'events', { filter });
      return { found: found.map((r) => r.RowKey), touched: touched.size };
    };
    // As the repositories send it, and the same partition written otherwise.
    const onePartition = [
      `PartitionKey eq '${week(48)}' and RowKey ge 'e|' and RowKey lt 'e}'`,
      `(RowKey ge 'e|') and ('${week(48)}' eq PartitionKey)`,
      `PartitionKey eq '${week(48)}' and (data0 eq 'x' or data0 eq 'y')`,
    ];
    const across = `PartitionKey eq '${week(48)}' or PartitionKey eq '${week(7)}'`;
    const before = [];
    for (const filter of [...onePartition, across]) before.push(await read(filter));
    applyPartitionQuery();
    const after = [];
    for (const filter of [...onePartition, across]) after.push(await read(filter));

    expect(after.map((r) => r.found)).toEqual(before.map((r) => r.found));
    expect(after.map((r) => r.found.length)).toEqual([100, 100, 100, 200]);
    for (const r of before) expect(r.touched).toBe(5000);
    for (const r of after.slice(0, -1)) expect(r.touched).toBeLessThan(150);
    expect(after.at(-1)!.touched).toBe(5000);
  });
});

/**
 * The embedded Azurite as the bot runs it (the launcher, in-memory), with a preload that counts the
 * rows Azurite's filter is run on, written to a file after each query is answered (before the
 * answer is sent).
 */
async function countingAzurite(): Promise<{
  store: () => TableStore;
  rowsRead: () => number;
  stop: () => Promise<void>;
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-query-'));
  const counter = path.join(dir, 'rows-read');
  const preload = path.join(dir, 'count-rows.js');
  fs.writeFileSync(
    preload,
    `'use strict';
const path = require('path');
const fs = require('fs');
const dir = ${JSON.stringify(tableDir)};
const interpreter = require(path.join(dir, 'persistence/QueryInterpreter/QueryInterpreter'));
const evaluate = interpreter.default;
let read = 0;
interpreter.default = function (context, tree) { read++; return evaluate(context, tree); };
const Store = require(path.join(dir, 'persistence/LokiTableMetadataStore')).default;
const query = Store.prototype.queryTableEntities;
Store.prototype.queryTableEntities = async function () {
  try { return await query.apply(this, arguments); } finally { fs.writeFileSync(${JSON.stringify(counter)}, String(read)); }
};
`,
  );
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--require', preload, '-e', launcherSource(tableDir), '--', '--tablePort', String(port), '--inMemoryPersistence'],
    { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = await new Promise<unknown>((resolve) => {
    child.on('message', resolve);
    child.once('exit', resolve);
  });
  expect(ready).toEqual({ ready: port });
  return {
    store: () =>
      new TableStore({
        connectionString: azuriteConnectionString(port),
        tablePrefix: `t${randomBytes(5).toString('hex')}`,
      }),
    rowsRead: () => (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0),
    stop: async () => {
      child.kill('SIGINT');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('the partition query in the embedded Azurite', () => {
  let azurite: Awaited<ReturnType<typeof countingAzurite>>;
  let one: TableClient;
  let fifty: TableClient;
  const week = (w: number) => `harnosand|2026-W${String(w).padStart(2, '0')}`;
  const rows = (pk: string): TransactionAction[] =>
    Array.from({ length: 100 }, (_, i) => [
      'create',
      { partitionKey: pk, rowKey: `e|${String(99 - i).padStart(3, '0')}`, data0: `${pk}:${i}`, n: i % 4 },
    ]);

  beforeAll(async () => {
    azurite = await countingAzurite();
    const tables = async () => {
      const store = azurite.store();
      await store.ensureTables();
      return store.client('events');
    };
    one = await tables();
    fifty = await tables();
    await one.submitTransaction(rows(week(48)));
    for (let w = 1; w <= 50; w++) await fifty.submitTransaction(rows(week(w)));
  });
  afterAll(async () => {
    await azurite.stop();
  });

  async function list(client: TableClient, filter: string, select?: string[], pageSize?: number): Promise<string[][]> {
    const out: string[][] = [];
    const pages = client.listEntities({ queryOptions: { filter, select } }).byPage({ maxPageSize: pageSize });
    for await (const page of pages) out.push(page.map((e) => `${e.partitionKey}/${e.rowKey}/${String(e.data0)}`));
    return out;
  }

  async function measured(client: TableClient, filter: string): Promise<{ rows: number; read: number }> {
    const before = azurite.rowsRead();
    const pages = await list(client, filter);
    return { rows: pages.flat().length, read: azurite.rowsRead() - before };
  }

  it('reads as many rows for one partition in a table of 50 partitions as in a table of one', async () => {
    const filter = `PartitionKey eq '${week(48)}' and RowKey ge 'e|' and RowKey lt 'e}'`;
    const inOne = await measured(one, filter);
    const inFifty = await measured(fifty, filter);
    expect(inOne).toEqual({ rows: 100, read: 100 });
    expect(inFifty).toEqual({ rows: 100, read: 100 });
    // A filter across partitions still takes Azurite's path and reads the whole table.
    expect(await measured(fifty, `PartitionKey eq '${week(48)}' or PartitionKey eq '${week(7)}'`)).toEqual({
      rows: 200,
      read: 5000,
    });
  });

  it('answers with the rows, order, $select and pages Azurite’s own path gives', async () => {
    const range = "RowKey ge 'e|010' and RowKey lt 'e|090' and n ne 2";
    const partition = `PartitionKey eq '${week(48)}' and ${range}`;
    // The same condition as an `or`, which keeps Azurite's own path.
    const azurites = `(PartitionKey eq '${week(48)}' or PartitionKey eq '${week(48)}') and ${range}`;
    for (const [select, pageSize] of [
      [undefined, undefined],
      [['data0'], 7],
      [['RowKey'], 1],
    ] as const) {
      const expected = await list(fifty, azurites, select ? [...select] : undefined, pageSize);
      expect(await list(fifty, partition, select ? [...select] : undefined, pageSize)).toEqual(expected);
      expect(expected.flat()).toHaveLength(60);
      if (pageSize) expect(expected.length).toBeGreaterThan(5);
    }
    const first = (await list(fifty, partition))[0]!;
    expect(first[0]).toBe(`${week(48)}/e|010/${week(48)}:89`);
    expect([...first].sort()).toEqual(first);
  });
});

/**
 * The store's share of a card answer, alone: a bare process (no bot, no restify, no teams-ai)
 * that makes the same kinds of store requests, as many of each per answer, as the bot made in
 * the benchmark's measured run (counted by bench/count-requests.ts), against the same Azurite
 * and tables, through the same clients the bot builds (`TableStore`: the SDK's TableClient with
 * the bot's options and policies; transactions through storage/transaction.ts, as the group
 * commits send them). Its CPU per answer is what the store client costs the bot at the least.
 *
 * Each kind is made the way the bot makes it: a query through the SDK's `listEntities` (every
 * page read and deserialised), a point read through `getEntity`, a plain write through
 * `createEntity`/`updateEntity`, a transaction of as many creates and replacing updates on the
 * same partition. Written rows are copies of rows already in that partition (creates get a row
 * key of their own), so they are as large as the bot's. What the bot does with the rows (unpack
 * the JSON, the domain) is left out.
 *
 * Run as a child by bench/roundtrip.bench.ts:
 * `node store-replay.js <plan.json>`; the plan is `ReplayPlan`, the answer (stdout) `ReplayResult`.
 */
import * as fs from 'node:fs';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { TABLES, type TableName } from '../storage/keys';
import { TableStore } from '../storage/table-store';
import { submitTransaction } from '../storage/transaction';
import { countsSoFar, type RequestCounts, type StoreKind } from './count-requests';

export interface ReplayPlan {
  connectionString: string;
  tablePrefix: string;
  /** How many requests of each kind (a JSON `StoreKind`) to make. */
  kinds: Record<string, number>;
  /** The answers those requests stand for (the CPU is given per answer). */
  answers: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Requests made first and not measured (the JIT, the sockets). */
  warmup: number;
}

export interface ReplayResult {
  cpuMsPerAnswer: number;
  requests: number;
  durationMs: number;
  /** The requests this process made over the measured phase (count-requests.ts), before and after. */
  made: { before: RequestCounts; after: RequestCounts };
  failures: number;
}

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };

function withoutMeta(entity: Record<string, unknown>): Row {
  const { etag: _etag, timestamp: _timestamp, ...rest } = entity;
  return rest as Row;
}

async function main(): Promise<void> {
  const plan = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as ReplayPlan;
  const store = new TableStore({ connectionString: plan.connectionString, tablePrefix: plan.tablePrefix });
  const nameOf = new Map<string, TableName>(
    (Object.keys(TABLES) as TableName[]).map((n) => [`${plan.tablePrefix}${TABLES[n]}`, n] as const),
  );
  const client = (table: string): TableClient => {
    const name = nameOf.get(table);
    if (!name) throw new Error(`not a table of this store: ${table}`);
    return store.client(name);
  };
  const partitions = new Map<string, Row[]>();
  const rowsOf = async (table: string, partitionKey: string): Promise<Row[]> => {
    const k = `${table}|${partitionKey}`;
    let rows = partitions.get(k);
    if (!rows) {
      rows = [];
      const filter = odata`PartitionKey eq ${partitionKey}`;
      for await (const e of client(table).listEntities({ queryOptions: { filter } })) rows.push(withoutMeta(e));
      partitions.set(k, rows);
    }
    return rows;
  };
  // One row of each kind of row key (`e|…`, `id|…`) in turn, so creates are as large as the bot's.
  const createTemplates = async (table: string, partitionKey: string): Promise<Row[]> => {
    const byPrefix = new Map<string, Row>();
    for (const row of [...(await rowsOf(table, partitionKey))].reverse()) {
      const prefix = row.rowKey.split('|')[0]!;
      if (!byPrefix.has(prefix)) byPrefix.set(prefix, row);
    }
    return [...byPrefix.values()];
  };
  let serial = 0;
  const copy = (row: Row): Row => ({ ...row, rowKey: `${row.rowKey}|replay${serial++}` });

  const ops: Array<() => Promise<unknown>> = [];
  for (const [k, count] of Object.entries(plan.kinds)) {
    const kind = JSON.parse(k) as StoreKind;
    let op: () => Promise<unknown>;
    switch (kind.op) {
      case 'query':
        op = async () => {
          const rows: unknown[] = [];
          for await (const e of client(kind.table).listEntities({ queryOptions: { filter: kind.filter } }))
            rows.push(e);
          return rows;
        };
        break;
      case 'read':
        op = () =>
          client(kind.table)
            .getEntity(kind.partitionKey, kind.rowKey)
            .catch((err: { statusCode?: number }) => {
              if (err.statusCode !== 404) throw err;
            });
        break;
      case 'write': {
        const { method, table, partitionKey } = kind;
        if (partitionKey === undefined) throw new Error(`cannot replay a write without a partition: ${k}`);
        const rows = await rowsOf(table, partitionKey);
        if (rows.length === 0) throw new Error(`no row to replay ${k}`);
        // The partition's rows in turn (the bot writes the one answered).
        let turn = 0;
        const next = () => rows[turn++ % rows.length]!;
        op =
          method === 'POST'
            ? () => client(table).createEntity(copy(next()))
            : () => client(table).updateEntity(next(), method === 'MERGE' ? 'Merge' : 'Replace');
        break;
      }
      case 'batch': {
        const creates = kind.creates > 0 ? await createTemplates(kind.table, kind.partitionKey) : [];
        const updates = (await rowsOf(kind.table, kind.partitionKey)).slice(0, kind.updates);
        if ((kind.creates > 0 && creates.length === 0) || updates.length < kind.updates) {
          throw new Error(`not enough rows to replay ${k}`);
        }
        op = () => {
          const actions: TransactionAction[] = [
            ...Array.from({ length: kind.creates }, (_, i) => ['create', copy(creates[i % creates.length]!)] as const),
            ...updates.map((row) => ['update', row, 'Replace'] as const),
          ] as TransactionAction[];
          return submitTransaction(client(kind.table), actions, { allowInsecureConnection: true });
        };
        break;
      }
      default:
        throw new Error(`cannot replay ${k}`);
    }
    for (let i = 0; i < count; i++) ops.push(op);
  }
  // The kinds interleaved as in the run (a fixed shuffle, the same every time).
  let seed = 1;
  const random = () => ((seed = (seed * 48271) % 2147483647) - 1) / 2147483646;
  for (let i = ops.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ops[i], ops[j]] = [ops[j]!, ops[i]!];
  }
  let failures = 0;
  const run = async (list: Array<() => Promise<unknown>>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: plan.concurrency }, async () => {
        while (next < list.length) {
          const op = list[next++]!;
          await op().catch(() => failures++);
        }
      }),
    );
  };
  await run(ops.slice(0, plan.warmup));
  failures = 0;
  const before = countsSoFar();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run(ops);
  const durationMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const after = countsSoFar();
  store.close();
  const result: ReplayResult = {
    cpuMsPerAnswer: (cpu.user + cpu.system) / 1000 / plan.answers,
    requests: ops.length,
    durationMs,
    made: { before, after },
    failures,
  };
  process.stdout.write(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

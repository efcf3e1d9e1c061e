/**
 * Writing a checked backup into the store, in transactions per partition, and the check after it
 * that every row came back with the same content.
 */
import type { TableEntity, TransactionAction } from '@azure/data-tables';
import { mapError, type TableStore } from '../table-store';
import { type BackupProperty, type BackupRow, type EdmType, rowDigest, rowId, rowLine, TABLE_KEYS } from './format';
import { readTable } from './read';

function toService(p: BackupProperty): { value: unknown; type: EdmType } {
  return { value: p.value, type: p.type };
}

function toEntity(row: BackupRow): TableEntity<Record<string, unknown>> {
  const entity: TableEntity<Record<string, unknown>> = { partitionKey: row.partitionKey, rowKey: row.rowKey };
  for (const [name, p] of Object.entries(row.properties)) entity[name] = toService(p);
  return entity;
}

/** A transaction holds at most 100 operations in one partition, and at most 4 MiB. */
const MAX_OPERATIONS = 100;
const MAX_BATCH_BYTES = 3_000_000;

export interface RestoreOptions {
  /** Replace rows that exist (`--force`); otherwise a row that exists fails its transaction. */
  replace: boolean;
  /** After each transaction: rows written so far. */
  onProgress?: (written: number) => void;
}

/** A restore that stopped part-way; `written` rows were stored before it. */
export class RestoreError extends Error {
  constructor(
    readonly written: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * Writes the rows in transactions of one partition each (at most 100 rows, well under 4 MiB),
 * in the file's order. Returns the rows written.
 */
export async function restoreRows(
  store: TableStore,
  rows: AsyncIterable<BackupRow>,
  options: RestoreOptions,
): Promise<number> {
  let batch: BackupRow[] = [];
  let bytes = 0;
  let written = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const first = batch[0]!;
    const client = store.client(TABLE_KEYS.get(first.table)!);
    const actions: TransactionAction[] = batch.map((r) =>
      options.replace ? ['upsert', toEntity(r), 'Replace'] : ['create', toEntity(r)],
    );
    try {
      await client.submitTransaction(actions);
    } catch (err) {
      throw new RestoreError(written, mapError(err, `restore of ${first.table} (${first.partitionKey})`));
    }
    written += batch.length;
    batch = [];
    bytes = 0;
    options.onProgress?.(written);
  };
  for await (const row of rows) {
    const size = rowLine(row).length;
    const first = batch[0];
    if (
      first &&
      (batch.length >= MAX_OPERATIONS ||
        bytes + size > MAX_BATCH_BYTES ||
        first.table !== row.table ||
        first.partitionKey !== row.partitionKey)
    )
      await flush();
    batch.push(row);
    bytes += size;
  }
  await flush();
  return written;
}

export interface Verification {
  /** Rows per table now in the store. */
  rows: Record<string, number>;
  /** Rows of the file that are not in the store. */
  missing: number;
  /** Rows of the file whose content in the store differs. */
  different: number;
  /** Rows in the store that are not in the file. */
  extra: number;
  /** A few of the rows that are missing or differ, for the message. */
  examples: { table: string; partitionKey: string; rowKey: string }[];
}

/** Reads the tables back and compares every row of the file with what the store now holds. */
export async function verifyRestore(
  store: TableStore,
  tables: readonly string[],
  digests: ReadonlyMap<string, string>,
): Promise<Verification> {
  const result: Verification = { rows: {}, missing: 0, different: 0, extra: 0, examples: [] };
  const seen = new Set<string>();
  for (const table of tables) {
    let count = 0;
    for await (const row of readTable(store, table)) {
      count++;
      const id = rowId(row);
      const expected = digests.get(id);
      if (expected === undefined) {
        result.extra++;
        continue;
      }
      seen.add(id);
      if (expected !== rowDigest(row)) {
        result.different++;
        if (result.examples.length < 5)
          result.examples.push({ table, partitionKey: row.partitionKey, rowKey: row.rowKey });
      }
    }
    result.rows[table] = count;
  }
  for (const id of digests.keys()) {
    if (seen.has(id)) continue;
    result.missing++;
    if (result.examples.length < 5) {
      const [table = '', partitionKey = '', rowKey = ''] = id.split('\u0000');
      result.examples.push({ table, partitionKey, rowKey });
    }
  }
  return result;
}

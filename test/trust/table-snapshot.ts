/**
 * A full snapshot of every table the bot owns (all tables whose name starts with its
 * TABLE_PREFIX, so tables added by later flows are covered too), read with @azure/data-tables,
 * and a diff of two snapshots. ETags and timestamps are part of a row: a rewrite of the same
 * content counts as a change. Left out: the instance heartbeats (Jobs, partition `instance`),
 * which every running bot rewrites every few seconds whatever it is asked.
 */
import { TableClient, TableServiceClient } from '@azure/data-tables';

/** table name → `PartitionKey\u0001RowKey` → the stored row as JSON. */
export type TableSnapshot = Map<string, Map<string, string>>;

export interface SnapshotDiff {
  table: string;
  key: string;
  change: 'added' | 'removed' | 'changed';
}

const insecure = (connectionString: string) => ({
  allowInsecureConnection: /TableEndpoint=http:\/\//i.test(connectionString),
});

export async function snapshotTables(connectionString: string, prefix: string): Promise<TableSnapshot> {
  const service = TableServiceClient.fromConnectionString(connectionString, insecure(connectionString));
  const snapshot: TableSnapshot = new Map();
  for await (const table of service.listTables()) {
    const name = table.name ?? '';
    if (!name.startsWith(prefix)) continue;
    const client = TableClient.fromConnectionString(connectionString, name, insecure(connectionString));
    const rows = new Map<string, string>();
    for await (const entity of client.listEntities()) {
      if (name === `${prefix}Jobs` && entity.partitionKey === 'instance') continue;
      rows.set(`${entity.partitionKey}\u0001${entity.rowKey}`, JSON.stringify(entity));
    }
    snapshot.set(name, rows);
  }
  return snapshot;
}

export function diffSnapshots(before: TableSnapshot, after: TableSnapshot): SnapshotDiff[] {
  const out: SnapshotDiff[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(table) ?? new Map<string, string>();
    const a = after.get(table) ?? new Map<string, string>();
    for (const [key, value] of a) {
      if (!b.has(key)) out.push({ table, key, change: 'added' });
      else if (b.get(key) !== value) out.push({ table, key, change: 'changed' });
    }
    for (const key of b.keys()) if (!a.has(key)) out.push({ table, key, change: 'removed' });
  }
  return out;
}

export function rowCount(snapshot: TableSnapshot): number {
  let n = 0;
  for (const rows of snapshot.values()) n += rows.size;
  return n;
}

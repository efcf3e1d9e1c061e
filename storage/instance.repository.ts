import { odata } from '@azure/data-tables';
import type { InstanceRepository } from '../domain/delivery';
import { keys } from './keys';
import { type TableStore, guard, query, statusOf } from './table-store';

/** Rows older than this are deleted when the live instances are listed (instances that died). */
const FORGET_AFTER_MS = 60 * 60 * 1000;

/** Heartbeat rows of the running bot instances, in the Jobs table (partition `instance`). */
export class TableInstanceRepository implements InstanceRepository {
  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('jobs');
  }

  async beat(instanceId: string, until: Date): Promise<void> {
    await guard(
      () =>
        this.table.upsertEntity({ ...keys.instance(instanceId), instanceId, until: until.toISOString() }, 'Replace'),
      'instance heartbeat',
    );
  }

  async live(now: Date): Promise<string[]> {
    const rows = await query(this.table, odata`PartitionKey eq ${keys.instancePartition()}`, 'list instances');
    const live: string[] = [];
    for (const row of rows) {
      const until = new Date(String(row.until)).getTime();
      if (until > now.getTime()) live.push(String(row.instanceId));
      else if (until < now.getTime() - FORGET_AFTER_MS) {
        await this.table.deleteEntity(row.partitionKey!, row.rowKey!, { etag: row.etag }).catch(() => undefined);
      }
    }
    return live;
  }

  async leave(instanceId: string): Promise<void> {
    const k = keys.instance(instanceId);
    await guard(async () => {
      try {
        await this.table.deleteEntity(k.partitionKey, k.rowKey);
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    }, 'instance heartbeat');
  }
}

import { odata } from '@azure/data-tables';
import { ConcurrencyError } from '../domain/errors';
import type { DeliveryRecord, DeliveryRepository, JobRunRepository, LeaseRepository } from '../domain/delivery';
import { keys } from './keys';
import { type TableStore, guard, packJson, statusOf, unpackJson, readEntity, query } from './table-store';

/** Scheduler leases: one row per lease, taken and renewed with ETags. */
export class TableLeaseRepository implements LeaseRepository {
  constructor(
    private readonly store: TableStore,
    private readonly programId: string,
  ) {}

  private get table() {
    return this.store.client('jobs');
  }

  async acquire(name: string, holder: string, now: Date, until: Date): Promise<boolean> {
    const k = keys.lease(this.programId, name);
    return guard(async () => {
      let current: { holder: string; until: string; etag: string } | undefined;
      try {
        const e = await this.table.getEntity<{ holder: string; until: string }>(k.partitionKey, k.rowKey);
        current = { holder: e.holder, until: e.until, etag: e.etag };
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
      const entity = { ...k, holder, until: until.toISOString() };
      try {
        if (!current) {
          await this.table.createEntity(entity);
          return true;
        }
        if (current.holder !== holder && new Date(current.until) > now) return false;
        await this.table.updateEntity(entity, 'Replace', { etag: current.etag });
        return true;
      } catch (err) {
        const status = statusOf(err);
        if (status === 409 || status === 412) return false; // another instance won the race
        throw err;
      }
    }, 'scheduler lease');
  }

  async release(name: string, holder: string): Promise<void> {
    const k = keys.lease(this.programId, name);
    await guard(async () => {
      try {
        const e = await this.table.getEntity<{ holder: string }>(k.partitionKey, k.rowKey);
        if (e.holder === holder) await this.table.deleteEntity(k.partitionKey, k.rowKey, { etag: e.etag });
      } catch (err) {
        if (![404, 412].includes(statusOf(err) ?? 0)) throw err;
      }
    }, 'scheduler lease');
  }
}

export class TableJobRunRepository implements JobRunRepository {
  constructor(
    private readonly store: TableStore,
    private readonly programId: string,
  ) {}

  private get table() {
    return this.store.client('jobs');
  }

  async isDone(key: string): Promise<boolean> {
    const k = keys.jobRun(this.programId, key);
    return (await readEntity(this.table, k, 'read job state')) !== undefined;
  }

  async markDone(key: string, at: Date, detail: Record<string, unknown> = {}): Promise<void> {
    await guard(
      () =>
        this.table.upsertEntity(
          { ...keys.jobRun(this.programId, key), at: at.toISOString(), ...packJson(detail) },
          'Replace',
        ),
      'save job state',
    );
  }
}

function deliveryEntity(programId: string, batch: string, record: DeliveryRecord) {
  const { etag: _etag, ...rest } = record;
  return { ...keys.delivery(programId, batch, record.key), status: record.status, ...packJson(rest) };
}

/**
 * One row per delivery of a fan-out batch: the record that lets a crashed fan-out resume without
 * duplicates, and the claim that keeps two instances from posting the same delivery.
 */
export class TableDeliveryRepository implements DeliveryRepository {
  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('jobs');
  }

  async get(programId: string, batch: string, key: string): Promise<DeliveryRecord | undefined> {
    const k = keys.delivery(programId, batch, key);
    const e = await readEntity(this.table, k, 'read delivery');
    return e && { ...unpackJson<DeliveryRecord>(e), etag: e.etag };
  }

  async save(programId: string, batch: string, record: DeliveryRecord): Promise<void> {
    await guard(() => this.table.upsertEntity(deliveryEntity(programId, batch, record), 'Replace'), 'save delivery');
  }

  async put(programId: string, batch: string, record: DeliveryRecord): Promise<DeliveryRecord> {
    const entity = deliveryEntity(programId, batch, record);
    const written = await guard(async () => {
      try {
        return record.etag
          ? await this.table.updateEntity(entity, 'Replace', { etag: record.etag })
          : await this.table.createEntity(entity);
      } catch (err) {
        const status = statusOf(err);
        if (status === 409 || status === 412)
          throw new ConcurrencyError(`delivery ${record.key} changed by another run`, { status });
        throw err;
      }
    }, 'save delivery');
    return { ...record, etag: written.etag };
  }

  async list(programId: string, batch: string): Promise<DeliveryRecord[]> {
    const rows = await query(
      this.table,
      odata`PartitionKey eq ${keys.deliveryPartition(programId, batch)}`,
      'list deliveries',
    );
    return rows.map((r) => ({ ...unpackJson<DeliveryRecord>(r), etag: r.etag }));
  }
}

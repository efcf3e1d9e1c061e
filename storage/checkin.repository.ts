import { odata } from '@azure/data-tables';
import { ConcurrencyError } from '../domain/errors';
import type { CheckInRepository } from '../domain/ports';
import type { CheckIn } from '../domain/types';
import { keys } from './keys';
import { type Entity, type TableStore, guard, packJson, statusOf, unpackJson, readEntity, query } from './table-store';

function toEntity(c: CheckIn): Entity {
  const { etag: _etag, ...rest } = c;
  return { ...keys.checkIn(c.programId, c.week, c.teamKey), messageId: c.messageId ?? '', ...packJson(rest) };
}

function fromEntity(e: Record<string, unknown> & { etag?: string }): CheckIn {
  return { ...unpackJson<CheckIn>(e), etag: e.etag };
}

export class TableCheckInRepository implements CheckInRepository {
  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('checkIns');
  }

  async get(programId: string, week: string, teamKey: string): Promise<CheckIn | undefined> {
    const k = keys.checkIn(programId, week, teamKey);
    const e = await readEntity(this.table, k, 'read check-in');
    return e && fromEntity(e);
  }

  async listWeek(programId: string, week: string): Promise<CheckIn[]> {
    const rows = await query(
      this.table,
      odata`PartitionKey eq ${keys.checkInPartition(programId, week)}`,
      'list check-ins',
    );
    return rows.map(fromEntity);
  }

  async create(checkIn: CheckIn): Promise<CheckIn> {
    return guard(async () => {
      try {
        const r = await this.table.createEntity(toEntity(checkIn));
        return { ...checkIn, etag: r.etag };
      } catch (err) {
        if (statusOf(err) === 409) {
          throw new ConcurrencyError(`Check-in for ${checkIn.teamKey} ${checkIn.week} exists`, {
            teamKey: checkIn.teamKey,
            week: checkIn.week,
          });
        }
        throw err;
      }
    }, 'create check-in');
  }

  async remove(checkIn: CheckIn): Promise<void> {
    if (!checkIn.etag) throw new ConcurrencyError('check-in delete without etag');
    const k = keys.checkIn(checkIn.programId, checkIn.week, checkIn.teamKey);
    await guard(async () => {
      await this.table.deleteEntity(k.partitionKey, k.rowKey, { etag: checkIn.etag });
    }, 'delete check-in');
  }

  async update(checkIn: CheckIn): Promise<CheckIn> {
    if (!checkIn.etag) throw new ConcurrencyError('check-in update without etag');
    return guard(async () => {
      const r = await this.table.updateEntity(toEntity(checkIn), 'Replace', { etag: checkIn.etag });
      return { ...checkIn, etag: r.etag };
    }, 'update check-in');
  }
}

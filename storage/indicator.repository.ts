import { odata } from '@azure/data-tables';
import type { IndicatorRepository } from '../domain/ports';
import type { Indicator } from '../domain/types';
import { keys } from './keys';
import { type TableStore, guard, packJson, unpackJson, readEntity, query } from './table-store';

function fromEntity(e: Record<string, unknown> & { etag?: string }): Indicator {
  return { ...unpackJson<Indicator>(e), etag: e.etag };
}

export class TableIndicatorRepository implements IndicatorRepository {
  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('indicators');
  }

  async get(programId: string, id: string): Promise<Indicator | undefined> {
    const k = keys.indicator(programId, id);
    const e = await readEntity(this.table, k, 'read indicator');
    return e && fromEntity(e);
  }

  async list(programId: string): Promise<Indicator[]> {
    const rows = await query(
      this.table,
      odata`PartitionKey eq ${keys.indicatorPartition(programId)}`,
      'list indicators',
    );
    return rows.map(fromEntity);
  }

  async save(indicator: Indicator): Promise<Indicator> {
    const { etag, ...rest } = indicator;
    const entity = { ...keys.indicator(indicator.programId, indicator.id), ...packJson(rest) };
    return guard(async () => {
      const r = etag
        ? await this.table.updateEntity(entity, 'Replace', { etag })
        : await this.table.createEntity(entity);
      return { ...indicator, etag: r.etag };
    }, `save indicator ${indicator.id}`);
  }
}

import { odata, type TransactionAction } from '@azure/data-tables';
import { ConcurrencyError } from '../domain/errors';
import type { ActionRepository } from '../domain/ports';
import type { Action } from '../domain/types';
import { keys } from './keys';
import {
  type Entity,
  type TableStore,
  guard,
  packJson,
  statusOf,
  readEntity,
  query,
  chunksByPartition,
} from './table-store';
import { MAX_TRANSACTION_OPS } from './coalesce';
import { ParsedRows } from './parsed-rows';

/** The row of an action (its ETag is not stored in it), built without object spreads for the import's thousands. */
function toEntity(action: Action): Entity {
  const key = keys.action(action.programId, action.id);
  const row: Entity = {
    partitionKey: key.partitionKey,
    rowKey: key.rowKey,
    teamKey: action.teamKey,
    status: action.status,
    due: action.due ?? '',
  };
  // An undefined property is left out of the JSON.
  const data = packJson(action.etag === undefined ? action : { ...action, etag: undefined });
  for (const name in data) row[name] = data[name];
  return row;
}

export class TableActionRepository implements ActionRepository {
  /** Each version of an action parsed once (every answer reads its team's actions twice). */
  private readonly parsed = new ParsedRows<Action>();

  constructor(private readonly store: TableStore) {}

  private fromEntity(e: Record<string, unknown> & { etag?: string }): Action {
    // The unpacked action is the caller's own (a fresh parse or a fresh copy): no spread needed.
    const action = this.parsed.unpack(e);
    action.etag = e.etag;
    return action;
  }

  private get table() {
    return this.store.client('actions');
  }

  async get(programId: string, actionId: string): Promise<Action | undefined> {
    const k = keys.action(programId, actionId);
    const e = await readEntity(this.table, k, 'read action');
    return e && this.fromEntity(e);
  }

  async list(programId: string): Promise<Action[]> {
    const rows = await query(this.table, odata`PartitionKey eq ${keys.actionPartition(programId)}`, 'list actions');
    return rows.map((e) => this.fromEntity(e));
  }

  async listByTeam(programId: string, teamKey: string): Promise<Action[]> {
    const rows = await query(
      this.table,
      odata`PartitionKey eq ${keys.actionPartition(programId)} and teamKey eq ${teamKey}`,
      'list actions',
    );
    return rows.map((e) => this.fromEntity(e));
  }

  async create(action: Action): Promise<Action> {
    return guard(async () => {
      try {
        const r = await this.table.createEntity(toEntity(action));
        return { ...action, etag: r.etag };
      } catch (err) {
        if (statusOf(err) === 409)
          throw new ConcurrencyError(`Action ${action.id} already exists`, { actionId: action.id });
        throw err;
      }
    }, 'create action');
  }

  async update(action: Action): Promise<Action> {
    if (!action.etag) throw new ConcurrencyError(`Action ${action.id}: update without etag`, { actionId: action.id });
    // Group commit: updates of other actions arriving meanwhile share the transaction (same partition).
    const what = `update action ${action.id}`;
    const [result] = await guard(
      () =>
        this.store
          .batcher('actions')
          .submit(keys.actionPartition(action.programId), [
            ['update', toEntity(action), 'Replace', { etag: action.etag }],
          ]),
      what,
    );
    if (result?.etag) return { ...action, etag: result.etag };
    // A store that did not say the new ETag: read it, so the next update is not refused.
    const fresh = await this.get(action.programId, action.id);
    return { ...action, etag: fresh?.etag };
  }

  async saveAll(actions: Action[]): Promise<void> {
    // Actions of one program share a partition, so each chunk of 100 is one atomic transaction.
    for (const chunk of chunksByPartition(actions, (a) => keys.actionPartition(a.programId), MAX_TRANSACTION_OPS)) {
      const ops: TransactionAction[] = chunk.map((a) =>
        a.etag ? ['update', toEntity(a), 'Replace', { etag: a.etag }] : ['create', toEntity(a)],
      );
      await guard(() => this.table.submitTransaction(ops), 'save actions');
    }
  }
}

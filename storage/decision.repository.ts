import { odata, type TransactionAction } from '@azure/data-tables';
import { ConcurrencyError } from '../domain/errors';
import type { DecisionRepository } from '../domain/ports';
import type { Decision } from '../domain/types';
import { keys, prefixEnd } from './keys';
import { type Entity, type TableStore, guard, mapError, packJson, statusOf, unpackJson, readEntity, query } from './table-store';

function decisionNumber(year: number, sequence: number): string {
  return `D-${year}-${String(sequence).padStart(3, '0')}`;
}

function toEntity(d: Decision): Entity {
  const { etag: _etag, ...rest } = d;
  return { ...keys.decision(d.programId, d.year, d.number), state: d.state, ...packJson(rest) };
}

function fromEntity(e: Record<string, unknown> & { etag?: string }): Decision {
  return { ...unpackJson<Decision>(e), etag: e.etag };
}

/**
 * Decisions are a public record: rows are created and replaced (amend, revoke), never deleted.
 * Numbers are gap-free per year: the year's counter row and the new decision are written in one
 * transaction (same partition), with the counter's etag, so two submissions at the same moment
 * cannot take the same number and a failed write does not burn one.
 */
export class TableDecisionRepository implements DecisionRepository {
  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('decisions');
  }

  async createNumbered(draft: Omit<Decision, 'number' | 'sequence' | 'etag'>, maxAttempts = 50): Promise<Decision> {
    const ck = keys.decisionCounter(draft.programId, draft.year);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const row = await readEntity<{ next: number }>(this.table, ck, 'read decision counter');
      const counter = row ? { next: Number(row.next), etag: row.etag } : { next: 1, etag: undefined };
      const decision: Decision = { ...draft, sequence: counter.next, number: decisionNumber(draft.year, counter.next) };
      const counterOp: TransactionAction = counter.etag
        ? ['update', { ...ck, next: counter.next + 1 }, 'Replace', { etag: counter.etag }]
        : ['create', { ...ck, next: counter.next + 1 }];
      try {
        const result = await this.table.submitTransaction([counterOp, ['create', toEntity(decision)]]);
        const etag = result.subResponses[1]?.etag;
        return { ...decision, etag };
      } catch (err) {
        const status = statusOf(err);
        if (status === 409 || status === 412) {
          // Someone else took this number: back off a little (jitter) and read the counter again.
          await new Promise((r) => setTimeout(r, Math.random() * 20 * Math.min(attempt + 1, 10)));
          continue;
        }
        throw mapError(err, 'save decision');
      }
    }
    throw new ConcurrencyError('Could not number the decision: too many simultaneous submissions', { year: draft.year });
  }

  async get(programId: string, number: string): Promise<Decision | undefined> {
    const m = /^D-(\d{4})-\d{3,}$/.exec(number);
    if (!m) return undefined;
    const k = keys.decision(programId, Number(m[1]), number);
    const e = await readEntity(this.table, k, 'read decision');
    return e && fromEntity(e);
  }

  async listYear(programId: string, year: number): Promise<Decision[]> {
    const pk = keys.decisionPartition(programId, year);
    const from = keys.decisionRowPrefix;
    const to = prefixEnd(keys.decisionRowPrefix);
    const rows = await query(this.table, odata`PartitionKey eq ${pk} and RowKey ge ${from} and RowKey lt ${to}`, 'list decisions');
    return rows.map(fromEntity).sort((a, b) => b.sequence - a.sequence);
  }

  async update(decision: Decision): Promise<Decision> {
    if (!decision.etag) throw new ConcurrencyError(`Decision ${decision.number}: update without etag`);
    return guard(async () => {
      const r = await this.table.updateEntity(toEntity(decision), 'Replace', { etag: decision.etag });
      return { ...decision, etag: r.etag };
    }, `update decision ${decision.number}`);
  }
}

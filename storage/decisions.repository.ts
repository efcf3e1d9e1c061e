import { odata, type TransactionAction } from '@azure/data-tables';
import { hasOpenFollowUp } from '../domain/decisions';
import { ConcurrencyError } from '../domain/errors';
import type { DecisionDateRange, DecisionRepository, DecisionRequestMark } from '../domain/ports';
import { addDays, zonedTimeToUtc } from '../domain/time';
import type { Decision } from '../domain/types';
import { keys, prefixEnd } from './keys';
import {
  type Entity,
  type TableStore,
  guard,
  mapError,
  packJson,
  statusOf,
  unpackJson,
  readEntity,
  query,
} from './table-store';

function decisionNumber(year: number, sequence: number): string {
  return `D-${year}-${String(sequence).padStart(3, '0')}`;
}

/**
 * What a decision is found by, as columns of their own so a query can filter on them: the
 * meeting's date as written (`2026-11-24`), the logging time as a canonical UTC stamp (an
 * unreadable one is stored empty, which no range holds), and whether its follow-up is open (due
 * date set, not done, the decision neither revoked nor superseded). Every write of a decision
 * writes them; `SEARCH_COLUMNS` on the year's counter row says every row of the year has them.
 */
interface SearchColumns {
  meetingDate: string;
  loggedAt: string;
  followUpOpen: boolean;
}

/** The version of the columns above; the counter row's `columns` holds the one its rows all have. */
const SEARCH_COLUMNS = 1;

function searchColumns(d: Pick<Decision, 'meeting' | 'loggedAt' | 'state' | 'followUp'>): SearchColumns {
  const logged = new Date(d.loggedAt);
  return {
    meetingDate: d.meeting.date,
    loggedAt: Number.isNaN(logged.getTime()) ? '' : logged.toISOString(),
    followUpOpen: hasOpenFollowUp(d),
  };
}

function hasSearchColumns(row: Record<string, unknown>): boolean {
  return (
    typeof row.meetingDate === 'string' && typeof row.loggedAt === 'string' && typeof row.followUpOpen === 'boolean'
  );
}

function toEntity(d: Decision): Entity {
  const { etag: _etag, ...rest } = d;
  return { ...keys.decision(d.programId, d.year, d.number), state: d.state, ...searchColumns(d), ...packJson(rest) };
}

/** The UTC bounds of a range of local dates: from `from` 00:00 up to (not including) the day after `to`. */
function utcBounds(range: DecisionDateRange): { from: string; to: string } {
  return {
    from: zonedTimeToUtc(range.from, 0, 0, range.timeZone).toISOString(),
    to: zonedTimeToUtc(addDays(range.to, 1), 0, 0, range.timeZone).toISOString(),
  };
}

/** What the range query below selects (`utc`: the range's `utcBounds`), for rows read whole. */
function within(columns: SearchColumns, range: DecisionDateRange, utc: { from: string; to: string }): boolean {
  return (
    (columns.meetingDate >= range.from && columns.meetingDate <= range.to) ||
    (columns.loggedAt >= utc.from && columns.loggedAt < utc.to)
  );
}

function markerEntity(programId: string, year: number, requestKey: string, mark: DecisionRequestMark): Entity {
  return {
    ...keys.decisionRequest(programId, year, requestKey),
    number: mark.number,
    change: mark.change,
    revision: mark.revision,
  };
}

function fromEntity(e: Record<string, unknown> & { etag?: string }): Decision {
  return { ...unpackJson<Decision>(e), etag: e.etag };
}

/**
 * Decisions are a public record: rows are created and replaced (amend, revoke), never deleted.
 * Numbers are gap-free per year: the year's counter row and the new decision are written in one
 * transaction (same partition), with the counter's etag, so two submissions at the same moment
 * cannot take the same number and a failed write does not burn one.
 *
 * A change made for a request (a form's submit, an amend or revoke save) also creates the
 * request's marker row (`req|…`) in that transaction. A second delivery of the request, at the
 * same moment on another instance or later, fails its transaction on the marker, finds it, and
 * answers with what the first one did: no second number, no second revision.
 */
export class TableDecisionRepository implements DecisionRepository {
  /**
   * Year partitions whose counter said every row has the search columns: a mark that stays (this
   * version writes them with every decision), so they are searched without reading it again.
   */
  private readonly searchable = new Set<string>();

  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('decisions');
  }

  async createNumbered(draft: Omit<Decision, 'number' | 'sequence' | 'etag'>, maxAttempts = 50): Promise<Decision> {
    return (await this.create(draft, undefined, maxAttempts)).decision;
  }

  async createForRequest(
    draft: Omit<Decision, 'number' | 'sequence' | 'etag'>,
    requestKey: string,
  ): Promise<{ decision: Decision; created: boolean }> {
    return this.create(draft, requestKey);
  }

  private async create(
    draft: Omit<Decision, 'number' | 'sequence' | 'etag'>,
    requestKey: string | undefined,
    maxAttempts = 50,
  ): Promise<{ decision: Decision; created: boolean }> {
    const ck = keys.decisionCounter(draft.programId, draft.year);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const row = await readEntity<{ next: number; columns?: number }>(this.table, ck, 'read decision counter');
      const counter = row ? { next: Number(row.next), etag: row.etag } : { next: 1, etag: undefined };
      const decision: Decision = { ...draft, sequence: counter.next, number: decisionNumber(draft.year, counter.next) };
      // A year's first decision starts a partition whose every row has the search columns.
      const columns = row ? row.columns : SEARCH_COLUMNS;
      const next = { ...ck, next: counter.next + 1, ...(columns === undefined ? {} : { columns }) };
      const counterOp: TransactionAction = counter.etag
        ? ['update', next, 'Replace', { etag: counter.etag }]
        : ['create', next];
      const ops: TransactionAction[] = [counterOp, ['create', toEntity(decision)]];
      if (requestKey !== undefined)
        ops.push([
          'create',
          markerEntity(draft.programId, draft.year, requestKey, {
            number: decision.number,
            change: 'logged',
            revision: 0,
          }),
        ]);
      try {
        const result = await this.table.submitTransaction(ops);
        const etag = result.subResponses[1]?.etag;
        return { decision: { ...decision, etag }, created: true };
      } catch (err) {
        const status = statusOf(err);
        if (status === 409 || status === 412) {
          // The request's marker is there: an earlier or simultaneous delivery created it.
          const done =
            requestKey === undefined ? undefined : await this.requested(draft.programId, draft.year, requestKey);
          if (done) return { decision: done, created: false };
          // Someone else took this number: back off a little (jitter) and read the counter again.
          await new Promise((r) => setTimeout(r, Math.random() * 20 * Math.min(attempt + 1, 10)));
          continue;
        }
        throw mapError(err, 'save decision');
      }
    }
    throw new ConcurrencyError('Could not number the decision: too many simultaneous submissions', {
      year: draft.year,
    });
  }

  async updateForRequest(
    decision: Decision,
    requestKey: string,
    mark: DecisionRequestMark,
  ): Promise<
    { decision: Decision; applied: true } | { decision: Decision; applied: false; mark: DecisionRequestMark }
  > {
    if (!decision.etag) throw new ConcurrencyError(`Decision ${decision.number}: update without etag`);
    try {
      const result = await this.table.submitTransaction([
        ['update', toEntity(decision), 'Replace', { etag: decision.etag }],
        ['create', markerEntity(decision.programId, decision.year, requestKey, mark)],
      ]);
      return { decision: { ...decision, etag: result.subResponses[0]?.etag }, applied: true };
    } catch (err) {
      const status = statusOf(err);
      if (status !== 409 && status !== 412) throw mapError(err, `update decision ${decision.number}`);
      // This request's marker is there: an earlier or simultaneous delivery made the change.
      const found = await this.findRequest(decision.programId, decision.year, requestKey);
      const current = found && (await this.get(decision.programId, found.number));
      if (found && current) return { decision: current, applied: false, mark: found };
      throw new ConcurrencyError(`update decision ${decision.number}: changed by someone else`, {
        status,
        number: decision.number,
      });
    }
  }

  async findRequest(programId: string, year: number, requestKey: string): Promise<DecisionRequestMark | undefined> {
    const row = await readEntity<{ number: string; change: string; revision: number }>(
      this.table,
      keys.decisionRequest(programId, year, requestKey),
      'read decision request',
    );
    if (!row) return undefined;
    return {
      number: String(row.number),
      change: row.change as DecisionRequestMark['change'],
      revision: Number(row.revision),
    };
  }

  /** The decision a request changed, as it is now; undefined when the request changed none. */
  private async requested(programId: string, year: number, requestKey: string): Promise<Decision | undefined> {
    const mark = await this.findRequest(programId, year, requestKey);
    return mark && (await this.get(programId, mark.number));
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
    const rows = await query(
      this.table,
      odata`PartitionKey eq ${pk} and RowKey ge ${from} and RowKey lt ${to}`,
      'list decisions',
    );
    return rows.map(fromEntity).sort((a, b) => b.sequence - a.sequence);
  }

  /**
   * The decisions of `year` taken (meeting date) or logged (local date in the range's zone) in
   * the range, newest first, read with a filter on the search columns.
   */
  async listDuring(programId: string, year: number, range: DecisionDateRange): Promise<Decision[]> {
    const utc = utcBounds(range);
    return this.search(
      programId,
      year,
      odata`((meetingDate ge ${range.from} and meetingDate le ${range.to}) or (loggedAt ge ${utc.from} and loggedAt lt ${utc.to}))`,
      (c) => within(c, range, utc),
    );
  }

  /** The decisions of `year` whose follow-up is open, newest first, read with a filter on the search columns. */
  async listOpenFollowUps(programId: string, year: number): Promise<Decision[]> {
    return this.search(programId, year, 'followUpOpen eq true', (c) => c.followUpOpen);
  }

  /**
   * The year's decisions that `filter` (on the search columns) selects; `matches` is the same test
   * for rows read whole. The filter is sent when the year's counter row says every row of the
   * partition has the columns (`columns`). Otherwise, in a partition written before they existed,
   * the year is read whole once: the rows without them get them (merged with each row's ETag, so a
   * decision changed meanwhile is left to its own write, which writes them), then the counter is
   * marked, with the ETag it had before the read, so a decision numbered meanwhile leaves the mark
   * for the next reader. Once a partition is seen marked, this repository searches it straight
   * away. Versions that do not write the columns must not run beside this one.
   */
  private async search(
    programId: string,
    year: number,
    filter: string,
    matches: (columns: SearchColumns) => boolean,
  ): Promise<Decision[]> {
    const pk = keys.decisionPartition(programId, year);
    if (!this.searchable.has(pk)) {
      const counter = await readEntity<{ columns?: number }>(
        this.table,
        keys.decisionCounter(programId, year),
        'read decision counter',
      );
      // Every decision is numbered with its year's counter, in the same transaction: no counter, no decisions.
      if (!counter) return [];
      if (counter.columns !== SEARCH_COLUMNS) {
        const all = await this.addSearchColumns(programId, year, counter.etag);
        return all.filter((d) => matches(searchColumns(d)));
      }
      this.searchable.add(pk);
    }
    const rows = await query(
      this.table,
      `${odata`PartitionKey eq ${pk} and RowKey ge ${keys.decisionRowPrefix} and RowKey lt ${prefixEnd(keys.decisionRowPrefix)}`} and ${filter}`,
      'list decisions',
    );
    return rows.map(fromEntity).sort((a, b) => b.sequence - a.sequence);
  }

  /** Gives every decision row of the year its search columns; returns the year's decisions. */
  private async addSearchColumns(
    programId: string,
    year: number,
    counterEtag: string | undefined,
  ): Promise<Decision[]> {
    const pk = keys.decisionPartition(programId, year);
    const rows = await query(
      this.table,
      odata`PartitionKey eq ${pk} and RowKey ge ${keys.decisionRowPrefix} and RowKey lt ${prefixEnd(keys.decisionRowPrefix)}`,
      'list decisions',
    );
    let complete = true;
    for (const row of rows) {
      if (hasSearchColumns(row)) continue;
      const columns = searchColumns(unpackJson<Decision>(row));
      try {
        await this.table.updateEntity({ partitionKey: pk, rowKey: String(row.rowKey), ...columns }, 'Merge', {
          etag: row.etag,
        });
      } catch (err) {
        if (statusOf(err) !== 412 && statusOf(err) !== 404) throw mapError(err, 'index decisions');
        complete = false;
      }
    }
    if (complete && counterEtag)
      await this.table
        .updateEntity({ ...keys.decisionCounter(programId, year), columns: SEARCH_COLUMNS }, 'Merge', {
          etag: counterEtag,
        })
        .catch((err: unknown) => {
          if (statusOf(err) !== 412) throw mapError(err, 'index decisions');
        });
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

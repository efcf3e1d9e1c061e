import { odata, type TransactionAction } from '@azure/data-tables';
import type { EventLog, EventQuery } from '../domain/ports';
import { isoWeek } from '../domain/time';
import type { LogEvent, WeekStatusSummary } from '../domain/types';
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
  query as queryRows,
  chunksByPartition,
} from './table-store';
import { MAX_TRANSACTION_OPS } from './coalesce';

/**
 * The append-only log. Rows are only ever created, never updated or deleted. Each event is
 * written in one transaction with a marker row keyed by its id, so a redelivered event (same id)
 * fails the transaction and is reported as a duplicate instead of being logged twice. A closed
 * week's partition may also get one summary row (`sum|…`, created once), derived from its events.
 */
export class TableEventLog implements EventLog {
  /** The week partition is computed in this zone (the program's). */
  constructor(
    private readonly store: TableStore,
    private readonly timeZone: string,
  ) {}

  private get table() {
    return this.store.client('events');
  }

  /** The last time `weekOf` was asked about, with its week: the events of one import share their time. */
  private lastWeek = { at: '', week: '' };

  weekOf(event: LogEvent): string {
    if (event.at !== this.lastWeek.at)
      this.lastWeek = { at: event.at, week: isoWeek(new Date(event.at), this.timeZone) };
    return this.lastWeek.week;
  }

  /** The event's marker and row, built without object spreads (an import builds thousands). */
  private ops(event: LogEvent): TransactionAction[] {
    const week = this.weekOf(event);
    const marker = keys.eventMarker(event.programId, week, event.eventId);
    const key = keys.event(event.programId, week, event.at, event.eventId);
    const row: Entity = {
      partitionKey: key.partitionKey,
      rowKey: key.rowKey,
      type: event.type,
      by: event.by,
      source: event.source,
    };
    const data = packJson(event);
    for (const name in data) row[name] = data[name];
    return [
      ['create', { partitionKey: marker.partitionKey, rowKey: marker.rowKey, at: event.at }],
      ['create', row],
    ];
  }

  async append(event: LogEvent): Promise<boolean> {
    // Group commit: appends to the same week arriving meanwhile share one transaction; each
    // event still goes in atomically with its marker, and a duplicate fails only its own pair.
    return guard(async () => {
      try {
        await this.store
          .batcher('events')
          .submit(keys.eventPartition(event.programId, this.weekOf(event)), this.ops(event));
        return true;
      } catch (err) {
        if (statusOf(err) === 409) return false;
        throw err;
      }
    }, 'append to log');
  }

  /**
   * Two rows per event (the event and its marker), so 50 events to a transaction, one week each.
   * Nothing is read first: a transaction refused because one of its events is logged already
   * (a re-run of an import that stopped part-way) looks up the markers of its events and is sent
   * again without those found. Returns how many events it appended.
   */
  async appendAll(events: LogEvent[]): Promise<number> {
    let appended = 0;
    for (const chunk of chunksByPartition(
      events,
      (e) => keys.eventPartition(e.programId, this.weekOf(e)),
      MAX_TRANSACTION_OPS / 2,
    ))
      appended += await this.appendNew(chunk);
    return appended;
  }

  /** One transaction of events of one week, without those already logged; how many it appended. */
  private async appendNew(chunk: LogEvent[]): Promise<number> {
    let pending = chunk;
    while (pending.length > 0) {
      const sent = pending;
      const refused = await guard(async () => {
        try {
          await this.table.submitTransaction(sent.flatMap((e) => this.ops(e)));
          return false;
        } catch (err) {
          if (statusOf(err) === 409) return err;
          throw err;
        }
      }, 'append to log');
      if (!refused) return sent.length;
      const logged = await Promise.all(sent.map((e) => this.has(e.programId, this.weekOf(e), e.eventId)));
      pending = sent.filter((_, i) => !logged[i]);
      // Refused, yet none of its events is logged: not a redelivery.
      if (pending.length === sent.length) throw mapError(refused, 'append to log');
    }
    return 0;
  }

  async listWeek(query: EventQuery): Promise<LogEvent[]> {
    const pk = keys.eventPartition(query.programId, query.week);
    const from = keys.eventRowPrefix;
    const to = prefixEnd(keys.eventRowPrefix);
    const rows = await queryRows(
      this.table,
      odata`PartitionKey eq ${pk} and RowKey ge ${from} and RowKey lt ${to}`,
      'read log',
    );
    return rows.map((r) => unpackJson<LogEvent>(r));
  }

  async weekSummary(programId: string, week: string): Promise<WeekStatusSummary | undefined> {
    const row = await readEntity(this.table, keys.weekSummary(programId, week), 'read week summary');
    return row && unpackJson<WeekStatusSummary>(row);
  }

  async keepWeekSummary(programId: string, week: string, summary: WeekStatusSummary): Promise<void> {
    try {
      await this.table.createEntity({ ...keys.weekSummary(programId, week), ...packJson(summary) });
    } catch (err) {
      // Another reader kept it first: the same week, the same summary.
      if (statusOf(err) !== 409) throw mapError(err, 'keep week summary');
    }
  }

  async get(programId: string, week: string, eventId: string): Promise<LogEvent | undefined> {
    // The marker row holds the event's time, which makes the event row's key.
    const marker = await readEntity<{ at: string }>(this.table, keys.eventMarker(programId, week, eventId), 'read log');
    if (!marker) return undefined;
    const row = await readEntity(this.table, keys.event(programId, week, marker.at, eventId), 'read log');
    return row && unpackJson<LogEvent>(row);
  }

  async has(programId: string, week: string, eventId: string): Promise<boolean> {
    const k = keys.eventMarker(programId, week, eventId);
    return (await readEntity(this.table, k, 'read log')) !== undefined;
  }
}

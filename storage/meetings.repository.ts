import { odata } from '@azure/data-tables';
import type { Meeting, MeetingRepository } from '../domain/meetings';
import { keys, prefixEnd } from './keys';
import { type Entity, type TableStore, guard, packJson, query, readEntity, unpackJson } from './table-store';

function toEntity(m: Meeting): Entity {
  const { etag: _etag, ...rest } = m;
  // The date and the conversation are columns too, so a day's or a chat's meetings are one filtered read.
  return { ...keys.meeting(m.programId, m.id), date: m.date, conversationId: m.conversationId, ...packJson(rest) };
}

function fromEntity(e: Record<string, unknown> & { etag?: string }): Meeting {
  return { ...unpackJson<Meeting>(e), etag: e.etag };
}

const startOf = (m: Meeting) => m.startedAt ?? m.endedAt ?? '';

/**
 * The steering meetings the bot noted, one partition per program (a couple of dozen rows a
 * year). A meeting's row is replaced by each of its events; the events carry what Teams knows,
 * so the last one wins.
 */
export class TableMeetingRepository implements MeetingRepository {
  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('meetings');
  }

  async save(meeting: Meeting): Promise<Meeting> {
    return guard(async () => {
      const r = await this.table.upsertEntity(toEntity(meeting), 'Replace');
      return { ...meeting, etag: r.etag };
    }, `save meeting ${meeting.id}`);
  }

  async get(programId: string, meetingId: string): Promise<Meeting | undefined> {
    const e = await readEntity(this.table, keys.meeting(programId, meetingId), 'read meeting');
    return e && fromEntity(e);
  }

  private async list(programId: string, extra: string): Promise<Meeting[]> {
    const pk = keys.meetingPartition(programId);
    const from = keys.meetingRowPrefix;
    const to = prefixEnd(keys.meetingRowPrefix);
    const rows = await query(
      this.table,
      `${odata`PartitionKey eq ${pk} and RowKey ge ${from} and RowKey lt ${to}`} and ${extra}`,
      'list meetings',
    );
    return rows.map(fromEntity);
  }

  async listDate(programId: string, date: string): Promise<Meeting[]> {
    return (await this.list(programId, odata`date eq ${date}`)).sort((a, b) => startOf(a).localeCompare(startOf(b)));
  }

  async listConversation(programId: string, conversationId: string): Promise<Meeting[]> {
    return (await this.list(programId, odata`conversationId eq ${conversationId}`)).sort((a, b) =>
      startOf(b).localeCompare(startOf(a)),
    );
  }
}

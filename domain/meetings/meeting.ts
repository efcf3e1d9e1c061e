/**
 * A steering meeting as the bot saw it in Teams: noted at the meeting's start event in a chat
 * bound as steering, closed at its end event. Decisions logged in that chat while it runs carry
 * its id; the protocol is built from it afterwards.
 */
import { localDate } from '../time';

/** Someone on the meeting's roster when it ended (or when the protocol was asked for). */
export interface MeetingParticipant {
  name: string;
  aadObjectId?: string;
}

/** Where the participant list came from: the meeting chat's roster (`chat`), as Teams gave it. */
export type ParticipantsSource = 'chat';

export interface Meeting {
  programId: string;
  /** Teams meeting id (`channelData.meeting.id`, the id the meeting APIs take). */
  id: string;
  /** The meeting chat (or group chat) the bot is in: `19:meeting_…@thread.v2`. */
  conversationId: string;
  title: string;
  /** ISO timestamps (UTC), as Teams sent them with the start and end events. */
  startedAt?: string;
  endedAt?: string;
  /** Local date of the meeting, `YYYY-MM-DD` in the program's time zone. */
  date: string;
  participants?: MeetingParticipant[];
  participantsSource?: ParticipantsSource;
  etag?: string;
}

export interface MeetingRepository {
  /** Creates or replaces the meeting (last writer wins: the events carry the facts). */
  save(meeting: Meeting): Promise<Meeting>;
  get(programId: string, meetingId: string): Promise<Meeting | undefined>;
  /** The meetings of a local date, earliest first. */
  listDate(programId: string, date: string): Promise<Meeting[]>;
  /** The meetings held in a conversation, latest first. */
  listConversation(programId: string, conversationId: string): Promise<Meeting[]>;
}

/** A meeting ends within this long, whatever happened to its end event. */
export const MEETING_MAX_HOURS = 12;

/** The title a meeting without one gets (Teams sends none for a Meet now call). */
export const UNTITLED_MEETING = { 'sv-SE': 'Styrgruppsmöte', 'en-US': 'Steering group meeting' } as const;

export interface MeetingEvent {
  programId: string;
  meetingId: string;
  conversationId: string;
  title?: string;
  /** When the meeting started or ended (ISO), else the time the event arrived. */
  at: string;
}

function cleanTitle(title: string | undefined): string | undefined {
  const t = (title ?? '')
    // eslint-disable-next-line no-control-regex -- control characters never belong in a title
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
  return t.length > 0 ? t : undefined;
}

/** The meeting as its start event makes it: a start again (a rejoin) keeps the first start. */
export function startedMeeting(
  existing: Meeting | undefined,
  e: MeetingEvent,
  timeZone: string,
  fallbackTitle: string,
): Meeting {
  const startedAt = existing?.startedAt && !existing.endedAt ? existing.startedAt : e.at;
  return {
    programId: e.programId,
    id: e.meetingId,
    conversationId: e.conversationId,
    title: cleanTitle(e.title) ?? existing?.title ?? fallbackTitle,
    startedAt,
    date: localDate(new Date(startedAt), timeZone),
    ...(existing?.etag ? { etag: existing.etag } : {}),
  };
}

/** The meeting as its end event makes it; a meeting whose start was missed gets its date from the end. */
export function endedMeeting(
  existing: Meeting | undefined,
  e: MeetingEvent,
  timeZone: string,
  fallbackTitle: string,
  participants?: MeetingParticipant[],
): Meeting {
  const startedAt = existing?.startedAt;
  return {
    programId: e.programId,
    id: e.meetingId,
    conversationId: e.conversationId,
    title: cleanTitle(e.title) ?? existing?.title ?? fallbackTitle,
    ...(startedAt ? { startedAt } : {}),
    endedAt: e.at,
    date: startedAt ? localDate(new Date(startedAt), timeZone) : localDate(new Date(e.at), timeZone),
    ...(participants
      ? { participants, participantsSource: 'chat' as const }
      : existing?.participants
        ? { participants: existing.participants, participantsSource: existing.participantsSource }
        : {}),
    ...(existing?.etag ? { etag: existing.etag } : {}),
  };
}

/** Whether the meeting runs at `now`: started, not ended, and not started too long ago. */
export function isRunning(m: Meeting, now: Date): boolean {
  if (!m.startedAt || m.endedAt) return false;
  const age = now.getTime() - new Date(m.startedAt).getTime();
  return age >= -5 * 60_000 && age <= MEETING_MAX_HOURS * 3_600_000;
}

/** The meeting running in a conversation now, if any. */
export async function runningMeeting(
  repo: Pick<MeetingRepository, 'listConversation'>,
  programId: string,
  conversationId: string,
  now: Date,
): Promise<Meeting | undefined> {
  return (await repo.listConversation(programId, conversationId)).find((m) => isRunning(m, now));
}

/**
 * A decision logged while a meeting runs carries it: its id beside the name and date, when the
 * date is the meeting's (a decision dated another day belongs to another meeting).
 */
export function carryMeeting<T extends { meeting: { name: string; date: string; id?: string } }>(
  draft: T,
  meeting: Meeting | undefined,
): T {
  if (!meeting || draft.meeting.date !== meeting.date) return draft;
  return { ...draft, meeting: { ...draft.meeting, id: meeting.id } };
}

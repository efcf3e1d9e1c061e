/**
 * The protocol of a steering meeting: the meeting, its date and time, who took part, and every
 * decision logged for it as a numbered paragraph (§ 1, § 2 …) with its decision number, affected
 * teams and follow-up, and what happened to it since (amended, revoked, superseded). Notes are
 * text keys with parameters; `document.ts` puts them into words.
 */
import { formatDate, type Params, type TextKey } from '../i18n';
import type { Meeting } from '../meetings';
import type { Repositories } from '../ports';
import { teamName } from '../program';
import { localStamp } from '../time';
import type { Decision, DecisionState, Locale, Program } from '../types';

export interface ProtocolNote {
  key: TextKey;
  params: Params;
}

export interface ProtocolParagraph {
  /** 1, 2, 3 … in the order the decisions were numbered. */
  paragraph: number;
  number: string;
  title: string;
  text: string;
  rationale: string;
  state: DecisionState;
  /** Team names. */
  teams: string[];
  actions: string[];
  followUp?: { owner: string; due?: string; done: boolean };
  notes: ProtocolNote[];
}

export interface Protocol {
  /** The meeting's title (several meetings of one day: their titles, joined). */
  title: string;
  /** `YYYY-MM-DD`, local. */
  date: string;
  /** Local `HH:MM` of the start and end, when the bot saw them. */
  startTime?: string;
  endTime?: string;
  /** The Teams meeting ids it covers. */
  meetingIds: string[];
  /** Names, as the meeting chat's roster gave them; undefined when nobody could tell. */
  participants?: string[];
  paragraphs: ProtocolParagraph[];
}

function notesOf(d: Decision, timeZone: string): ProtocolNote[] {
  const notes: ProtocolNote[] = [];
  if (d.supersedes) notes.push({ key: 'protocol.note.supersedes', params: { number: d.supersedes } });
  for (const h of d.history) {
    // Being replaced is said once, with the number that replaced it (below).
    if (h.change === 'superseded') continue;
    const date = localStamp(h.at, timeZone).date;
    notes.push({
      key: h.change === 'amended' ? 'protocol.note.amended' : 'protocol.note.revoked',
      params: { date, reason: h.reason },
    });
  }
  if (d.supersededBy) notes.push({ key: 'protocol.note.supersededBy', params: { number: d.supersededBy } });
  return notes;
}

function paragraphOf(d: Decision, n: number, program: Program): ProtocolParagraph {
  return {
    paragraph: n,
    number: d.number,
    title: d.title,
    text: d.text,
    rationale: d.rationale,
    state: d.state,
    teams: d.affectedTeams.map((k) => teamName(program, k)),
    actions: d.affectedActions,
    ...(d.followUp
      ? {
          followUp: {
            owner: d.followUp.owner,
            ...(d.followUp.due ? { due: d.followUp.due } : {}),
            done: d.followUp.done,
          },
        }
      : {}),
    notes: notesOf(d, program.timezone),
  };
}

/**
 * Whether a decision of the meeting's date belongs to that meeting: the meeting's id when it
 * carries one; else its name, unless the meeting was the only one that day.
 */
export function belongsTo(d: Decision, meeting: Meeting, meetingsThatDay: number): boolean {
  if (d.meeting.date !== meeting.date) return false;
  if (d.meeting.id) return d.meeting.id === meeting.id;
  return meetingsThatDay <= 1 || d.meeting.name === meeting.title;
}

const participantNames = (meetings: Meeting[]): string[] | undefined => {
  const known = meetings.filter((m) => m.participants);
  if (known.length === 0) return undefined;
  return [...new Set(known.flatMap((m) => m.participants!.map((p) => p.name)))].sort((a, b) =>
    a.localeCompare(b, 'sv'),
  );
};

/**
 * The protocol from what is stored: a date's (every decision with that meeting date, the day's
 * meetings for title, times and participants), or one meeting's (the decisions belonging to it).
 */
export function buildProtocol(
  input: { program: Program; date: string; meetings: Meeting[]; decisions: Decision[]; meeting?: Meeting },
  locale: Locale,
): Protocol {
  const { program, date } = input;
  const ofDay = input.decisions.filter((d) => d.meeting.date === date);
  const chosen = input.meeting ? ofDay.filter((d) => belongsTo(d, input.meeting!, input.meetings.length)) : ofDay;
  const meetings = input.meeting ? [input.meeting] : input.meetings;
  const ordered = [...chosen].sort((a, b) => a.year - b.year || a.sequence - b.sequence);
  const names = meetings.length > 0 ? meetings.map((m) => m.title) : [...new Set(ordered.map((d) => d.meeting.name))];
  const starts = meetings
    .map((m) => m.startedAt)
    .filter((x): x is string => !!x)
    .sort();
  const ends = meetings
    .map((m) => m.endedAt)
    .filter((x): x is string => !!x)
    .sort();
  const participants = participantNames(meetings);
  return {
    title: names.length > 0 ? names.join(' · ') : formatDate(locale, date),
    date,
    ...(starts[0] ? { startTime: localStamp(starts[0], program.timezone).time } : {}),
    ...(ends.length > 0 && ends.length === meetings.length
      ? { endTime: localStamp(ends[ends.length - 1]!, program.timezone).time }
      : {}),
    meetingIds: meetings.map((m) => m.id),
    ...(participants ? { participants } : {}),
    paragraphs: ordered.map((d, i) => paragraphOf(d, i + 1, program)),
  };
}

/** Reads what a protocol needs: the meetings and the decisions of the date (or of one meeting). */
export async function loadProtocol(
  deps: { program: Program; repos: Pick<Repositories, 'decisions' | 'meetings'> },
  which: { date: string; meeting?: Meeting },
  locale: Locale,
): Promise<Protocol> {
  const year = Number(which.date.slice(0, 4));
  const [meetings, decisions] = await Promise.all([
    deps.repos.meetings.listDate(deps.program.id, which.date),
    deps.repos.decisions.listYear(deps.program.id, year),
  ]);
  return buildProtocol(
    {
      program: deps.program,
      date: which.date,
      meetings,
      decisions,
      ...(which.meeting ? { meeting: which.meeting } : {}),
    },
    locale,
  );
}

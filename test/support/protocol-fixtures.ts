/** Decisions and meetings for the protocol's tests. */
import type { Meeting } from '../../domain/meetings';
import type { Decision } from '../../domain/types';

export const MEETING_ID =
  'MCMxOTptZWV0aW5nX01EQXdNREF3TURBdE1URXhNUzAwTWpJeUxUZ3pNek10TkRRME5EUTBORFEwTkRRMEB0aHJlYWQudjIjMA==';

export const protocolMeeting = (extra: Partial<Meeting> = {}): Meeting => ({
  programId: 'harnosand',
  id: MEETING_ID,
  conversationId: '19:meeting_MDAwMDAwMDAtMTExMS00MjIyLTgzMzMtNDQ0NDQ0NDQ0NDQ0@thread.v2',
  title: 'Styrgruppsmöte 5 – Sälja Härnösand',
  startedAt: '2026-03-10T09:02:00.000Z',
  endedAt: '2026-03-10T10:31:00.000Z',
  date: '2026-03-10',
  participants: [{ name: 'Örjan Åberg' }, { name: 'Anna Styrgren' }],
  participantsSource: 'chat',
  ...extra,
});

export const protocolDecision = (
  sequence: number,
  extra: Partial<Decision> & { supersededBy?: string } = {},
): Decision => ({
  programId: 'harnosand',
  number: `D-2026-${String(sequence).padStart(3, '0')}`,
  year: 2026,
  sequence,
  title: `Beslut ${sequence}: bostäder vid Saltvik`,
  text: 'Styrgruppen beslutar att detaljplanen för Saltvik ges förtur; **inte fet** <b>ingen tagg</b>.',
  rationale: 'Företag som etablerar sig behöver bostäder.',
  meeting: { name: 'Styrgruppsmöte 5 – Sälja Härnösand', date: '2026-03-10', id: MEETING_ID },
  affectedTeams: ['bostader', 'industrimark'],
  affectedActions: ['BOS-03'],
  followUp: { owner: 'Karin Ås', due: '2026-04-15', done: false },
  loggedBy: 'Anna Styrgren',
  loggedAt: '2026-03-10T09:30:00.000Z',
  state: 'active',
  history: [],
  ...extra,
});

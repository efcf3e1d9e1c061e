/**
 * A scripted program for the brief tests, as it stands early on Monday 23 November 2026 (week 48,
 * even): the brief looks at the check-in of week 47 (posted Monday 16 November). Written straight
 * through the repositories, as the check-in and decision flows would write them. What the brief
 * must say about it is worked out by hand in the tests.
 */
import type { Repositories } from '../../domain/ports';
import type { Action, CheckIn, Decision, Indicator, LogEvent } from '../../domain/types';
import { testAction, testStatusEvent, writeScenario } from './fixtures';

export const PROGRAM_ID = 'harnosand';
/** Monday of week 48, 07:30:30 in Stockholm (CET, UTC+1): just after the brief's schedule. */
export const MONDAY_0730 = '2026-11-23T06:30:30.000Z';
export const PERIOD = '2026-W47';
/** The check-in cards of week 47: activity ids are epoch milliseconds. */
export const CARD_ID = {
  bostader: '1763283600000',
  industrimark: '1763283600100',
  trygghet: '1763283600200',
  kompetensforsorjning: '1763283600300',
};
/** A comment that tries Markdown, HTML and link injection at once. */
export const HOSTILE_COMMENT = '**Akut** [läs mer](http://evil.example) <script>x</script> ${process.env.SECRET}';

export function actions(): Action[] {
  return [
    testAction('BOS-01', { status: 'on_track', due: '2026-12-31' }),
    testAction('BOS-02', {
      title: 'Markanvisning Saltvik',
      status: 'at_risk',
      due: '2026-11-20',
      owner: { name: 'Bo Berg' },
      lastUpdate: { at: '2026-11-17T10:00:00.000Z', by: 'Bo Berg', checkInWeek: PERIOD, eventId: 'ev-bos-02' },
    }),
    testAction('IND-02', {
      teamKey: 'industrimark',
      title: 'Ny industrimark Hemsta',
      status: 'off_track',
      due: '2026-12-10',
      owner: { name: 'Dan Ek' },
      lastUpdate: { at: '2026-11-10T09:00:00.000Z', by: 'Dan Ek', checkInWeek: '2026-W46', eventId: 'ev-ind-02' },
    }),
    testAction('TRY-01', {
      teamKey: 'trygghet',
      title: 'Trygghetsvandringar',
      status: 'on_track',
      due: '2026-11-01',
      owner: { name: 'Eva Fors' },
    }),
    testAction('KOM-01', {
      teamKey: 'kompetensforsorjning',
      title: 'Kompetensforum',
      status: 'done',
      due: '2026-10-01',
    }),
    testAction('UTB-01', {
      teamKey: 'utbildningar',
      title: 'Yrkesvux',
      status: 'at_risk',
      due: '2026-10-01',
      retiredAt: '2026-06-01T00:00:00.000Z',
    }),
    testAction('AFF-01', {
      teamKey: 'affarsstod',
      title: 'Företagslots',
      status: 'not_started',
      due: '2026-01-01',
      ongoing: true,
      timeline: 'Löpande',
    }),
  ];
}

export function events(): LogEvent[] {
  return [
    testStatusEvent('ev-bos-02', '2026-11-17T10:00:00.000Z', {
      actionId: 'BOS-02',
      status: 'at_risk',
      comment: `Överklagande inkommet ${HOSTILE_COMMENT}`,
      by: 'Bo Berg',
      checkInWeek: PERIOD,
    } as Partial<LogEvent>),
    testStatusEvent('ev-ind-02', '2026-11-10T09:00:00.000Z', {
      actionId: 'IND-02',
      teamKey: 'industrimark',
      status: 'off_track',
      comment: '  ',
      by: 'Dan Ek',
    } as Partial<LogEvent>),
  ];
}

export function checkIns(): CheckIn[] {
  const card = (teamKey: keyof typeof CARD_ID, answeredActionIds: string[]): CheckIn => ({
    programId: PROGRAM_ID,
    teamKey,
    week: PERIOD,
    channelId: `19:${teamKey}@thread.tacv2`,
    messageId: CARD_ID[teamKey],
    postedAt: '2026-11-16T08:00:00.000Z',
    answeredActionIds,
  });
  return [
    card('bostader', ['BOS-02']),
    // Asked about IND-02 and got nothing: silent.
    card('industrimark', []),
    // Asked about TRY-01 and got nothing: silent.
    card('trygghet', []),
    // Its only action was done before the week: nothing asked, not silent.
    card('kompetensforsorjning', []),
    // Claimed but never posted: nobody was asked.
    {
      programId: PROGRAM_ID,
      teamKey: 'infrastruktur',
      week: PERIOD,
      channelId: '19:infrastruktur@thread.tacv2',
      answeredActionIds: [],
    },
    // This week's (not posted yet at 07:30, but if it were): not the period's.
    {
      programId: PROGRAM_ID,
      teamKey: 'industrimark',
      week: '2026-W48',
      channelId: '19:industrimark@thread.tacv2',
      messageId: '1763888400000',
      answeredActionIds: [],
    },
  ];
}

type Draft = Omit<Decision, 'number' | 'sequence' | 'etag'>;
function decision(year: number, title: string, followUp: Decision['followUp'], extra: Partial<Draft> = {}): Draft {
  return {
    programId: PROGRAM_ID,
    year,
    title,
    text: `Beslut: ${title}.`,
    rationale: '',
    meeting: { name: 'KLG', date: `${year}-10-06` },
    affectedTeams: ['bostader'],
    affectedActions: [],
    ...(followUp ? { followUp } : {}),
    loggedBy: 'Anna Styrgren',
    loggedAt: `${year}-10-06T12:00:00.000Z`,
    state: 'active',
    history: [],
    ...extra,
  };
}

/** Numbered in this order: D-2025-001, then D-2026-001 … D-2026-005. */
export function decisions(): Draft[] {
  return [
    decision(
      2025,
      'Utred industrispår',
      { owner: 'Dan Ek', due: '2025-12-01', done: false },
      { affectedTeams: ['industrimark', 'infrastruktur'] },
    ),
    decision(2026, 'Prioritera Saltvik', { owner: 'Eva Ek', due: '2026-11-20', done: false }),
    decision(
      2026,
      'Rapport om studentbostäder',
      { owner: 'Cecilia Dahl', due: '2026-11-23', done: false },
      { affectedTeams: [] },
    ),
    decision(2026, 'Plan för markreserv', { owner: 'Bo Berg', due: '2026-12-01', done: false }),
    decision(2026, 'Återkallat uppdrag', { owner: 'Bo Berg', due: '2026-11-01', done: false }, { state: 'revoked' }),
    decision(2026, 'Klart uppdrag', {
      owner: 'Bo Berg',
      due: '2026-11-01',
      done: true,
      doneBy: 'Bo Berg',
      doneAt: '2026-10-30T10:00:00.000Z',
    }),
  ];
}

export function indicators(): Indicator[] {
  return [
    // Moving toward its target: not in the brief.
    {
      programId: PROGRAM_ID,
      id: 'INV',
      name: 'Invånare',
      unit: 'st',
      baseline: 25000,
      target: 30000,
      targetYear: 2030,
      values: [
        { period: '2024', value: 24950 },
        { period: '2025', value: 25120 },
      ],
    },
    // The target is lower; the latest value went up: off its target.
    {
      programId: PROGRAM_ID,
      id: 'ARB',
      name: 'Arbetslöshet',
      unit: '%',
      baseline: 8,
      target: 6,
      targetYear: 2030,
      values: [
        { period: '2025', value: 7.5 },
        { period: '2026', value: 7.8 },
      ],
    },
    // No target: nothing to be off.
    {
      programId: PROGRAM_ID,
      id: 'NYF',
      name: 'Nya företag',
      unit: 'st',
      values: [
        { period: '2025', value: 120 },
        { period: '2026', value: 90 },
      ],
    },
  ];
}

/** Writes the scenario through the repositories. */
export async function seed(repos: Repositories): Promise<void> {
  await writeScenario(repos, {
    actions: actions(),
    events: events(),
    checkIns: checkIns(),
    decisions: decisions(),
    indicators: indicators(),
  });
}

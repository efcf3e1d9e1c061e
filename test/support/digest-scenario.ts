/**
 * A scripted week for the digest tests: week 48 of 2026 (23–29 November, Europe/Stockholm), with
 * the week before for comparison, written straight through the repositories (as the check-in and
 * decision flows would write them). Every figure the tests expect is derived by hand in
 * `EXPECTED` below from this script.
 */
import { assembleDigest, type Digest, summarizeWeek } from '../../domain/digest';
import type { Repositories } from '../../domain/ports';
import { loadProgram } from '../../domain/program';
import type { Action, ActionStatus, CheckIn, Decision, Indicator, LogEvent, StatusUpdate } from '../../domain/types';
import { writeScenario } from './fixtures';

export const PROGRAM_ID = 'harnosand';
export const WEEK = '2026-W48';
export const PREVIOUS_WEEK = '2026-W47';
/** Friday of week 48, 13:00:30 in Stockholm (CET, UTC+1): just after the digest schedule. */
export const FRIDAY_1300 = '2026-11-27T12:00:30.000Z';

/** A comment that tries Markdown, HTML, template and link injection at once. */
export const HOSTILE =
  '# Rubrik **fet** _kursiv_ <script>alert("x")</script> <b>b</b> ${process.env.SECRET} {{user.name}} [länk](http://evil.example) & &amp; `kod` | tabell | > citat\n- lista\n1. ett';

function action(
  id: string,
  teamKey: string,
  title: string,
  status: ActionStatus,
  due: string | undefined,
  extra: Partial<Action> = {},
): Action {
  return {
    programId: PROGRAM_ID,
    id,
    teamKey,
    title,
    description: '',
    owner: { name: extra.owner?.name ?? 'Anna Ström', email: 'anna@harnosand.se' },
    responsibleBody: 'KS',
    ...(due ? { due } : {}),
    financing: '',
    status,
    progress: 0,
    indicatorIds: [],
    ...extra,
  };
}

/** The actions as they stand on Friday of week 48. */
export function actions(): Action[] {
  return [
    action('BOS-01', 'bostader', 'Nya hyresrätter vid Kanaludden', 'on_track', '2026-12-31', { progress: 60 }),
    action('BOS-02', 'bostader', 'Markanvisning Saltvik', 'at_risk', '2026-11-20', {
      progress: 30,
      owner: { name: 'Bo Berg' },
    }),
    action('BOS-03', 'bostader', 'Bostadsförsörjningsprogram', 'done', '2026-11-25', { progress: 100 }),
    action('BOS-04', 'bostader', 'Studentbostäder', 'not_started', '2026-12-05', { owner: { name: 'Cecilia Dahl' } }),
    action('IND-01', 'industrimark', 'Detaljplan Vägland', 'on_track', '2027-06-30', { progress: 55 }),
    action('IND-02', 'industrimark', 'Ny industrimark Hemsta', 'off_track', '2026-12-10', {
      progress: 10,
      owner: { name: 'Dan Ek' },
    }),
    action('TRY-01', 'trygghet', 'Trygghetsvandringar', 'at_risk', '2026-12-01', {
      progress: 20,
      owner: { name: 'Eva Fors' },
    }),
    action('UTB-01', 'utbildningar', 'Yrkesvux', 'paused', undefined),
    action('KOM-01', 'kompetensforsorjning', 'Kompetensforum', 'not_started', '2027-03-01'),
  ];
}

let seq = 0;
function status(
  at: string,
  actionId: string,
  teamKey: string,
  previousStatus: ActionStatus | undefined,
  s: ActionStatus,
  fields: Partial<StatusUpdate> & { by?: string } = {},
): LogEvent {
  const { by, ...rest } = fields;
  return {
    type: 'status',
    actionId,
    teamKey,
    status: s,
    ...(previousStatus ? { previousStatus } : {}),
    progress: 0,
    comment: '',
    blockers: '',
    nextStep: '',
    forComms: '',
    checkInWeek: at < '2026-11-23' ? PREVIOUS_WEEK : WEEK,
    ...rest,
    programId: PROGRAM_ID,
    at,
    by: by ?? 'Anna Ström',
    source: 'card',
    eventId: `ev-${++seq}-${actionId}`,
  } as LogEvent;
}

export function events(): LogEvent[] {
  return [
    // Week 47 (for "the week before").
    status('2026-11-16T09:10:00.000Z', 'BOS-01', 'bostader', 'on_track', 'at_risk', {
      progress: 40,
      comment: 'Bygglovet dröjer',
    }),
    status('2026-11-17T10:00:00.000Z', 'IND-01', 'industrimark', 'on_track', 'on_track', { progress: 40 }),
    // Week 48.
    status('2026-11-23T08:30:00.000Z', 'BOS-01', 'bostader', 'at_risk', 'at_risk', {
      progress: 45,
      comment: 'Väntar på bygglov',
    }),
    status('2026-11-25T13:00:00.000Z', 'BOS-01', 'bostader', 'at_risk', 'on_track', {
      progress: 60,
      comment: 'Bygglovet beviljat',
      nextStep: 'Upphandla entreprenör',
    }),
    status('2026-11-23T09:00:00.000Z', 'BOS-02', 'bostader', 'on_track', 'at_risk', {
      progress: 30,
      comment: 'Överklagande inkommet',
      blockers: 'Detaljplanen är överklagad',
      by: 'Bo Berg',
    }),
    status('2026-11-24T07:45:00.000Z', 'BOS-03', 'bostader', 'on_track', 'done', {
      progress: 100,
      comment: 'Antaget',
      forComms: 'Bostadsförsörjningsprogrammet antogs av fullmäktige!',
    }),
    status('2026-11-24T12:00:00.000Z', 'IND-01', 'industrimark', 'on_track', 'on_track', {
      progress: 55,
      comment: 'Samråd klart',
      by: 'Dan Ek',
    }),
    status('2026-11-26T15:20:00.000Z', 'TRY-01', 'trygghet', 'not_started', 'at_risk', {
      progress: 20,
      comment: HOSTILE,
      forComms: HOSTILE,
      by: 'Eva Fors',
    }),
    {
      type: 'action',
      actionId: 'KOM-01',
      teamKey: 'kompetensforsorjning',
      change: 'created',
      fields: { title: 'Kompetensforum' },
      programId: PROGRAM_ID,
      at: '2026-11-23T10:00:00.000Z',
      by: 'import',
      source: 'import',
      eventId: 'ev-created-KOM-01',
    },
    // Far outside both weeks: must not be read.
    status('2026-06-01T09:00:00.000Z', 'BOS-01', 'bostader', 'not_started', 'on_track', {
      progress: 5,
      comment: 'Gammal',
    }),
  ];
}

export function checkIns(): CheckIn[] {
  const base = { programId: PROGRAM_ID, channelId: '19:x@thread.tacv2' };
  return [
    { ...base, teamKey: 'bostader', week: WEEK, answeredActionIds: ['BOS-01', 'BOS-02', 'BOS-03'] },
    { ...base, teamKey: 'industrimark', week: WEEK, answeredActionIds: ['IND-01'] },
    { ...base, teamKey: 'trygghet', week: WEEK, answeredActionIds: ['TRY-01'] },
    { ...base, teamKey: 'bostader', week: PREVIOUS_WEEK, answeredActionIds: ['BOS-01'] },
  ];
}

type Draft = Omit<Decision, 'number' | 'sequence' | 'etag'>;
function decision(title: string, meetingDate: string, loggedAt: string, extra: Partial<Draft> = {}): Draft {
  return {
    programId: PROGRAM_ID,
    year: 2026,
    title,
    text: `Beslut: ${title}.`,
    rationale: '',
    meeting: { name: 'KLG', date: meetingDate },
    affectedTeams: [],
    affectedActions: [],
    loggedBy: 'Anna Styrgren',
    loggedAt,
    state: 'active',
    history: [],
    ...extra,
  };
}

export function decisions(): Draft[] {
  return [
    decision('Uppdrag om näringslivsstrategi', '2026-11-10', '2026-11-10T14:00:00.000Z'),
    decision('Prioritera Saltvik', '2026-11-24', '2026-11-24T13:30:00.000Z', {
      affectedTeams: ['bostader'],
      affectedActions: ['BOS-02'],
      followUp: { owner: 'Eva Ek', due: '2026-12-15', done: false },
    }),
    // Taken the week before, logged in week 48: counts for week 48 too.
    decision('Budget för trygghetsvandringar', '2026-11-20', '2026-11-23T08:00:00.000Z', {
      affectedTeams: ['trygghet'],
    }),
  ];
}

export function indicators(): Indicator[] {
  return [
    {
      programId: PROGRAM_ID,
      id: 'INV',
      name: 'Invånare',
      unit: 'st',
      baseline: 25000,
      target: 30000,
      targetYear: 2030,
      values: [
        { period: '2025', value: 25120 },
        { period: '2024', value: 24950 },
      ],
    },
    {
      programId: PROGRAM_ID,
      id: 'SYSS',
      name: 'Sysselsättningsgrad 20–64 år',
      unit: '%',
      baseline: 78.5,
      target: 82,
      targetYear: 2030,
      values: [
        { period: '2024', value: 79.1 },
        { period: '2025-K1', value: 79.4 },
      ],
    },
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

/** Every figure of the week-48 digest, worked out by hand from the script above. */
export const EXPECTED = {
  asOf: '2026-11-27',
  overview: {
    total: 9,
    byStatus: { not_started: 2, on_track: 2, at_risk: 2, off_track: 1, done: 1, paused: 1 },
    previousByStatus: { not_started: 2, on_track: 3, at_risk: 1, off_track: 1, done: 0, paused: 1 },
    change: { not_started: 0, on_track: -1, at_risk: 1, off_track: 0, done: 1, paused: 0 },
    newActions: 1,
    updates: 6,
    actionsUpdated: 5,
    statusChanges: 4,
    teamsReporting: 3,
    highlights: 2,
    blockers: 1,
    overdue: 1,
    upcoming: 3,
    previousWeek: { updates: 2, actionsUpdated: 2, statusChanges: 1, teamsReporting: 2 },
    answers: { checkIns: 3, asked: 7, answered: 5, rate: 71 },
  },
};

/** The week-48 digest without storage: what the repositories would return, assembled. */
export function assembled(): Digest {
  const all = events();
  const numbered = decisions().map((d, i) => ({
    ...d,
    sequence: i + 1,
    number: `D-2026-${String(i + 1).padStart(3, '0')}`,
  }));
  return assembleDigest({
    program: loadProgram(),
    week: WEEK,
    now: new Date(FRIDAY_1300),
    actions: actions(),
    // Week 48 starts on 23 November at 00:00 in Stockholm (23:00 UTC the day before).
    events: all.filter((e) => e.at >= '2026-11-22T23:00:00.000Z'),
    previousWeek: summarizeWeek(
      all.filter((e) => e.at >= '2026-11-15T23:00:00.000Z' && e.at < '2026-11-22T23:00:00.000Z'),
      loadProgram().id,
    ),
    decisions: numbered,
    checkIns: checkIns().filter((c) => c.week === WEEK),
    previousCheckIns: checkIns().filter((c) => c.week === PREVIOUS_WEEK),
    indicators: indicators(),
  });
}

/**
 * The program overview's scenario: the digest's week 48 of 2026 (test/support/digest-scenario.ts)
 * seen from Friday of that week over a year of weeks (2025-W49 … 2026-W48), with what an overview
 * shows beyond one week: a retired action with answers, a team made at import with an ongoing
 * and an overdue action, an indicator without a target, and decisions of 2024, 2025 and 2026
 * (one amended, one superseded by a later one). The figures the tests expect are worked out by
 * hand in the tests.
 */
import type { Repositories } from '../../domain/ports';
import type { Action, Decision, LogEvent } from '../../domain/types';
import * as digest from './digest-scenario';
import { testAction, testStatusEvent } from './fixtures';

export const { PROGRAM_ID, WEEK, PREVIOUS_WEEK, FRIDAY_1300, HOSTILE } = digest;
/** The first of the 52 weeks ending with week 48 of 2026. */
export const FIRST_WEEK = '2025-W49';

export const TURISM = {
  programId: PROGRAM_ID,
  key: 'turism',
  name: 'Turism',
  actionPrefix: 'TUR',
  aliases: [],
  createdAt: '2026-09-01T08:00:00.000Z',
  createdBy: 'import:plan.xlsx',
};

/** Beyond the digest's actions: a retired one and the imported team's three. */
export function extraActions(): Action[] {
  return [
    testAction('BOS-09', {
      title: 'Avförd åtgärd',
      status: 'at_risk',
      due: '2026-10-01',
      retiredAt: '2026-10-05T08:00:00.000Z',
    }),
    testAction('TUR-01', {
      teamKey: 'turism',
      title: 'Besöksnäringens råd',
      status: 'on_track',
      due: '2026-01-01',
      ongoing: true,
      timeline: 'Löpande',
      goal: 'Fler besökare',
    }),
    testAction('TUR-02', { teamKey: 'turism', title: 'Skyltprogram', status: 'done', due: '2026-11-01' }),
    testAction('TUR-03', {
      teamKey: 'turism',
      title: 'Ny webbplats',
      status: 'not_started',
      due: '2026-11-26',
      planNumber: '3.1',
      lastUpdate: { at: '2026-03-17T09:00:00.000Z', by: 'Tor', checkInWeek: '2026-W12', eventId: 'ev-tur-03-c' },
    }),
  ];
}

export function extraEvents(): LogEvent[] {
  return [
    // The retired action answered while it was in the plan: never in the overview's teams.
    testStatusEvent('ev-bos-09', '2026-09-15T08:00:00.000Z', { actionId: 'BOS-09', status: 'at_risk' }),
    // Two answers in week 11 (Monday and Tuesday) and one in week 12 with a blank comment.
    testStatusEvent('ev-tur-03-a', '2026-03-09T09:00:00.000Z', {
      actionId: 'TUR-03',
      teamKey: 'turism',
      status: 'on_track',
      progress: 10,
      comment: 'Förstudie',
      by: 'Tor',
    } as Partial<LogEvent>),
    testStatusEvent('ev-tur-03-b', '2026-03-10T09:00:00.000Z', {
      actionId: 'TUR-03',
      teamKey: 'turism',
      status: 'at_risk',
      progress: 15,
      comment: 'Upphandlingen överklagad',
      blockers: 'Överklagande',
      by: 'Tor',
    } as Partial<LogEvent>),
    testStatusEvent('ev-tur-03-c', '2026-03-17T09:00:00.000Z', {
      actionId: 'TUR-03',
      teamKey: 'turism',
      status: 'not_started',
      progress: 0,
      comment: '  ',
      by: 'Tor',
    } as Partial<LogEvent>),
    // Before the 52 weeks: not read.
    testStatusEvent('ev-tur-03-old', '2025-11-20T09:00:00.000Z', {
      actionId: 'TUR-03',
      teamKey: 'turism',
      comment: 'För länge sedan',
    } as Partial<LogEvent>),
  ];
}

type Draft = Omit<Decision, 'number' | 'sequence' | 'etag'>;
function decision(year: number, title: string, extra: Partial<Draft> = {}): Draft {
  return {
    programId: PROGRAM_ID,
    year,
    title,
    text: `Beslut: ${title}.`,
    rationale: 'Skäl',
    meeting: { name: 'KLG', date: `${year}-06-10` },
    affectedTeams: ['bostader'],
    affectedActions: [],
    loggedBy: 'Anna Styrgren',
    loggedAt: `${year}-06-10T12:00:00.000Z`,
    state: 'active',
    history: [],
    ...extra,
  };
}

/** Numbered D-2024-001, D-2025-001, D-2025-002 and (after the digest's three) D-2026-004. */
export function extraDecisions(): Draft[] {
  return [
    decision(2024, 'Utanför veckorna'),
    decision(2025, 'Ändrat beslut', {
      state: 'amended',
      history: [
        {
          at: '2025-06-20T10:00:00.000Z',
          by: 'Anna Styrgren',
          change: 'amended',
          previous: { title: 'Ursprungligt beslut', text: 'Först.', rationale: '' },
          reason: 'Rättelse',
        },
      ],
      followUp: { owner: 'Bo Berg', due: '2025-12-01', done: true },
    }),
    decision(2025, 'Ersatt beslut', {
      state: 'superseded',
      supersededBy: 'D-2026-004',
      history: [
        {
          at: '2026-06-10T12:00:00.000Z',
          by: 'Anna Styrgren',
          change: 'superseded',
          previous: { title: 'Ersatt beslut', text: 'Beslut: Ersatt beslut.', rationale: 'Skäl' },
          reason: 'Ersatt av D-2026-004',
          supersededBy: 'D-2026-004',
        },
      ],
    }),
  ];
}

/** Written after the digest's decisions, so it is D-2026-004. */
export const SUPERSEDING = decision(2026, 'Nytt beslut', { supersedes: 'D-2025-002' });

/** The digest's week-48 scenario and everything above, through the repositories. */
export async function seed(repos: Repositories): Promise<void> {
  await digest.seed(repos);
  await repos.programTeams.createAll([TURISM]);
  await repos.actions.saveAll(extraActions());
  await repos.events.appendAll(extraEvents());
  for (const d of extraDecisions()) await repos.decisions.createNumbered(d);
  await repos.decisions.createNumbered(SUPERSEDING);
  await repos.indicators.save({
    programId: PROGRAM_ID,
    id: 'NYF',
    name: 'Nya företag',
    unit: 'st',
    values: [
      { period: '2026', value: 90 },
      { period: '2025', value: 120 },
    ],
  });
}

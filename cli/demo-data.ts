/**
 * A demo program for Härnösand's growth around the battery plant: about five actions per team,
 * a few weeks of check-in answers and a few steering group decisions. Pure and deterministic:
 * the same clock gives the same data, so seeding twice changes nothing.
 * The plan itself is in ./demo-plan.ts.
 */
import { createHash } from 'node:crypto';
import {
  addDays,
  type Clock,
  isoWeek,
  localDate,
  mondayOfIsoWeek,
  parseIsoWeek,
  shiftIsoWeek,
  zonedTimeToUtc,
} from '../domain/time';
import type {
  Action,
  ActionStatus,
  CheckIn,
  Decision,
  Indicator,
  LogEvent,
  Program,
  StatusUpdate,
} from '../domain/types';

export { DEMO_PLAN } from './demo-plan';
import { DEMO_PLAN } from './demo-plan';

interface DemoDecision {
  /** Weeks before the current week in which the steering group met. */
  weeksAgo: number;
  title: string;
  text: string;
  rationale: string;
  teams: string[];
  actions: string[];
  followUp?: { owner: string; dueInDays: number };
}

export const DEMO_DECISIONS: readonly DemoDecision[] = [
  {
    weeksAgo: 3,
    title: 'Saltvik prioriteras för batterifabrikens etapp 2',
    text: 'Planarbete, markförvärv och VA-utbyggnad i Saltvik går före övriga exploateringsområden under 2026.',
    rationale: 'Etableringen kräver byggbar mark före halvårsskiftet 2027.',
    teams: ['industrimark', 'infrastruktur'],
    actions: ['IND-01', 'IND-02', 'IND-04'],
    followUp: { owner: 'Per Norberg', dueInDays: 42 },
  },
  {
    weeksAgo: 2,
    title: 'Modulbostäder upphandlas för inflyttande medarbetare',
    text: 'Härnösandshus får i uppdrag att upphandla 60 tillfälliga lägenheter i modulform.',
    rationale: 'De första anställda flyttar hit innan nyproduktionen är klar.',
    teams: ['bostader'],
    actions: ['BOS-03'],
    followUp: { owner: 'Lena Åberg', dueInDays: 30 },
  },
  {
    weeksAgo: 1,
    title: 'Gemensam inflyttningskampanj med näringslivet',
    text: 'Kampanjen "Flytta hit" genomförs tillsammans med de tio största arbetsgivarna, som delar på kostnaden.',
    rationale: 'En gemensam avsändare ger större räckvidd till lägre kostnad för kommunen.',
    teams: ['platsvarumarke', 'kompetensforsorjning'],
    actions: ['PLV-03', 'KOM-02'],
  },
  {
    weeksAgo: 0,
    title: 'Riskreserv för medfinansiering av infrastruktur',
    text: 'En riskreserv på 20 miljoner kronor avsätts i budget 2027 för statlig medfinansiering av väg och järnväg.',
    rationale: 'Trafikverkets beslut kommer sent och kommunens andel måste kunna betalas utan omprioriteringar.',
    teams: ['finansiering', 'infrastruktur'],
    actions: ['FIN-03', 'INF-01', 'INF-02'],
    followUp: { owner: 'Malin Westin', dueInDays: 60 },
  },
];

const COMMENTS: Record<ActionStatus, readonly string[]> = {
  on_track: [
    'Arbetet följer planen.',
    'Möte med berörda förvaltningar genomfört, inga avvikelser.',
    'Delrapport klar och skickad till styrgruppen.',
  ],
  at_risk: ['Tidplanen är pressad.', 'Vi väntar på besked från en extern part.', 'Resursbrist i teamet under hösten.'],
  off_track: ['Förseningen kvarstår.', 'Vi behöver styrgruppens hjälp för att komma vidare.'],
  done: ['Klart och överlämnat.'],
  paused: ['Pausad i väntan på prioritering.'],
  not_started: ['Inte påbörjad ännu.'],
};
const BLOCKERS = [
  'Besked från Trafikverket dröjer.',
  'Konsultupphandlingen är överklagad.',
  'Två tjänster är vakanta.',
  'Finansieringen är inte beslutad.',
];
const NEXT_STEPS = [
  'Avstämning med styrgruppen nästa vecka.',
  'Workshop med berörda företag.',
  'Beslutsunderlag till nämnden.',
  'Uppföljningsmöte om två veckor.',
];
const FOR_COMMS = [
  'Ett bra exempel på samarbete mellan kommunen och näringslivet.',
  'Första delen klar: värt en nyhet på webben.',
  'Intresset från företagen är stort.',
];

/** A stable number in [0, 1) from a text (the seed must be repeatable, not random). */
function unit(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 0x100000000;
}

function pick<T>(items: readonly T[], key: string): T {
  return items[Math.floor(unit(key) * items.length)] as T;
}

export interface DemoData {
  actions: Action[];
  events: LogEvent[];
  decisions: Omit<Decision, 'number' | 'sequence' | 'etag'>[];
  /** Each team's check-in of each week, with the actions answered on it. */
  checkIns: CheckIn[];
  /** The program's indicators with a few years of values (Härnösand's own figures, rounded). */
  indicators: Indicator[];
  /** The weeks with check-in answers, oldest first. */
  weeks: string[];
}

/** Indicators as a growth program follows them: population, housing, jobs, with targets for 2030. */
function demoIndicators(program: Program): Indicator[] {
  const rows: Omit<Indicator, 'programId'>[] = [
    {
      id: 'INV',
      name: 'Invånare',
      unit: 'st',
      koladaKpi: 'N01951',
      baseline: 24900,
      target: 30000,
      targetYear: 2030,
      values: [
        { period: '2022', value: 24900 },
        { period: '2023', value: 25050 },
        { period: '2024', value: 25300 },
        { period: '2025', value: 25700 },
      ],
    },
    {
      id: 'BOST',
      name: 'Färdigställda bostäder per år',
      unit: 'st',
      baseline: 60,
      target: 300,
      targetYear: 2030,
      values: [
        { period: '2022', value: 60 },
        { period: '2023', value: 85 },
        { period: '2024', value: 140 },
        { period: '2025', value: 190 },
      ],
    },
    {
      id: 'ARB',
      name: 'Förvärvsarbetande invånare 20–64 år',
      unit: '%',
      baseline: 76,
      target: 80,
      targetYear: 2030,
      values: [
        { period: '2022', value: 76 },
        { period: '2023', value: 76.5 },
        { period: '2024', value: 77.2 },
      ],
    },
    {
      id: 'MARK',
      name: 'Detaljplanerad industrimark redo att bebyggas',
      unit: 'ha',
      baseline: 20,
      target: 120,
      targetYear: 2028,
      values: [
        { period: '2023', value: 20 },
        { period: '2024', value: 45 },
        { period: '2025', value: 70 },
      ],
    },
  ];
  return rows.map((r) => ({ ...r, programId: program.id }));
}

/** How many weeks of answers the demo has, the current week included. */
export const DEMO_WEEKS = 4;

/**
 * The demo program for `program` at `clock.now()`: teams of the program that have no plan in the
 * demo get none. Status updates fall on weekdays of the last four ISO weeks, never in the future.
 */
export function demoData(program: Program, clock: Clock): DemoData {
  const now = clock.now();
  const tz = program.timezone;
  const current = isoWeek(now, tz);
  const weeks = Array.from({ length: DEMO_WEEKS }, (_, i) => shiftIsoWeek(current, i - (DEMO_WEEKS - 1)));
  const actions: Action[] = [];
  const events: LogEvent[] = [];

  for (const team of program.teams) {
    const plan = DEMO_PLAN[team.key] ?? [];
    plan.forEach((d, index) => {
      const id = `${team.actionPrefix}-${String(index + 1).padStart(2, '0')}`;
      const action: Action = {
        programId: program.id,
        id,
        teamKey: team.key,
        title: d.title,
        description: d.description,
        owner: {
          name: d.owner,
          email: `${d.owner
            .toLowerCase()
            .normalize('NFD')
            .replace(/[\u0300-\u036f]/g, '')
            .replace(/\s+/g, '.')}@harnosand.se`,
        },
        responsibleBody: d.body,
        start: d.start,
        due: d.due,
        financing: d.financing,
        status: d.status,
        progress: d.progress,
        indicatorIds: [],
      };
      // The weeks this action was answered: most weeks, at a weekday time that has passed.
      const answered = weeks
        .map((week) => {
          const { year, week: n } = parseIsoWeek(week);
          const day = addDays(mondayOfIsoWeek(year, n), 1 + Math.floor(unit(`${id}|${week}|day`) * 3));
          const at = zonedTimeToUtc(
            day,
            9 + Math.floor(unit(`${id}|${week}|hour`) * 7),
            Math.floor(unit(`${id}|${week}|minute`) * 60),
            tz,
          );
          return { week, at, chosen: unit(`${id}|${week}|answered`) < 0.75 };
        })
        .filter((x) => x.at <= now);
      const chosen = d.status === 'not_started' ? [] : answered.filter((x) => x.chosen);
      // Every started action has been answered at least once (its latest possible week).
      if (d.status !== 'not_started' && chosen.length === 0 && answered.length > 0)
        chosen.push(answered[answered.length - 1]!);
      let previous: ActionStatus | undefined;
      chosen.forEach(({ week, at }, i) => {
        const stepsLeft = chosen.length - 1 - i;
        // The latest answer gives the plan's status and progress; before that it was on track.
        const status: ActionStatus = stepsLeft > 0 ? 'on_track' : d.status;
        const progress = Math.max(0, d.progress - stepsLeft * 5);
        const troubled = status === 'at_risk' || status === 'off_track';
        const update: StatusUpdate = {
          type: 'status',
          actionId: id,
          teamKey: team.key,
          status,
          previousStatus: previous,
          progress,
          comment: pick(COMMENTS[status], `${id}|${week}|comment`),
          blockers: troubled ? pick(BLOCKERS, `${id}|${week}|blocker`) : '',
          nextStep: status === 'done' ? '' : pick(NEXT_STEPS, `${id}|${week}|next`),
          forComms: unit(`${id}|${week}|comms`) < 0.2 ? pick(FOR_COMMS, `${id}|${week}|forComms`) : '',
          checkInWeek: week,
        };
        events.push({
          ...update,
          programId: program.id,
          at: at.toISOString(),
          by: d.owner,
          source: 'card',
          eventId: `demo-${id}-${week}`,
        });
        previous = status;
        action.lastUpdate = { at: at.toISOString(), by: d.owner, checkInWeek: week };
      });
      actions.push(action);
    });
  }

  const known = new Set(program.teams.map((t) => t.key));
  const decisions = DEMO_DECISIONS.filter((d) => d.teams.some((t) => known.has(t))).map((d) => {
    const week = shiftIsoWeek(current, -d.weeksAgo);
    const { year, week: n } = parseIsoWeek(week);
    const meetingDate = mondayOfIsoWeek(year, n);
    const loggedAt = zonedTimeToUtc(meetingDate, 11, 30, tz);
    // A meeting later today has not happened: log it at the start of the day instead.
    const at = loggedAt > now ? zonedTimeToUtc(localDate(now, tz), 0, 0, tz) : loggedAt;
    return {
      programId: program.id,
      year: Number(meetingDate.slice(0, 4)),
      title: d.title,
      text: d.text,
      rationale: d.rationale,
      meeting: { name: 'Styrgruppen för Kraftsamling Härnösand', date: meetingDate },
      affectedTeams: d.teams.filter((t) => known.has(t)),
      affectedActions: d.actions,
      followUp: d.followUp
        ? { owner: d.followUp.owner, due: addDays(meetingDate, d.followUp.dueInDays), done: false }
        : undefined,
      loggedBy: 'Anna Ström',
      loggedAt: at.toISOString(),
      state: 'active' as const,
      history: [],
    };
  });

  // Each team with a plan had a check-in every week; it lists the actions answered on it.
  const checkIns: CheckIn[] = [];
  for (const team of program.teams) {
    const teamActions = actions.filter((a) => a.teamKey === team.key);
    if (teamActions.length === 0) continue;
    for (const week of weeks) {
      const answered = events
        .filter((e) => e.type === 'status' && e.teamKey === team.key && e.checkInWeek === week)
        .map((e) => (e as StatusUpdate).actionId);
      const { year, week: n } = parseIsoWeek(week);
      const posted = zonedTimeToUtc(mondayOfIsoWeek(year, n), 9, 0, tz);
      if (posted > now) continue;
      checkIns.push({
        programId: program.id,
        teamKey: team.key,
        week,
        channelId: `19:demo-${team.key}@thread.tacv2`,
        postedAt: posted.toISOString(),
        answeredActionIds: [...new Set(answered)],
      });
    }
  }

  return {
    actions,
    events: events.sort((x, y) => x.at.localeCompare(y.at)),
    decisions,
    checkIns,
    indicators: demoIndicators(program),
    weeks,
  };
}

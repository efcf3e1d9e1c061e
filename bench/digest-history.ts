/**
 * The histories the digest benchmark compares: a program's actions, answers, check-ins and
 * decisions over a number of weeks, generated deterministically and written to the store.
 */
import type { Repositories } from '../domain/ports';
import { addDays, mondayOfIsoWeek, parseIsoWeek, shiftIsoWeek } from '../domain/time';
import {
  type Action,
  type ActionStatus,
  type CheckIn,
  type Decision,
  type Indicator,
  type LogEvent,
  type Program,
} from '../domain/types';

export const ACTIONS_PER_TEAM = 15;
export const DECISIONS_PER_YEAR = 200;
export const STATUS_CYCLE: ActionStatus[] = [
  'on_track',
  'on_track',
  'at_risk',
  'on_track',
  'off_track',
  'on_track',
  'done',
];

export interface History {
  actions: Action[];
  events: LogEvent[];
  checkIns: CheckIn[];
  decisions: Omit<Decision, 'number' | 'sequence' | 'etag'>[];
  indicators: Indicator[];
}

/** Deterministic pseudo-random numbers, so every run builds the same history. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A history of `weeks` weeks ending with `lastWeek`: weekly answers for every action. */
export function makeHistory(program: Program, lastWeek: string, weeks: number): History {
  const random = rng(weeks * 7919);
  const firstWeek = shiftIsoWeek(lastWeek, -(weeks - 1));
  const actions: Action[] = [];
  for (const team of program.teams) {
    for (let i = 1; i <= ACTIONS_PER_TEAM; i++) {
      actions.push({
        programId: program.id,
        id: `${team.actionPrefix}-${String(i).padStart(2, '0')}`,
        teamKey: team.key,
        title: `${team.name}: insats ${i} för en växande kommun`,
        description: '',
        owner: { name: `Ägare ${team.actionPrefix}${i}`, email: `agare${i}@example.se` },
        responsibleBody: 'KS',
        start: '2025-01-01',
        due: addDays(
          mondayOfIsoWeek(parseIsoWeek(lastWeek).year, parseIsoWeek(lastWeek).week),
          Math.floor(random() * 120) - 30,
        ),
        financing: '',
        status: 'not_started',
        progress: 0,
        indicatorIds: [],
      });
    }
  }
  const events: LogEvent[] = [];
  const checkIns: CheckIn[] = [];
  const status = new Map<string, ActionStatus>(actions.map((a) => [a.id, 'not_started']));
  let week = firstWeek;
  for (let w = 0; w < weeks; w++) {
    const { year, week: n } = parseIsoWeek(week);
    const monday = mondayOfIsoWeek(year, n);
    for (const team of program.teams) {
      const teamActions = actions.filter((a) => a.teamKey === team.key);
      teamActions.forEach((a, i) => {
        const previous = status.get(a.id)!;
        const next = STATUS_CYCLE[Math.floor(random() * STATUS_CYCLE.length)]!;
        status.set(a.id, next);
        // Answers come in Monday to Thursday, 08:00–15:59 UTC.
        const at = new Date(
          `${addDays(monday, i % 4)}T${String(8 + (i % 8)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00.000Z`,
        );
        events.push({
          type: 'status',
          actionId: a.id,
          teamKey: team.key,
          status: next,
          previousStatus: previous,
          progress: Math.min(100, w * 2),
          comment: `Vecka ${n}: arbetet med ${a.title.toLowerCase()} går vidare enligt plan, med några frågor kvar.`,
          blockers: random() < 0.1 ? 'Väntar på beslut om finansiering' : '',
          nextStep: 'Nästa avstämning',
          forComms: random() < 0.05 ? 'Något att berätta om' : '',
          checkInWeek: week,
          programId: program.id,
          at: at.toISOString(),
          by: a.owner.name,
          source: 'card',
          eventId: `${week}|${a.id}`,
        });
      });
      checkIns.push({
        programId: program.id,
        teamKey: team.key,
        week,
        channelId: `19:${team.key}@thread.tacv2`,
        answeredActionIds: teamActions.map((a) => a.id),
      });
    }
    week = shiftIsoWeek(week, 1);
  }
  for (const a of actions) a.status = status.get(a.id)!;
  const perWeek = DECISIONS_PER_YEAR / 52;
  const decisionCount = Math.max(1, Math.round(perWeek * weeks));
  const decisions = Array.from({ length: decisionCount }, (_, i) => {
    const w = shiftIsoWeek(firstWeek, Math.floor(i / perWeek));
    const { year, week: n } = parseIsoWeek(w);
    const date = addDays(mondayOfIsoWeek(year, n), 1);
    const team = program.teams[i % program.teams.length]!;
    return {
      programId: program.id,
      year: Number(date.slice(0, 4)),
      title: `Beslut ${i + 1} om ${team.name.toLowerCase()}`,
      text: 'Styrgruppen beslutar att gå vidare med förslaget och ge teamet i uppdrag att återkomma.',
      rationale: 'Enligt programmets prioriteringar.',
      meeting: { name: 'KLG', date },
      affectedTeams: [team.key],
      affectedActions: [`${team.actionPrefix}-01`],
      ...(i % 3 === 0 ? { followUp: { owner: 'Programkontoret', due: addDays(date, 30), done: false } } : {}),
      loggedBy: 'Sekreterare',
      loggedAt: `${date}T14:00:00.000Z`,
      state: 'active' as const,
      history: [],
    };
  });
  const indicators: Indicator[] = Array.from({ length: 8 }, (_, i) => ({
    programId: program.id,
    id: `IND${i}`,
    name: `Indikator ${i}`,
    unit: '%',
    baseline: 50,
    target: 60,
    targetYear: 2030,
    values: [
      { period: '2024', value: 50 + i / 2 },
      { period: '2025', value: 51 + i / 2 },
    ],
  }));
  return { actions, events, checkIns, decisions, indicators };
}

export async function write(repos: Repositories, h: History): Promise<void> {
  await repos.actions.saveAll(h.actions);
  await repos.events.appendAll(h.events);
  for (let i = 0; i < h.checkIns.length; i += 20)
    await Promise.all(h.checkIns.slice(i, i + 20).map((c) => repos.checkIns.create(c)));
  // Numbered one after the other, as the steering group logs them.
  for (const d of h.decisions) await repos.decisions.createNumbered(d);
  for (const i of h.indicators) await repos.indicators.save(i);
}

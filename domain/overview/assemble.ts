/**
 * The overview from what was read (pure): today's plan with each action's answers week by week,
 * the indicators, the decisions and the check-in figures of every week. Teams in program order
 * (then any team only the plan or the check-ins name), actions in list order (due date, then id).
 */
import { byDueThenId, isOverdue, isRetired } from '../actions';
import { checkInFigures, indicatorView } from '../digest';
import { planBefore } from '../plan';
import { teamName } from '../program';
import { addDays, isoWeek, localDate, mondayOfIsoWeek, parseIsoWeek } from '../time';
import {
  ACTION_STATUSES,
  type Action,
  type Decision,
  type Indicator,
  type LogEvent,
  type Program,
  type StatusUpdate,
} from '../types';
import type {
  EngagementCell,
  EngagementWeek,
  Overview,
  OverviewAction,
  OverviewAnswer,
  OverviewDecision,
  OverviewIndicator,
  OverviewTeam,
  StatusCounts,
} from './model';
import type { WeekRead } from './reads';

export interface OverviewInput {
  /** With the teams made at import. */
  program: Program;
  now: Date;
  /** Oldest first, ending with the current week. */
  weeks: readonly string[];
  /** Today's rows, retired ones too (a past week's plan may still hold them). */
  actions: readonly Action[];
  /** Each week's log and check-ins. */
  reads: ReadonlyMap<string, WeekRead>;
  /** Of the years the weeks touch. */
  decisions: readonly Decision[];
  indicators: readonly Indicator[];
}

const zeroCounts = (): StatusCounts => Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0])) as StatusCounts;

const percent = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 100) : null);

function isAnswer(e: LogEvent): e is LogEvent & StatusUpdate {
  return e.type === 'status';
}

/** Each action's last answer of each week, the weeks oldest first. */
function answersByAction(input: OverviewInput): Map<string, OverviewAnswer[]> {
  const out = new Map<string, OverviewAnswer[]>();
  for (const week of input.weeks) {
    const last = new Map<string, LogEvent & StatusUpdate>();
    const answers = (input.reads.get(week)?.events ?? []).filter(
      (e): e is LogEvent & StatusUpdate => isAnswer(e) && e.programId === input.program.id,
    );
    for (const e of answers) {
      const seen = last.get(e.actionId);
      if (!seen || e.at >= seen.at) last.set(e.actionId, e);
    }
    for (const [actionId, e] of last) {
      const list = out.get(actionId) ?? [];
      list.push({
        week,
        status: e.status,
        progress: e.progress,
        comment: e.comment,
        blockers: e.blockers,
        by: e.by,
        at: e.at,
      });
      out.set(actionId, list);
    }
  }
  return out;
}

function actionView(a: Action, today: string, history: OverviewAnswer[]): OverviewAction {
  const lastComment = history.at(-1)?.comment.trim();
  return {
    id: a.id,
    teamKey: a.teamKey,
    title: a.title,
    owner: a.owner.name,
    responsibleBody: a.responsibleBody,
    ...(a.goal?.trim() ? { goal: a.goal.trim() } : {}),
    ...(a.subGoal?.trim() ? { subGoal: a.subGoal.trim() } : {}),
    ...(a.planNumber?.trim() ? { planNumber: a.planNumber.trim() } : {}),
    status: a.status,
    progress: a.progress,
    ...(a.due ? { due: a.due } : {}),
    ...(a.timeline?.trim() ? { timeline: a.timeline.trim() } : {}),
    ...(a.ongoing ? { ongoing: true } : {}),
    overdue: isOverdue(a, today),
    atRisk: a.status === 'at_risk' || a.status === 'off_track',
    ...(lastComment ? { lastComment } : {}),
    ...(a.lastUpdate ? { lastUpdateAt: a.lastUpdate.at } : {}),
    history,
  };
}

function teamView(key: string, name: string, actions: OverviewAction[]): OverviewTeam {
  const counts = zeroCounts();
  for (const a of actions) counts[a.status]++;
  return {
    key,
    name,
    counts,
    total: actions.length,
    overdue: actions.filter((a) => a.overdue).length,
    atRisk: actions.filter((a) => a.atRisk).length,
    actions,
  };
}

function indicatorOf(ind: Indicator): OverviewIndicator {
  const view = indicatorView(ind);
  const values = ind.values
    .filter((v) => Number.isFinite(v.value))
    .map((v) => ({ period: v.period, value: v.value }))
    .sort((a, b) => a.period.localeCompare(b.period));
  return {
    id: ind.id,
    name: ind.name,
    unit: ind.unit,
    ...(ind.koladaKpi ? { koladaKpi: ind.koladaKpi } : {}),
    ...(ind.baseline !== undefined ? { baseline: ind.baseline } : {}),
    ...(ind.target !== undefined ? { target: ind.target } : {}),
    ...(ind.targetYear !== undefined ? { targetYear: ind.targetYear } : {}),
    values,
    ...(view.latest ? { latest: view.latest } : {}),
    progress: view.progressPercent,
  };
}

function decisionOf(d: Decision): OverviewDecision {
  return {
    number: d.number,
    year: d.year,
    title: d.title,
    text: d.text,
    rationale: d.rationale,
    meeting: { name: d.meeting.name, date: d.meeting.date },
    affectedTeams: [...d.affectedTeams],
    affectedActions: [...d.affectedActions],
    state: d.state,
    amended: d.history.some((h) => h.change === 'amended'),
    ...(d.supersedes ? { supersedes: d.supersedes } : {}),
    ...(d.supersededBy ? { supersededBy: d.supersededBy } : {}),
    loggedBy: d.loggedBy,
    loggedAt: d.loggedAt,
    ...(d.followUp
      ? {
          followUp: {
            owner: d.followUp.owner,
            ...(d.followUp.due ? { due: d.followUp.due } : {}),
            done: d.followUp.done,
          },
        }
      : {}),
  };
}

/**
 * The check-in figures of every week, as the digest of that week counts them: the team's actions
 * in the plan as it stood at the week's end (today's, with the later weeks' changes undone) asked
 * about, the check-in row's answers answered (`checkInFigures`).
 */
function engagement(input: OverviewInput, teamKeys: readonly string[]): EngagementWeek[] {
  const { program } = input;
  const tz = program.timezone;
  const out: EngagementWeek[] = [];
  let plan: Action[] = input.actions.filter((a) => a.programId === program.id);
  for (let i = input.weeks.length - 1; i >= 0; i--) {
    const week = input.weeks[i]!;
    if (i < input.weeks.length - 1) plan = planBefore(plan, input.reads.get(input.weeks[i + 1]!)?.events ?? []);
    const { year, week: n } = parseIsoWeek(week);
    const lastDay = addDays(mondayOfIsoWeek(year, n), 6);
    // As the digest counts a week: an action retired after the week's end was still in its plan.
    const byTeam = new Map<string, Action[]>();
    for (const a of plan) {
      if (a.retiredAt && localDate(new Date(a.retiredAt), tz) <= lastDay) continue;
      const list = byTeam.get(a.teamKey);
      if (list) list.push(a);
      else byTeam.set(a.teamKey, [a]);
    }
    const rows = new Map(
      (input.reads.get(week)?.checkIns ?? [])
        .filter((c) => c.programId === program.id && c.week === week)
        .map((c) => [c.teamKey, c]),
    );
    let asked = 0;
    let answered = 0;
    const teams = teamKeys.map((teamKey): EngagementCell => {
      const f = checkInFigures(rows.get(teamKey), byTeam.get(teamKey) ?? []);
      if (f.posted) {
        asked += f.asked;
        answered += f.answered;
      }
      return { teamKey, asked: f.asked, answered: f.answered, rate: f.rate };
    });
    out.push({ week, teams, asked, answered, rate: percent(answered, asked) });
  }
  return out.reverse();
}

/** Pure: the overview from what was read. */
export function assembleOverview(input: OverviewInput): Overview {
  const { program, now } = input;
  const tz = program.timezone;
  const today = localDate(now, tz);
  const current = isoWeek(now, tz);

  const inPlan = input.actions.filter((a) => a.programId === program.id && !isRetired(a)).sort(byDueThenId);
  const history = answersByAction(input);
  const teamKeys = program.teams.map((x) => x.key);
  for (const a of inPlan) if (!teamKeys.includes(a.teamKey)) teamKeys.push(a.teamKey);
  const teams = teamKeys.map((key) =>
    teamView(
      key,
      teamName(program, key),
      inPlan.filter((a) => a.teamKey === key).map((a) => actionView(a, today, history.get(a.id) ?? [])),
    ),
  );

  // A team no longer in the program or the plan still has its rows in the weeks it answered.
  const engagementKeys = [...teamKeys];
  for (const read of input.reads.values())
    for (const c of read.checkIns)
      if (c.programId === program.id && !engagementKeys.includes(c.teamKey)) engagementKeys.push(c.teamKey);

  const seen = new Set<string>();
  const decisions = input.decisions
    .filter((d) => d.programId === program.id && !seen.has(d.number) && !!seen.add(d.number))
    .sort((a, b) => b.year - a.year || b.sequence - a.sequence)
    .map(decisionOf);

  return {
    programId: program.id,
    programName: program.name,
    generatedAt: now.toISOString(),
    currentWeek: current,
    weeks: [...input.weeks],
    teams,
    indicators: input.indicators
      .filter((i) => i.programId === program.id)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(indicatorOf),
    decisions,
    engagement: engagement(input, engagementKeys),
  };
}

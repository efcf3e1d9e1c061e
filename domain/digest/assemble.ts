/**
 * Assembling the weekly digest from what was read (pure): the week's log partition, the previous
 * week's in short (for "against the week before") and the state beside the log (actions,
 * check-ins, the week's decisions, indicators). Program order for teams, plan order for goals.
 */
import { teamName } from '../program';
import { addDays, isoWeek, localDate, mondayOfIsoWeek, parseIsoWeek } from '../time';
import {
  ACTION_STATUSES,
  type Action,
  type ActionStatus,
  type CheckIn,
  type Decision,
  type Indicator,
  type LogEvent,
  type Program,
  type StatusUpdate,
  type WeekStatusSummary,
} from '../types';
import {
  activity,
  byTime,
  checkInFigures,
  daysBetween,
  indicatorValues,
  indicatorView,
  isStatus,
  percent,
  zeroCounts,
} from './figures';
import {
  DIGEST_SCHEMA,
  UPCOMING_DAYS,
  type Digest,
  type DigestDeadline,
  type DigestDecision,
  type DigestGoal,
  type DigestGrouping,
  type DigestNote,
  type DigestTeam,
  type DigestUpdate,
} from './model';

export interface DigestInput {
  program: Program;
  week: string;
  now: Date;
  actions: Action[];
  events: LogEvent[];
  /** The week before in short (./figures.ts `summarizeWeek`). */
  previousWeek: WeekStatusSummary;
  decisions: Decision[];
  checkIns: CheckIn[];
  previousCheckIns: CheckIn[];
  indicators: Indicator[];
  groupBy?: DigestGrouping;
}

/** Pure: the digest from what was read. Exported for tests and for callers that read themselves. */
export function assembleDigest(input: DigestInput): Digest {
  const { program, week, now } = input;
  const tz = program.timezone;
  const { year, week: n } = parseIsoWeek(week);
  const weekStart = mondayOfIsoWeek(year, n);
  const weekEnd = addDays(weekStart, 6);
  const current = isoWeek(now, tz);
  const asOf = week === current ? localDate(now, tz) : week < current ? addDays(weekEnd, 1) : weekStart;
  const upcomingUntil = addDays(asOf, UPCOMING_DAYS);
  const inWeek = (date: string | undefined) => !!date && date >= weekStart && date <= weekEnd;

  // A retired action is out of the plan from the day it was retired: not counted, asked or listed.
  const inPlan = (a: Action) => !a.retiredAt || localDate(new Date(a.retiredAt), tz) > weekEnd;
  const allActions = input.actions.filter((a) => a.programId === program.id);
  const actions = allActions.filter(inPlan);
  // Titles of retired actions are still known for what the log says about them.
  const actionById = new Map(allActions.map((a) => [a.id, a]));
  const events = byTime(input.events.filter((e) => e.programId === program.id));
  const statusEvents = events.filter(isStatus);
  const created = new Set(
    events
      .filter((e) => e.type === 'action' && e.change === 'created')
      .map((e) => (e as { actionId: string }).actionId),
  );

  // Status at the end of the week before: the first update's previousStatus this week; else the
  // last status reported the week before; else (no update this week) the same as at the end.
  const lastPrevious = new Map<string, ActionStatus>(input.previousWeek.lastStatus);
  const perAction = new Map<string, (LogEvent & StatusUpdate)[]>();
  for (const e of statusEvents) perAction.set(e.actionId, [...(perAction.get(e.actionId) ?? []), e]);

  const endStatus = (a: Action): ActionStatus => perAction.get(a.id)?.at(-1)?.status ?? a.status;
  const startStatus = (a: Action): ActionStatus | null => {
    if (created.has(a.id)) return null;
    const list = perAction.get(a.id);
    if (!list) return a.status;
    return list[0]!.previousStatus ?? lastPrevious.get(a.id) ?? null;
  };

  const byStatus = zeroCounts();
  const previousByStatus = zeroCounts();
  for (const a of actions) {
    byStatus[endStatus(a)]++;
    const start = startStatus(a);
    if (start) previousByStatus[start]++;
  }
  const change = zeroCounts();
  for (const s of ACTION_STATUSES) change[s] = byStatus[s] - previousByStatus[s];

  // Decisions taken this week: meeting date or logging date in the week; each number once.
  const seen = new Set<string>();
  const decisions = input.decisions
    .filter(
      (d) => d.programId === program.id && (inWeek(d.meeting.date) || inWeek(localDate(new Date(d.loggedAt), tz))),
    )
    .filter((d) => !seen.has(d.number) && !!seen.add(d.number))
    .sort((a, b) => a.year - b.year || a.sequence - b.sequence)
    .map<DigestDecision>((d) => ({
      number: d.number,
      title: d.title,
      text: d.text,
      meeting: { name: d.meeting.name, date: d.meeting.date },
      loggedAt: d.loggedAt,
      loggedBy: d.loggedBy,
      state: d.state,
      affectedTeams: d.affectedTeams.map((key) => ({ key, name: teamName(program, key) })),
      affectedActions: [...d.affectedActions],
      retiredActions: d.affectedActions
        .map((id) => actionById.get(id))
        .filter((a): a is Action => !!a && !inPlan(a))
        .map((a) => ({ id: a.id, date: localDate(new Date(a.retiredAt!), tz) })),
      followUp: d.followUp ? { owner: d.followUp.owner, due: d.followUp.due ?? null, done: d.followUp.done } : null,
      supersedes: d.supersedes ?? null,
    }));

  const checkInOf = new Map(input.checkIns.filter((c) => c.week === week).map((c) => [c.teamKey, c]));
  const previousCheckInOf = new Map(input.previousCheckIns.map((c) => [c.teamKey, c]));

  // Program order, then any team key found in the data but no longer in the program.
  const teamKeys = [...program.teams.map((t) => t.key)];
  for (const k of [...actions.map((a) => a.teamKey), ...statusEvents.map((e) => e.teamKey)])
    if (!teamKeys.includes(k)) teamKeys.push(k);

  const titleOf = (id: string) => actionById.get(id)?.title ?? id;
  const teams: DigestTeam[] = teamKeys.map((key) => {
    const teamActions = actions.filter((a) => a.teamKey === key);
    const teamEvents = statusEvents.filter((e) => e.teamKey === key);
    const actionIds = [...new Set(teamEvents.map((e) => e.actionId))];
    const updates: DigestUpdate[] = actionIds.map((id) => {
      const list = perAction.get(id)!;
      const last = list.at(-1)!;
      const action = actionById.get(id);
      const from = action ? startStatus(action) : (list[0]!.previousStatus ?? lastPrevious.get(id) ?? null);
      return {
        actionId: id,
        title: titleOf(id),
        from,
        to: last.status,
        changed: from !== null && from !== last.status,
        progress: last.progress,
        comment: last.comment,
        nextStep: last.nextStep,
        count: list.length,
        by: last.by,
        at: last.at,
      };
    });
    const highlights: DigestNote[] = [];
    for (const e of teamEvents) {
      const text = e.forComms.trim();
      if (text && !highlights.some((h) => h.actionId === e.actionId && h.text === text)) {
        highlights.push({ actionId: e.actionId, title: titleOf(e.actionId), text, by: e.by, at: e.at });
      }
    }
    const blockers: DigestNote[] = actionIds
      .map((id) => perAction.get(id)!.at(-1)!)
      .filter((e) => e.blockers.trim() !== '')
      .map((e) => ({ actionId: e.actionId, title: titleOf(e.actionId), text: e.blockers.trim(), by: e.by, at: e.at }));
    // An ongoing action ("Löpande") has no deadline, even if an older plan gave it a date.
    const open = teamActions.filter((a) => endStatus(a) !== 'done' && !!a.due && !a.ongoing);
    const deadline = (a: Action, late: boolean): DigestDeadline => ({
      actionId: a.id,
      title: a.title,
      owner: a.owner.name,
      due: a.due!,
      timeline: a.timeline?.trim() || null,
      status: endStatus(a),
      ...(late ? { daysLate: daysBetween(a.due!, asOf) } : {}),
    });
    const sortDue = (x: Action, y: Action) => x.due!.localeCompare(y.due!) || x.id.localeCompare(y.id);
    const overdue = open
      .filter((a) => a.due! < asOf)
      .sort(sortDue)
      .map((a) => deadline(a, true));
    const upcoming = open
      .filter((a) => a.due! >= asOf && a.due! <= upcomingUntil)
      .sort(sortDue)
      .map((a) => deadline(a, false));
    const teamDecisions = decisions.filter((d) => d.affectedTeams.some((t) => t.key === key)).map((d) => d.number);
    const ci = checkInFigures(checkInOf.get(key), teamActions);
    const prev = previousCheckInOf.get(key);
    return {
      key,
      name: teamName(program, key),
      actions: teamActions.length,
      nothingNew: updates.length === 0 && teamDecisions.length === 0,
      updates,
      highlights,
      blockers,
      overdue,
      upcoming,
      decisions: teamDecisions,
      checkIn: { ...ci, previousRate: prev ? checkInFigures(prev, teamActions).rate : null },
    };
  });

  const withCheckIn = teams.filter((t) => t.checkIn.posted);
  const asked = withCheckIn.reduce((s, t) => s + t.checkIn.asked, 0);
  const answered = withCheckIn.reduce((s, t) => s + t.checkIn.answered, 0);
  const thisWeek = activity(statusEvents);
  const groupBy = input.groupBy ?? 'team';

  return {
    schema: DIGEST_SCHEMA,
    programId: program.id,
    programName: program.name,
    week,
    weekStart,
    weekEnd,
    asOf,
    generatedAt: now.toISOString(),
    overview: {
      ...thisWeek,
      total: actions.length,
      byStatus,
      previousByStatus,
      change,
      newActions: actions.filter((a) => created.has(a.id)).length,
      highlights: teams.reduce((s, t) => s + t.highlights.length, 0),
      blockers: teams.reduce((s, t) => s + t.blockers.length, 0),
      overdue: teams.reduce((s, t) => s + t.overdue.length, 0),
      upcoming: teams.reduce((s, t) => s + t.upcoming.length, 0),
      previousWeek: { ...input.previousWeek.activity },
      answers: { checkIns: withCheckIn.length, asked, answered, rate: percent(answered, asked) },
    },
    teams,
    decisions,
    indicators: input.indicators
      .filter((i) => i.programId === program.id)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((ind) => ({ ...indicatorView(ind), values: indicatorValues(ind) })),
    groupBy,
    ...(groupBy === 'goal' ? { goals: goalGroups(actions, teams, endStatus) } : {}),
  };
}

/** The goals in plan order (team order, then the actions' order), actions without a goal last. */
function goalGroups(actions: Action[], teams: DigestTeam[], endStatus: (a: Action) => ActionStatus): DigestGoal[] {
  const goalOf = new Map(actions.map((a) => [a.id, a.goal?.trim() || null]));
  const teamOrder = new Map(teams.map((t, i) => [t.key, i]));
  const ordered = [...actions].sort(
    (a, b) =>
      (teamOrder.get(a.teamKey) ?? 0) - (teamOrder.get(b.teamKey) ?? 0) ||
      (a.planNumber ?? '').localeCompare(b.planNumber ?? '', 'sv', { numeric: true }) ||
      a.id.localeCompare(b.id),
  );
  const groups = new Map<string | null, DigestGoal>();
  const group = (goal: string | null) => {
    let g = groups.get(goal);
    if (!g)
      groups.set(
        goal,
        (g = { goal, subGoals: [], actions: 0, byStatus: zeroCounts(), updates: [], overdue: [], upcoming: [] }),
      );
    return g;
  };
  for (const a of ordered.filter((x) => goalOf.get(x.id) !== null)) group(goalOf.get(a.id)!);
  for (const a of ordered) {
    const g = group(goalOf.get(a.id) ?? null);
    g.actions++;
    g.byStatus[endStatus(a)]++;
    const sub = a.subGoal?.trim();
    if (sub && !g.subGoals.includes(sub)) g.subGoals.push(sub);
  }
  for (const team of teams) {
    // Updates of actions no longer in the plan (retired) have no goal here.
    for (const u of team.updates) group(goalOf.get(u.actionId) ?? null).updates.push(u);
    for (const d of team.overdue) group(goalOf.get(d.actionId) ?? null).overdue.push(d);
    for (const d of team.upcoming) group(goalOf.get(d.actionId) ?? null).upcoming.push(d);
  }
  return [...groups.values()].filter((g) => g.actions > 0 || g.updates.length > 0);
}

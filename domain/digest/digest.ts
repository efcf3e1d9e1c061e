/**
 * The weekly digest: what moved in one ISO week (Europe/Stockholm by default), computed from that
 * week's log partition, the previous week's (for "against the week before") and the current
 * state beside the log (actions, check-ins, decisions of the week's year(s), indicators). A past
 * week's plan is today's with the later weeks' changes undone (domain/plan/history.ts), so an
 * import changes today's figures, never last month's. It never reads the history before the week,
 * so its cost does not grow with the program's age.
 *
 * The result is plain data (JSON-safe); renderers turn it into a card, Markdown, HTML or JSON.
 */
import { inert } from '../text';
import { teamName } from '../program';
import { formatWeek, t } from '../i18n';
import type { ActionRepository, CheckInRepository, DecisionRepository, EventLog, IndicatorRepository, Logger } from '../ports';
import { addDays, formatIsoWeek, isoWeek, localDate, mondayOfIsoWeek, parseIsoWeek, shiftIsoWeek, weeksInYear } from '../time';
import {
  ACTION_STATUSES,
  type Action,
  type ActionStatus,
  type CheckIn,
  type Decision,
  type DecisionState,
  type Indicator,
  type Locale,
  type LogEvent,
  type Program,
  type StatusUpdate,
} from '../types';
import { type DigestSummary, type SummaryWriter, writeSummary } from './summary';
import { eventsAfter, planBefore } from '../plan/history';

export const DIGEST_SCHEMA = 'kraftsamla.digest/1';
/** "Deadlines in the next N days". */
export const UPCOMING_DAYS = 14;

export type StatusCounts = Record<ActionStatus, number>;

export interface WeekActivity {
  /** Status updates logged (answers, chat, card). */
  updates: number;
  /** Distinct actions with at least one update. */
  actionsUpdated: number;
  /** Actions whose status differs at the end of the week from its start. */
  statusChanges: number;
  /** Teams with at least one update. */
  teamsReporting: number;
}

export interface DigestOverview extends WeekActivity {
  /** Actions at the end of the week (the current state for this week). */
  total: number;
  byStatus: StatusCounts;
  /** At the end of the week before (reconstructed from this week's updates). */
  previousByStatus: StatusCounts;
  /** byStatus − previousByStatus. */
  change: StatusCounts;
  /** Actions created this week (not counted the week before). */
  newActions: number;
  highlights: number;
  blockers: number;
  overdue: number;
  upcoming: number;
  previousWeek: WeekActivity;
  answers: AnswerRate;
}

export interface AnswerRate {
  /** Teams that had a check-in this week. */
  checkIns: number;
  asked: number;
  answered: number;
  /** Whole per cent, or null when nothing was asked. */
  rate: number | null;
}

export interface DigestUpdate {
  actionId: string;
  title: string;
  /** Status at the start of the week; null when unknown (first report, or created this week). */
  from: ActionStatus | null;
  to: ActionStatus;
  changed: boolean;
  progress: number;
  comment: string;
  nextStep: string;
  /** Updates of this action in the week (the latest is shown). */
  count: number;
  by: string;
  at: string;
}

export interface DigestNote {
  actionId: string;
  title: string;
  text: string;
  by: string;
  at: string;
}

export interface DigestDeadline {
  actionId: string;
  title: string;
  owner: string;
  due: string;
  /** The plan's timeline as written ("Hösten 2026"), when it has one; `due` is derived from it. */
  timeline: string | null;
  status: ActionStatus;
  /** For overdue actions: days past due at the digest's reference date. */
  daysLate?: number;
}

export interface TeamCheckIn {
  posted: boolean;
  asked: number;
  answered: number;
  rate: number | null;
  /** The week before, for the trend; null when there was no check-in then. */
  previousRate: number | null;
}

export interface DigestTeam {
  key: string;
  name: string;
  actions: number;
  /** No update and no decision concerning the team this week. */
  nothingNew: boolean;
  updates: DigestUpdate[];
  highlights: DigestNote[];
  blockers: DigestNote[];
  overdue: DigestDeadline[];
  upcoming: DigestDeadline[];
  /** Numbers of this week's decisions that affect the team. */
  decisions: string[];
  checkIn: TeamCheckIn;
}

export interface DigestDecision {
  number: string;
  title: string;
  text: string;
  meeting: { name: string; date: string };
  loggedAt: string;
  loggedBy: string;
  state: DecisionState;
  affectedTeams: { key: string; name: string }[];
  affectedActions: string[];
  /** Affected actions a revision has retired by the end of the week, with the local date. */
  retiredActions: { id: string; date: string }[];
  followUp: { owner: string; due: string | null; done: boolean } | null;
  supersedes: string | null;
}

export interface DigestIndicator {
  id: string;
  name: string;
  unit: string;
  baseline: number | null;
  target: number | null;
  targetYear: number | null;
  latest: { period: string; value: number } | null;
  previous: { period: string; value: number } | null;
  /** (latest − baseline) / (target − baseline), whole per cent; null when it cannot be computed. */
  progressPercent: number | null;
  trend: 'up' | 'down' | 'flat' | null;
  /** Whether the latest move goes toward the target; null when unknown. */
  towardTarget: boolean | null;
  /**
   * Against the target: `reached` when the latest value is at or past it (in the direction from
   * the baseline, else from the previous value); otherwise `on_track` when the latest move goes
   * toward it and `off_track` when it goes away or stands still; null without a target, a value,
   * or a direction to judge by.
   */
  targetStatus: 'reached' | 'on_track' | 'off_track' | null;
}

/** The digest grouped by the plan's goals (`groupBy: 'goal'`): one entry per goal, in plan order. */
export interface DigestGoal {
  /** The goal as the plan writes it; null for actions with no goal. */
  goal: string | null;
  /** The sub-goals of the goal's actions, as written, each once. */
  subGoals: string[];
  actions: number;
  byStatus: StatusCounts;
  updates: DigestUpdate[];
  overdue: DigestDeadline[];
  upcoming: DigestDeadline[];
}

/** How the digest's action sections are grouped: by team (default) or by the plan's goal. */
export type DigestGrouping = 'team' | 'goal';

export interface Digest {
  schema: typeof DIGEST_SCHEMA;
  programId: string;
  programName: string;
  /** `2026-W48`. */
  week: string;
  /** Monday and Sunday of the week (local dates). */
  weekStart: string;
  weekEnd: string;
  /** Reference date for "overdue" and "coming up": today for the current week, else the Monday after. */
  asOf: string;
  generatedAt: string;
  overview: DigestOverview;
  teams: DigestTeam[];
  decisions: DigestDecision[];
  indicators: DigestIndicator[];
  groupBy: DigestGrouping;
  /** Set when grouped by goal: the same updates and deadlines as `teams`, per goal. */
  goals?: DigestGoal[];
  /** "Veckan i korthet"; set by `buildDigest`, absent from `assembleDigest`. */
  summary?: DigestSummary;
}

/** What the digest reads: the repositories, nothing else. */
export interface DigestSources {
  actions: Pick<ActionRepository, 'list'>;
  events: Pick<EventLog, 'listWeek'>;
  decisions: Pick<DecisionRepository, 'listYear'>;
  indicators: Pick<IndicatorRepository, 'list'>;
  checkIns: Pick<CheckInRepository, 'listWeek'>;
}

export interface DigestInput {
  program: Program;
  week: string;
  now: Date;
  actions: Action[];
  events: LogEvent[];
  previousEvents: LogEvent[];
  decisions: Decision[];
  checkIns: CheckIn[];
  previousCheckIns: CheckIn[];
  indicators: Indicator[];
  groupBy?: DigestGrouping;
}

// ---------------------------------------------------------------------------------------------
// Which week
// ---------------------------------------------------------------------------------------------

export type WeekRequest =
  | { ok: true; week: string }
  | { ok: false; reason: 'format'; value: string }
  | { ok: false; reason: 'noSuchWeek'; value: string; week: number; year?: number }
  | { ok: false; reason: 'future'; value: string; week: string }
  | { ok: false; reason: 'tooOld'; value: string; week: string };

/**
 * How far back a digest may be asked for: a past week is rebuilt from the log of every week since
 * (domain/plan/history.ts), so this bounds what one request reads (three years of week partitions).
 */
export const MAX_WEEKS_BACK = 156;

const WEEK_WORDS = '(?:veckan|vecka|vk|v|week|wk|w)';

/**
 * What people type after `sammanfattning` / `digest`: nothing (this week), `vecka 47`, `week 47`,
 * `v47`, `v.47`, `47`, `vecka 47 2026`, `2026-W47`, `förra veckan` / `last week`. A week number
 * without a year is the most recent week with that number that is not in the future.
 */
export function parseWeekRequest(args: string, now: Date, timeZone: string): WeekRequest {
  const value = args.trim();
  const current = isoWeek(now, timeZone);
  const s = value.toLowerCase().replace(/\s+/g, ' ');
  if (s === '' || ['denna vecka', 'den här veckan', 'this week', 'nu', 'now'].includes(s)) return { ok: true, week: current };
  if (['förra veckan', 'forra veckan', 'last week', 'previous week'].includes(s)) return { ok: true, week: shiftIsoWeek(current, -1) };
  let year: number | undefined;
  let week: number | undefined;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4}) ?-? ?w ?(\d{1,2})$/.exec(s))) {
    year = Number(m[1]);
    week = Number(m[2]);
  } else if ((m = new RegExp(`^${WEEK_WORDS}\\.? ?(\\d{1,2})(?: ?[,/]? ?(\\d{4}))?$`).exec(s))) {
    week = Number(m[1]);
    year = m[2] ? Number(m[2]) : undefined;
  } else if ((m = /^(\d{1,2})(?: (\d{4}))?$/.exec(s))) {
    week = Number(m[1]);
    year = m[2] ? Number(m[2]) : undefined;
  } else {
    return { ok: false, reason: 'format', value };
  }
  if (year !== undefined) {
    if (week < 1 || week > weeksInYear(year)) return { ok: false, reason: 'noSuchWeek', value, week, year };
    const w = formatIsoWeek(year, week);
    if (w > current) return { ok: false, reason: 'future', value, week: w };
    if (w < shiftIsoWeek(current, -MAX_WEEKS_BACK)) return { ok: false, reason: 'tooOld', value, week: w };
    return { ok: true, week: w };
  }
  const currentYear = parseIsoWeek(current).year;
  for (const y of [currentYear, currentYear - 1]) {
    if (week < 1 || week > weeksInYear(y)) continue;
    const w = formatIsoWeek(y, week);
    if (w <= current) return { ok: true, week: w };
  }
  return { ok: false, reason: 'noSuchWeek', value, week };
}

/** "per mål", "efter mål", "by goal" at the start or the end of the arguments. */
const GOAL_WORDS = [/^(?:per|efter|by)\s+(?:mål|mal|goals?)(?:\s+|$)/i, /(?:^|\s+)(?:per|efter|by)\s+(?:mål|mal|goals?)$/i];

/**
 * What people type after `sammanfattning`, with the grouping taken off: `sammanfattning per mål`,
 * `sammanfattning vecka 47 per mål`, `digest by goal` group the actions by the plan's goals.
 */
export function parseDigestArgs(args: string): { week: string; groupBy: DigestGrouping } {
  const value = args.trim();
  const words = GOAL_WORDS.find((re) => re.test(value));
  return words ? { week: value.replace(words, ' ').trim(), groupBy: 'goal' } : { week: value, groupBy: 'team' };
}

/** Why a week cannot be summed up, in the user's language. */
export function weekProblem(request: Exclude<WeekRequest, { ok: true }>, locale: Locale): string {
  switch (request.reason) {
    case 'format':
      // What was typed goes back in a Markdown-rendered message: inert.
      return t(locale, 'digest.badFormat', { value: inert(request.value, 40) });
    case 'noSuchWeek':
      return t(locale, 'digest.noSuchWeek', {
        week: request.week,
        year: request.year !== undefined ? t(locale, 'digest.noSuchWeekYear', { year: request.year }) : '',
      });
    case 'future':
      return t(locale, 'digest.future', { week: formatWeek(locale, request.week, true) });
    case 'tooOld':
      return t(locale, 'digest.tooOld', { week: formatWeek(locale, request.week, true), years: Math.round(MAX_WEEKS_BACK / 52) });
  }
}

// ---------------------------------------------------------------------------------------------
// Computing
// ---------------------------------------------------------------------------------------------

const zeroCounts = (): StatusCounts => Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0])) as StatusCounts;

const percent = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 100) : null);

function isStatus(e: LogEvent): e is LogEvent & StatusUpdate {
  return e.type === 'status';
}

function byTime<T extends { at: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => a.at.localeCompare(b.at));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000);
}

function activity(statusEvents: (LogEvent & StatusUpdate)[]): WeekActivity {
  const perAction = new Map<string, { first?: ActionStatus; last: ActionStatus; known: boolean }>();
  for (const e of statusEvents) {
    const cur = perAction.get(e.actionId);
    if (!cur) perAction.set(e.actionId, { first: e.previousStatus, last: e.status, known: e.previousStatus !== undefined });
    else cur.last = e.status;
  }
  let statusChanges = 0;
  for (const a of perAction.values()) if (a.known && a.first !== a.last) statusChanges++;
  return {
    updates: statusEvents.length,
    actionsUpdated: perAction.size,
    statusChanges,
    teamsReporting: new Set(statusEvents.map((e) => e.teamKey)).size,
  };
}

/**
 * The check-in asked about the team's open actions (not done) and whatever was answered in it
 * (an action answered "done" this week still counts as asked).
 */
function checkInFigures(checkIn: CheckIn | undefined, teamActions: Action[]): { posted: boolean; asked: number; answered: number; rate: number | null } {
  if (!checkIn) return { posted: false, asked: 0, answered: 0, rate: null };
  const answered = new Set(checkIn.answeredActionIds);
  const asked = new Set([...teamActions.filter((a) => a.status !== 'done').map((a) => a.id), ...answered]);
  return { posted: true, asked: asked.size, answered: answered.size, rate: percent(answered.size, asked.size) };
}

function indicatorView(ind: Indicator): DigestIndicator {
  const values = [...ind.values].filter((v) => Number.isFinite(v.value)).sort((a, b) => a.period.localeCompare(b.period));
  const latest = values.at(-1) ?? null;
  const previous = values.length > 1 ? values.at(-2)! : null;
  const baseline = ind.baseline ?? null;
  const target = ind.target ?? null;
  let progressPercent: number | null = null;
  if (latest && baseline !== null && target !== null && target !== baseline) {
    progressPercent = Math.round(((latest.value - baseline) / (target - baseline)) * 100);
  }
  let trend: DigestIndicator['trend'] = null;
  let towardTarget: boolean | null = null;
  if (latest && previous) {
    trend = latest.value > previous.value ? 'up' : latest.value < previous.value ? 'down' : 'flat';
    if (target !== null && trend !== 'flat') {
      const ref = baseline ?? previous.value;
      const wantUp = target > ref;
      towardTarget = target === ref ? null : (trend === 'up') === wantUp;
    }
  }
  let targetStatus: DigestIndicator['targetStatus'] = null;
  if (latest && target !== null) {
    const ref = baseline ?? previous?.value ?? null;
    const wantUp = ref === null || ref === target ? null : target > ref;
    if (wantUp !== null && (wantUp ? latest.value >= target : latest.value <= target)) targetStatus = 'reached';
    else if (wantUp === null && latest.value === target) targetStatus = 'reached';
    else if (towardTarget !== null) targetStatus = towardTarget ? 'on_track' : 'off_track';
    else if (trend === 'flat') targetStatus = 'off_track';
  }
  return {
    id: ind.id,
    name: ind.name,
    unit: ind.unit,
    baseline,
    target,
    targetYear: ind.targetYear ?? null,
    latest: latest ? { period: latest.period, value: latest.value } : null,
    previous: previous ? { period: previous.period, value: previous.value } : null,
    progressPercent,
    trend,
    towardTarget,
    targetStatus,
  };
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
  const previousStatusEvents = byTime(input.previousEvents.filter((e) => e.programId === program.id)).filter(isStatus);
  const created = new Set(events.filter((e) => e.type === 'action' && e.change === 'created').map((e) => (e as { actionId: string }).actionId));

  // Status at the end of the week before: the first update's previousStatus this week; else the
  // last status reported the week before; else (no update this week) the same as at the end.
  const lastPrevious = new Map<string, ActionStatus>();
  for (const e of previousStatusEvents) lastPrevious.set(e.actionId, e.status);
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
    .filter((d) => d.programId === program.id && (inWeek(d.meeting.date) || inWeek(localDate(new Date(d.loggedAt), tz))))
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
  for (const k of [...actions.map((a) => a.teamKey), ...statusEvents.map((e) => e.teamKey)]) if (!teamKeys.includes(k)) teamKeys.push(k);

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
    const overdue = open.filter((a) => a.due! < asOf).sort(sortDue).map((a) => deadline(a, true));
    const upcoming = open.filter((a) => a.due! >= asOf && a.due! <= upcomingUntil).sort(sortDue).map((a) => deadline(a, false));
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
      previousWeek: activity(previousStatusEvents),
      answers: { checkIns: withCheckIn.length, asked, answered, rate: percent(answered, asked) },
    },
    teams,
    decisions,
    indicators: input.indicators
      .filter((i) => i.programId === program.id)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(indicatorView),
    groupBy,
    ...(groupBy === 'goal' ? { goals: goalGroups(actions, teams, endStatus) } : {}),
  };
}

/** The goals in plan order (team order, then the actions' order), actions without a goal last. */
function goalGroups(actions: Action[], teams: DigestTeam[], endStatus: (a: Action) => ActionStatus): DigestGoal[] {
  const goalOf = new Map(actions.map((a) => [a.id, a.goal?.trim() || null]));
  const teamOrder = new Map(teams.map((t, i) => [t.key, i]));
  const ordered = [...actions].sort((a, b) => (teamOrder.get(a.teamKey) ?? 0) - (teamOrder.get(b.teamKey) ?? 0) || (a.planNumber ?? '').localeCompare(b.planNumber ?? '', 'sv', { numeric: true }) || a.id.localeCompare(b.id));
  const groups = new Map<string | null, DigestGoal>();
  const group = (goal: string | null) => {
    let g = groups.get(goal);
    if (!g) groups.set(goal, (g = { goal, subGoals: [], actions: 0, byStatus: zeroCounts(), updates: [], overdue: [], upcoming: [] }));
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

/** The years whose decision partitions can hold a decision taken in the week. */
export function decisionYears(week: string): number[] {
  const { year, week: n } = parseIsoWeek(week);
  const monday = mondayOfIsoWeek(year, n);
  return [...new Set([Number(monday.slice(0, 4)), Number(addDays(monday, 6).slice(0, 4))])];
}

/**
 * Reads what the digest of `week` needs: two log partitions (the week and the one before), the
 * actions, the check-ins of both weeks, the decisions of the week's year(s) and the indicators.
 */
export async function computeDigest(sources: DigestSources, program: Program, week: string, now: Date, options: { groupBy?: DigestGrouping } = {}): Promise<Digest> {
  parseIsoWeek(week);
  const previous = shiftIsoWeek(week, -1);
  const current = isoWeek(now, program.timezone);
  // Callers check the week with parseWeekRequest; this keeps a direct call just as bounded.
  if (week < shiftIsoWeek(current, -MAX_WEEKS_BACK)) throw new RangeError(`${week} is more than ${MAX_WEEKS_BACK} weeks back`);
  const [today, later, events, previousEvents, decisionLists, checkIns, previousCheckIns, indicators] = await Promise.all([
    sources.actions.list(program.id),
    // A past week is summed up from the plan as it stood at its end: today's, with later changes undone.
    week < current ? eventsAfter(sources.events, program.id, week, current) : Promise.resolve([]),
    sources.events.listWeek({ programId: program.id, week }),
    sources.events.listWeek({ programId: program.id, week: previous }),
    Promise.all(decisionYears(week).map((y) => sources.decisions.listYear(program.id, y))),
    sources.checkIns.listWeek(program.id, week),
    sources.checkIns.listWeek(program.id, previous),
    sources.indicators.list(program.id),
  ]);
  return assembleDigest({
    program,
    week,
    now,
    actions: later.length ? planBefore(today, later) : today,
    groupBy: options.groupBy,
    events,
    previousEvents,
    decisions: decisionLists.flat(),
    checkIns,
    previousCheckIns,
    indicators,
  });
}

export interface BuildDigestOptions {
  week: string;
  now: Date;
  locale: Locale;
  /** Writes "Veckan i korthet" with a language model; without it the deterministic text is used. */
  writer?: SummaryWriter;
  logger?: Logger;
  /** For the model call (default 10 s). */
  summaryTimeoutMs?: number;
  /** The action sections by team (default) or by the plan's goal. */
  groupBy?: DigestGrouping;
}

/** The digest with its "Veckan i korthet" paragraph in `locale`. */
export async function buildDigest(sources: DigestSources, program: Program, options: BuildDigestOptions): Promise<Digest> {
  const digest = await computeDigest(sources, program, options.week, options.now, { groupBy: options.groupBy });
  const summary = await writeSummary(digest, options.locale, { writer: options.writer, logger: options.logger, timeoutMs: options.summaryTimeoutMs });
  return { ...digest, summary };
}

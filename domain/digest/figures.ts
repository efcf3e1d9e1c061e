/**
 * The digest's small figures: status counts, per cents, a week's activity from its status
 * updates, a team's check-in answers and an indicator against its target. Pure functions over
 * what was read; ./assemble.ts puts them together.
 */
import {
  ACTION_STATUSES,
  type Action,
  type ActionStatus,
  type CheckIn,
  type Indicator,
  type LogEvent,
  type StatusUpdate,
  type WeekStatusSummary,
} from '../types';
import type { DigestIndicator, StatusCounts, WeekActivity } from './model';

export const zeroCounts = (): StatusCounts => Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0])) as StatusCounts;

export const percent = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 100) : null;

export function isStatus(e: LogEvent): e is LogEvent & StatusUpdate {
  return e.type === 'status';
}

export function byTime<T extends { at: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => a.at.localeCompare(b.at));
}

/** A week's status updates in short, from its log: its activity and each action's last status. */
export function summarizeWeek(events: LogEvent[], programId: string): WeekStatusSummary {
  const statusEvents = byTime(events.filter((e) => e.programId === programId)).filter(isStatus);
  const last = new Map<string, ActionStatus>();
  for (const e of statusEvents) last.set(e.actionId, e.status);
  return { activity: activity(statusEvents), lastStatus: [...last] };
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000);
}

export function activity(statusEvents: (LogEvent & StatusUpdate)[]): WeekActivity {
  const perAction = new Map<string, { first?: ActionStatus; last: ActionStatus; known: boolean }>();
  for (const e of statusEvents) {
    const cur = perAction.get(e.actionId);
    if (!cur)
      perAction.set(e.actionId, { first: e.previousStatus, last: e.status, known: e.previousStatus !== undefined });
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
export function checkInFigures(
  checkIn: CheckIn | undefined,
  teamActions: Action[],
): { posted: boolean; asked: number; answered: number; rate: number | null } {
  if (!checkIn) return { posted: false, asked: 0, answered: 0, rate: null };
  const answered = new Set(checkIn.answeredActionIds);
  const asked = new Set([...teamActions.filter((a) => a.status !== 'done').map((a) => a.id), ...answered]);
  return { posted: true, asked: asked.size, answered: answered.size, rate: percent(answered.size, asked.size) };
}

/** An indicator's values in period order, those that are numbers. */
export function indicatorValues(ind: Indicator): { period: string; value: number }[] {
  return [...ind.values]
    .filter((v) => Number.isFinite(v.value))
    .sort((a, b) => a.period.localeCompare(b.period))
    .map((v) => ({ period: v.period, value: v.value }));
}

export function indicatorView(ind: Indicator): DigestIndicator {
  const values = indicatorValues(ind);
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

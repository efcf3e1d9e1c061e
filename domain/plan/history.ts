/**
 * The plan as it stood at the end of a past week, rebuilt from today's plan and the log of the
 * weeks after it: each later change is undone, newest first. A created action did not exist yet;
 * an update puts back the values its event recorded as `previous`; a status update puts back its
 * `previousStatus`. Only the weeks between that week and today are read, so the digest of last week
 * costs one log partition more than this week's, whatever the length of the history.
 *
 * A change logged without its previous values (events from before `previous` was recorded) keeps
 * today's value for those fields, except `retiredAt`: an action retired later was not retired then.
 */
import type { EventLog } from '../ports';
import { shiftIsoWeek } from '../time';
import type { Action, LogEvent } from '../types';

/** Fields an undo may write back; others in an event (ids, the program) are left alone. */
const RESTORABLE = new Set<string>([
  'title',
  'description',
  'owner',
  'responsibleBody',
  'start',
  'due',
  'timeline',
  'ongoing',
  'goal',
  'subGoal',
  'planNumber',
  'financing',
  'status',
  'progress',
  'indicatorIds',
  'retiredAt',
  'teamKey',
]);

function restore(action: Action, field: string, value: unknown): void {
  const target = action as unknown as Record<string, unknown>;
  if (value === null || value === undefined) delete target[field];
  else if (field === 'owner' && typeof value === 'object')
    action.owner = { ...action.owner, ...(value as Action['owner']) };
  else target[field] = value;
  if (field === 'owner')
    for (const [k, v] of Object.entries(action.owner))
      if (v === null || v === undefined) delete (action.owner as unknown as Record<string, unknown>)[k];
}

/**
 * Pure: `actions` (today's) with every event of `later` (the log after the week, any order) undone.
 * The result is new objects; the input is not changed.
 */
export function planBefore(actions: readonly Action[], later: readonly LogEvent[]): Action[] {
  const byId = new Map(actions.map((a) => [a.id, { ...a, owner: { ...a.owner }, indicatorIds: [...a.indicatorIds] }]));
  const newestFirst = [...later].sort((a, b) => b.at.localeCompare(a.at) || b.eventId.localeCompare(a.eventId));
  for (const e of newestFirst) {
    if (e.type === 'status') {
      const a = byId.get(e.actionId);
      if (a && e.previousStatus) a.status = e.previousStatus;
      continue;
    }
    if (e.type !== 'action') continue;
    if (e.change === 'created') {
      byId.delete(e.actionId);
      continue;
    }
    const a = byId.get(e.actionId);
    if (!a) continue;
    const previous = e.previous ?? {};
    for (const field of Object.keys(e.fields)) {
      if (!RESTORABLE.has(field)) continue;
      if (field in previous) restore(a, field, previous[field]);
      else if (field === 'retiredAt') delete a.retiredAt;
    }
  }
  return [...byId.values()];
}

/** The ISO weeks after `week` up to and including `current`, oldest first (none when `week` is current). */
export function weeksAfter(week: string, current: string): string[] {
  const out: string[] = [];
  for (let w = shiftIsoWeek(week, 1); w <= current; w = shiftIsoWeek(w, 1)) out.push(w);
  return out;
}

/** At most this many log partitions are read at once. */
const PARALLEL_READS = 6;

/** The log of the weeks after `week` up to `current` (the events an as-of view undoes). */
export async function eventsAfter(
  events: Pick<EventLog, 'listWeek'>,
  programId: string,
  week: string,
  current: string,
): Promise<LogEvent[]> {
  const weeks = weeksAfter(week, current);
  const out: LogEvent[] = [];
  for (let i = 0; i < weeks.length; i += PARALLEL_READS) {
    const lists = await Promise.all(
      weeks.slice(i, i + PARALLEL_READS).map((w) => events.listWeek({ programId, week: w })),
    );
    for (const list of lists) out.push(...list);
  }
  return out;
}

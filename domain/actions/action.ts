/** Rules about actions that more than one view needs. */
import type { Action, ActionStatus } from '../types';

/**
 * Past its due date (a `YYYY-MM-DD` local date) and not done. An ongoing action ("Löpande",
 * "Årligen") has no end, so it is never overdue, whatever date it may carry.
 */
export function isOverdue(action: Pick<Action, 'due' | 'status' | 'ongoing'>, today: string): boolean {
  return !action.ongoing && !!action.due && action.due < today && action.status !== 'done';
}

/** Whether a yearly revision has taken the action out of the plan (it stays in the log). */
export function isRetired(action: Pick<Action, 'retiredAt'>): boolean {
  return !!action.retiredAt;
}

/** The order actions are listed in: by due date (none last), then by id. */
export function byDueThenId(a: Pick<Action, 'due' | 'id'>, b: Pick<Action, 'due' | 'id'>): number {
  return (a.due ?? '9999').localeCompare(b.due ?? '9999') || a.id.localeCompare(b.id);
}

/** What a card shows of an action in a list (the check-in card, the action list). */
export interface ActionRowView {
  id: string;
  title: string;
  owner: string;
  due?: string;
  /** The plan's timeline as written ("Hösten 2026", "Löpande"). */
  timeline?: string;
  /** No end date: never overdue. */
  ongoing?: boolean;
  goal?: string;
  subGoal?: string;
  status: ActionStatus;
  progress: number;
  overdue: boolean;
}

/** The list row of `action` on `today` (a local `YYYY-MM-DD`). */
export function actionRowView(action: Action, today: string): ActionRowView {
  // Built property by property (in this order) rather than with spreads: every card of a team
  // builds one per action, and the spreads were most of its cost.
  const row = { id: action.id, title: action.title, owner: action.owner.name, due: action.due } as ActionRowView;
  const timeline = action.timeline?.trim();
  if (timeline) row.timeline = timeline;
  if (action.ongoing) row.ongoing = true;
  const goal = action.goal?.trim();
  if (goal) row.goal = goal;
  const subGoal = action.subGoal?.trim();
  if (subGoal) row.subGoal = subGoal;
  row.status = action.status;
  row.progress = action.progress;
  row.overdue = isOverdue(action, today);
  return row;
}

/** Rules about actions that more than one view needs. */
import { formatDate, t } from '../i18n';
import type { Action, ActionStatus, Locale } from '../types';

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
  return {
    id: action.id,
    title: action.title,
    owner: action.owner.name,
    due: action.due,
    ...(action.timeline?.trim() ? { timeline: action.timeline.trim() } : {}),
    ...(action.ongoing ? { ongoing: true } : {}),
    ...(action.goal?.trim() ? { goal: action.goal.trim() } : {}),
    ...(action.subGoal?.trim() ? { subGoal: action.subGoal.trim() } : {}),
    status: action.status,
    progress: action.progress,
    overdue: isOverdue(action, today),
  };
}

/**
 * When an action is due, as one phrase with its label: the plan's timeline as written, with the
 * date derived from it when there is one ("Tidplan: Hösten 2026 (senast 30 november 2026)",
 * "Tidplan: Löpande"); without a timeline, the due date ("Slutdatum: 30 november 2026").
 * The timeline is the plan's text: callers put it in a TextRun, never in Markdown.
 */
export function dueText(locale: Locale, a: Pick<Action, 'due' | 'timeline' | 'ongoing'>): string {
  const timeline = a.timeline?.trim();
  if (timeline) {
    if (a.due && !a.ongoing) return t(locale, 'actions.timelineDue', { timeline, date: formatDate(locale, a.due) });
    return t(locale, 'actions.timeline', { timeline });
  }
  if (a.ongoing) return t(locale, 'actions.timeline', { timeline: t(locale, 'actions.ongoing') });
  return `${t(locale, 'actions.due')}: ${a.due ? formatDate(locale, a.due) : t(locale, 'actions.noDue')}`;
}

/** The goal line of an action ("Mål: Fler bostäder · Delmål: Hyresrätter"), or undefined without a goal. */
export function goalText(locale: Locale, a: Pick<Action, 'goal' | 'subGoal'>): string | undefined {
  const goal = a.goal?.trim();
  const subGoal = a.subGoal?.trim();
  if (!goal && !subGoal) return undefined;
  return [goal ? t(locale, 'actions.goal', { goal }) : '', subGoal ? t(locale, 'actions.subGoal', { subGoal }) : ''].filter(Boolean).join(' · ');
}

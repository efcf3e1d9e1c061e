/** Rules about actions that more than one view needs. */
import type { Action, ActionStatus } from './types';

/** Past its due date (a `YYYY-MM-DD` local date) and not done. */
function isOverdue(action: Pick<Action, 'due' | 'status'>, today: string): boolean {
  return !!action.due && action.due < today && action.status !== 'done';
}

/** What a card shows of an action in a list (the check-in card, the action list). */
export interface ActionRowView {
  id: string;
  title: string;
  owner: string;
  due?: string;
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
    status: action.status,
    progress: action.progress,
    overdue: isOverdue(action, today),
  };
}

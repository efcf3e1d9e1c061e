/** Rules about actions that more than one view needs. */
import type { Action } from './types';

/** Past its due date (a `YYYY-MM-DD` local date) and not done. */
export function isOverdue(action: Pick<Action, 'due' | 'status'>, today: string): boolean {
  return !!action.due && action.due < today && action.status !== 'done';
}

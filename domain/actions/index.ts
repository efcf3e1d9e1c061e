/**
 * Actions of the plan: what a list shows of them (overdue, retired, their row on a card, in
 * which order), and adding or editing one from a card. Code outside this folder imports actions from here.
 */
export { actionRowView, byDueThenId, isOverdue, isRetired, type ActionRowView } from './action';
export {
  ACTION_EDIT_LIMITS,
  nextActionId,
  parseActionForm,
  type ActionFormValues,
  type ParsedActionForm,
} from './form';
export { ActionService, type ActionServiceDeps, type SaveActionOutcome } from './service';

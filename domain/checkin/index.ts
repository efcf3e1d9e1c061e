/**
 * Check-ins: the weekly status card of each team, the answers given on it, and the reminder.
 * Code outside this folder imports check-ins from here.
 *
 * Rules that shape the code:
 * - One check-in per team and ISO week (the CheckIns row); posting again happens only when asked.
 * - The log is the record: every answer is a StatusUpdate event whose id comes from the invoke,
 *   so a redelivered invoke logs once; the action's current state is then updated with its ETag,
 *   and an answer never overwrites a later one.
 *
 * The folder by concern: view.ts (what the card shows) and follow-ups.ts (the steering group's
 * follow-ups on it); answer.ts (checking one answer) and answering.ts (saving it); claims.ts and
 * posting.ts (one card per team and week, posted and refreshed), with run-reads.ts (what a run's
 * cards read, read once for many); reminders.ts; service.ts puts them together over the shared
 * context.ts.
 */
export { ANSWER_LIMITS, parseAnswer, type AnswerFields, type ParsedAnswer } from './answer';
export type { AnswerOutcome } from './answering';
export { POSTING_CLAIM_TTL_MS } from './claims';
export type { CheckInServiceDeps, TeamChannel } from './context';
export { followUpYears, type CheckInFollowUpView } from './follow-ups';
export type { PostOutcome } from './posting';
export type { ReminderReport } from './reminders';
export { CheckInService } from './service';
export {
  actionsOnCard,
  answeredIn,
  buildCheckInView,
  type CheckInActionView,
  type CheckInRenderer,
  type CheckInView,
} from './view';

/**
 * The decision log: the steering group logs decisions in its channel; each gets the next gap-free
 * number of its year (`D-2026-007`), the teams it affects are told, and the log can be read,
 * filtered, amended, revoked and exported. Nothing is ever deleted: an amendment or a revocation
 * keeps what was there before in the decision's history.
 *
 * Pure domain code: the bot layer checks who may act (`domain/roles.ts`) and supplies the cards
 * (`NoticeRenderer`) and the messenger. Refusals are text keys with parameters (`DecisionProblem`),
 * put into words by the bot and the cards.
 *
 * This is the feature's public face: code outside `domain/decisions/` imports it from here.
 * - `form.ts`: the form's limits and values, and validating what it sends;
 * - `problems.ts`: how a refusal is reported;
 * - `number.ts`: reading decision numbers;
 * - `record.ts`: logging a decision, reading one, marking its follow-up done;
 * - `history.ts`: amending and revoking;
 * - `supersede.ts`: a decision replacing an earlier one (both numbers stay, each points to the other);
 * - `message.ts`: a Teams message as the start of a decision (the message extension's form);
 * - `log.ts`: filters, the list, the open follow-ups (all, and a team's);
 * - `views.ts`: what the cards show;
 * - `notices.ts`: telling the affected teams;
 * - `export.ts`: the log as CSV and XLSX for the registry.
 */
export type { DecisionDeps } from './deps';
export {
  affectedActionsText,
  changesSummary,
  csvField,
  decisionsForExport,
  EXPORT_COLUMNS,
  exportRow,
  exportTable,
  guardFormula,
  retiredActions,
  toCsv,
  toXlsx,
  type ExportPeriod,
  type RetiredActions,
} from './export';
export {
  DECISION_FIELD_LABEL,
  DECISION_LIMITS,
  DEFAULT_MEETING_NAME,
  emptyFormValues,
  formValuesFromInput,
  formValuesOf,
  PREFILL_TITLE_MAX,
  prefillFromText,
  validateDraft,
  validateReason,
  type DecisionDraft,
  type DecisionFormInput,
  type DecisionFormValues,
} from './form';
export { amendDecision, revokeDecision, type ChangeInput } from './history';
export {
  defaultFilter,
  hasOpenFollowUp,
  listDecisions,
  MAX_FILTER_YEARS,
  openFollowUps,
  openFollowUpsForTeam,
  parseDecisionFilter,
  type DecisionFilter,
  type DecisionWithOpenFollowUp,
  type OpenFollowUp,
} from './log';
export {
  latestChange,
  noticeBatch,
  notifyDecision,
  RESUME_MAX_AGE_MS,
  RESUME_MIN_AGE_MS,
  resumeDecisionNotices,
  type NoticeRenderer,
  type NotifyDeps,
} from './notices';
export { formValuesFromMessage, htmlToText, messageText, type SourceMeeting, type SourceMessage } from './message';
export { normaliseDecisionNumber } from './number';
export { invalidDecision, type DecisionProblem } from './problems';
export { getDecision, loggedEventId, logDecision, markFollowUpDone, type LogResult } from './record';
export {
  checkSupersedable,
  completeSupersession,
  resumeSupersessions,
  supersededEventId,
  withSupersessions,
} from './supersede';
export {
  decisionView,
  logItemOf,
  noticeView,
  teamNames,
  type DecisionLogItem,
  type DecisionNoticeView,
  type DecisionView,
  type RevisionView,
} from './views';

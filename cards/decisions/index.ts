/**
 * The decision log's cards, the public face of `cards/decisions/`: one decision with its history
 * and the revoke form (`decision.card.ts`), the log form (`form.card.ts`), a page of the log
 * (`log.card.ts`) and the notice an affected team gets (`notice.card.ts`).
 */
export {
  decisionCard,
  revokeFormCard,
  stateColor,
  type DecisionCardOptions,
  type RevokeFormView,
} from './decision.card';
export { decisionFormCard, type DecisionFormView } from './form.card';
export { decisionLogCard, DECISIONS_PER_PAGE, describeFilter, type DecisionLogView } from './log.card';
export { decisionNoticeCard, decisionNoticeMessage } from './notice.card';

/**
 * Amending and revoking a decision. Nothing is ever deleted: the number stays, and what the
 * decision said before is kept in its history with who, when and why. Each change is made once
 * per request, however often Teams delivers it.
 */
import { ConcurrencyError } from '../errors';
import type { DecisionRequestMark } from '../ports';
import type { Decision, DecisionRevision } from '../types';
import type { DecisionDeps } from './deps';
import type { DecisionDraft } from './form';
import { yearOfNumber } from './number';
import { invalidDecision } from './problems';
import { answerDuplicate, decisionEvent, getDecision, type LogResult } from './record';

function checkEtag(current: Decision, etag: string | undefined): void {
  // The card carries the etag it was built from: someone who changed it in between wins, and
  // this person is told so instead of overwriting their change.
  if (etag && current.etag && etag !== current.etag) {
    throw new ConcurrencyError(`decision ${current.number} changed since the card was shown`, {
      number: current.number,
    });
  }
}

function previousOf(d: Decision): DecisionRevision['previous'] {
  return {
    title: d.title,
    text: d.text,
    rationale: d.rationale,
    meeting: d.meeting,
    affectedTeams: d.affectedTeams,
    affectedActions: d.affectedActions,
    ...(d.followUp ? { followUp: { owner: d.followUp.owner, due: d.followUp.due, done: d.followUp.done } } : {}),
  };
}

export interface ChangeInput {
  number: string;
  /** Etag of the card the person saw. */
  etag?: string;
  reason: string;
  by: string;
  /** The activity id: a redelivered save is answered with the saved decision. */
  requestId: string;
}

/**
 * The start of an amend or revoke: the decision as it is now, or (when this request was carried
 * out by an earlier delivery) the decision to answer with. A revoked decision or a card built
 * from an older version is refused. The marker read here only answers a late redelivery early;
 * what makes the change happen once is the marker written in the change's own transaction.
 */
async function beginChange(
  deps: DecisionDeps,
  input: ChangeInput,
  change: 'amended' | 'revoked',
): Promise<
  | { duplicate: Decision; mark: DecisionRequestMark; eventId: string; now: Date }
  | { current: Decision; at: string; eventId: string; now: Date }
> {
  const now = deps.clock.now();
  const eventId = `decision-${change}|${input.requestId.slice(0, 200)}`;
  const year = yearOfNumber(input.number);
  const [current, mark] = await Promise.all([
    getDecision(deps, input.number),
    year === undefined ? undefined : deps.repos.decisions.findRequest(deps.program.id, year, eventId),
  ]);
  if (mark) return { duplicate: current, mark, eventId, now };
  if (current.state === 'revoked')
    throw invalidDecision([{ key: 'decision.error.revoked', params: { number: current.number } }]);
  // A replaced decision is no longer in force: the decision that replaced it is the one to change.
  if (current.state === 'superseded')
    throw invalidDecision([
      { key: 'decision.error.superseded', params: { number: current.number, by: current.supersededBy ?? '' } },
    ]);
  checkEtag(current, input.etag);
  return { current, at: now.toISOString(), eventId, now };
}

/** Saves a change with its request's marker; a delivery that lost to an earlier one gets its answer. */
async function saveChange(
  deps: DecisionDeps,
  next: Decision,
  change: 'amended' | 'revoked',
  eventId: string,
  now: Date,
  teams: string[],
): Promise<LogResult> {
  const mark: DecisionRequestMark = { number: next.number, change, revision: next.history.length };
  const result = await deps.repos.decisions.updateForRequest(next, eventId, mark);
  if (!result.applied) return answerDuplicate(deps, result.decision, result.mark, eventId, now);
  const saved = result.decision;
  const revision = saved.history[saved.history.length - 1]!;
  await deps.repos.events.append(decisionEvent(deps, saved, change, revision.by, revision.at, eventId, teams));
  deps.logger.info({ number: saved.number, revisions: saved.history.length }, `decision ${change}`);
  return { decision: saved, duplicate: false, notify: true };
}

/**
 * Amends a decision: the number stays, the state becomes `amended`, and what it said before is
 * kept in its history with who, when and why. The year of the number does not move even when the
 * meeting date does. One amendment per request, however often it is delivered.
 */
export async function amendDecision(
  deps: DecisionDeps,
  input: ChangeInput & { draft: DecisionDraft },
): Promise<LogResult> {
  const start = await beginChange(deps, input, 'amended');
  if ('duplicate' in start) return answerDuplicate(deps, start.duplicate, start.mark, start.eventId, start.now);
  const { current, at, eventId, now } = start;

  const draft = input.draft;
  const sameFollowUp =
    current.followUp &&
    draft.followUp &&
    current.followUp.owner === draft.followUp.owner &&
    current.followUp.due === draft.followUp.due;
  const followUp = draft.followUp ? (sameFollowUp ? current.followUp : draft.followUp) : undefined;
  const revision: DecisionRevision = {
    at,
    by: input.by,
    change: 'amended',
    previous: previousOf(current),
    reason: input.reason,
  };
  const { followUp: _old, ...rest } = current;
  const next: Decision = {
    ...rest,
    title: draft.title,
    text: draft.text,
    rationale: draft.rationale,
    // The form does not show the meeting's id: an amendment on the same date keeps it.
    meeting:
      current.meeting.id && draft.meeting.date === current.meeting.date
        ? { ...draft.meeting, id: current.meeting.id }
        : draft.meeting,
    affectedTeams: draft.affectedTeams,
    affectedActions: draft.affectedActions,
    ...(followUp ? { followUp } : {}),
    state: 'amended',
    history: [...current.history, revision],
  };
  return saveChange(deps, next, 'amended', eventId, now, [
    ...new Set([...current.affectedTeams, ...draft.affectedTeams]),
  ]);
}

/** Revokes a decision: state `revoked`, with the reason; the decision and its text stay in the log. One revocation per request. */
export async function revokeDecision(deps: DecisionDeps, input: ChangeInput): Promise<LogResult> {
  const start = await beginChange(deps, input, 'revoked');
  if ('duplicate' in start) return answerDuplicate(deps, start.duplicate, start.mark, start.eventId, start.now);
  const { current, at, eventId, now } = start;
  const revision: DecisionRevision = {
    at,
    by: input.by,
    change: 'revoked',
    previous: { title: current.title, text: current.text, rationale: current.rationale },
    reason: input.reason,
  };
  return saveChange(
    deps,
    { ...current, state: 'revoked', history: [...current.history, revision] },
    'revoked',
    eventId,
    now,
    current.affectedTeams,
  );
}

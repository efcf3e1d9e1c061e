/**
 * Logging a decision and reading one back. A decision gets the next gap-free number of its
 * meeting's year and a `decision` event; a request delivered twice (a redelivery, a double click)
 * numbers it once and is answered with it. Marking a follow-up done is here too: it changes the
 * decision but keeps no revision in its history.
 */
import { NotFoundError, StorageUnavailableError } from '../errors';
import type { DecisionRequestMark } from '../ports';
import type { Decision, LogEvent } from '../types';
import type { DecisionDeps } from './deps';
import type { DecisionDraft } from './form';
import { changedAt, RESUME_MIN_AGE_MS } from './notices';
import { type DecisionProblem, invalidDecision } from './problems';
import { checkSupersedable, markSuperseded } from './supersede';

export function decisionEvent(
  deps: DecisionDeps,
  d: Decision,
  change: 'logged' | 'amended' | 'revoked',
  by: string,
  at: string,
  eventId: string,
  teams = d.affectedTeams,
): LogEvent {
  return {
    type: 'decision',
    number: d.number,
    change,
    affectedTeams: teams,
    programId: deps.program.id,
    at,
    by,
    source: 'card',
    eventId,
  };
}

/** The event id that makes a submit idempotent: one per form (or per activity, without a form id). */
export const loggedEventId = (requestId: string) => `decision-logged|${requestId}`;

export interface LogResult {
  decision: Decision;
  /** True when this request had already logged the decision (redelivery, double click). */
  duplicate: boolean;
  /**
   * Whether the caller posts the notices: it made the change, or the change is old enough that
   * the run that made it is not posting them any more (the rule `resumeDecisionNotices` follows).
   * A delivery that arrives while the first is still posting leaves them to it.
   */
  notify: boolean;
}

/** A change younger than `RESUME_MIN_AGE_MS`: its notices are left to the run that made it. */
function changedRecently(d: Decision, now: Date): boolean {
  return now.getTime() - new Date(changedAt(d)).getTime() < RESUME_MIN_AGE_MS;
}

/** The teams a revision's notice and event name: those affected before it and right after it. */
function teamsOfRevision(d: Decision, revision: number): string[] {
  const entry = d.history[revision - 1];
  const after = d.history[revision]?.previous.affectedTeams ?? d.affectedTeams;
  return [...new Set([...(entry?.change === 'amended' ? (entry.previous.affectedTeams ?? []) : []), ...after])];
}

/**
 * A request that an earlier (or simultaneous) delivery carried out: its event is written in case
 * that delivery stopped before it (a no-op when it is there), and the decision is the answer.
 */
export async function answerDuplicate(
  deps: DecisionDeps,
  d: Decision,
  mark: DecisionRequestMark,
  eventId: string,
  now: Date,
): Promise<LogResult> {
  const revision = d.history[mark.revision - 1];
  if (mark.change === 'logged')
    await deps.repos.events.append(decisionEvent(deps, d, 'logged', d.loggedBy, d.loggedAt, eventId));
  else if (revision && mark.change !== 'superseded')
    await deps.repos.events.append(
      decisionEvent(deps, d, mark.change, revision.by, revision.at, eventId, teamsOfRevision(d, mark.revision)),
    );
  return { decision: d, duplicate: true, notify: !changedRecently(d, now) };
}

/**
 * Stores a new decision with the next number of its meeting's year and logs a `DecisionLogged`
 * event. Idempotent per `requestId` (the form's id, or the activity id): the request's marker is
 * written in the same transaction as the decision and its year's counter, so of two deliveries of
 * one form, at the same moment on two instances or one after the other, one numbers the decision
 * and the other fails its transaction, finds the marker and answers with that decision.
 *
 * Order: create numbered (with the marker) → append the event → mark the decision it replaces,
 * if any (`supersede.ts`). A crash after the create and before the event leaves a decision
 * without its event; the next delivery of the same request finds the marker and writes the event
 * then, and marks the replaced decision too (the scheduled resume also does).
 *
 * A decision that replaces another is refused (problem keys) when that one does not exist, is
 * revoked or was replaced already; a request that was carried out before is not checked again
 * (its own marking would refuse it) but answered.
 */
export async function logDecision(
  deps: DecisionDeps,
  input: { draft: DecisionDraft; by: string; requestId: string },
): Promise<LogResult> {
  const { program, repos, clock } = deps;
  const now = clock.now();
  const at = now.toISOString();
  const year = Number(input.draft.meeting.date.slice(0, 4));
  const requestId = input.requestId.slice(0, 200);
  const eventId = loggedEventId(requestId);
  const supersedes = input.draft.supersedes;
  if (supersedes && !(await repos.decisions.findRequest(program.id, year, eventId)))
    await checkSupersedable(deps, supersedes);

  const { decision, created } = await repos.decisions.createForRequest(
    {
      programId: program.id,
      year,
      title: input.draft.title,
      text: input.draft.text,
      rationale: input.draft.rationale,
      meeting: input.draft.meeting,
      affectedTeams: input.draft.affectedTeams,
      affectedActions: input.draft.affectedActions,
      ...(input.draft.followUp ? { followUp: input.draft.followUp } : {}),
      ...(supersedes ? { supersedes } : {}),
      loggedBy: input.by,
      loggedAt: at,
      state: 'active',
      history: [],
      requestId,
    },
    eventId,
  );
  try {
    if (!created) {
      const answer = await answerDuplicate(
        deps,
        decision,
        { number: decision.number, change: 'logged', revision: 0 },
        eventId,
        now,
      );
      await markSuperseded(deps, decision);
      return answer;
    }
    await repos.events.append(decisionEvent(deps, decision, 'logged', input.by, at, eventId));
  } catch (err) {
    // The decision has its number and is stored; only its log row is missing. Say so (not
    // "nothing was saved"): sending the same form again finds it and writes the row.
    if (err instanceof StorageUnavailableError)
      throw new StorageUnavailableError(err.message, { ...err.details, saved: true, number: decision.number });
    throw err;
  }
  deps.logger.info({ number: decision.number, teams: decision.affectedTeams.length }, 'decision logged');
  await markSuperseded(deps, decision);
  return { decision, duplicate: false, notify: true };
}

/** The decision by its number; NotFoundError (its `what` a text key naming it) when there is none. */
export async function getDecision(deps: Pick<DecisionDeps, 'program' | 'repos'>, number: string): Promise<Decision> {
  const d = await deps.repos.decisions.get(deps.program.id, number);
  const what: DecisionProblem = { key: 'decision.notFound', params: { number } };
  if (!d) throw new NotFoundError(`decision ${number}`, { what });
  return d;
}

/** Marks a decision's follow-up done (from the decision card or the team's check-in card). */
export async function markFollowUpDone(deps: DecisionDeps, input: { number: string; by: string }): Promise<Decision> {
  const current = await getDecision(deps, input.number);
  if (!current.followUp)
    throw invalidDecision([{ key: 'decision.error.noFollowUp', params: { number: current.number } }]);
  if (current.followUp.done) return current;
  const saved = await deps.repos.decisions.update({
    ...current,
    followUp: { ...current.followUp, done: true, doneBy: input.by, doneAt: deps.clock.now().toISOString() },
  });
  deps.logger.info({ number: saved.number }, 'decision follow-up done');
  return saved;
}

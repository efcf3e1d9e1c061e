/**
 * Superseding: a new decision can replace an earlier one. No number is reused: the earlier
 * decision stays in the log, marked `superseded` with `supersededBy` and a revision in its
 * history, and the new one names it in `supersedes`.
 *
 * The new decision is stored first (with its number and `supersedes`); marking the earlier one is
 * a second write, made once per new decision: its request marker is keyed on the new number, in
 * the earlier decision's partition, in the same transaction as the marking. So the marking can be
 * repeated safely, and storage failing between the two writes leaves nothing that is not
 * finished later: a redelivered form marks it, the scheduled resume marks it, and until then the
 * log and the exports show the earlier decision as superseded anyway (`withSupersessions`).
 */
import { ConcurrencyError, StorageUnavailableError } from '../errors';
import { localParts } from '../time';
import type { Decision, DecisionRevision } from '../types';
import type { DecisionDeps } from './deps';
import { changedAt, RESUME_MAX_AGE_MS } from './notices';
import { invalidDecision } from './problems';

/** The request key of marking the decision that `number` replaces. */
export const supersededEventId = (number: string) => `decision-superseded|${number}`;

/** Refuses to replace a decision that does not exist, is revoked or was replaced already. */
export async function checkSupersedable(
  deps: Pick<DecisionDeps, 'program' | 'repos'>,
  number: string,
): Promise<Decision> {
  const d = await deps.repos.decisions.get(deps.program.id, number);
  if (!d) throw invalidDecision([{ key: 'decision.supersedes.notFound', params: { number } }]);
  if (d.state === 'revoked') throw invalidDecision([{ key: 'decision.supersedes.revoked', params: { number } }]);
  if (d.state === 'superseded' || d.supersededBy)
    throw invalidDecision([{ key: 'decision.supersedes.superseded', params: { number, by: d.supersededBy ?? '' } }]);
  return d;
}

/** The earlier decision as it reads once `by` replaced it: state, pointer back, and a revision. */
export function supersededVersion(earlier: Decision, by: Decision): Decision {
  const revision: DecisionRevision = {
    at: by.loggedAt,
    by: by.loggedBy,
    change: 'superseded',
    previous: { title: earlier.title, text: earlier.text, rationale: earlier.rationale },
    reason: '',
    supersededBy: by.number,
  };
  return { ...earlier, state: 'superseded', supersededBy: by.number, history: [...earlier.history, revision] };
}

/** Whether `earlier` can still be marked as replaced by `d` (it is not revoked or replaced by another). */
function markable(earlier: Decision, d: Decision): boolean {
  return earlier.state !== 'revoked' && !earlier.supersededBy && earlier.number !== d.number;
}

/**
 * Marks the decision `d` replaces as superseded by it, once however often it runs. True when it
 * is marked (now or before); false when it cannot be (gone, revoked, or replaced by another
 * decision in between), which is logged. Storage errors are thrown.
 */
export async function completeSupersession(deps: DecisionDeps, d: Decision): Promise<boolean> {
  if (!d.supersedes) return true;
  for (let attempt = 0; attempt < 3; attempt++) {
    const earlier = await deps.repos.decisions.get(deps.program.id, d.supersedes);
    if (earlier?.supersededBy === d.number) return true;
    if (!earlier || !markable(earlier, d)) {
      deps.logger.warn(
        { number: d.number, supersedes: d.supersedes, state: earlier?.state, supersededBy: earlier?.supersededBy },
        'the decision it replaces cannot be marked superseded',
      );
      return false;
    }
    const next = supersededVersion(earlier, d);
    try {
      // `applied: false`: this marking was made before (its marker is there); nothing to do.
      await deps.repos.decisions.updateForRequest(next, supersededEventId(d.number), {
        number: earlier.number,
        change: 'superseded',
        revision: next.history.length,
      });
      deps.logger.info({ number: earlier.number, supersededBy: d.number }, 'decision superseded');
      return true;
    } catch (err) {
      // Someone changed the earlier decision in between (an amendment): read it again.
      if (!(err instanceof ConcurrencyError)) throw err;
    }
  }
  throw new ConcurrencyError(`decision ${d.supersedes}: changed while it was being marked superseded`, {
    number: d.supersedes,
  });
}

/**
 * As `completeSupersession`, for right after logging: a store that fails now leaves the marking
 * to the next delivery or the scheduled resume, and the logged decision stands.
 */
export async function markSuperseded(deps: DecisionDeps, d: Decision): Promise<void> {
  try {
    await completeSupersession(deps, d);
  } catch (err) {
    if (!(err instanceof StorageUnavailableError) && !(err instanceof ConcurrencyError)) throw err;
    deps.logger.warn(
      { number: d.number, supersedes: d.supersedes, code: err.code },
      'could not mark the replaced decision yet; it is finished later',
    );
  }
}

/**
 * The decisions as the log shows them: one replaced by a decision in the list, whose marking is
 * not written yet, already reads as superseded (the same version the marking will store).
 */
export function withSupersessions(decisions: Decision[]): Decision[] {
  const byNumber = new Map(decisions.map((d) => [d.number, d]));
  for (const d of decisions) {
    if (!d.supersedes) continue;
    const earlier = byNumber.get(d.supersedes);
    if (earlier && markable(earlier, d)) byNumber.set(earlier.number, supersededVersion(earlier, d));
  }
  return decisions.map((d) => byNumber.get(d.number) ?? d);
}

/**
 * Finishes the markings a crash or an outage left undone: every decision logged in the last two
 * days that replaces another. Returns how many were marked now or found marked.
 */
export async function resumeSupersessions(deps: DecisionDeps): Promise<number> {
  const now = deps.clock.now().getTime();
  const year = localParts(deps.clock.now(), deps.program.timezone).year;
  const recent = (await Promise.all([year, year - 1].map((y) => deps.repos.decisions.listYear(deps.program.id, y))))
    .flat()
    .filter((d) => d.supersedes && now - new Date(changedAt(d)).getTime() <= RESUME_MAX_AGE_MS);
  let done = 0;
  for (const d of recent) if (await completeSupersession(deps, d)) done++;
  return done;
}

/**
 * One card per team and week: before posting, a run claims the week's CheckIns row
 * (`CheckIn.posting`); only the run holding the claim posts, and it gives the claim up when it is
 * done. A claim left by a process that stopped runs out after POSTING_CLAIM_TTL_MS.
 */
import { ConcurrencyError } from '../errors';
import type { CheckIn } from '../types';
import { MAX_ATTEMPTS, type CheckInContext, type TeamChannel } from './context';

/**
 * A claim on posting a week's card (`CheckIn.posting`) older than this was left by a process
 * that stopped before it posted; another run may then take it over. As long as the scheduler's
 * lease: a post with all its retries ends well within it.
 */
export const POSTING_CLAIM_TTL_MS = 5 * 60 * 1000;

/** The row with its posting claim given up (the card is out, or the post failed). */
export function withoutClaim(row: CheckIn): CheckIn {
  const { posting: _claim, ...rest } = row;
  return rest;
}

/**
 * Claims posting the team's card of the week: creates its CheckIns row with `posting` (only one
 * create wins), or takes over a row that has no card and no live claim, with the row's ETag.
 * The winner gets the row it wrote (with its ETag, for the write that records the card); whoever
 * does not win gets the row as it is (a card, or someone else's live claim).
 */
export async function claimPosting(
  ctx: CheckInContext,
  channel: TeamChannel,
  week: string,
  claimId: string,
): Promise<{ won: boolean; row: CheckIn }> {
  const { repos } = ctx.deps;
  const now = ctx.deps.clock.now();
  const posting = { id: claimId, at: now.toISOString() };
  for (let attempt = 1; ; attempt++) {
    try {
      const row = await repos.checkIns.create({
        programId: ctx.programId,
        teamKey: channel.teamKey,
        week,
        channelId: channel.binding.channelId,
        answeredActionIds: [],
        posting,
      });
      return { won: true, row };
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
    }
    const row = await repos.checkIns.get(ctx.programId, week, channel.teamKey);
    if (row) {
      const live =
        !!row.posting &&
        row.posting.id !== claimId &&
        now.getTime() - new Date(row.posting.at).getTime() < POSTING_CLAIM_TTL_MS;
      if (row.messageId || live) return { won: false, row };
      try {
        const claimed = await repos.checkIns.update({ ...row, posting });
        if (row.posting)
          ctx.deps.logger.warn(
            { teamKey: channel.teamKey, week, claimedAt: row.posting.at },
            'took over a check-in post claimed by a run that did not finish',
          );
        return { won: true, row: claimed };
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) throw err;
      }
    }
    if (attempt >= MAX_ATTEMPTS)
      throw new ConcurrencyError(`could not claim the check-in of ${channel.teamKey} ${week}`, {
        teamKey: channel.teamKey,
        week,
      });
  }
}

/**
 * Gives a claim up when no card went out (a failed or blocked post), so a later run may post.
 * A row that holds nothing but the claim is deleted: the week has no check-in, as before.
 */
export async function releasePosting(
  ctx: CheckInContext,
  teamKey: string,
  week: string,
  claimId: string,
): Promise<void> {
  try {
    const row = await ctx.deps.repos.checkIns.get(ctx.programId, week, teamKey);
    if (!row || row.messageId || row.posting?.id !== claimId) return;
    if (row.answeredActionIds.length === 0 && !row.reminderSentAt) await ctx.deps.repos.checkIns.remove(row);
    else await ctx.deps.repos.checkIns.update(withoutClaim(row));
  } catch (err) {
    // Left as it is, the claim runs out after POSTING_CLAIM_TTL_MS.
    ctx.deps.logger.warn(
      { err: { message: (err as Error).message }, teamKey, week },
      'could not release the check-in post claim',
    );
  }
}

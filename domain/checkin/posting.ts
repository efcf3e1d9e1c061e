/**
 * Posting the week's check-in card: on the schedule to every team channel that has none yet,
 * or to one channel when someone asks (`incheckning`), and replacing a posted card with the
 * current state. Deliveries are recorded per channel, so a run after a crash posts only what is
 * missing; the CheckIns row then points at the card.
 */
import { DeliveryError, defaultRetryPolicy, targetOf, withRetry, type PostedMessage } from '../delivery';
import { fanOut, type FanOutItem, type FanOutReport } from '../delivery';
import { ConcurrencyError } from '../errors';
import { t } from '../i18n';
import { teamName } from '../program';
import type { ChannelBinding, CheckIn } from '../types';
import { claimPosting, releasePosting, withoutClaim } from './claims';
import { MAX_ATTEMPTS, sleep, type CheckInContext, type CheckInServiceDeps, type TeamChannel } from './context';
import { RunReads } from './run-reads';

/** What a run knows of its channels as it goes (by team key). */
interface RunState {
  /** Claims each team's CheckIns row when its turn comes; false: another run has it. */
  begin?(channel: TeamChannel): Promise<boolean>;
  /** The CheckIns rows this run claimed, as written. */
  claimed: Map<string, CheckIn>;
  /** Teams whose row this run pointed at the posted card. */
  recorded: Set<string>;
}

/**
 * `taken`: another run (a second person at the same moment, another instance, the schedule)
 * posted this week's card; `posting`: another run is posting it and had not finished when we
 * stopped waiting.
 */
export type PostOutcome =
  | { kind: 'posted'; checkIn?: CheckIn }
  | { kind: 'taken'; checkIn: CheckIn }
  | { kind: 'posting' }
  | { kind: 'blocked' }
  | { kind: 'failed' };

/** How long `incheckning` waits for another run's card before saying it is on its way. */
const POSTING_WAIT_MS = 5000;
const POSTING_POLL_MS = 150;

export class CheckInPosting {
  constructor(private readonly ctx: CheckInContext) {}

  private get deps(): CheckInServiceDeps {
    return this.ctx.deps;
  }

  private get programId(): string {
    return this.ctx.programId;
  }

  /**
   * The channel each program team posts to: its bound channel, skipping teams from which the
   * bot was removed. A team bound in several channels gets one check-in a week (the CheckIns
   * row is per team and week), in the channel bound last.
   */
  async teamChannels(): Promise<TeamChannel[]> {
    const [bindings, teams] = await Promise.all([
      this.deps.repos.bindings.list(this.programId),
      this.deps.repos.teams.list(),
    ]);
    const inactive = new Set(teams.filter((x) => !x.active).map((x) => x.teamsTeamId));
    const byTeam = new Map<string, ChannelBinding>();
    for (const b of bindings) {
      if (b.role.kind !== 'team' || !this.ctx.hasTeam(b.role.teamKey) || inactive.has(b.teamsTeamId)) continue;
      const previous = byTeam.get(b.role.teamKey);
      if (!previous || previous.boundAt < b.boundAt) byTeam.set(b.role.teamKey, b);
    }
    return [...byTeam.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([teamKey, binding]) => ({ teamKey, binding, target: targetOf(binding) }));
  }

  private item(channel: TeamChannel, week: string, state: RunState, reads: RunReads | undefined): FanOutItem {
    const begin = state.begin;
    return {
      key: `${channel.teamKey}|${channel.binding.channelId}`,
      target: channel.target,
      ...(begin ? { begin: () => begin(channel) } : {}),
      // Built right before posting (from the run's reads when it posts to many), so the card shows
      // the state of the last seconds.
      message: async () => {
        const claimed = state.claimed.get(channel.teamKey);
        const view = reads ? await reads.view(channel.teamKey, claimed) : await this.ctx.view(channel.teamKey, week);
        return {
          card: this.deps.render.card(view, this.deps.program.locale),
          summary: t(this.deps.program.locale, 'checkin.title', { team: teamName(this.deps.program, channel.teamKey) }),
        };
      },
    };
  }

  private async runFanOut(
    batch: string,
    week: string,
    channels: TeamChannel[],
    by: string,
    maxRuns: number | undefined,
    state: RunState,
  ): Promise<FanOutReport> {
    const byKey = new Map(channels.map((c) => [`${c.teamKey}|${c.binding.channelId}`, c]));
    const reads = channels.length > 1 ? new RunReads(this.ctx, week) : undefined;
    reads?.start();
    return fanOut({
      programId: this.programId,
      batch,
      items: channels.map((c) => this.item(c, week, state, reads)),
      messenger: this.deps.messenger,
      deliveries: this.deps.repos.deliveries,
      clock: this.deps.clock,
      logger: this.deps.logger,
      policy: this.deps.policy,
      concurrency: this.deps.fanOut?.concurrency,
      minIntervalMs: this.deps.fanOut?.minIntervalMs,
      maxRuns: maxRuns ?? this.deps.fanOut?.maxRuns,
      onPosted: async (item, posted) => {
        const c = byKey.get(item.key);
        if (!c) return;
        await this.recordPosted(c.teamKey, week, c.binding.channelId, posted, by, state.claimed.get(c.teamKey));
        state.recorded.add(c.teamKey);
      },
      teams: this.deps.repos.teams,
    });
  }

  /**
   * The scheduled run: one card per team channel that has no check-in this week. Deliveries are
   * recorded per channel (batch `checkin|<week>`), so a run after a crash posts only what is
   * missing. Throws when a delivery failed and may be retried, so the scheduler runs it again.
   */
  async postScheduled(week: string): Promise<FanOutReport> {
    const [channels, rows] = await Promise.all([
      this.teamChannels(),
      this.deps.repos.checkIns.listWeek(this.programId, week),
    ]);
    const posted = new Set(rows.filter((r) => r.messageId).map((r) => r.teamKey));
    const open = channels.filter((c) => !posted.has(c.teamKey));
    // The same claim as `incheckning`: a team someone is posting for right now is left to them.
    // Each team's row is claimed when its turn in the fan-out comes, so the first post does not
    // wait for every claim.
    const claimId = `schedule|${week}|${this.deps.clock.now().toISOString()}|${Math.random().toString(36).slice(2, 10)}`;
    let elsewhere = 0;
    const state: RunState = {
      claimed: new Map(),
      recorded: new Set(),
      begin: async (c) => {
        const claim = await claimPosting(this.ctx, c, week, claimId);
        if (claim.won) state.claimed.set(c.teamKey, claim.row);
        else if (!claim.row.messageId) elsewhere++;
        return claim.won;
      },
    };
    const batch = `checkin|${week}`;
    let report: FanOutReport;
    try {
      report = await this.runFanOut(batch, week, open, 'system', undefined, state);
      await this.reconcile(
        batch,
        week,
        open.filter((c) => state.claimed.has(c.teamKey)),
        state,
      );
    } finally {
      // A row that now points at its card gave its claim up in the same write.
      const unrecorded = [...state.claimed.keys()].filter((teamKey) => !state.recorded.has(teamKey));
      await Promise.all(unrecorded.map((teamKey) => releasePosting(this.ctx, teamKey, week, claimId)));
    }
    this.deps.logger.info(
      { week, ...report, skipped: channels.length - state.claimed.size, postingElsewhere: elsewhere },
      'check-ins posted',
    );
    if (report.retryable > 0)
      throw new Error(`${report.retryable} check-in deliveries failed; the next run retries them`);
    // Another run is posting some: the next run checks that their cards went out.
    if (elsewhere > 0)
      throw new Error(`${elsewhere} check-ins are being posted by another run; the next run checks them`);
    return report;
  }

  /** Another run claimed the card: wait a little for it to go out, then point at it. */
  private async otherRunsCard(teamKey: string, week: string, row: CheckIn): Promise<PostOutcome> {
    // Real time, not the program's clock: this is how long a person waits for the answer.
    const until = Date.now() + POSTING_WAIT_MS;
    for (let current: CheckIn | undefined = row; ;) {
      if (current?.messageId) return { kind: 'taken', checkIn: current };
      // Released without a card: the other run could not post (Teams did not answer).
      if (!current?.posting) return { kind: 'failed' };
      if (Date.now() >= until) return { kind: 'posting' };
      await sleep(POSTING_POLL_MS);
      current = await this.deps.repos.checkIns.get(this.programId, week, teamKey);
    }
  }

  /**
   * A post can reach Teams and the process stop before the CheckIns row is written; the delivery
   * record (written first) still has the message id, so the row is completed from it. Channels
   * whose row this run already pointed at its card are not looked at again; the others are read
   * with one query for the batch's records and one for the week's rows.
   */
  private async reconcile(batch: string, week: string, channels: TeamChannel[], state: RunState): Promise<void> {
    const wanted = new Map(
      channels.filter((c) => !state.recorded.has(c.teamKey)).map((c) => [`${c.teamKey}|${c.binding.channelId}`, c]),
    );
    if (wanted.size === 0) return;
    const [records, rows] = await Promise.all([
      this.deps.repos.deliveries.list(this.programId, batch),
      this.deps.repos.checkIns.listWeek(this.programId, week),
    ]);
    const rowOf = new Map(rows.map((r) => [r.teamKey, r]));
    for (const record of records) {
      const c = wanted.get(record.key);
      if (!c || record.status !== 'sent' || !record.messageId || !record.threadId) continue;
      const row = rowOf.get(c.teamKey);
      if (row?.messageId) continue;
      await this.recordPosted(
        c.teamKey,
        week,
        c.binding.channelId,
        { messageId: record.messageId, threadId: record.threadId },
        'system',
        row,
      );
      state.recorded.add(c.teamKey);
    }
  }

  /**
   * Creates or updates the team's CheckIns row with the posted message, and logs CardPosted.
   * `known`: the row as the caller last read or wrote it, tried first on its ETag (a row changed
   * since fails that write and is read again).
   */
  async recordPosted(
    teamKey: string,
    week: string,
    channelId: string,
    posted: PostedMessage,
    by: string,
    known?: CheckIn,
  ): Promise<CheckIn> {
    const now = this.deps.clock.now().toISOString();
    let saved: CheckIn | undefined;
    for (let attempt = 1; !saved; attempt++) {
      const current =
        attempt === 1 && known?.etag ? known : await this.deps.repos.checkIns.get(this.programId, week, teamKey);
      try {
        saved = current
          ? await this.deps.repos.checkIns.update({
              ...withoutClaim(current),
              channelId,
              messageId: posted.messageId,
              threadId: posted.threadId,
              postedAt: now,
            })
          : await this.deps.repos.checkIns.create({
              programId: this.programId,
              teamKey,
              week,
              channelId,
              messageId: posted.messageId,
              threadId: posted.threadId,
              postedAt: now,
              answeredActionIds: [],
            });
      } catch (err) {
        if (!(err instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
    await this.deps.repos.events.append({
      type: 'card',
      kind: 'checkin',
      channelId,
      messageId: posted.messageId,
      teamKey,
      programId: this.programId,
      at: now,
      by,
      source: by === 'system' ? 'system' : 'chat',
      eventId: `card|checkin|${week}|${teamKey}|${posted.messageId}`,
    });
    return saved;
  }

  /**
   * Posts a channel's check-in now (`incheckning`). With `anew`, a new card is posted even when
   * one exists this week (its own delivery batch, keyed by the request, so a redelivered request
   * posts once); the CheckIns row then points at the new card and keeps the answers.
   */
  async postForChannel(
    binding: ChannelBinding,
    week: string,
    options: { anew: boolean; requestId: string; by: string },
  ): Promise<PostOutcome> {
    if (binding.role.kind !== 'team') return { kind: 'failed' };
    const channel: TeamChannel = { teamKey: binding.role.teamKey, binding, target: targetOf(binding) };
    const attempt = async (batch: string, claimed?: CheckIn): Promise<PostOutcome> => {
      const state: RunState = {
        claimed: new Map(claimed ? [[channel.teamKey, claimed]] : []),
        recorded: new Set(),
      };
      // Asked for by a person: a delivery that failed in earlier runs is tried again.
      await this.runFanOut(batch, week, [channel], options.by, Number.MAX_SAFE_INTEGER, state);
      await this.reconcile(batch, week, [channel], state);
      const record = await this.deps.repos.deliveries.get(
        this.programId,
        batch,
        `${channel.teamKey}|${binding.channelId}`,
      );
      if (record?.status === 'sent')
        return { kind: 'posted', checkIn: await this.deps.repos.checkIns.get(this.programId, week, channel.teamKey) };
      return { kind: record?.status === 'blocked' ? 'blocked' : 'failed' };
    };
    if (options.anew) return attempt(`checkin|${week}|anew|${options.requestId}`);
    // One card per team and week: only the run that claims the row posts; the others point at its card.
    const claimId = `request|${options.requestId}|${Math.random().toString(36).slice(2, 10)}`;
    const claim = await claimPosting(this.ctx, channel, week, claimId);
    if (!claim.won) return this.otherRunsCard(channel.teamKey, week, claim.row);
    try {
      const outcome = await attempt(`checkin|${week}`, claim.row);
      if (outcome.kind === 'blocked') {
        // Blocked in an earlier run, but the team has the bot again (it was re-added): try afresh.
        const team = await this.deps.repos.teams.get(binding.teamsTeamId);
        if (team?.active) return await attempt(`checkin|${week}|anew|${options.requestId}`);
      }
      return outcome;
    } finally {
      await releasePosting(this.ctx, channel.teamKey, week, claimId);
    }
  }

  /** Replaces the posted card in place with the current state, for everyone. */
  async refreshPosted(teamKey: string, week: string, options: { skipMessageId?: string } = {}): Promise<void> {
    const row = await this.deps.repos.checkIns.get(this.programId, week, teamKey);
    if (!row?.messageId || !row.threadId || row.messageId === options.skipMessageId) return;
    const binding = await this.deps.repos.bindings.get(this.programId, row.channelId);
    if (!binding) return;
    const view = await this.ctx.view(teamKey, week, row);
    const card = this.deps.render.card(view, this.deps.program.locale);
    try {
      await withRetry(() => this.deps.messenger.update(targetOf(binding), row.threadId!, row.messageId!, { card }), {
        ...(this.deps.policy ?? defaultRetryPolicy),
        attempts: 3,
      });
    } catch (err) {
      // The answer is saved; a card that could not be refreshed shows the new state next time.
      this.deps.logger.warn(
        { err: { message: (err as Error).message }, teamKey, week },
        'could not update the posted check-in card',
      );
      if (err instanceof DeliveryError && err.writesBlocked)
        await this.deps.repos.teams.markInactive(binding.teamsTeamId, this.deps.clock.now().toISOString());
    }
  }
}

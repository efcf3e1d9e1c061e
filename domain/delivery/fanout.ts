/**
 * Posting one message to many channels (check-ins, digest, decision notices) within the Teams
 * send limits, with a delivery record per target so that a crash half-way resumes without posting
 * twice: a target whose record says `sent` is skipped on the next run.
 *
 * Before posting, a run claims the record: it writes it as `pending` with its owner id and a
 * lease expiry, on the ETag it read (or creates it). A fresh claim of another run, in this
 * process or another instance, is respected: this run waits for it to end and then finds the
 * record `sent` (or takes the delivery over if that run gave up). The `sent`/`failed` write uses
 * the claim's ETag, and the lease is renewed on its ETag before each retry, so a run whose claim
 * was taken over stops.
 *
 * Teams offers no idempotency key. A claim whose owner died (lease expired) is taken over, so a
 * post that Teams accepted just before the owner died, before its record said `sent`, can appear
 * twice; the record is written right after each post to keep that window to one request. A post
 * that may have gone through without an answer (timeout, connection lost, 500, 504) is recorded
 * `uncertain`, logged for the operator, and never posted again.
 *
 * The pace is the send limiter's, which the messenger waits for before each request: several
 * deliveries are under way at once, so a post goes as soon as the windows have room, one waiting
 * out a `Retry-After` holds up no other, and the next delivery starts while the last one's record
 * is written. The batch's records are read once per run, not once per target.
 */
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import {
  DeliveryError,
  defaultRetryPolicy,
  withRetry,
  type ChannelTarget,
  type Messenger,
  type OutgoingMessage,
  type PostedMessage,
  type RetryPolicy,
} from './delivery';
import { ConcurrencyError } from '../errors';
import type { InstalledTeamRepository, Logger } from '../ports';
import type { Clock } from '../time';
import type { DeliveryRecord, DeliveryRepository, DeliveryStatus } from './records';

export interface FanOutItem {
  key: string;
  target: ChannelTarget;
  /**
   * Called when the item's turn comes, before its delivery is claimed: false leaves it out of
   * this run (another run is posting it by other means). Lets a caller claim what it needs item
   * by item, so that the first post does not wait for every claim of the run.
   */
  begin?(): Promise<boolean> | boolean;
  /** Built lazily, right before posting, so it reflects the latest state. */
  message(): Promise<OutgoingMessage> | OutgoingMessage;
}

export interface FanOutOptions {
  programId: string;
  /** Names the batch, e.g. `checkin|2026-W48`; deliveries are unique per batch and key. */
  batch: string;
  items: FanOutItem[];
  messenger: Messenger;
  deliveries: DeliveryRepository;
  clock: Clock;
  logger: Logger;
  policy?: RetryPolicy;
  /**
   * Deliveries under way at once (claimed, waiting for the send limits, posting, waiting to
   * retry). The pace is the messenger's send limiter's (domain/delivery/rate-limit.ts): it lets a
   * post go as soon as the app's and the thread's windows have room, across runs and instances,
   * so this only needs to be large enough to keep the limiter's windows full.
   */
  concurrency?: number;
  /** Minimum spacing between the starts of two posts of this run, on top of the limiter; none by default. */
  minIntervalMs?: number;
  /** After this many runs a failed delivery is final and no longer retried. */
  maxRuns?: number;
  /**
   * How long a claim holds without renewal. It must cover one attempt (the messenger's timeout,
   * 15 s) plus the wait for the send limits; it is renewed before each retry.
   */
  leaseMs?: number;
  /** How often a run waiting for another run's claim looks at the record again. */
  claimPollMs?: number;
  /** Real pauses while waiting for another run's claim (not the retry policy's). */
  wait?(ms: number): Promise<void>;
  /** Names this run in its claims; unique per run by default (host, process, random). */
  owner?: string;
  /**
   * The installed teams: targets in a team that removed the bot are skipped, and a 403
   * MessageWritesBlocked marks the target's team inactive (so no later fan-out posts there).
   */
  teams?: Pick<InstalledTeamRepository, 'list' | 'markInactive'>;
  onPosted?(item: FanOutItem, posted: PostedMessage): Promise<void>;
  onBlocked?(item: FanOutItem, err: DeliveryError): Promise<void>;
}

export interface FanOutReport {
  sent: number;
  alreadySent: number;
  failed: number;
  blocked: number;
  /** Posts that may have reached Teams without an answer: recorded `uncertain`, not posted again. */
  uncertain: number;
  retries: number;
  /** Failed deliveries that another run may still retry. */
  retryable: number;
  /** Targets not posted to because their team removed the bot. */
  skippedInactive: number;
}

export const DEFAULT_LEASE_MS = 20_000;

/**
 * Deliveries under way at once by default: enough to fill Teams' 30 requests per second while
 * some wait out a `Retry-After` and others are reading or writing their records.
 */
export const DEFAULT_FANOUT_CONCURRENCY = 16;

/** Another run took the delivery over (this run's lease ran out): this run stops there. */
class ClaimLost extends Error {}

function isFinal(record: DeliveryRecord | undefined, maxRuns: number): boolean {
  if (!record) return false;
  return (
    record.status === 'sent' ||
    record.status === 'blocked' ||
    record.status === 'uncertain' ||
    (record.status === 'failed' && record.runs >= maxRuns)
  );
}

export async function fanOut(options: FanOutOptions): Promise<FanOutReport> {
  const policy = options.policy ?? defaultRetryPolicy;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_FANOUT_CONCURRENCY);
  const minInterval = options.minIntervalMs ?? 0;
  const maxRuns = options.maxRuns ?? 3;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = options.claimPollMs ?? 100;
  const wait = options.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const { programId, batch, deliveries, clock } = options;
  const report: FanOutReport = {
    sent: 0,
    alreadySent: 0,
    failed: 0,
    blocked: 0,
    uncertain: 0,
    retries: 0,
    retryable: 0,
    skippedInactive: 0,
  };
  const [teams, records] = await Promise.all([options.teams?.list() ?? [], deliveries.list(programId, batch)]);
  const inactive = new Set(teams.filter((x) => !x.active).map((x) => x.teamsTeamId));
  // The batch's records, read once for the run: a delivery already final needs no request of its
  // own, and one to claim is written on the version listed. A record changed since the list (by
  // another run) fails that write on its ETag, and is then read again as before.
  const listed = new Map(records.map((r) => [r.key, r]));
  let nextStart = 0;
  const pace = async () => {
    if (minInterval <= 0) return;
    const now = Date.now();
    const delay = Math.max(0, nextStart - now);
    nextStart = Math.max(now, nextStart) + minInterval;
    if (delay > 0) await policy.sleep(delay);
  };
  const leaseUntil = () => new Date(clock.now().getTime() + leaseMs).toISOString();

  /**
   * Claims the delivery for this run, or returns the record that makes it final. Waits while
   * another run holds a fresh claim; takes over a claim whose lease ran out.
   */
  const claim = async (
    item: FanOutItem,
    log: Logger,
  ): Promise<{ claimed: DeliveryRecord } | { final: DeliveryRecord }> => {
    let waited = false;
    // First from the run's list (a key it lacks had no record then), then read afresh.
    let fromList = true;
    for (;;) {
      const previous = fromList ? listed.get(item.key) : await deliveries.get(programId, batch, item.key);
      fromList = false;
      if (previous && isFinal(previous, maxRuns)) return { final: previous };
      const heldByOther = previous?.status === 'pending' && previous.owner !== undefined && previous.owner !== owner;
      if (heldByOther && previous.leaseUntil !== undefined && new Date(previous.leaseUntil) > clock.now()) {
        if (!waited) log.info({ owner: previous.owner }, 'another run is posting this delivery; waiting for it');
        waited = true;
        await wait(pollMs);
        continue;
      }
      if (heldByOther)
        log.warn(
          { owner: previous.owner, leaseUntil: previous.leaseUntil },
          'taking over a delivery whose run stopped before it was recorded; if that post reached Teams it appears twice',
        );
      try {
        const claimed = await deliveries.put(programId, batch, {
          key: item.key,
          channelId: item.target.channelId,
          runs: (previous?.runs ?? 0) + 1,
          retries: previous?.retries ?? 0,
          status: 'pending',
          owner,
          leaseUntil: leaseUntil(),
          updatedAt: clock.now().toISOString(),
          etag: previous?.etag,
        });
        return { claimed };
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) throw err;
        // Another run claimed or finished it between the read and the write: look again.
      }
    }
  };

  /**
   * One delivery: claim, build, post (with retries), record. `settled` is called as soon as the
   * post's outcome is known, so the next delivery starts while this one's record is written (the
   * write is sent right away all the same, and the claim holds until it is in).
   */
  const deliver = async (item: FanOutItem, settled: () => void): Promise<void> => {
    if (item.begin && !(await item.begin())) return;
    const log = options.logger.child({ batch, delivery: item.key, channelId: item.target.channelId });
    const outcome = await claim(item, log);
    if ('final' in outcome) {
      if (outcome.final.status === 'sent') report.alreadySent++;
      return;
    }
    let current = outcome.claimed;
    let attempt = 0;
    try {
      const message = await item.message();
      const { value: posted, retries } = await withRetry(
        async () => {
          if (attempt++ > 0) {
            // Renewed on the claim's ETag: a run that took the delivery over in the meantime wins.
            current = await deliveries
              .put(programId, batch, { ...current, leaseUntil: leaseUntil(), updatedAt: clock.now().toISOString() })
              .catch((err: unknown) => {
                throw err instanceof ConcurrencyError ? new ClaimLost('the claim was taken over') : err;
              });
          }
          await pace();
          return options.messenger.post(item.target, message);
        },
        policy,
        (err, delay) =>
          log.warn({ status: err.status, code: err.code, delayMs: delay }, 'post throttled or failed; retrying'),
      );
      settled();
      report.retries += retries;
      report.sent++;
      await write(log, current, {
        retries: current.retries + retries,
        status: 'sent',
        messageId: posted.messageId,
        threadId: posted.threadId,
      }).catch((err: unknown) =>
        log.error(
          { err: { message: (err as Error).message } },
          'posted, but the delivery record could not be written; a later run may post it again',
        ),
      );
      // The message is out and recorded as sent: a failing callback must not mark it failed
      // (the next run would post it again).
      await Promise.resolve(options.onPosted?.(item, posted)).catch((err: unknown) =>
        log.error({ err: { message: (err as Error).message } }, 'posted, but the follow-up (onPosted) failed'),
      );
    } catch (err) {
      settled();
      if (err instanceof ClaimLost) {
        log.warn({}, 'another run took this delivery over while this one waited to retry; leaving it to that run');
        return;
      }
      await finish(item, log, current, err);
    }
  };

  /** Writes the outcome on the claim's ETag; a claim taken over meanwhile keeps the other run's record. */
  const write = async (log: Logger, claimed: DeliveryRecord, change: Partial<DeliveryRecord>): Promise<void> => {
    try {
      await deliveries.put(programId, batch, {
        ...claimed,
        ...change,
        owner: undefined,
        leaseUntil: undefined,
        updatedAt: clock.now().toISOString(),
      });
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      log.error(
        { status: change.status },
        'another run took this delivery over before its outcome was recorded; it may appear twice',
      );
    }
  };

  /** Records a delivery that did not go out as `failed`, `blocked` or `uncertain`. */
  const finish = async (item: FanOutItem, log: Logger, claimed: DeliveryRecord, err: unknown): Promise<void> => {
    const retries = (err as { retries?: number }).retries ?? 0;
    report.retries += retries;
    const blocked = err instanceof DeliveryError && err.writesBlocked;
    const uncertain = err instanceof DeliveryError && err.mayHaveBeenDelivered;
    const error =
      err instanceof DeliveryError ? `${err.status ?? 'network'} ${err.code ?? ''}`.trim() : (err as Error).message;
    const status: DeliveryStatus = blocked ? 'blocked' : uncertain ? 'uncertain' : 'failed';
    const runs = claimed.runs;
    await write(log, claimed, { retries: claimed.retries + retries, status, error });
    if (blocked) {
      report.blocked++;
      log.warn(
        { status: 403, code: (err as DeliveryError).code },
        'the bot was removed from this team; no longer posting there',
      );
      // Later runs skip the team; this run goes on (the answer was for this target only).
      await options.teams?.markInactive(item.target.teamsTeamId, clock.now().toISOString());
      await options.onBlocked?.(item, err as DeliveryError);
    } else if (uncertain) {
      report.uncertain++;
      log.warn(
        { status: (err as DeliveryError).status, code: (err as DeliveryError).code, runs },
        'the post may have reached Teams without an answer; recorded as uncertain and not posted again (check the channel)',
      );
    } else {
      report.failed++;
      if (runs < maxRuns) report.retryable++;
      log.error({ err: { message: (err as Error).message }, runs }, 'delivery failed');
    }
  };

  // At most `concurrency` deliveries between their turn and their post's outcome; the first error
  // (the store failing) stops new ones, and is thrown once those under way have ended.
  let active = 0;
  const freed: (() => void)[] = [];
  let failure: { err: unknown } | undefined;
  const underway: Promise<void>[] = [];
  for (const item of options.items) {
    if (inactive.has(item.target.teamsTeamId)) {
      report.skippedInactive++;
      continue;
    }
    while (active >= concurrency) await new Promise<void>((r) => freed.push(r));
    if (failure) break;
    active++;
    let done = false;
    const settled = () => {
      if (done) return;
      done = true;
      active--;
      freed.shift()?.();
    };
    underway.push(
      deliver(item, settled)
        .catch((err: unknown) => {
          failure ??= { err };
        })
        .finally(settled),
    );
  }
  await Promise.all(underway);
  if (failure) throw failure.err;
  return report;
}

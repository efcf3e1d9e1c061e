/**
 * Posting one message to many channels (check-ins, digest, decision notices) within the Teams
 * send limits, with a delivery record per target so that a crash half-way resumes without posting
 * twice: a target whose record says `sent` is skipped on the next run.
 *
 * Teams offers no idempotency key, so the one unavoidable window is a post that reached Teams
 * just before the process died, before its record was written; the record is written right after
 * each post to keep that window to one request. Two runs of one batch in one process deliver each
 * key one at a time, so the later run sees the earlier one's `sent` (`oneAtATime`).
 */
import { DeliveryError, defaultRetryPolicy, withRetry, type ChannelTarget, type Messenger, type OutgoingMessage, type PostedMessage, type RetryPolicy } from './delivery';
import type { InstalledTeamRepository, Logger } from './ports';
import type { Clock } from './time';

export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'blocked';

export interface DeliveryRecord {
  key: string;
  status: DeliveryStatus;
  channelId: string;
  messageId?: string;
  threadId?: string;
  /** Runs that tried this delivery. */
  runs: number;
  retries: number;
  error?: string;
  updatedAt: string;
}

export interface DeliveryRepository {
  get(programId: string, batch: string, key: string): Promise<DeliveryRecord | undefined>;
  save(programId: string, batch: string, record: DeliveryRecord): Promise<void>;
  list(programId: string, batch: string): Promise<DeliveryRecord[]>;
}

export interface FanOutItem {
  key: string;
  target: ChannelTarget;
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
  /** Posts in flight at once. */
  concurrency?: number;
  /** Minimum spacing between the starts of two posts: 35 ms ≈ 28/s, under Teams' 30 requests/s per app per tenant. */
  minIntervalMs?: number;
  /** After this many runs a failed delivery is final and no longer retried. */
  maxRuns?: number;
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
  retries: number;
  /** Failed deliveries that another run may still retry. */
  retryable: number;
  /** Targets not posted to because their team removed the bot. */
  skippedInactive: number;
}

export async function fanOut(options: FanOutOptions): Promise<FanOutReport> {
  const policy = options.policy ?? defaultRetryPolicy;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const minInterval = options.minIntervalMs ?? 35;
  const maxRuns = options.maxRuns ?? 3;
  const report: FanOutReport = { sent: 0, alreadySent: 0, failed: 0, blocked: 0, retries: 0, retryable: 0, skippedInactive: 0 };
  const inactive = new Set(options.teams ? (await options.teams.list()).filter((x) => !x.active).map((x) => x.teamsTeamId) : []);
  let nextStart = 0;
  const pace = async () => {
    const now = Date.now();
    const wait = Math.max(0, nextStart - now);
    nextStart = Math.max(now, nextStart) + minInterval;
    if (wait > 0) await policy.sleep(wait);
  };

  const queue = [...options.items];
  const deliver = async (item: FanOutItem): Promise<void> => {
    const log = options.logger.child({ batch: options.batch, delivery: item.key, channelId: item.target.channelId });
    const previous = await options.deliveries.get(options.programId, options.batch, item.key);
    if (previous?.status === 'sent' || previous?.status === 'blocked' || (previous?.status === 'failed' && previous.runs >= maxRuns)) {
      if (previous.status === 'sent') report.alreadySent++;
      return;
    }
    const runs = (previous?.runs ?? 0) + 1;
    const base = { key: item.key, channelId: item.target.channelId, runs, retries: previous?.retries ?? 0 };
    await options.deliveries.save(options.programId, options.batch, { ...base, status: 'pending', updatedAt: options.clock.now().toISOString() });
    try {
      const message = await item.message();
      await pace();
      const { value: posted, retries } = await withRetry(() => options.messenger.post(item.target, message), policy, (err, delay) =>
        log.warn({ status: err.status, code: err.code, delayMs: delay }, 'post throttled or failed; retrying'),
      );
      report.retries += retries;
      await options.deliveries.save(options.programId, options.batch, {
        ...base,
        retries: base.retries + retries,
        status: 'sent',
        messageId: posted.messageId,
        threadId: posted.threadId,
        updatedAt: options.clock.now().toISOString(),
      });
      report.sent++;
      // The message is out and recorded as sent: a failing callback must not mark it failed
      // (the next run would post it again).
      await Promise.resolve(options.onPosted?.(item, posted)).catch((err: unknown) =>
        log.error({ err: { message: (err as Error).message } }, 'posted, but the follow-up (onPosted) failed'),
      );
    } catch (err) {
      const retries = (err as { retries?: number }).retries ?? 0;
      report.retries += retries;
      const blocked = err instanceof DeliveryError && err.writesBlocked;
      await options.deliveries.save(options.programId, options.batch, {
        ...base,
        retries: base.retries + retries,
        status: blocked ? 'blocked' : 'failed',
        error: err instanceof DeliveryError ? `${err.status ?? 'network'} ${err.code ?? ''}`.trim() : (err as Error).message,
        updatedAt: options.clock.now().toISOString(),
      });
      if (blocked) {
        report.blocked++;
        log.warn({ status: 403, code: (err as DeliveryError).code }, 'the bot was removed from this team; no longer posting there');
        // Later runs skip the team; this run goes on (the answer was for this target only).
        await options.teams?.markInactive(item.target.teamsTeamId, options.clock.now().toISOString());
        await options.onBlocked?.(item, err as DeliveryError);
      } else {
        report.failed++;
        if (runs < maxRuns) report.retryable++;
        log.error({ err: { message: (err as Error).message }, runs }, 'delivery failed');
      }
    }
  };
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      if (inactive.has(item.target.teamsTeamId)) {
        report.skippedInactive++;
        continue;
      }
      await oneAtATime(options.deliveries, `${options.programId}|${options.batch}|${item.key}`, () => deliver(item));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, options.items.length || 1) }, worker));
  return report;
}

/** Deliveries being made, per delivery store (one per running bot) and program, batch and key. */
const inFlightBy = new WeakMap<DeliveryRepository, Map<string, Promise<void>>>();

/**
 * Runs `fn` once no other run for `id` on the same store is in flight. Two fan-outs of one batch
 * (a redelivered decision submit while the first one's notices are on their way, a command and
 * the schedule) would otherwise both read a `pending` record and both post; the later one now
 * waits and then finds the record `sent`.
 */
async function oneAtATime(store: DeliveryRepository, id: string, fn: () => Promise<void>): Promise<void> {
  let inFlight = inFlightBy.get(store);
  if (!inFlight) inFlightBy.set(store, (inFlight = new Map()));
  for (let other = inFlight.get(id); other; other = inFlight.get(id)) await other;
  const run = fn().finally(() => inFlight.delete(id));
  inFlight.set(id, run.catch(() => undefined));
  await run;
}

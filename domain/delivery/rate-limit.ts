/**
 * Teams' send limits for the whole app, across every running instance of the bot.
 *
 * Teams limits a bot per app and tenant (30 requests/s in the current documentation, 50 in older
 * copies) and per thread (a channel, group chat or 1:1 chat: 7 per 1 s, 8 per 2 s, 60 per 30 s,
 * 1 800 per hour for sends and new threads). One `RateLimiter` per running bot admits every
 * outgoing request to the Bot Connector (posts, replies, card updates, roster reads) against
 * sliding windows of those numbers (the thread's a little under them). A request counts from when
 * it is let go until its answer is in, and from then on: Teams counts it when it arrives, and one
 * that took long on its way must not share a window with those after it.
 *
 * Instances share the budget by a fair share: each one writes a heartbeat row to the store every
 * few seconds (`InstanceRegistry`), counts the instances whose heartbeat is still fresh, and uses
 * `limit / live instances` of every window, at least one request per window. A new instance that
 * finds others running holds its own sends for one heartbeat interval, so that every one of them
 * has counted it before it sends (two instances that start at the same moment may both use the
 * full budget for that first interval; Teams' 429 handling covers it). An instance that stops
 * removes its row, and one that died drops out when its heartbeat expires (until then the others
 * keep the smaller share, which is safe).
 */
import type { Logger } from '../ports';

export interface RateRule {
  /** `app`: one window for every request of the app; `thread`: one window per channel or chat. */
  scope: 'app' | 'thread';
  windowMs: number;
  max: number;
}

/**
 * Teams' limits. The app's is Teams' own number (30 requests/s per app per tenant, as in the
 * current documentation): a request counts from its admission until its answer is in, and from
 * the answer on, so whatever the network does to it on the way, no more than `max` can arrive at
 * Teams within any window (it arrived before its answer came back, and after we let it go). The
 * thread's limits keep a margin below Teams' 7/1 s, 8/2 s, 60/30 s and 1 800/h: a turn's answer
 * does not wait for them (`waitForThread: false`), and the margin leaves it room beside proactive
 * sends to the same channel.
 */
export const TEAMS_RATE_RULES: readonly RateRule[] = Object.freeze([
  { scope: 'app', windowMs: 1_000, max: 30 },
  { scope: 'thread', windowMs: 1_000, max: 6 },
  { scope: 'thread', windowMs: 2_000, max: 7 },
  { scope: 'thread', windowMs: 30_000, max: 50 },
  { scope: 'thread', windowMs: 3_600_000, max: 1_500 },
]);

export interface AcquireOptions {
  signal?: { aborted: boolean };
  /**
   * Wait for the thread's windows too (the default). A turn's answer waits for the app's limit
   * only: it answers what a person wrote in that thread, and Teams' 429 is retried for it. It is
   * still counted in the thread's windows, so proactive sends there leave room for it.
   */
  waitForThread?: boolean;
}

/** Call when the request has its answer (or failed): from then on it is known to have arrived. */
export type Release = () => void;

/** Admits outgoing requests within the send limits: resolves when this one may go. */
export interface SendLimiter {
  acquire(thread: string, options?: AcquireOptions): Promise<Release>;
}

export interface RateLimiterOptions {
  rules?: readonly RateRule[];
  /** Milliseconds, real time (the windows are Teams' real seconds, whatever the domain clock says). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** This instance's share of every window, in (0, 1]. */
  share?: () => number;
  /** No request is admitted before this time (ms). */
  notBefore?: () => number;
}

/**
 * A request counted in a window. Teams counts a request when it arrives, somewhere between our
 * admitting it and its answer: an entry counts from its admission, and once the answer is in
 * (`release`) from then on, so that a request that took long to get there cannot share a window
 * with the ones after it. One still on its way counts until it is released.
 */
interface Entry {
  at: number;
  open: boolean;
}

/** How often a request waiting only for others still on their way looks again. */
const OPEN_POLL_MS = 20;

export class RateLimiter implements SendLimiter {
  /** `<rule index>|<thread or *>` → the requests counted in the window. */
  private readonly windows = new Map<string, Entry[]>();
  private readonly rules: readonly RateRule[];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RateLimiterOptions = {}) {
    this.rules = options.rules ?? TEAMS_RATE_RULES;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async acquire(thread: string, options: AcquireOptions = {}): Promise<Release> {
    for (;;) {
      if (options.signal?.aborted) throw new Error('aborted while waiting for the send limit');
      const taken = this.tryTake(thread, this.now(), options.waitForThread ?? true);
      if (typeof taken === 'function') return taken;
      await this.sleep(taken);
    }
  }

  /** The release when admitted (and counted), else how long to wait before trying again. */
  private tryTake(thread: string, t: number, waitForThread: boolean): Release | number {
    const notBefore = this.options.notBefore?.() ?? 0;
    if (t < notBefore) return Math.ceil(notBefore - t);
    const share = Math.min(1, Math.max(0.001, this.options.share?.() ?? 1));
    let wait = 0;
    const keys: string[] = [];
    this.rules.forEach((rule, i) => {
      const key = `${i}|${rule.scope === 'app' ? '*' : thread}`;
      keys.push(key);
      const entries = (this.windows.get(key) ?? []).filter((e) => e.open || e.at > t - rule.windowMs);
      if (entries.length === 0) this.windows.delete(key);
      else this.windows.set(key, entries);
      const cap = Math.max(1, Math.floor(rule.max * share));
      if ((rule.scope !== 'app' && !waitForThread) || entries.length < cap) return;
      // Enough must leave the window for this one to fit: the settled ones leave in time order;
      // when too many are still on their way, look again shortly.
      const settled = entries
        .filter((e) => !e.open)
        .map((e) => e.at)
        .sort((x, y) => x - y);
      const leaving = entries.length - cap + 1;
      wait = Math.max(wait, settled.length >= leaving ? settled[leaving - 1]! + rule.windowMs - t + 1 : OPEN_POLL_MS);
    });
    if (wait > 0) return wait;
    const entry: Entry = { at: t, open: true };
    for (const key of keys) {
      const entries = this.windows.get(key);
      if (entries) entries.push(entry);
      else this.windows.set(key, [entry]);
    }
    this.sweep(t);
    return () => {
      if (!entry.open) return;
      entry.open = false;
      entry.at = Math.max(entry.at, this.now());
    };
  }

  /** Forgets threads whose windows are empty, so a long-running bot does not keep every thread ever used. */
  private sweep(t: number): void {
    if (this.windows.size < 2_000) return;
    for (const [key, entries] of this.windows) {
      const rule = this.rules[Number(key.slice(0, key.indexOf('|')))];
      if (!rule || entries.every((e) => !e.open && e.at <= t - rule.windowMs)) this.windows.delete(key);
    }
  }
}

/** Heartbeat rows of the running instances (storage/instance.repository.ts). */
export interface InstanceRepository {
  beat(instanceId: string, until: Date): Promise<void>;
  /** Ids of the instances whose heartbeat is valid at `now`. */
  live(now: Date): Promise<string[]>;
  leave(instanceId: string): Promise<void>;
}

export interface InstanceRegistryOptions {
  repository: InstanceRepository;
  instanceId: string;
  logger: Logger;
  /** Real time in ms (heartbeats are compared across hosts, not with a test's fixed clock). */
  now?: () => number;
  intervalMs?: number;
  /** How long a heartbeat counts: a few intervals, so that one slow write does not drop an instance. */
  ttlMs?: number;
}

/** This instance's heartbeat and its count of the live instances: the fair share of the limits. */
export class InstanceRegistry {
  private live = 1;
  private holdUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private warned = false;
  readonly intervalMs: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: InstanceRegistryOptions) {
    this.intervalMs = options.intervalMs ?? 3_000;
    this.ttlMs = options.ttlMs ?? this.intervalMs * 3;
    this.now = options.now ?? Date.now;
  }

  /** The instances counted at the last heartbeat, this one included. */
  get instances(): number {
    return this.live;
  }

  share(): number {
    return 1 / Math.max(1, this.live);
  }

  /** Sends wait until every other instance has had one heartbeat to count this one. */
  readyAt(): number {
    return this.holdUntil;
  }

  async start(): Promise<void> {
    const startedAt = this.now();
    await this.beat();
    if (this.live > 1) this.holdUntil = startedAt + this.intervalMs;
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    await this.options.repository.leave(this.options.instanceId).catch(() => undefined);
  }

  /** Writes this instance's heartbeat and counts the live ones; on a storage failure the last count stays. */
  beat(): Promise<void> {
    this.beating ??= (async () => {
      try {
        const t = this.now();
        await this.options.repository.beat(this.options.instanceId, new Date(t + this.ttlMs));
        const ids = await this.options.repository.live(new Date(t));
        this.live = Math.max(1, new Set([...ids, this.options.instanceId]).size);
        this.warned = false;
      } catch (err) {
        if (!this.warned)
          this.options.logger.warn(
            { err: { message: (err as Error).message } },
            'could not write the instance heartbeat; keeping the last share of the send limits',
          );
        this.warned = true;
      } finally {
        this.beating = undefined;
      }
    })();
    return this.beating;
  }
}

/**
 * Teams' send limits for the whole app, across every running instance of the bot.
 *
 * Teams limits a bot per app and tenant (30 requests/s in the current documentation, 50 in older
 * copies) and per thread (a channel, group chat or 1:1 chat: 7 per 1 s, 8 per 2 s, 60 per 30 s,
 * 1 800 per hour for sends and new threads). One `RateLimiter` per running bot admits every
 * outgoing request to the Bot Connector (posts, replies, card updates, roster reads) against
 * sliding windows a little under those numbers.
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

/** Teams' limits with a margin (network jitter can bring requests closer at Teams than at us). */
export const TEAMS_RATE_RULES: readonly RateRule[] = Object.freeze([
  { scope: 'app', windowMs: 1_000, max: 25 },
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

/** Admits outgoing requests within the send limits: resolves when this one may go. */
export interface SendLimiter {
  acquire(thread: string, options?: AcquireOptions): Promise<void>;
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

export class RateLimiter implements SendLimiter {
  /** `<rule index>|<thread or *>` → admission times inside the window, oldest first. */
  private readonly windows = new Map<string, number[]>();
  private readonly rules: readonly RateRule[];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RateLimiterOptions = {}) {
    this.rules = options.rules ?? TEAMS_RATE_RULES;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async acquire(thread: string, options: AcquireOptions = {}): Promise<void> {
    for (;;) {
      if (options.signal?.aborted) throw new Error('aborted while waiting for the send limit');
      const wait = this.tryTake(thread, this.now(), options.waitForThread ?? true);
      if (wait === 0) return;
      await this.sleep(wait);
    }
  }

  /** 0 when admitted (and counted), else how long to wait before trying again. */
  private tryTake(thread: string, t: number, waitForThread: boolean): number {
    const notBefore = this.options.notBefore?.() ?? 0;
    if (t < notBefore) return Math.ceil(notBefore - t);
    const share = Math.min(1, Math.max(0.001, this.options.share?.() ?? 1));
    let wait = 0;
    const keys: string[] = [];
    this.rules.forEach((rule, i) => {
      const key = `${i}|${rule.scope === 'app' ? '*' : thread}`;
      keys.push(key);
      const times = this.windows.get(key) ?? [];
      while (times.length > 0 && times[0]! <= t - rule.windowMs) times.shift();
      if (times.length === 0) this.windows.delete(key);
      else this.windows.set(key, times);
      const cap = Math.max(1, Math.floor(rule.max * share));
      if ((rule.scope === 'app' || waitForThread) && times.length >= cap)
        wait = Math.max(wait, times[times.length - cap]! + rule.windowMs - t + 1);
    });
    if (wait > 0) return wait;
    for (const key of keys) {
      const times = this.windows.get(key);
      if (times) times.push(t);
      else this.windows.set(key, [t]);
    }
    this.sweep(t);
    return 0;
  }

  /** Forgets threads whose windows are empty, so a long-running bot does not keep every thread ever used. */
  private sweep(t: number): void {
    if (this.windows.size < 2_000) return;
    for (const [key, times] of this.windows) {
      const rule = this.rules[Number(key.slice(0, key.indexOf('|')))];
      if (!rule || times.length === 0 || times[times.length - 1]! <= t - rule.windowMs) this.windows.delete(key);
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

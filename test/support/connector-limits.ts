/**
 * Teams' send limits as the Bot Connector double (./connector-double.ts) enforces them: the rules,
 * the sliding windows that count the requests it accepted, and the earliest moment a set of
 * requests can all be accepted under those windows — what a sender that knew the windows exactly,
 * with no time on the wire, could reach. The fan-out benchmark compares its time with that.
 */

/** One sliding-window limit. */
export interface RateLimitRule {
  /** Which operations count (and are limited) together. */
  category: 'send' | 'create' | 'members' | 'conversations' | 'any';
  /** `thread`: one window per conversation/channel; `global`: one for the whole bot. */
  scope: 'thread' | 'global';
  windowMs: number;
  max: number;
}

/** The category of an operation (`any` is only for rules). */
export type LimitCategory = Exclude<RateLimitRule['category'], 'any'>;

/**
 * Teams' per bot per thread limits (learn.microsoft.com, "Optimize your bot with rate limiting in
 * Teams"): send and create conversation 7/1 s, 8/2 s, 60/30 s, 1800/3600 s; get conversation
 * members and get conversations 14/1 s, 16/2 s, 120/30 s, 3600/3600 s. "Thread" is a 1:1 chat,
 * a group chat or a channel (so all threads of a channel share one window here). The app's limit
 * for the whole tenant is not in this list: add `TEAMS_APP_LIMIT` to enforce it.
 */
export const TEAMS_PER_THREAD_LIMITS: readonly RateLimitRule[] = Object.freeze<RateLimitRule[]>([
  { category: 'send', scope: 'thread', windowMs: 1_000, max: 7 },
  { category: 'send', scope: 'thread', windowMs: 2_000, max: 8 },
  { category: 'send', scope: 'thread', windowMs: 30_000, max: 60 },
  { category: 'send', scope: 'thread', windowMs: 3_600_000, max: 1_800 },
  { category: 'create', scope: 'thread', windowMs: 1_000, max: 7 },
  { category: 'create', scope: 'thread', windowMs: 2_000, max: 8 },
  { category: 'create', scope: 'thread', windowMs: 30_000, max: 60 },
  { category: 'create', scope: 'thread', windowMs: 3_600_000, max: 1_800 },
  { category: 'members', scope: 'thread', windowMs: 1_000, max: 14 },
  { category: 'members', scope: 'thread', windowMs: 2_000, max: 16 },
  { category: 'members', scope: 'thread', windowMs: 30_000, max: 120 },
  { category: 'members', scope: 'thread', windowMs: 3_600_000, max: 3_600 },
  { category: 'conversations', scope: 'thread', windowMs: 1_000, max: 14 },
  { category: 'conversations', scope: 'thread', windowMs: 2_000, max: 16 },
  { category: 'conversations', scope: 'thread', windowMs: 30_000, max: 120 },
  { category: 'conversations', scope: 'thread', windowMs: 3_600_000, max: 3_600 },
]);

/**
 * The app's limit across all its threads in a tenant: 30 requests per second in the current
 * Teams documentation (older copies of the page say 50). The bot's own limiter
 * (domain/delivery/rate-limit.ts, `TEAMS_RATE_RULES`) keeps to the same number.
 */
export const TEAMS_APP_LIMIT: RateLimitRule = Object.freeze<RateLimitRule>({
  category: 'any',
  scope: 'global',
  windowMs: 1_000,
  max: 30,
});

/**
 * The windows of a set of rules: a request fits when every window it counts in holds fewer than
 * the rule's `max` requests in the last `windowMs` (a request at `x` is in the window at `t` while
 * `x > t - windowMs`).
 */
export class LimitWindows {
  /** `<rule index>|<thread or *>` → times of the requests counted. */
  private windows = new Map<string, number[]>();

  constructor(readonly rules: readonly RateLimitRule[]) {}

  private applicable(category: LimitCategory, thread: string): { rule: RateLimitRule; key: string }[] {
    const out: { rule: RateLimitRule; key: string }[] = [];
    this.rules.forEach((rule, index) => {
      if (rule.category === 'any' || rule.category === category)
        out.push({ rule, key: `${index}|${rule.scope === 'global' ? '*' : thread}` });
    });
    return out;
  }

  /** Milliseconds from `t` until such a request fits every window; 0 when it fits now. */
  waitMs(category: LimitCategory, thread: string, t: number): number {
    let wait = 0;
    for (const { rule, key } of this.applicable(category, thread)) {
      const times = (this.windows.get(key) ?? []).filter((x) => x > t - rule.windowMs);
      this.windows.set(key, times);
      // A place frees when the oldest of the `max` latest requests leaves the window.
      if (times.length >= rule.max) wait = Math.max(wait, times[times.length - rule.max]! + rule.windowMs - t);
    }
    return wait;
  }

  /** Counts a request accepted at `t`. */
  count(category: LimitCategory, thread: string, t: number): void {
    for (const { key } of this.applicable(category, thread)) {
      const times = this.windows.get(key);
      if (times) times.push(t);
      else this.windows.set(key, [t]);
    }
  }

  clear(): void {
    this.windows = new Map();
  }
}

export interface LimitedRequest {
  category: LimitCategory;
  thread: string;
}

export interface EarliestFinishOptions {
  /**
   * Throttling beyond the windows, as the benchmark injects it: given the number of the attempt
   * (1, 2, 3… over all requests, retries included), the `Retry-After` in ms when that attempt is
   * answered 429. Such an answer is not counted in the windows (the double injects it before it
   * looks at them), and the request may go again `Retry-After` later.
   */
  throttle?: (attempt: number) => number | undefined;
}

/**
 * The earliest time (ms after the first request, which goes at 0) by which every request can have
 * been accepted: each one sent the moment the windows and its `Retry-After` allow, none ever
 * refused by the windows, no time spent on the wire. No sender can finish sooner.
 */
export function earliestFinish(
  rules: readonly RateLimitRule[],
  requests: readonly LimitedRequest[],
  options: EarliestFinishOptions = {},
): number {
  const windows = new LimitWindows(rules);
  const waiting = requests.map((r) => ({ ...r, notBefore: 0 }));
  let t = 0;
  let attempt = 0;
  let last = 0;
  while (waiting.length > 0) {
    let next = Number.POSITIVE_INFINITY;
    for (let i = 0; i < waiting.length;) {
      const r = waiting[i]!;
      const wait = r.notBefore > t ? r.notBefore - t : windows.waitMs(r.category, r.thread, t);
      if (wait > 0) {
        next = Math.min(next, t + wait);
        i++;
        continue;
      }
      const retryAfter = options.throttle?.(++attempt);
      if (retryAfter !== undefined) {
        r.notBefore = t + Math.max(1, retryAfter);
        next = Math.min(next, r.notBefore);
        i++;
        continue;
      }
      windows.count(r.category, r.thread, t);
      last = t;
      waiting.splice(i, 1);
    }
    if (waiting.length > 0) t = next;
  }
  return last;
}

/** The most of `times` (ms) inside any window of `windowMs`: what a limit of that window saw at its busiest. */
export function busiest(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/**
 * The double's limit windows (test/support/connector-limits.ts) and the earliest finish they allow,
 * which the fan-out benchmark takes as the minimum: whole windows filled, a thread's own windows,
 * the injected 429s and their Retry-After, and that nothing earlier would have been accepted.
 */
import {
  busiest,
  earliestFinish,
  LimitWindows,
  TEAMS_APP_LIMIT,
  TEAMS_PER_THREAD_LIMITS,
  type LimitedRequest,
  type RateLimitRule,
} from './connector-limits';

const APP: RateLimitRule[] = [{ category: 'any', scope: 'global', windowMs: 1_000, max: 30 }];
const channels = (n: number): LimitedRequest[] =>
  Array.from({ length: n }, (_, i) => ({ category: 'create', thread: `19:c${i}` }));

describe('busiest', () => {
  it('counts the most times inside any window, a time one window after another outside it', () => {
    expect(busiest([1_500, 0, 10, 999, 1_000], 1_000)).toBe(3);
    expect(busiest([0, 1_000, 2_000], 1_000)).toBe(1);
    expect(busiest([], 1_000)).toBe(0);
  });
});

describe('LimitWindows', () => {
  it('lets max requests into a window and the next one when the oldest has left it', () => {
    const w = new LimitWindows(APP);
    for (let i = 0; i < 30; i++) {
      expect(w.waitMs('create', 'a', 100 + i)).toBe(0);
      w.count('create', 'a', 100 + i);
    }
    expect(w.waitMs('send', 'b', 500)).toBe(600);
    expect(w.waitMs('send', 'b', 1_099)).toBe(1);
    expect(w.waitMs('send', 'b', 1_100)).toBe(0);
  });

  it('keeps a window per thread and per category for thread rules', () => {
    const w = new LimitWindows(TEAMS_PER_THREAD_LIMITS);
    for (let i = 0; i < 7; i++) w.count('create', 'a', 0);
    expect(w.waitMs('create', 'a', 10)).toBe(990);
    expect(w.waitMs('create', 'b', 10)).toBe(0);
    expect(w.waitMs('members', 'a', 10)).toBe(0);
  });
});

describe('earliestFinish', () => {
  it('fills each window: 90 posts under 30/s finish in the third second', () => {
    expect(earliestFinish(APP, channels(30))).toBe(0);
    expect(earliestFinish(APP, channels(31))).toBe(1_000);
    expect(earliestFinish(APP, channels(90))).toBe(2_000);
    expect(earliestFinish([...TEAMS_PER_THREAD_LIMITS, TEAMS_APP_LIMIT], channels(500))).toBe(16_000);
  });

  it('keeps a thread to its own windows (7 per 1 s, 8 per 2 s)', () => {
    const one = Array.from({ length: 10 }, (): LimitedRequest => ({ category: 'send', thread: '19:one' }));
    // 7 at 0, the 8th at 1 s (8 per 2 s), the 9th and 10th once the first 7 left the 2 s window.
    expect(earliestFinish(TEAMS_PER_THREAD_LIMITS, one)).toBe(2_000);
  });

  it('retries a throttled request after its Retry-After, without counting the 429 in the windows', () => {
    const every10th = (attempt: number) => (attempt % 10 === 0 ? 1_000 : undefined);
    // 33 attempts at 0 get 30 posts in (the 10th, 20th and 30th throttled), the rest and those
    // three at 1 s, where the 40th and 50th attempts are throttled again: they go at 2 s.
    expect(earliestFinish(APP, channels(50), { throttle: every10th })).toBe(2_000);
    const attempts: number[] = [];
    earliestFinish(APP, channels(50), { throttle: (a) => void attempts.push(a) });
    expect(attempts).toHaveLength(50);
  });

  it('is the earliest: one millisecond sooner the last post would be refused', () => {
    const w = new LimitWindows(APP);
    for (let i = 0; i < 30; i++) w.count('create', `19:c${i}`, 0);
    const finish = earliestFinish(APP, channels(31));
    expect(w.waitMs('create', '19:c30', finish - 1)).toBeGreaterThan(0);
    expect(w.waitMs('create', '19:c30', finish)).toBe(0);
  });
});

/**
 * The send limiter on a clock of its own: the windows, the share of an instance, and requests
 * counted until their answer is in (Teams counts a request when it arrives, which may be long
 * after we let it go); many requests waiting at once fill each window and no more.
 */
import { RateLimiter, TEAMS_RATE_RULES, type RateRule } from '../../../domain/delivery';
import { busiest, TEAMS_APP_LIMIT } from '../../support/connector-limits';

/** A clock the limiter sleeps on: sleeping moves it forward. */
function clock() {
  let now = 1_000_000;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const THREAD: RateRule[] = [{ scope: 'thread', windowMs: 1_000, max: 3 }];

it('admits up to the window’s limit at once, and the next one when the oldest leaves the window', async () => {
  const c = clock();
  const limiter = new RateLimiter({ rules: THREAD, now: c.now, sleep: c.sleep });
  const start = c.now();
  for (let i = 0; i < 3; i++) (await limiter.acquire('t'))();
  expect(c.now()).toBe(start);
  (await limiter.acquire('t'))();
  expect(c.now()).toBe(start + 1_001);
  // Another thread has its own window.
  const other = c.now();
  for (let i = 0; i < 3; i++) (await limiter.acquire('u'))();
  expect(c.now()).toBe(other);
});

it('takes this instance’s share of every window', async () => {
  const c = clock();
  const limiter = new RateLimiter({
    rules: [{ scope: 'thread', windowMs: 1_000, max: 6 }],
    now: c.now,
    sleep: c.sleep,
    share: () => 0.5,
  });
  const start = c.now();
  for (let i = 0; i < 3; i++) (await limiter.acquire('t'))();
  expect(c.now()).toBe(start);
  (await limiter.acquire('t'))();
  expect(c.now()).toBeGreaterThanOrEqual(start + 1_000);
});

it('counts a request that took long to answer from its answer, so it cannot share a window with the next ones', async () => {
  const c = clock();
  const limiter = new RateLimiter({ rules: THREAD, now: c.now, sleep: c.sleep });
  const start = c.now();
  const releases = [await limiter.acquire('t'), await limiter.acquire('t'), await limiter.acquire('t')];
  // Two answers come at once; the third request is still on its way 700 ms later.
  releases[0]!();
  releases[1]!();
  c.advance(700);
  releases[2]!();
  // The first two leave the window at start + 1 000; the third, known to have arrived by
  // start + 700, only at start + 1 700.
  (await limiter.acquire('t'))();
  expect(c.now()).toBe(start + 1_001);
  (await limiter.acquire('t'))();
  expect(c.now()).toBe(start + 1_001);
  (await limiter.acquire('t'))();
  expect(c.now()).toBe(start + 1_701);
});

it('waits while the window is full of requests still on their way, and goes once they are answered', async () => {
  const c = clock();
  let sleeps = 0;
  const limiter = new RateLimiter({
    rules: THREAD,
    now: c.now,
    sleep: async (ms) => {
      sleeps++;
      c.advance(ms);
      // The answers come in after a while.
      if (sleeps === 10) held.forEach((r) => r());
    },
  });
  const held = [await limiter.acquire('t'), await limiter.acquire('t'), await limiter.acquire('t')];
  const start = c.now();
  // Long past the window, but nothing is answered yet: it must not go.
  c.advance(5_000);
  (await limiter.acquire('t'))();
  expect(sleeps).toBeGreaterThanOrEqual(10);
  // Released at start + 5 000 + ten polls: the request went a window after that.
  expect(c.now()).toBeGreaterThan(start + 5_000 + 1_000);
});

it('waits for the instance to be counted by the others before its first request', async () => {
  const c = clock();
  const readyAt = c.now() + 3_000;
  const limiter = new RateLimiter({ rules: THREAD, now: c.now, sleep: c.sleep, notBefore: () => readyAt });
  (await limiter.acquire('t'))();
  expect(c.now()).toBe(readyAt);
});

it('stops waiting when the request is aborted', async () => {
  const c = clock();
  const signal = { aborted: false };
  const limiter = new RateLimiter({
    rules: THREAD,
    now: c.now,
    sleep: async (ms) => {
      c.advance(ms);
      signal.aborted = true;
    },
  });
  for (let i = 0; i < 3; i++) await limiter.acquire('t');
  await expect(limiter.acquire('t', { signal })).rejects.toThrow(/aborted/);
});

/**
 * A clock on which many requests wait at once: each sleep is a timer, and `run` lets every
 * promise settle, then moves the clock to the earliest timer and fires it, until none is left.
 */
function timers() {
  let now = 1_000_000;
  const pending: { at: number; fire: () => void }[] = [];
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((fire) => pending.push({ at: now + ms, fire })),
    async run(): Promise<void> {
      for (await settle(); pending.length > 0; await settle()) {
        pending.sort((a, b) => a.at - b.at);
        const next = pending.shift()!;
        now = Math.max(now, next.at);
        next.fire();
      }
    },
  };
}

/** `n` requests at once, each answered `latencyMs` after it was let go; when each was let go. */
async function burst(limiter: RateLimiter, t: ReturnType<typeof timers>, n: number, latencyMs: number) {
  const admitted: number[] = [];
  const all = Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const release = await limiter.acquire(`19:channel-${i}`);
      admitted.push(t.now());
      await t.sleep(latencyMs);
      release();
    }),
  );
  await t.run();
  await all;
  return admitted;
}

describe('filling the window (the app’s limit, many requests waiting at once)', () => {
  const APP: RateRule[] = [{ scope: 'app', windowMs: 1_000, max: 30 }];

  it('N requests under R per second finish in about N/R seconds, never more than R in any second', async () => {
    const t = timers();
    const limiter = new RateLimiter({ rules: APP, now: t.now, sleep: t.sleep });
    const start = t.now();
    const admitted = await burst(limiter, t, 100, 10);
    expect(admitted).toHaveLength(100);
    expect(busiest(admitted, 1_000)).toBe(30);
    // 30 at once, then 30 as soon as the first 30 (answered 10 ms later) leave the window, and so
    // on: the 100th in the fourth window, three windows (and their answers' 10 ms) after the first.
    const last = Math.max(...admitted) - start;
    expect(last).toBeGreaterThanOrEqual(3_000);
    expect(last).toBeLessThanOrEqual(3 * (1_000 + 10 + 1));
    expect(admitted.filter((x) => x === start)).toHaveLength(30);
  });

  it('an instance sharing the limit with another fills its half of every window', async () => {
    const t = timers();
    const limiter = new RateLimiter({ rules: APP, now: t.now, sleep: t.sleep, share: () => 0.5 });
    const start = t.now();
    const admitted = await burst(limiter, t, 60, 10);
    expect(busiest(admitted, 1_000)).toBe(15);
    const last = Math.max(...admitted) - start;
    expect(last).toBeGreaterThanOrEqual(3_000);
    expect(last).toBeLessThanOrEqual(3 * (1_000 + 10 + 1));
  });

  it('keeps Teams’ documented 30 requests per second for the app, the number the connector double enforces', () => {
    expect(TEAMS_RATE_RULES.filter((r) => r.scope === 'app')).toEqual([{ scope: 'app', windowMs: 1_000, max: 30 }]);
    expect(TEAMS_APP_LIMIT).toMatchObject({ scope: 'global', windowMs: 1_000, max: 30 });
  });
});

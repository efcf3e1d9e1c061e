/**
 * The send limiter on a clock of its own: the windows, the share of an instance, and requests
 * counted until their answer is in (Teams counts a request when it arrives, which may be long
 * after we let it go).
 */
import { RateLimiter, type RateRule } from '../../../domain/delivery';

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

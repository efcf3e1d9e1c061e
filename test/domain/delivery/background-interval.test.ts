/** BackgroundTasks.coalesce with `minIntervalMs` (domain/delivery/background.ts). */
import { silentLogger } from '../../../bot/logger';
import { BackgroundTasks } from '../../../domain/delivery';

const INTERVAL = 2000;

describe('BackgroundTasks.coalesce with minIntervalMs (fake clock)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-03-11T10:00:00.000Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** A task that records when (fake clock) and as what it started, and takes `takesMs`. */
  function recorder(takesMs = 0) {
    const starts: { label: string; at: number }[] = [];
    const task = (label: string) => async () => {
      starts.push({ label, at: Date.now() });
      if (takesMs > 0) await new Promise((r) => setTimeout(r, takesMs));
    };
    return { starts, task };
  }

  it('runs a burst of 10 exactly twice: the first at once, the last one interval after the first started', async () => {
    const bg = new BackgroundTasks(silentLogger());
    const { starts, task } = recorder();
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) bg.coalesce('card', task(`run-${i}`), { minIntervalMs: INTERVAL });
    expect(starts).toEqual([{ label: 'run-0', at: t0 }]);
    await jest.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(starts.map((s) => s.label)).toEqual(['run-0']);
    await jest.advanceTimersByTimeAsync(1);
    expect(starts.map((s) => s.label)).toEqual(['run-0', 'run-9']);
    expect(starts[1]!.at - starts[0]!.at).toBeGreaterThanOrEqual(INTERVAL);
    await jest.advanceTimersByTimeAsync(10 * INTERVAL);
    expect(starts).toHaveLength(2);
    await bg.drain();
  });

  it('counts the interval from the start of the previous run, not its end', async () => {
    const bg = new BackgroundTasks(silentLogger());
    const { starts, task } = recorder(500);
    const t0 = Date.now();
    bg.coalesce('card', task('first'), { minIntervalMs: INTERVAL });
    await jest.advanceTimersByTimeAsync(100);
    bg.coalesce('card', task('second'), { minIntervalMs: INTERVAL });
    await jest.advanceTimersByTimeAsync(INTERVAL);
    expect(starts).toEqual([
      { label: 'first', at: t0 },
      { label: 'second', at: t0 + INTERVAL },
    ]);
    await jest.advanceTimersByTimeAsync(500);
    await bg.drain();
  });

  it('starts the waiting run as soon as a run longer than the interval ends', async () => {
    const bg = new BackgroundTasks(silentLogger());
    const { starts, task } = recorder(INTERVAL + 700);
    const t0 = Date.now();
    bg.coalesce('card', task('long'), { minIntervalMs: INTERVAL });
    bg.coalesce('card', task('next'), { minIntervalMs: INTERVAL });
    await jest.advanceTimersByTimeAsync(INTERVAL + 700);
    expect(starts).toEqual([
      { label: 'long', at: t0 },
      { label: 'next', at: t0 + INTERVAL + 700 },
    ]);
    await jest.advanceTimersByTimeAsync(INTERVAL + 700);
    await bg.drain();
  });

  it('keeps the interval after a failed run, and other keys are not held up', async () => {
    const bg = new BackgroundTasks(silentLogger());
    const { starts, task } = recorder();
    const t0 = Date.now();
    bg.coalesce(
      'card',
      async () => {
        starts.push({ label: 'fails', at: Date.now() });
        throw new Error('Teams said no');
      },
      { minIntervalMs: INTERVAL },
    );
    bg.coalesce('card', task('retry'), { minIntervalMs: INTERVAL });
    bg.coalesce('other', task('other'), { minIntervalMs: INTERVAL });
    await jest.advanceTimersByTimeAsync(0);
    expect(starts.map((s) => s.label)).toEqual(['fails', 'other']);
    await jest.advanceTimersByTimeAsync(INTERVAL);
    expect(starts.at(-1)).toEqual({ label: 'retry', at: t0 + INTERVAL });
    await bg.drain();
  });

  it('drain starts the waiting run at once, without the clock moving', async () => {
    const bg = new BackgroundTasks(silentLogger());
    const { starts, task } = recorder();
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) bg.coalesce('card', task(`run-${i}`), { minIntervalMs: INTERVAL });
    await jest.advanceTimersByTimeAsync(10);
    expect(starts).toHaveLength(1);
    await bg.drain(); // no timer is advanced: only the drain can end the wait
    expect(starts).toEqual([
      { label: 'run-0', at: t0 },
      { label: 'run-9', at: t0 + 10 },
    ]);
    // After the drain the interval applies again, counted from the run the drain started
    // (run-9, at t0 + 10): the two calls below wait for it, and only the later one runs.
    bg.coalesce('card', task('after-1'), { minIntervalMs: INTERVAL });
    bg.coalesce('card', task('after-2'), { minIntervalMs: INTERVAL });
    await jest.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(starts.map((s) => s.label)).toEqual(['run-0', 'run-9']);
    await jest.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([
      { label: 'run-0', at: t0 },
      { label: 'run-9', at: t0 + 10 },
      { label: 'after-2', at: t0 + 10 + INTERVAL },
    ]);
    await bg.drain();
  });

  it('does not start a run sooner than the interval after the previous one, even when that one had finished', async () => {
    // CARD_REFRESH_INTERVAL_MS (bot/flows/checkin.flow.ts): "a posted check-in card is replaced
    // for everyone at most this often"; background.ts: "however fast the answers come". Answers
    // that each arrive just after the previous (quick) refresh ended must still be spaced.
    const bg = new BackgroundTasks(silentLogger());
    const { starts, task } = recorder(50);
    for (let i = 0; i < 5; i++) {
      bg.coalesce('card', task(`answer-${i}`), { minIntervalMs: INTERVAL });
      await jest.advanceTimersByTimeAsync(100); // the refresh (50 ms) is over before the next answer
    }
    await jest.advanceTimersByTimeAsync(5 * INTERVAL);
    await bg.drain();
    const gaps = starts.slice(1).map((s, i) => s.at - starts[i]!.at);
    gaps.forEach((gap) => expect(gap).toBeGreaterThanOrEqual(INTERVAL));
    expect(starts.at(-1)?.label).toBe('answer-4'); // the latest answer is still shown
  });
});

describe('BackgroundTasks.coalesce with minIntervalMs (real clock)', () => {
  it('drain cuts a long wait short', async () => {
    const bg = new BackgroundTasks(silentLogger());
    const starts: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 10; i++)
      bg.coalesce('card', async () => void starts.push(Date.now()), { minIntervalMs: 30_000 });
    await bg.drain();
    expect(starts).toHaveLength(2);
    expect(Date.now() - t0).toBeLessThan(2000);
  }, 10_000);
});

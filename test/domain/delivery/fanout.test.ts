/**
 * fanOut (domain/delivery/fanout.ts) with its delivery records on Azurite (storage/jobs.repository.ts) and
 * a scripted messenger: each target is posted once across runs, Teams' throttling is retried as
 * told, a bot removed from a team stops the posting there, and failures are retried up to a limit.
 */
import { silentLogger } from '../../../bot/logger';
import {
  type ChannelTarget,
  DeliveryError,
  type DeliveryRecord,
  fanOut,
  type FanOutItem,
  type FanOutOptions,
  type Messenger,
  type OutgoingMessage,
  type RetryPolicy,
} from '../../../domain/delivery';
import type { Repositories } from '../../../domain/ports';
import { fixedClock } from '../../../domain/time';
import { PostingMessenger } from '../../support/messenger';
import { useFreshTables } from '../../support/storage';

type Script = (target: ChannelTarget, attempt: number) => Error | undefined | Promise<Error | undefined>;

class ScriptedMessenger extends PostingMessenger {
  posted: { channelId: string; text?: string; at: number }[] = [];
  attempts = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;
  /** When each post began, in order. */
  starts: number[] = [];
  constructor(private readonly script: Script = () => undefined) {
    super();
  }

  async post(target: ChannelTarget, message: OutgoingMessage) {
    const attempt = (this.attempts.get(target.channelId) ?? 0) + 1;
    this.attempts.set(target.channelId, attempt);
    this.starts.push(Date.now());
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, 5));
      const err = await this.script(target, attempt);
      if (err) throw err;
      this.posted.push({ channelId: target.channelId, text: message.text, at: Date.now() });
      return {
        messageId: `m-${target.channelId}-${attempt}`,
        threadId: `${target.channelId};messageid=m-${target.channelId}-${attempt}`,
      };
    } finally {
      this.inFlight--;
    }
  }
}

let repos: Repositories;
let sleeps: number[];
let policy: RetryPolicy;

useFreshTables((t) => {
  repos = t.repositories;
});
beforeEach(() => {
  sleeps = [];
  policy = {
    attempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 30000,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0,
  };
});

const targets = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ teamsTeamId: `team-${i % 2}`, channelId: `19:ch${i}`, reference: {} }));
const items = (n: number, text = 'kort'): FanOutItem[] =>
  targets(n).map((target) => ({ key: `k|${target.channelId}`, target, message: () => ({ text }) }));

function run(messenger: Messenger, list: FanOutItem[], extra: Partial<FanOutOptions> = {}) {
  return fanOut({
    programId: 'harnosand',
    batch: 'checkin|2026-W48',
    items: list,
    messenger,
    deliveries: repos.deliveries,
    clock: fixedClock('2026-11-23T08:00:00Z'),
    logger: silentLogger(),
    policy,
    minIntervalMs: 0,
    ...extra,
  });
}

describe('fanOut', () => {
  it('posts each target once, records the message, and skips sent targets on the next run', async () => {
    const messenger = new ScriptedMessenger();
    const posted: string[] = [];
    const report = await run(messenger, items(6), {
      onPosted: async (item, p) => void posted.push(`${item.key}=${p.messageId}`),
    });
    expect(report).toEqual({
      sent: 6,
      alreadySent: 0,
      failed: 0,
      blocked: 0,
      uncertain: 0,
      retries: 0,
      retryable: 0,
      skippedInactive: 0,
    });
    expect(messenger.posted.map((p) => p.channelId).sort()).toEqual(
      targets(6)
        .map((t) => t.channelId)
        .sort(),
    );
    expect(posted).toHaveLength(6);
    const records = await repos.deliveries.list('harnosand', 'checkin|2026-W48');
    expect(records.find((r) => r.key === 'k|19:ch3')).toMatchObject({
      status: 'sent',
      messageId: 'm-19:ch3-1',
      threadId: '19:ch3;messageid=m-19:ch3-1',
      runs: 1,
    });

    const again = await run(messenger, items(6));
    expect(again).toMatchObject({ sent: 0, alreadySent: 6 });
    expect(messenger.posted).toHaveLength(6);
  });

  it('two runs of one batch at once post each target once; the later run finds them sent', async () => {
    // Slow posts: the second run starts while every post of the first is on its way.
    const messenger = new ScriptedMessenger(() => new Promise<undefined>((r) => setTimeout(() => r(undefined), 200)));
    const [a, b] = await Promise.all([run(messenger, items(4)), run(messenger, items(4))]);
    expect(messenger.posted.map((p) => p.channelId).sort()).toEqual(
      targets(4)
        .map((t) => t.channelId)
        .sort(),
    );
    expect([a.sent + b.sent, a.alreadySent + b.alreadySent]).toEqual([4, 4]);
    // Another store (another bot) is not held up by this one's delivery in flight.
    let release!: () => void;
    const gate = new Promise<undefined>((r) => (release = () => r(undefined)));
    const held = new ScriptedMessenger(() => gate);
    const heldRun = run(held, items(1), { batch: 'digest|2026-W48' });
    // Wait for the held post to be on its way (its claim is stored first), however slow the machine.
    for (const until = Date.now() + 10_000; held.inFlight === 0 && Date.now() < until;)
      await new Promise((r) => setTimeout(r, 10));
    expect(held.inFlight).toBe(1);
    const separate = {
      get: async () => undefined,
      save: async () => undefined,
      put: async (_p: string, _b: string, r: DeliveryRecord) => r,
      list: async () => [],
    };
    expect(
      await run(new ScriptedMessenger(), items(1), { batch: 'digest|2026-W48', deliveries: separate }),
    ).toMatchObject({ sent: 1 });
    release();
    expect(await heldRun).toMatchObject({ sent: 1 });
  });

  it('keeps to the concurrency and spaces the starts of posts', async () => {
    const messenger = new ScriptedMessenger();
    // Real pauses here: pacing reads the clock, so a pause that returned at once would make the
    // spacing depend on how fast storage answers.
    const pausing: RetryPolicy = { ...policy, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
    await run(messenger, items(8), { concurrency: 2, minIntervalMs: 40, policy: pausing });
    expect(messenger.maxInFlight).toBeLessThanOrEqual(2);
    expect(messenger.starts).toHaveLength(8);
    // Paced at 40 ms: 8 starts span at least 7 intervals, and no two come together. (Slack for
    // the moment between a pause's end and the post's start, which other work can stretch.)
    const gaps = messenger.starts.slice(1).map((t, i) => t - messenger.starts[i]!);
    expect(messenger.starts.at(-1)! - messenger.starts[0]!).toBeGreaterThanOrEqual(40 * 7 - 10);
    expect(gaps.filter((g) => g < 25)).toEqual([]);
  });

  it('retries 429 as long as Retry-After says, and 5xx with backoff; the record counts the retries', async () => {
    const messenger = new ScriptedMessenger((t, attempt) => {
      if (t.channelId === '19:ch0' && attempt === 1)
        return new DeliveryError('throttled', 429, 'TooManyRequests', 3000);
      if (t.channelId === '19:ch1' && attempt <= 2) return new DeliveryError('bad gateway', 502, undefined, undefined);
      return undefined;
    });
    const report = await run(messenger, items(2));
    expect(report).toMatchObject({ sent: 2, retries: 3, failed: 0 });
    expect(sleeps).toContain(3000); // Retry-After, jitter is 0 with random() = 0
    expect(sleeps.filter((s) => s === 50 || s === 100)).toHaveLength(2); // exponential: 100/2, 200/2
    expect((await repos.deliveries.get('harnosand', 'checkin|2026-W48', 'k|19:ch0'))?.retries).toBe(1);
    expect((await repos.deliveries.get('harnosand', 'checkin|2026-W48', 'k|19:ch1'))?.retries).toBe(2);
  });

  it('403 MessageWritesBlocked stops at once, calls onBlocked, and is not retried by later runs', async () => {
    const messenger = new ScriptedMessenger((t) =>
      t.channelId === '19:ch1' ? new DeliveryError('blocked', 403, 'MessageWritesBlocked', undefined) : undefined,
    );
    const blocked: string[] = [];
    const report = await run(messenger, items(3), {
      onBlocked: async (item, err) => void blocked.push(`${item.target.teamsTeamId}:${err.code}`),
    });
    expect(report).toMatchObject({ sent: 2, blocked: 1, retries: 0, retryable: 0 });
    expect(blocked).toEqual(['team-1:MessageWritesBlocked']);
    expect(messenger.attempts.get('19:ch1')).toBe(1);
    expect(await repos.deliveries.get('harnosand', 'checkin|2026-W48', 'k|19:ch1')).toMatchObject({
      status: 'blocked',
      error: '403 MessageWritesBlocked',
    });
    await run(messenger, items(3));
    expect(messenger.attempts.get('19:ch1')).toBe(1);
  });

  it('a failed delivery is tried again by the next run until maxRuns, then left alone', async () => {
    const messenger = new ScriptedMessenger((t) =>
      t.channelId === '19:ch0' ? new DeliveryError('bad request', 400, 'BadArgument', undefined) : undefined,
    );
    const first = await run(messenger, items(2), { maxRuns: 2 });
    expect(first).toMatchObject({ sent: 1, failed: 1, retryable: 1 });
    const second = await run(messenger, items(2), { maxRuns: 2 });
    expect(second).toMatchObject({ sent: 0, alreadySent: 1, failed: 1, retryable: 0 });
    const third = await run(messenger, items(2), { maxRuns: 2 });
    expect(third).toMatchObject({ sent: 0, alreadySent: 1, failed: 0 });
    expect(messenger.attempts.get('19:ch0')).toBe(2);
    expect(await repos.deliveries.get('harnosand', 'checkin|2026-W48', 'k|19:ch0')).toMatchObject({
      status: 'failed',
      runs: 2,
      error: '400 BadArgument',
    });
  });

  it('resumes a run that died mid-way: pending deliveries are posted, sent ones are not', async () => {
    await repos.deliveries.save('harnosand', 'checkin|2026-W48', {
      key: 'k|19:ch0',
      status: 'sent',
      channelId: '19:ch0',
      messageId: 'old',
      runs: 1,
      retries: 0,
      updatedAt: 'x',
    });
    await repos.deliveries.save('harnosand', 'checkin|2026-W48', {
      key: 'k|19:ch1',
      status: 'pending',
      channelId: '19:ch1',
      runs: 1,
      retries: 0,
      updatedAt: 'x',
    });
    const messenger = new ScriptedMessenger();
    const report = await run(messenger, items(3));
    expect(report).toMatchObject({ sent: 2, alreadySent: 1 });
    expect(messenger.posted.map((p) => p.channelId).sort()).toEqual(['19:ch1', '19:ch2']);
    expect(await repos.deliveries.get('harnosand', 'checkin|2026-W48', 'k|19:ch1')).toMatchObject({
      status: 'sent',
      runs: 2,
    });
  });

  it('builds each message right before posting it, and a message that cannot be built fails only that delivery', async () => {
    const messenger = new ScriptedMessenger();
    let version = 1;
    const list: FanOutItem[] = targets(3).map((target, i) => ({
      key: `k|${target.channelId}`,
      target,
      message: () => {
        if (i === 1) throw new Error('no view');
        return { text: `v${version++}` };
      },
    }));
    const report = await run(messenger, list, { concurrency: 1 });
    expect(report).toMatchObject({ sent: 2, failed: 1 });
    expect(messenger.posted.map((p) => p.text)).toEqual(['v1', 'v2']);
  });

  it('a failing onPosted does not turn a posted message into a failed delivery (that would post it twice)', async () => {
    const messenger = new ScriptedMessenger();
    const report = await run(messenger, items(2), {
      onPosted: async (item) => {
        if (item.key === 'k|19:ch0') throw new Error('storage hiccup');
      },
    });
    expect(report).toMatchObject({ sent: 2, failed: 0 });
    expect(await repos.deliveries.get('harnosand', 'checkin|2026-W48', 'k|19:ch0')).toMatchObject({
      status: 'sent',
      messageId: 'm-19:ch0-1',
    });
    await run(messenger, items(2));
    expect(messenger.posted).toHaveLength(2);
  });

  it('keeps batches apart', async () => {
    const messenger = new ScriptedMessenger();
    await run(messenger, items(2));
    await run(messenger, items(2), { batch: 'checkin|2026-W49' });
    expect(messenger.posted).toHaveLength(4);
    expect(await repos.deliveries.list('harnosand', 'checkin|2026-W49')).toHaveLength(2);
  });
});

/**
 * The pace of fanOut (domain/delivery/fanout.ts), with its delivery records on Azurite: posts go
 * as fast as the send limiter lets them (no spacing of its own), several deliveries are under way
 * so one waiting out a Retry-After holds up no other, the next post does not wait for the last
 * one's record (which is still in before the run ends), and the batch's records are read once per
 * run without weakening the claim: a record changed since the list is read again, never posted
 * twice.
 */
import { silentLogger } from '../../../bot/logger';
import {
  type ChannelTarget,
  DeliveryError,
  type DeliveryRecord,
  type DeliveryRepository,
  fanOut,
  type FanOutItem,
  type FanOutOptions,
  type Messenger,
  type OutgoingMessage,
  RateLimiter,
  type RetryPolicy,
} from '../../../domain/delivery';
import type { Repositories } from '../../../domain/ports';
import { fixedClock } from '../../../domain/time';
import { busiest } from '../../support/connector-limits';
import { PostingMessenger } from '../../support/messenger';
import { useFreshTables } from '../../support/storage';

const BATCH = 'checkin|2026-W48';

/** Posts after the limiter lets them go (as bot/messenger.ts does); a script may fail an attempt. */
class LimitedMessenger extends PostingMessenger {
  /** When each attempt was let go, by channel. */
  starts: { channelId: string; at: number }[] = [];
  posted = new Map<string, number>();
  attempts = new Map<string, number>();
  constructor(
    private readonly limiter?: RateLimiter,
    private readonly script: (channelId: string, attempt: number) => Error | undefined = () => undefined,
  ) {
    super();
  }

  async post(target: ChannelTarget, _message: OutgoingMessage) {
    const release = await this.limiter?.acquire(target.channelId);
    try {
      const attempt = (this.attempts.get(target.channelId) ?? 0) + 1;
      this.attempts.set(target.channelId, attempt);
      this.starts.push({ channelId: target.channelId, at: Date.now() });
      await new Promise((r) => setTimeout(r, 5));
      const err = this.script(target.channelId, attempt);
      if (err) throw err;
      this.posted.set(target.channelId, (this.posted.get(target.channelId) ?? 0) + 1);
      const messageId = `m-${target.channelId}-${attempt}`;
      return { messageId, threadId: `${target.channelId};messageid=${messageId}` };
    } finally {
      release?.();
    }
  }
}

/** The deliveries repository with its calls counted (and, when asked, some of them slowed). */
function counted(inner: DeliveryRepository, slowSent = 0) {
  const calls = { get: 0, put: 0, list: 0, sentWritten: [] as { key: string; at: number }[] };
  const repo: DeliveryRepository = {
    get: (p, b, k) => {
      calls.get++;
      return inner.get(p, b, k);
    },
    save: (p, b, r) => inner.save(p, b, r),
    put: async (p, b, r) => {
      calls.put++;
      if (r.status === 'sent' && slowSent > 0) await new Promise((x) => setTimeout(x, slowSent));
      const out = await inner.put(p, b, r);
      if (r.status === 'sent') calls.sentWritten.push({ key: r.key, at: Date.now() });
      return out;
    },
    list: (p, b) => {
      calls.list++;
      return inner.list(p, b);
    },
  };
  return { repo, calls };
}

let repos: Repositories;
useFreshTables((t) => {
  repos = t.repositories;
});

const realPauses: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 50,
  maxDelayMs: 30_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: () => 0,
};

const items = (n: number): FanOutItem[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `k|19:ch${i}`,
    target: { teamsTeamId: 'team', channelId: `19:ch${i}`, reference: {} },
    message: () => ({ text: 'kort' }),
  }));

function run(messenger: Messenger, list: FanOutItem[], extra: Partial<FanOutOptions> = {}) {
  return fanOut({
    programId: 'harnosand',
    batch: BATCH,
    items: list,
    messenger,
    deliveries: repos.deliveries,
    clock: fixedClock('2026-11-23T08:00:00Z'),
    logger: silentLogger(),
    policy: realPauses,
    ...extra,
  });
}

describe('fanOut at the send limiter’s pace', () => {
  it('fills each window of the limiter: N posts under R per window take about N/R windows, never more than R in one', async () => {
    const windowMs = 500;
    const max = 20;
    const limiter = new RateLimiter({ rules: [{ scope: 'app', windowMs, max }] });
    const messenger = new LimitedMessenger(limiter);
    const report = await run(messenger, items(60));
    expect(report).toMatchObject({ sent: 60, failed: 0 });
    const starts = messenger.starts.map((s) => s.at);
    expect(busiest(starts, windowMs)).toBe(max);
    // Three windows' worth: the 60th post goes once the first two windows have passed (and not
    // before: the limiter holds), well before posts spaced one by one would have (60 × 35 ms).
    const span = Math.max(...starts) - Math.min(...starts);
    expect(span).toBeGreaterThanOrEqual(2 * windowMs);
    expect(span).toBeLessThan(2 * windowMs + 700);
  });

  it('a post waiting out its Retry-After holds up none of the others', async () => {
    const throttled = new Set(['19:ch0', '19:ch1', '19:ch2', '19:ch3', '19:ch4']);
    const messenger = new LimitedMessenger(undefined, (channelId, attempt) =>
      throttled.has(channelId) && attempt === 1
        ? new DeliveryError('throttled', 429, 'TooManyRequests', 800)
        : undefined,
    );
    const started = Date.now();
    const report = await run(messenger, items(20));
    expect(report).toMatchObject({ sent: 20, retries: 5 });
    // The others went while the five waited, and the five waited side by side: about one
    // Retry-After in all, not five after one another (nor two, as four at a time would).
    const others = messenger.starts.filter((s) => !throttled.has(s.channelId)).map((s) => s.at);
    const retries = messenger.starts.filter((s) => throttled.has(s.channelId)).slice(5);
    expect(Math.max(...others)).toBeLessThan(Math.min(...retries.map((s) => s.at)));
    expect(Date.now() - started).toBeLessThan(2 * 800);
  });

  it('the next post does not wait for the last one’s record, and every record is in when the run ends', async () => {
    const { repo, calls } = counted(repos.deliveries, 300);
    const messenger = new LimitedMessenger();
    const report = await run(messenger, items(3), { deliveries: repo, concurrency: 1 });
    expect(report).toMatchObject({ sent: 3 });
    const first = calls.sentWritten.find((w) => w.key === 'k|19:ch0')!;
    const second = messenger.starts.find((s) => s.channelId === '19:ch1')!;
    expect(second.at).toBeLessThan(first.at);
    const records = await repos.deliveries.list('harnosand', BATCH);
    expect(records.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('reads the batch’s records once per run, not once per target', async () => {
    const { repo, calls } = counted(repos.deliveries);
    const messenger = new LimitedMessenger();
    expect(await run(messenger, items(5), { deliveries: repo })).toMatchObject({ sent: 5 });
    expect(calls).toMatchObject({ list: 1, get: 0, put: 10 }); // a claim and an outcome each
    // A second run finds them all sent in its list: no request per target at all.
    expect(await run(messenger, items(5), { deliveries: repo })).toMatchObject({ sent: 0, alreadySent: 5 });
    expect(calls).toMatchObject({ list: 2, get: 0, put: 10 });
    expect([...messenger.posted.values()]).toEqual([1, 1, 1, 1, 1]);
  });

  it('a record changed after the run listed it is read again on its ETag: posted by the other run, not twice', async () => {
    const pending: DeliveryRecord = {
      key: 'k|19:ch0',
      status: 'pending',
      channelId: '19:ch0',
      runs: 1,
      retries: 0,
      updatedAt: '2026-11-23T07:00:00Z',
    };
    await repos.deliveries.save('harnosand', BATCH, pending);
    const { repo, calls } = counted(repos.deliveries);
    const stale: DeliveryRepository = {
      ...repo,
      // Another run finishes the delivery just after this run listed the batch.
      list: async (p, b) => {
        const listed = await repo.list(p, b);
        const current = (await repos.deliveries.get(p, b, 'k|19:ch0'))!;
        await repos.deliveries.put(p, b, { ...current, status: 'sent', messageId: 'other', threadId: 'other' });
        return listed;
      },
    };
    const messenger = new LimitedMessenger();
    const report = await run(messenger, items(2), { deliveries: stale });
    expect(report).toMatchObject({ sent: 1, alreadySent: 1 });
    expect(messenger.posted.get('19:ch0')).toBeUndefined();
    expect(calls.get).toBe(1);
    expect(await repos.deliveries.get('harnosand', BATCH, 'k|19:ch0')).toMatchObject({ messageId: 'other' });
  });

  it('an item whose begin says no is left out: no claim, no post', async () => {
    const messenger = new LimitedMessenger();
    const list = items(3).map((item, i) => ({ ...item, begin: async () => i !== 1 }));
    expect(await run(messenger, list)).toMatchObject({ sent: 2 });
    expect([...messenger.posted.keys()].sort()).toEqual(['19:ch0', '19:ch2']);
    expect((await repos.deliveries.list('harnosand', BATCH)).map((r) => r.key)).toEqual(['k|19:ch0', 'k|19:ch2']);
  });

  it('when the store fails, no new delivery starts and the run ends only after those under way', async () => {
    const messenger = new LimitedMessenger();
    let claims = 0;
    const failing: DeliveryRepository = {
      ...repos.deliveries,
      list: (p, b) => repos.deliveries.list(p, b),
      get: (p, b, k) => repos.deliveries.get(p, b, k),
      save: (p, b, r) => repos.deliveries.save(p, b, r),
      put: async (p, b, r) => {
        if (r.status === 'pending' && ++claims === 4) throw new Error('store down');
        return repos.deliveries.put(p, b, r);
      },
    };
    await expect(run(messenger, items(40), { deliveries: failing, concurrency: 4 })).rejects.toThrow('store down');
    const afterwards = messenger.starts.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(messenger.starts.length).toBe(afterwards);
    expect(afterwards).toBeLessThan(40);
    const records = await repos.deliveries.list('harnosand', BATCH);
    expect(records.filter((r) => r.status === 'pending')).toEqual([]);
  });
});

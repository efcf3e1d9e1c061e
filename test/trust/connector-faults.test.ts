/**
 * Bot Connector faults, through the real BotMessenger (bot/messenger.ts on the real adapter from
 * bot/adapter.ts) against the connector double, with delivery records in Azurite:
 * 429 with Retry-After, 412, 502 and 503 are retried by domain/delivery/delivery.ts withRetry with backoff
 * and jitter, then given up with a `failed` DeliveryRecord and a logged error; a post that may
 * have reached Teams (no answer in time, 500, 504) is aborted, not retried, recorded `uncertain`
 * and never posted again; 403 MessageWritesBlocked stops at once (`blocked`, onBlocked). The
 * retry policy's sleep is recorded, not waited.
 *
 * It also proves the SDK's own retries are off for these proactive calls: botframework-
 * connector ignores the `noRetryPolicy` option, so bot/adapter.ts removes the retry policy
 * from the pipeline of every proactive connector client. Each attempt of ours is exactly one
 * request at the double.
 */
import { loadConfig } from '../../config/config';
import { createAdapter } from '../../bot/adapter';
import { BotMessenger } from '../../bot/messenger';
import {
  type ChannelTarget,
  DeliveryError,
  fanOut,
  type FanOutItem,
  retryDelay,
  type RetryPolicy,
  withRetry,
} from '../../domain/delivery';
import type { Repositories } from '../../domain/ports';
import { fixedClock } from '../../domain/time';
import {
  DEFAULT_BOT,
  DEFAULT_CHANNEL,
  DEFAULT_TEAM,
  DEFAULT_TENANT_ID,
  channelMessage,
  postActivity,
} from '../support/activities';
import { startTestBot } from '../support/bot';
import {
  faults,
  startConnectorDouble,
  type ConnectorDouble,
  type Fault,
  type RecordedCall,
} from '../support/connector-double';
import { startTestStorage, type TestStorage } from '../support/storage';
import { captureLogs, type LogCapture } from './helpers';

const PROGRAM = 'harnosand';
const ATTEMPTS = 4;
const BASE = 100;
/**
 * The messenger's request timeout. Generous, so that a slow but accepted request on a loaded
 * machine is not timed out and retried (which would break the exact counts below); only the
 * `faults.timeout()` requests, which the double never answers, run into it.
 */
const TIMEOUT_MS = 2000;

let double: ConnectorDouble;
let storage: TestStorage;
let repos: Repositories;
let messenger: BotMessenger;
let logs: LogCapture;

function target(channelId = DEFAULT_CHANNEL.id): ChannelTarget {
  return {
    teamsTeamId: DEFAULT_TEAM.id,
    channelId,
    reference: {
      serviceUrl: double.url,
      channelId: 'msteams',
      bot: DEFAULT_BOT,
      conversation: { id: channelId, tenantId: DEFAULT_TENANT_ID, isGroup: true, conversationType: 'channel' },
    },
  };
}

/** A policy whose sleeps are recorded, with a fixed sequence of "random" numbers. */
function recordingPolicy(randoms: number[] = [0.5]): RetryPolicy & { sleeps: number[] } {
  let i = 0;
  const sleeps: number[] = [];
  return {
    attempts: ATTEMPTS,
    baseDelayMs: BASE,
    maxDelayMs: 10_000,
    sleeps,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => randoms[i++ % randoms.length]!,
  };
}

function item(key: string, channelId?: string): FanOutItem {
  return { key, target: target(channelId), message: () => ({ text: `Veckans incheckning (${key})` }) };
}

async function run(
  batch: string,
  items: FanOutItem[],
  policy: RetryPolicy,
  onBlocked?: (i: FanOutItem, e: DeliveryError) => Promise<void>,
) {
  return fanOut({
    programId: PROGRAM,
    batch,
    items,
    messenger,
    deliveries: repos.deliveries,
    clock: fixedClock(new Date('2026-11-23T08:00:00Z')),
    logger: logs.logger,
    policy,
    minIntervalMs: 0,
    concurrency: 1,
    onBlocked,
  });
}

beforeAll(async () => {
  double = await startConnectorDouble();
  storage = await startTestStorage();
  repos = (await storage.fresh()).repositories;
  // Anonymous (no app id): the proactive path is the same; only the outgoing token is absent.
  messenger = new BotMessenger(createAdapter(loadConfig({})), '', TIMEOUT_MS);
});

afterAll(async () => {
  await double?.close();
  await storage?.stop();
});

beforeEach(() => {
  double.reset();
  logs = captureLogs('debug');
});

describe('the SDK does not retry proactive calls by itself', () => {
  it.each<[string, Fault]>([
    ['502', faults.serverError(502)],
    ['500', faults.serverError(500)],
    ['503', faults.serverError(503)],
    ['504', faults.serverError(504)],
    ['429 with Retry-After', faults.tooManyRequests(1)],
  ])('%s: one request per attempt, the error reaches our policy with its status', async (_name, fault) => {
    double.failNext(1, fault);
    const err = await messenger.post(target(), { text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).status).toBe(fault.status);
    // 500 and 504 may come after Teams stored the message: a post is not retried on them.
    const uncertain = fault.status === 500 || fault.status === 504;
    expect((err as DeliveryError).mayHaveBeenDelivered).toBe(uncertain);
    expect((err as DeliveryError).retryable).toBe(!uncertain);
    expect(double.callsTo('createConversation')).toHaveLength(1);
    if (fault.status === 429) expect((err as DeliveryError).retryAfterMs).toBe(1000);
  });

  it('a turn reply keeps the SDK’s retry (nothing else retries it): a 502 once, the answer still arrives', async () => {
    const bot = await startTestBot();
    try {
      double.failNext(
        1,
        faults.serverError(502),
        (c) => c.route === 'replyToActivity' || c.route === 'sendToConversation',
      );
      expect((await postActivity(bot.url, channelMessage({ text: 'hjälp', serviceUrl: double.url }))).status).toBe(200);
      expect(
        double.calls.filter(
          (c) => c.status === 502 && (c.route === 'replyToActivity' || c.route === 'sendToConversation'),
        ),
      ).toHaveLength(1);
      expect(JSON.stringify(double.sent()[0]?.activity)).toContain('Det här kan Kraftsamla');
    } finally {
      await bot.stop();
    }
  });
});

describe('withRetry through fanOut: retried with backoff and jitter, then delivered', () => {
  it.each<[string, Fault]>([
    ['502', faults.serverError(502)],
    ['503', faults.serverError(503)],
    ['412', faults.preconditionFailed()],
    ['429 without Retry-After', faults.tooManyRequestsNoRetryAfter()],
  ])('%s twice: exponential backoff with jitter, then sent once', async (name, fault) => {
    const policy = recordingPolicy([0, 0.999]);
    double.failNext(2, fault, (c) => c.route === 'createConversation');
    const report = await run(`retry|${name}`, [item('bostader')], policy);
    expect(report).toMatchObject({ sent: 1, failed: 0, retries: 2 });
    // Retry n waits in [cap/2, cap) with cap = base·2^(n-1): 50 (r=0), then 199 (r=0.999 of 100..200).
    expect(policy.sleeps).toEqual([50, 199]);
    expect(double.callsTo('createConversation')).toHaveLength(3);
    expect(double.sent()).toHaveLength(1);
    const record = await repos.deliveries.get(PROGRAM, `retry|${name}`, 'bostader');
    expect(record).toMatchObject({ status: 'sent', retries: 2, runs: 1 });
    expect(record?.messageId).toBe(double.sent()[0]!.id);
    const warnings = logs.records().filter((r) => r.msg === 'post throttled or failed; retrying');
    expect(warnings.map((w) => w.delayMs)).toEqual([50, 199]);
  });

  it('429 with Retry-After: waits what Teams asked (plus jitter up to 250 ms)', async () => {
    const policy = recordingPolicy([0.5]);
    double.failNext(2, faults.tooManyRequests(3), (c) => c.route === 'createConversation');
    const report = await run('retry|429', [item('bostader')], policy);
    expect(report).toMatchObject({ sent: 1, retries: 2 });
    expect(policy.sleeps).toEqual([3125, 3125]);
    expect(
      logs
        .records()
        .filter((r) => r.msg === 'post throttled or failed; retrying')
        .map((r) => r.status),
    ).toEqual([429, 429]);
  });

  it('the jitter spreads retries: the same failure with other random draws waits differently, within the bounds', () => {
    const err = new DeliveryError('x', 502, 'ServiceError', undefined);
    for (let retry = 1; retry <= 6; retry++) {
      const cap = Math.min(10_000, BASE * 2 ** (retry - 1));
      const delays = [0, 0.25, 0.5, 0.75, 0.999].map((r) => retryDelay(err, retry, { ...recordingPolicy([r]) }));
      expect(new Set(delays).size).toBe(5);
      for (const d of delays) {
        expect(d).toBeGreaterThanOrEqual(cap / 2);
        expect(d).toBeLessThan(cap);
      }
    }
  });
});

describe('giving up', () => {
  it.each<[string, Fault, string]>([
    ['502', faults.serverError(502), '502 ServiceError'],
    ['503', faults.serverError(503), '503 ServiceError'],
    ['429', faults.tooManyRequests(1), '429 TooManyRequests'],
  ])(
    '%s on every attempt: a failed DeliveryRecord, a logged error, and the next run delivers once',
    async (name, fault, error) => {
      const batch = `giveup|${name}`;
      const policy = recordingPolicy([0.5]);
      double.failNext(ATTEMPTS, fault, (c) => c.route === 'createConversation');
      const report = await run(batch, [item('bostader')], policy);
      expect(report).toMatchObject({ sent: 0, failed: 1, retryable: 1, retries: ATTEMPTS - 1 });
      expect(double.callsTo('createConversation')).toHaveLength(ATTEMPTS);
      expect(policy.sleeps).toHaveLength(ATTEMPTS - 1);
      expect(await repos.deliveries.get(PROGRAM, batch, 'bostader')).toMatchObject({
        status: 'failed',
        runs: 1,
        retries: ATTEMPTS - 1,
        error,
      });
      const errors = logs.records().filter((r) => r.msg === 'delivery failed');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ level: 50, batch, delivery: 'bostader', runs: 1 });
      expect(double.sent()).toHaveLength(0);

      // The next run (e.g. the scheduler's catch-up) delivers it, once.
      const again = await run(batch, [item('bostader')], recordingPolicy());
      expect(again).toMatchObject({ sent: 1, failed: 0 });
      expect(double.sent()).toHaveLength(1);
      expect(await repos.deliveries.get(PROGRAM, batch, 'bostader')).toMatchObject({ status: 'sent', runs: 2 });
      expect(await run(batch, [item('bostader')], recordingPolicy())).toMatchObject({ sent: 0, alreadySent: 1 });
      expect(double.sent()).toHaveLength(1);
    },
  );
});

describe('a post that may have reached Teams is not posted a second time', () => {
  it('accepted, but answered only after the timeout: aborted, posted once, `uncertain`, a warning, and no later run posts it again', async () => {
    const batch = 'uncertain|late';
    double.failNext(1, faults.slow(TIMEOUT_MS + 1500), (c) => c.route === 'createConversation');
    const report = await run(batch, [item('bostader')], recordingPolicy());
    expect(report).toMatchObject({ sent: 0, failed: 0, uncertain: 1, retries: 0, retryable: 0 });
    // One request, and the messenger closed it when it gave up (it does not linger).
    expect(double.callsTo('createConversation')).toHaveLength(1);
    const call = double.callsTo('createConversation')[0]!;
    await waitFor(() => call.clientClosed === true, TIMEOUT_MS);
    expect(await repos.deliveries.get(PROGRAM, batch, 'bostader')).toMatchObject({
      status: 'uncertain',
      runs: 1,
      error: 'network Timeout',
    });
    const warnings = logs
      .records()
      .filter(
        (r) =>
          r.msg ===
          'the post may have reached Teams without an answer; recorded as uncertain and not posted again (check the channel)',
      );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, batch, delivery: 'bostader', code: 'Timeout' });

    // The double stored it when its late answer came: Teams shows it once.
    await waitFor(() => double.sent().length === 1);
    expect(await run(batch, [item('bostader')], recordingPolicy())).toMatchObject({
      sent: 0,
      alreadySent: 0,
      uncertain: 0,
    });
    expect(double.callsTo('createConversation')).toHaveLength(1);
    expect(double.sent()).toHaveLength(1);
  });

  it.each<[string, Fault, string]>([
    ['500', faults.serverError(500), '500 ServiceError'],
    ['504', faults.serverError(504), '504 ServiceError'],
  ])('%s: not retried, `uncertain`, not posted by a later run', async (name, fault, error) => {
    const batch = `uncertain|${name}`;
    double.failNext(1, fault, (c) => c.route === 'createConversation');
    expect(await run(batch, [item('bostader')], recordingPolicy())).toMatchObject({
      sent: 0,
      failed: 0,
      uncertain: 1,
      retries: 0,
    });
    expect(await repos.deliveries.get(PROGRAM, batch, 'bostader')).toMatchObject({ status: 'uncertain', error });
    await run(batch, [item('bostader')], recordingPolicy());
    expect(double.callsTo('createConversation')).toHaveLength(1);
  });

  it('a card update that timed out is aborted and retried (an update replaces the card, it cannot appear twice)', async () => {
    double.failNext(1, faults.timeout(), (c) => c.route === 'updateActivity');
    const thread = `${DEFAULT_CHANNEL.id};messageid=1`;
    const { retries } = await withRetry(
      () => messenger.update(target(), thread, '1', { text: 'ny' }),
      recordingPolicy(),
    );
    expect(retries).toBe(1);
    await waitFor(() => double.callsTo('updateActivity')[0]!.clientClosed === true);
    expect(double.callsTo('updateActivity')).toHaveLength(2);
    expect(double.updates()).toHaveLength(1);
  });

  it('a turn reply answered 504 is not sent again (it may be in the chat)', async () => {
    const bot = await startTestBot();
    try {
      const replies = (c: RecordedCall) => c.route === 'replyToActivity' || c.route === 'sendToConversation';
      double.failNext(1, faults.serverError(504), replies);
      expect((await postActivity(bot.url, channelMessage({ text: 'hjälp', serviceUrl: double.url }))).status).toBe(200);
      // The help card went out once, answered 504; the turn's error text may follow, the card is not repeated.
      const helpCards = double.calls
        .filter(replies)
        .filter((c) => JSON.stringify(c.body).includes('Det här kan Kraftsamla'));
      expect(helpCards.map((c) => c.status)).toEqual([504]);
    } finally {
      await bot.stop();
    }
  });
});

async function waitFor(what: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!what()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('403 MessageWritesBlocked', () => {
  it('stops at once: blocked record, onBlocked, no retry, not posted to again; other teams still get theirs', async () => {
    const batch = 'blocked|2026-W48';
    const blockedChannel = '19:removed-team-channel@thread.tacv2';
    double.faultFor((c) =>
      c.route === 'createConversation' && JSON.stringify(c.body).includes(blockedChannel)
        ? faults.messageWritesBlocked()
        : undefined,
    );
    const blocked: string[] = [];
    const policy = recordingPolicy();
    const items = [item('trygghet', blockedChannel), item('bostader')];
    const report = await run(batch, items, policy, async (i, err) => {
      blocked.push(`${i.key}:${err.code}`);
    });
    expect(report).toMatchObject({ sent: 1, blocked: 1, failed: 0, retries: 0 });
    expect(blocked).toEqual(['trygghet:MessageWritesBlocked']);
    expect(policy.sleeps).toEqual([]);
    expect(double.callsTo('createConversation').filter((c) => c.status === 403)).toHaveLength(1);
    expect(await repos.deliveries.get(PROGRAM, batch, 'trygghet')).toMatchObject({
      status: 'blocked',
      error: '403 MessageWritesBlocked',
    });
    expect(
      logs
        .records()
        .some(
          (r) =>
            r.msg === 'the bot was removed from this team; no longer posting there' &&
            r.code === 'MessageWritesBlocked',
        ),
    ).toBe(true);

    double.reset();
    expect(await run(batch, items, recordingPolicy())).toMatchObject({ sent: 0, alreadySent: 1, blocked: 0 });
    expect(double.calls).toHaveLength(0);
  });
});

/**
 * Two instances of the bot on one store: two real bots (startTestBot) on one Azurite, each with
 * its own repositories, messenger and send limiter, posting through the connector double.
 *
 * - The same fan-out batch run on both at once: every target is posted exactly once (the delivery
 *   record is claimed on its ETag; a per-process wait cannot see the other instance).
 * - Both fanning out to many channels at once: the double's arrival times show the app-wide rate
 *   and the per-thread rate stay under Teams' limits across both (each instance takes its share
 *   of the limits from the heartbeat rows).
 */
import { randomBytes } from 'node:crypto';
import { type ChannelTarget, fanOut, type FanOutItem, type FanOutReport } from '../../domain/delivery';
import { fixedClock } from '../../domain/time';
import { silentLogger } from '../../bot/logger';
import { DEFAULT_BOT, DEFAULT_TEAM, DEFAULT_TENANT_ID } from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { faults, startConnectorDouble, type ConnectorDouble, type RecordedCall } from '../support/connector-double';
import { startTestStorage, type TestStorage } from '../support/storage';

const PROGRAM = 'harnosand';
/** Teams: 30 requests/s per app per tenant (the current page; older copies say 50). */
const APP_LIMIT_PER_S = 30;
/** Teams: per bot per thread, 7 per 1 s and 8 per 2 s. */
const THREAD_LIMITS = [
  { windowMs: 1_000, max: 7 },
  { windowMs: 2_000, max: 8 },
];

let storage: TestStorage;
let double: ConnectorDouble;
let a: TestBot;
let b: TestBot;

const channel = (i: number) => `19:inst${String(i).padStart(3, '0')}${'0'.repeat(20)}@thread.tacv2`;

function target(channelId: string): ChannelTarget {
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

function items(keys: { key: string; channelId: string }[]): FanOutItem[] {
  return keys.map(({ key, channelId }) => ({
    key,
    target: target(channelId),
    message: () => ({ text: `Beslut (${key})` }),
  }));
}

function run(bot: TestBot, batch: string, list: FanOutItem[]): Promise<FanOutReport> {
  return fanOut({
    programId: PROGRAM,
    batch,
    items: list,
    messenger: bot.deps.messenger,
    deliveries: bot.storage.repositories.deliveries,
    clock: fixedClock('2026-11-23T08:00:00Z'),
    logger: silentLogger(),
  });
}

async function waitFor(what: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!what()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The most calls inside any window of `windowMs` (arrival times at the double). */
function busiest(calls: RecordedCall[], windowMs: number): number {
  const times = calls.map((c) => c.time).sort((x, y) => x - y);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

beforeAll(async () => {
  storage = await startTestStorage();
  double = await startConnectorDouble();
  const env = {
    AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
    TABLE_PREFIX: `inst${randomBytes(4).toString('hex')}`,
  };
  a = await startTestBot(env);
  b = await startTestBot(env);
  // Each instance has counted the other (heartbeat rows in the Jobs table).
  await waitFor(() => a.instances.instances === 2 && b.instances.instances === 2);
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await double?.close();
  await storage?.stop();
});

beforeEach(() => double.reset());

it('the same batch on two instances at once: every target is posted exactly once', async () => {
  // Slow answers: each instance reads every record while the other's posts are on their way.
  double.faultFor((c) => (c.route === 'createConversation' ? faults.slow(300) : undefined));
  const list = Array.from({ length: 8 }, (_, i) => ({ key: `team-${i}`, channelId: channel(i) }));
  const [ra, rb] = await Promise.all([
    run(a, 'decision|D-2026-001|logged', items(list)),
    run(b, 'decision|D-2026-001|logged', items(list)),
  ]);

  const perChannel = list.map(({ channelId }) => double.sentTo(channelId).length);
  expect(perChannel).toEqual(list.map(() => 1));
  expect(double.callsTo('createConversation')).toHaveLength(list.length);
  expect(ra.sent + rb.sent).toBe(list.length);
  expect(ra.alreadySent + rb.alreadySent).toBe(list.length);
  const records = await a.storage.repositories.deliveries.list(PROGRAM, 'decision|D-2026-001|logged');
  expect(records.map((r) => r.status)).toEqual(list.map(() => 'sent'));
  expect(records.map((r) => r.messageId).sort()).toEqual(
    double
      .sent()
      .map((s) => s.id)
      .sort(),
  );
});

it('two instances fanning out to many channels at once stay under the app-wide rate together', async () => {
  const count = 60;
  const listA = Array.from({ length: count }, (_, i) => ({ key: `a-${i}`, channelId: channel(i) }));
  const listB = Array.from({ length: count }, (_, i) => ({ key: `b-${i}`, channelId: channel(100 + i) }));
  const [ra, rb] = await Promise.all([
    run(a, 'digest|2026-W48|a', items(listA)),
    run(b, 'digest|2026-W48|b', items(listB)),
  ]);
  expect([ra.sent, rb.sent]).toEqual([count, count]);

  const creates = double.callsTo('createConversation');
  expect(creates).toHaveLength(2 * count);
  expect(busiest(creates, 1_000)).toBeLessThanOrEqual(APP_LIMIT_PER_S);
});

it('two instances posting into the same channel at once stay under its per-thread limits together', async () => {
  const shared = channel(900);
  const list = (prefix: string) => Array.from({ length: 10 }, (_, i) => ({ key: `${prefix}-${i}`, channelId: shared }));
  const [ra, rb] = await Promise.all([
    run(a, 'checkin|2026-W48|a', items(list('a'))),
    run(b, 'checkin|2026-W48|b', items(list('b'))),
  ]);
  expect([ra.sent, rb.sent]).toEqual([10, 10]);

  const creates = double.callsTo('createConversation');
  expect(creates).toHaveLength(20);
  for (const { windowMs, max } of THREAD_LIMITS) expect(busiest(creates, windowMs)).toBeLessThanOrEqual(max);
});

/**
 * A crash half-way through the Monday fan-out: the first bot posts two cards, then the Bot
 * Connector stops answering (the 3rd createConversation and every later one hang) and the
 * process "dies". A new bot on the same storage, once the dead one's scheduler lease has expired,
 * posts every missing card exactly once.
 */
import { randomBytes } from 'node:crypto';
import type { Messenger } from '../../../domain/delivery/delivery';
import { fixedClock } from '../../../domain/time';
import type { Action } from '../../../domain/types';
import { channelMessage, DEFAULT_TEAM, postActivity } from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot';
import { faults, startConnectorDouble, type ConnectorDouble } from '../../support/connector-double';
import { startTestStorage, type TestStorage } from '../../support/storage';
import { testAction } from '../../support/fixtures';

const MONDAY = '2026-11-23T08:00:00.000Z';
const WEEK = '2026-W48';
const TEAMS = ['bostader', 'industrimark', 'trygghet', 'utbildningar', 'finansiering'];
const channel = (team: string) => `19:${team.padEnd(32, '0')}@thread.tacv2`;

let storage: TestStorage;
let double: ConnectorDouble;
let first: TestBot | undefined;
let second: TestBot | undefined;

beforeAll(async () => {
  storage = await startTestStorage();
  double = await startConnectorDouble({
    channels: {
      [DEFAULT_TEAM.id]: [{ id: DEFAULT_TEAM.id, name: null }, ...TEAMS.map((x) => ({ id: channel(x), name: x }))],
    },
  });
});

afterAll(async () => {
  await second?.stop();
  await double?.close();
  await storage?.stop();
});

const waitFor = async (what: () => boolean, ms = 20000) => {
  const until = Date.now() + ms;
  while (!what()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

it('a new bot on the same storage posts every missing card once, and no duplicates', async () => {
  const clock = fixedClock(MONDAY);
  const env = {
    AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
    TABLE_PREFIX: `crash${randomBytes(4).toString('hex')}`,
  };
  first = await startTestBot(env, { clock });
  for (const team of TEAMS) {
    const res = await postActivity(
      first.url,
      channelMessage({ text: `koppla ${team}`, channelId: channel(team), serviceUrl: double.url }),
    );
    expect(res.status).toBe(200);
  }
  await first.storage.repositories.actions.saveAll(
    TEAMS.map((team, i): Action => {
      // No due date here: the key is absent, as it always was.
      const a = testAction(`A-${i}`, {
        teamKey: team,
        title: `Åtgärd ${team}`,
        owner: { name: 'Anna' },
        responsibleBody: '',
        progress: 0,
      });
      delete a.due;
      return a;
    }),
  );

  double.reset();
  let phase: 'before crash' | 'after crash' = 'before crash';
  let seen = 0;
  double.faultFor((call) =>
    call.route === 'createConversation' && phase === 'before crash' && ++seen >= 3 ? faults.timeout() : undefined,
  );

  const dying = first.scheduler.tick(); // never settles: the process "dies" with it
  await waitFor(() => double.callsTo('createConversation').length === TEAMS.length);
  const before = double.sent().filter((s) => s.kind === 'create');
  expect(before).toHaveLength(2);
  const records = await first.storage.repositories.deliveries.list('harnosand', `checkin|${WEEK}`);
  expect(records.map((r) => r.status).sort()).toEqual(['pending', 'pending', 'pending', 'sent', 'sent']);

  // The crash: the first process makes no request any more (its hung posts never come back).
  const hang = () => new Promise<never>(() => undefined);
  const dead = first.deps.messenger as unknown as Record<keyof Messenger, unknown>;
  dead.post = hang;
  dead.reply = hang;
  dead.update = hang;
  await new Promise<void>((resolve) => first!.server.close(() => resolve()));
  void dying;
  phase = 'after crash';

  // Another instance starts; the dead one's scheduler lease (5 minutes) runs out.
  second = await startTestBot(env, { clock });
  await second.scheduler.tick();
  expect(double.sent().filter((s) => s.kind === 'create')).toHaveLength(2); // the lease is still the dead one's
  clock.advance(6 * 60 * 1000);
  await second.scheduler.tick();
  expect(
    (await second.storage.repositories.deliveries.list('harnosand', `checkin|${WEEK}`)).map((r) => r.status),
  ).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);

  const cards = double.sent().filter((s) => s.kind === 'create');
  const perChannel = TEAMS.map((team) => cards.filter((c) => c.conversationId.startsWith(`${channel(team)};`)).length);
  expect(perChannel).toEqual([1, 1, 1, 1, 1]);
  const rows = await second.storage.repositories.checkIns.listWeek('harnosand', WEEK);
  expect(rows.map((r) => r.messageId).sort()).toEqual(cards.map((c) => c.id).sort());

  // Ticking again, or once more after a while, posts nothing.
  await second.scheduler.tick();
  await new Promise((r) => setTimeout(r, 300));
  expect(double.sent().filter((s) => s.kind === 'create')).toHaveLength(TEAMS.length);
});

/**
 * The brief before the steering meeting through the real bot: `inför mötet` in the steering
 * channel (and what it says elsewhere), the scheduled post on Monday 07:30 of an even week to the
 * steering channel, once however often it runs (two instances, a second tick, a doubled run), no
 * post in an odd week, and an all-clear week in one line. Storage is one Azurite; the bots share
 * its tables through TABLE_PREFIX.
 */
import { randomBytes } from 'node:crypto';
import type { AdaptiveCard } from '../../../cards/card';
import { validateCard } from '../../../cards/validate';
import { fixedClock } from '../../../domain/time';
import type { LogEvent } from '../../../domain/types';
import {
  actionExecuteInvoke,
  channelMessage,
  DEFAULT_TEAM,
  DEFAULT_TENANT_ID,
  postActivity,
} from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot';
import { CARD_ID, HOSTILE_COMMENT, MONDAY_0730, seed } from '../../support/brief-scenario';
import { startConnectorDouble, type ConnectorDouble, type SentActivity } from '../../support/connector-double';
import { startTestStorage, type TestStorage } from '../../support/storage';

const STEERING = '19:styrgrupp0000000000000000000000@thread.tacv2';
const TEAM_CHANNELS = {
  bostader: '19:bostader@thread.tacv2',
  industrimark: '19:industrimark@thread.tacv2',
  trygghet: '19:trygghet@thread.tacv2',
} as const;
const CHANNELS = [
  { id: DEFAULT_TEAM.id, name: null },
  { id: STEERING, name: 'Styrgrupp' },
  ...Object.entries(TEAM_CHANNELS).map(([key, id]) => ({ id, name: key })),
];

let storage: TestStorage;
let double: ConnectorDouble;
let env: Record<string, string>;
const clock = fixedClock(MONDAY_0730);
const bots: TestBot[] = [];

async function bot(extraEnv: Record<string, string> = {}): Promise<TestBot> {
  const b = await startTestBot({ ...env, ...extraEnv }, { clock });
  bots.push(b);
  return b;
}

async function stop(b: TestBot): Promise<void> {
  await b.stop();
  bots.splice(bots.indexOf(b), 1);
}

function cardOf(sent: SentActivity | undefined): AdaptiveCard {
  const attachments = (sent?.activity.attachments ?? []) as { contentType: string; content: AdaptiveCard }[];
  const card = attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  if (!card) throw new Error('no card in the activity');
  return card;
}

type Element = Record<string, unknown> & { type: string };
function elements(c: AdaptiveCard): Element[] {
  const out: Element[] = [];
  const walk = (list: unknown[]) => {
    for (const e of list as Element[]) {
      out.push(e);
      if (Array.isArray(e.items)) walk(e.items);
    }
  };
  walk(c.body);
  return out;
}
/** The card's words, in order: TextBlocks' text and each RichTextBlock's runs joined. */
function lines(c: AdaptiveCard): string[] {
  return elements(c).flatMap((e) =>
    e.type === 'TextBlock'
      ? [e.text as string]
      : e.type === 'RichTextBlock'
        ? [(e.inlines as { text: string }[]).map((r) => r.text).join('')]
        : [],
  );
}

async function say(b: TestBot, text: string, channelId: string, channelName?: string): Promise<SentActivity[]> {
  const before = double.sent().length;
  const res = await postActivity(
    b.url,
    channelMessage({ text, channelId, ...(channelName ? { channelName } : {}), serviceUrl: double.url }),
  );
  expect(res.status).toBeLessThan(300);
  return double.sent().slice(before);
}

/** Links the steering channel and the teams' channels (the first admin is whoever links first). */
async function linkChannels(b: TestBot): Promise<void> {
  expect(JSON.stringify(await say(b, 'koppla styrgrupp', STEERING, 'Styrgrupp'))).toContain('styrgrupp');
  for (const [key, id] of Object.entries(TEAM_CHANNELS))
    expect((await say(b, `koppla ${key}`, id, key)).length).toBe(1);
}

const checkInUrl = (channelId: string, messageId: string) =>
  `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${messageId}?tenantId=${DEFAULT_TENANT_ID}&parentMessageId=${messageId}&createdTime=${messageId}`;

/** What the week-48 brief of the scenario says, in order. */
const EXPECTED_LINES = [
  'Inför styrgruppens möte – 23 november 2026',
  'Kraftsamling Härnösand · svaren från incheckningen vecka 47 2026',
  'Åtgärder med risk, avvikelse eller försening (3)',
  'IND-02 Ny industrimark Hemsta  Avviker',
  'Ansvarig: Dan Ek · Industrimark · slutdatum 10 december 2026',
  'Ingen kommentar i senaste svaret.',
  'BOS-02 Markanvisning Saltvik  Risk · försenad 3 dagar',
  'Ansvarig: Bo Berg · Bostäder · slutdatum 20 november 2026',
  `Senaste kommentar (Bo Berg, 17 november 2026): Överklagande inkommet ${HOSTILE_COMMENT}`,
  'TRY-01 Trygghetsvandringar  försenad 22 dagar',
  'Ansvarig: Eva Fors · Trygghet · slutdatum 1 november 2026',
  'Ingen kommentar i senaste svaret.',
  'Uppföljningar som förfaller (3)',
  'D-2025-001 Utred industrispår',
  'Ansvarig: Dan Ek · förföll 1 december 2025, 357 dagar sedan',
  'Berör: Industrimark, Infrastruktur',
  'D-2026-001 Prioritera Saltvik',
  'Ansvarig: Eva Ek · förföll 20 november 2026, 3 dagar sedan',
  'Berör: Bostäder',
  'D-2026-002 Rapport om studentbostäder',
  'Ansvarig: Cecilia Dahl · förfaller i dag (23 november 2026)',
  'Indikatorer som inte går mot målet (1)',
  'Arbetslöshet',
  'Senast 7,8 % (2026), mål 6 % till 2030',
  'Team som inte svarat på incheckningen vecka 47 (2)',
  'Industrimark – 1 åtgärd utan svar',
  'Trygghet – 1 åtgärd utan svar',
  'Tryck på en rad för att öppna teamets incheckning eller beslutet.',
];

const EXPECTED_LINKS = [
  {
    type: 'Action.OpenUrl',
    title: 'Öppna incheckningen',
    url: checkInUrl(TEAM_CHANNELS.industrimark, CARD_ID.industrimark),
  },
  { type: 'Action.OpenUrl', title: 'Öppna incheckningen', url: checkInUrl(TEAM_CHANNELS.bostader, CARD_ID.bostader) },
  { type: 'Action.OpenUrl', title: 'Öppna incheckningen', url: checkInUrl(TEAM_CHANNELS.trygghet, CARD_ID.trygghet) },
  ...['D-2025-001', 'D-2026-001', 'D-2026-002'].map((number) => ({
    type: 'Action.Execute',
    title: 'Visa beslutet',
    verb: 'decision.show',
    data: { number, verb: 'decision.show' },
  })),
  {
    type: 'Action.OpenUrl',
    title: 'Öppna incheckningen',
    url: checkInUrl(TEAM_CHANNELS.industrimark, CARD_ID.industrimark),
  },
  { type: 'Action.OpenUrl', title: 'Öppna incheckningen', url: checkInUrl(TEAM_CHANNELS.trygghet, CARD_ID.trygghet) },
];

beforeAll(async () => {
  storage = await startTestStorage();
  double = await startConnectorDouble({
    channels: { [DEFAULT_TEAM.id]: CHANNELS },
    teams: { [DEFAULT_TEAM.id]: { name: 'Programkontoret' } },
  });
  env = {
    AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
    TABLE_PREFIX: `br${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'silent',
  };
  const first = await bot();
  await seed(first.storage.repositories);
  await linkChannels(first);
  await stop(first);
});

afterAll(async () => {
  for (const b of [...bots]) await b.stop();
  await double?.close();
  await storage?.stop();
});

beforeEach(() => {
  double.reset();
  clock.set(MONDAY_0730);
});

describe('`inför mötet` in Teams', () => {
  let b: TestBot;
  beforeAll(async () => {
    b = await bot();
  });
  afterAll(async () => {
    await stop(b);
  });

  it('in the steering channel: the brief card, each item linked to its check-in card or decision; every spelling gives the same card', async () => {
    const replies = await say(b, 'inför mötet', STEERING, 'Styrgrupp');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.kind).toBe('reply');
    expect(replies[0]!.activity.summary).toBe('Inför styrgruppens möte – 23 november 2026');
    const card = cardOf(replies[0]);
    expect(validateCard(card)).toEqual([]);
    expect(lines(card)).toEqual(EXPECTED_LINES);
    expect(
      elements(card)
        .filter((e) => e.selectAction)
        .map((e) => e.selectAction),
    ).toEqual(EXPECTED_LINKS);
    for (const text of ['brief', 'Infor motet', 'inför  mötet: i dag']) {
      const again = await say(b, text, STEERING, 'Styrgrupp');
      expect([text, cardOf(again[0])]).toEqual([text, card]);
    }
  });

  it('"Visa beslutet" on the brief opens the decision', async () => {
    const res = await postActivity(
      b.url,
      actionExecuteInvoke({
        verb: 'decision.show',
        data: { number: 'D-2026-001', verb: 'decision.show' },
        channelId: STEERING,
        serviceUrl: double.url,
      }),
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('Prioritera Saltvik');
  });

  it('elsewhere it says where the brief is', async () => {
    const replies = await say(b, 'inför mötet', TEAM_CHANNELS.bostader, 'bostader');
    expect(replies.map((r) => r.activity.text)).toEqual([
      'Läget inför mötet visas i styrgruppens kanal (Styrgrupp). Skriv inför mötet där.',
    ]);
  });
});

describe('the scheduled brief', () => {
  it('posts one card to the steering channel on Monday 07:30 of an even week: not before, not twice across instances, ticks or a doubled run', async () => {
    const a = await bot();
    const b = await bot();
    const briefPosts = () =>
      double.sentTo(STEERING).filter((s) => JSON.stringify(s.activity).includes('Inför styrgruppens möte'));

    clock.set('2026-11-23T06:29:00.000Z'); // 07:29 in Stockholm
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(briefPosts()).toHaveLength(0);

    clock.set(MONDAY_0730);
    // The job itself run twice at once (a retried or doubled run), beside the two instances' ticks.
    const due = (await a.scheduler.due()).find((d) => d.job.name === 'brief');
    expect(due?.occurrence.key).toBe('brief|2026-11-23T06:30:00.000Z');
    await Promise.all([
      due!.job.run(due!.occurrence),
      due!.job.run(due!.occurrence),
      a.scheduler.tick(),
      b.scheduler.tick(),
    ]);
    const posts = briefPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.kind).toBe('create');
    const card = cardOf(posts[0]);
    expect(validateCard(card)).toEqual([]);
    expect(lines(card)).toEqual(EXPECTED_LINES);
    expect(
      elements(card)
        .filter((e) => e.selectAction)
        .map((e) => e.selectAction),
    ).toEqual(EXPECTED_LINKS);
    expect(posts[0]!.activity.summary).toBe('Inför styrgruppens möte – 23 november 2026');
    // Nothing else was posted anywhere.
    expect(double.sent().filter((s) => s.kind === 'create')).toHaveLength(1);

    const repos = a.storage.repositories;
    expect((await repos.deliveries.list('harnosand', 'brief|2026-11-23')).map((d) => [d.key, d.status])).toEqual([
      [STEERING, 'sent'],
    ]);
    const logged = (await repos.events.listWeek({ programId: 'harnosand', week: '2026-W48' })).filter(
      (e): e is LogEvent & { type: 'card' } => e.type === 'card' && e.kind === 'brief',
    );
    expect(logged.map((e) => [e.channelId, e.messageId])).toEqual([[STEERING, posts[0]!.id]]);

    await due!.job.run(due!.occurrence);
    clock.advance(20 * 60 * 1000);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(briefPosts()).toHaveLength(1);
    await stop(a);
    await stop(b);
  });
});

describe('the brief in a fresh program', () => {
  let b: TestBot;
  beforeAll(async () => {
    b = await bot({ TABLE_PREFIX: `br${randomBytes(4).toString('hex')}` });
    clock.set(MONDAY_0730);
    expect(JSON.stringify(await say(b, 'koppla styrgrupp', STEERING, 'Styrgrupp'))).toContain('styrgrupp');
  });
  afterAll(async () => {
    await stop(b);
  });

  it('an all-clear week says so in one line, on command and on schedule', async () => {
    const allClear =
      'Inget att ta upp inför mötet: inga åtgärder med risk, avvikelse eller förseningar, inga uppföljningar som förfaller, indikatorerna går mot sina mål och alla team har svarat.';
    const [reply] = await say(b, 'brief', STEERING, 'Styrgrupp');
    expect(lines(cardOf(reply))).toEqual([
      'Inför styrgruppens möte – 23 november 2026',
      'Kraftsamling Härnösand · svaren från incheckningen vecka 47 2026',
      allClear,
    ]);

    await b.scheduler.tick();
    const posts = double.sentTo(STEERING).filter((s) => s.kind === 'create');
    expect(posts).toHaveLength(1);
    expect(lines(cardOf(posts[0]))).toEqual(lines(cardOf(reply)));
  });

  it('posts nothing on Monday of an odd week (the group meets every other week)', async () => {
    clock.set('2026-11-16T06:30:30.000Z'); // Monday of week 47, 07:30 in Stockholm
    await b.scheduler.tick();
    expect(double.sent().filter((s) => s.kind === 'create')).toHaveLength(0);
    expect(await b.storage.repositories.deliveries.list('harnosand', 'brief|2026-11-16')).toEqual([]);
  });
});

/**
 * The plan as written, through the real HTTP endpoint: `åtgärder`, the check-in card and
 * `sammanfattning` show the timeline as the plan writes it (with the date derived from it), never
 * call an ongoing action overdue, show the goal, and leave a retired action out. An old card's
 * answer to the retired action is refused and stores nothing. Storage is Azurite, Teams the Bot
 * Connector double.
 */
import { randomBytes } from 'node:crypto';
import { validateCard } from '../../../cards/validate';
import { CHECKIN_VERBS } from '../../../cards/verbs/checkin';
import { fixedClock } from '../../../domain/time';
import type { Action } from '../../../domain/types';
import {
  actionExecuteInvoke,
  channelMessage,
  DEFAULT_CHANNEL,
  DEFAULT_TEAM,
  postActivity,
} from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot';
import { startConnectorDouble, type ConnectorDouble, type SentActivity } from '../../support/connector-double';
import { testAction } from '../../support/fixtures';
import { startTestStorage, type TestStorage } from '../../support/storage';

/** Wednesday of week 48 2026, 11:00 in Stockholm. */
const clock = fixedClock('2026-11-25T10:00:00.000Z');
const WEEK = '2026-W48';
const P = 'harnosand';
const CH = DEFAULT_CHANNEL.id;

let storage: TestStorage;
let double: ConnectorDouble;
let bot: TestBot;

const plan: Action[] = [
  testAction('BOS-01', {
    title: 'Nya hyresrätter vid Kanaludden',
    timeline: 'Hösten 2026',
    due: '2026-11-30',
    goal: 'Fler bostäder',
    subGoal: 'Hyresrätter',
  }),
  // An ongoing action with a date an older plan gave it: never overdue.
  testAction('BOS-02', {
    title: 'Dialog med byggherrar',
    timeline: 'Löpande',
    ongoing: true,
    due: '2026-01-31',
    goal: 'Fler bostäder',
  }),
  testAction('BOS-03', { title: 'Struken markanvisning', due: '2026-11-28', retiredAt: '2026-11-24T08:00:00.000Z' }),
];

const cardOf = (s: SentActivity) =>
  ((s.activity.attachments as { content: Record<string, unknown> }[] | undefined) ?? [])[0]?.content;

/** Every text on a card (TextRuns, TextBlocks, facts), joined. */
function texts(node: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    // A RichTextBlock's runs make one line.
    if (o.type === 'RichTextBlock') return void out.push((o.inlines as { text: string }[]).map((r) => r.text).join(''));
    if (typeof o.text === 'string') out.push(o.text);
    for (const [k, v] of Object.entries(o)) if (k !== 'data') walk(v);
  };
  walk(node);
  return out.join('\n');
}

async function say(text: string): Promise<SentActivity[]> {
  const before = double.sent().length;
  const res = await postActivity(bot.url, channelMessage({ text, channelId: CH, serviceUrl: double.url }));
  expect(res.status).toBeLessThan(300);
  return double.sent().slice(before);
}

beforeAll(async () => {
  storage = await startTestStorage();
  double = await startConnectorDouble({
    channels: {
      [DEFAULT_TEAM.id]: [
        { id: DEFAULT_TEAM.id, name: null },
        { id: CH, name: 'Bostäder' },
      ],
    },
  });
  bot = await startTestBot(
    { AZURE_TABLES_CONNECTION_STRING: storage.connectionString, TABLE_PREFIX: `pd${randomBytes(4).toString('hex')}` },
    { clock },
  );
  expect(JSON.stringify((await say('koppla bostäder'))[0]!.activity)).toContain('Klart!');
  await bot.storage.repositories.actions.saveAll(plan);
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
  await storage?.stop();
});

it('åtgärder lists the plan with its timelines and goals, without the retired action', async () => {
  const replies = await say('åtgärder');
  const card = cardOf(replies.find((r) => cardOf(r))!)!;
  expect(validateCard(card)).toEqual([]);
  const text = texts(card);
  expect(text).toContain('Tidplan: Hösten 2026 (senast 30 november 2026)');
  expect(text).toContain('Tidplan: Löpande');
  expect(text).toContain('Mål: Fler bostäder · Delmål: Hyresrätter');
  expect(text).toContain('2 åtgärder');
  expect(text).not.toContain('Struken markanvisning');
  expect(text).not.toContain('BOS-03');
  expect(text.split('\n')).not.toContain('försenad');
});

it('the check-in card asks about the plan with its timelines, not about the retired action', async () => {
  await say('incheckning');
  const posted = double.sent().filter((s) => s.kind === 'create' && s.conversationId.startsWith(`${CH};`));
  expect(posted).toHaveLength(1);
  const card = cardOf(posted[0]!)!;
  expect(validateCard(card)).toEqual([]);
  const text = texts(card);
  expect(text).toContain('vecka 48 2026 · 0 av 2 åtgärder uppdaterade denna vecka');
  expect(text).toContain('Tidplan: Hösten 2026 (senast 30 november 2026)');
  expect(text).toContain('Tidplan: Löpande');
  expect(text).not.toContain('Struken markanvisning');
  expect(text.split('\n')).not.toContain('försenad');
});

it('an old card’s answer to the retired action is refused and stores nothing', async () => {
  const res = await postActivity(
    bot.url,
    actionExecuteInvoke({
      verb: CHECKIN_VERBS.checkinAnswer,
      data: {
        teamKey: 'bostader',
        week: WEEK,
        actionId: 'BOS-03',
        page: 0,
        'BOS-03.status': 'done',
        'BOS-03.progress': 100,
      },
      channelId: CH,
      serviceUrl: double.url,
    }),
  );
  expect(res.status).toBe(200);
  expect(JSON.stringify(res.body)).toContain('BOS-03 finns inte bland teamet Bostäders åtgärder');
  const events = await bot.storage.repositories.events.listWeek({ programId: P, week: WEEK });
  expect(events.filter((e) => e.type === 'status')).toEqual([]);
  expect((await bot.storage.repositories.actions.get(P, 'BOS-03'))!.status).toBe('on_track');
});

it('sammanfattning shows the timeline with the deadline and leaves the retired action out; "per mål" groups by goal', async () => {
  const replies = await say('sammanfattning');
  const card = cardOf(replies.find((r) => cardOf(r))!)!;
  expect(validateCard(card)).toEqual([]);
  const text = texts(card);
  expect(text).toContain('tidplan Hösten 2026, slutdatum 30 november 2026');
  expect(text).not.toContain('Struken markanvisning');
  expect(text).not.toContain('Löpande');
  expect(text).toContain('Teamen');

  const byGoal = cardOf((await say('sammanfattning per mål')).find((r) => cardOf(r))!)!;
  expect(validateCard(byGoal)).toEqual([]);
  expect(texts(byGoal)).toContain('Per mål');
  expect(texts(byGoal)).toContain('Fler bostäder');
  expect(texts(byGoal)).not.toContain('Teamen');
});

/**
 * What someone sends comes back as text, and errors go to the person who pressed, through the
 * real HTTP endpoint as Teams calls it (the Bot Connector double records what the bot posts):
 * - every command that repeats what was typed answers with no live link, mention or HTML in the
 *   bot's voice;
 * - a forged or refused card action answers the presser only: the shared card in the channel is
 *   never replaced with the refusal (Action.Submit: a new message in the thread; Action.Execute:
 *   the invoke response);
 * - zero-width and bidi control characters never reach storage or an export.
 */
import { exportTable, toCsv } from '../../domain/decisions';
import { planRowsFrom } from '../../domain/plan';
import { fixedClock } from '../../domain/time';
import type { Action } from '../../domain/types';
import {
  actionExecuteInvoke,
  actionSubmitMessage,
  channelMessage,
  DEFAULT_CHANNEL,
  DEFAULT_USER,
  postActivity,
  threadConversationId,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble, type SentActivity } from '../support/connector-double';
import { testAction } from '../support/fixtures';

const MONDAY = '2026-11-23T08:00:00.000Z';
const WEEK = '2026-W48';
const P = 'harnosand';
const STEERING = '19:steering000000000000000000000@thread.tacv2';
const PHISHING = '[Logga in här](https://evil.example/login)';
/** Every invisible formatting character the bot strips, in one string. */
const INVISIBLE =
  '\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
/** The same, but for the joiner, which is kept inside an emoji sequence (👩‍💻) and removed elsewhere. */
const INVISIBLE_RE =
  /[\u200b\u200c\u200e\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069]|(?<!\p{Extended_Pictographic})\u200d/u;

let double: ConnectorDouble;
let bot: TestBot;
const json = (x: unknown) => JSON.stringify(x);
const repos = () => bot.storage.repositories;

interface Card {
  body?: unknown[];
  [key: string]: unknown;
}

const cardOf = (activity: Record<string, unknown>): Card | undefined =>
  ((activity.attachments as { content: Card }[] | undefined) ?? [])[0]?.content;

/**
 * Every string of an activity that Teams renders as Markdown: the message text, and in a card the
 * TextBlocks and FactSet values (TextRuns are never Markdown, inputs hold plain values).
 */
function markdownRendered(activity: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof activity.text === 'string') out.push(activity.text);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'TextBlock' && typeof n.text === 'string') out.push(n.text);
    if (n.type === 'FactSet')
      for (const f of (n.facts as { title: string; value: string }[]) ?? []) out.push(f.title, f.value);
    for (const v of Object.values(n)) walk(v);
  };
  walk(cardOf(activity));
  return out;
}

/** Markup that would be live in Markdown: an unescaped `[..](`, an HTML tag Teams renders (`<at>`, `<a>`, …), `**`, or a heading. */
function liveMarkup(text: string): string | undefined {
  const unescaped = (re: RegExp) => re.exec(text)?.[0];
  return (
    unescaped(/(?<!\\)\[[^\]]*(?<!\\)\]\(/) ??
    unescaped(/(?<!\\)<\/?(at|a|img|b|i|em|strong|span|div|p|script|iframe)\b/i) ??
    unescaped(/(?<![\\*])\*\*(?!\\)/) ??
    unescaped(/^#/m)
  );
}

/** The TextRuns of a card: where echoed text may stand as typed. */
function textRuns(card: Card | undefined): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'TextRun' && typeof n.text === 'string') out.push(n.text);
    for (const v of Object.values(n)) walk(v);
  };
  walk(card);
  return out;
}

async function say(text: string, channelId = DEFAULT_CHANNEL.id): Promise<SentActivity[]> {
  const before = double.sent().length;
  const res = await postActivity(bot.url, channelMessage({ text, channelId, serviceUrl: double.url }));
  expect(res.status).toBeLessThan(300);
  return double
    .sent()
    .slice(before)
    .filter((s) => s.activity.type === 'message');
}

beforeAll(async () => {
  double = await startConnectorDouble();
  bot = await startTestBot({ STEERING_MEMBERS: DEFAULT_USER.aadObjectId! }, { clock: fixedClock(MONDAY) });
  await say('koppla bostäder');
  await say('koppla styrgrupp', STEERING);
  const bos: Action = testAction('BOS-01', { programId: P, teamKey: 'bostader', owner: { name: 'Åsa Öberg' } });
  await repos().actions.saveAll([bos]);
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

beforeEach(() => double.reset());

describe('every command that repeats what was typed answers inert', () => {
  it.each<[string, string, string]>([
    ['the decision log filter', `beslutslogg ${PHISHING}`, 'Logga in här'],
    ['… in English', `decisions ${PHISHING}`, 'Logga in här'],
    ['an unknown team in the decision log filter', 'beslutslogg [Bostäder](https://evil.example) 2026', 'Bostäder'],
    [
      'HTML typed as text in the decision log filter (Teams sends it as entities)',
      'beslutslogg &lt;a href="https://evil.example"&gt;Klicka&lt;/a&gt; 2026',
      'Klicka',
    ],
    ['a mention typed as text in the decision log filter', 'beslutslogg &lt;at&gt;Anna&lt;/at&gt; **VIKTIGT**', 'Anna'],
    ['the digest week', `sammanfattning ${PHISHING}`, 'Logga in här'],
    ['an unknown command', PHISHING, 'Logga in här'],
    [
      'an unknown command with a mention and HTML typed as text',
      '&lt;at&gt;Anna&lt;/at&gt; &lt;a href="https://evil.example"&gt;x&lt;/a&gt;',
      'Anna',
    ],
    ['an unknown team to link', `koppla ${PHISHING}`, 'Logga in här'],
  ])('%s', async (_name, text, echoed) => {
    const replies = await say(text);
    expect(replies).toHaveLength(1);
    const activity = replies[0]!.activity;
    // What was typed does come back (as text) …
    expect(json(activity)).toContain(echoed);
    // … but nothing in a Markdown-rendered place is live markup.
    for (const rendered of markdownRendered(activity))
      expect([rendered, liveMarkup(rendered)]).toEqual([rendered, undefined]);
  });

  it('a TextRun holds the unknown command exactly as typed (it is never Markdown)', async () => {
    const [reply] = await say(PHISHING);
    expect(textRuns(cardOf(reply!.activity)).join(' ')).toContain(`"${PHISHING}"`);
  });
});

describe('a card action’s refusal goes to the person who pressed, never over the shared card', () => {
  /** The action list posted in the channel: the shared card the forged actions are pressed on. */
  async function sharedCard(): Promise<string> {
    const [posted] = await say('åtgärder');
    expect(cardOf(posted!.activity)).toBeDefined();
    double.reset();
    return posted!.id;
  }

  const forged = { teamKey: PHISHING.slice(0, 40), page: 0 };

  it('Action.Submit: no update of the channel’s card; the presser gets the refusal as a new message in its thread, inert', async () => {
    const cardId = await sharedCard();
    const res = await postActivity(
      bot.url,
      actionSubmitMessage({ verb: 'actions.page', data: forged, cardActivityId: cardId, serviceUrl: double.url }),
    );
    expect(res.status).toBe(200);
    expect(double.updates()).toEqual([]);
    const sent = double.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.conversationId).toBe(threadConversationId(DEFAULT_CHANNEL.id, cardId));
    const notice = sent[0]!.activity;
    expect(textRuns(cardOf(notice)).join(' ')).toContain('Det hittade jag inte: [Logga in här](https://evil.example/');
    for (const rendered of markdownRendered(notice)) expect(liveMarkup(rendered)).toBeUndefined();
  });

  it('Action.Execute: the refusal is the invoke response (the presser’s view); nothing is posted or updated', async () => {
    const cardId = await sharedCard();
    const res = await postActivity(
      bot.url,
      actionExecuteInvoke({ verb: 'actions.page', data: forged, cardActivityId: cardId, serviceUrl: double.url }),
    );
    expect(res.status).toBe(200);
    const body = res.body as { type: string; value: Card };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(textRuns(body.value).join(' ')).toContain('Det hittade jag inte: [Logga in här]');
    for (const rendered of markdownRendered({ attachments: [{ content: body.value }] }))
      expect(liveMarkup(rendered)).toBeUndefined();
    expect(double.updates()).toEqual([]);
    expect(double.sent()).toEqual([]);
  });

  it.each<[string, string, Record<string, unknown>, string, string]>([
    [
      'a check-in answer for an unknown action',
      'checkin.answer',
      { teamKey: 'bostader', week: WEEK, actionId: 'BOS-999', 'BOS-999.status': 'done' },
      'Åtgärden BOS-999 finns inte',
      DEFAULT_CHANNEL.id,
    ],
    [
      'a check-in page of a week not in the calendar',
      'checkin.page',
      { teamKey: 'bostader', week: '2026-W54', page: 0 },
      'veckan 2026-W54 finns inte',
      DEFAULT_CHANNEL.id,
    ],
    [
      'an action saved with a date not in the calendar',
      'actionEdit.save',
      { teamKey: 'bostader', 'actionEdit.title': 'Ny', 'actionEdit.due': '2026-02-30' },
      '2026-02-30',
      DEFAULT_CHANNEL.id,
    ],
    [
      'a decision form without a text',
      'decision.submit',
      { formId: 'form-inert-0', title: 'Beslut', text: '', meetingDate: '2026-03-10' },
      'Beslut måste fyllas i',
      STEERING,
    ],
    ['a payload its schema refuses', 'actions.page', { teamKey: 42 }, 'Det gick inte att spara', DEFAULT_CHANNEL.id],
  ])('Action.Submit, %s: the card stays, the presser gets the words', async (_name, verb, data, words, channelId) => {
    const res = await postActivity(
      bot.url,
      actionSubmitMessage({ verb, data, channelId, cardActivityId: '1700000000042', serviceUrl: double.url }),
    );
    expect(res.status).toBe(200);
    expect(double.updates()).toEqual([]);
    expect(double.sent()).toHaveLength(1);
    expect(json(double.sent()[0]!.activity)).toContain(words);
  });

  it('a decision form refused with far more than its limits typed comes back under Teams’ 40 KB, saying what was cut', async () => {
    const big = (n: number) => 'Åtgärd "ö" €\n'.repeat(n).slice(0, n);
    const data = {
      formId: 'form-inert-big',
      title: big(2000),
      text: big(20_000),
      rationale: big(10_000),
      meetingName: big(1000),
      meetingDate: '2026-03-10',
      actions: big(4000),
      followUpOwner: big(1000),
    };
    const res = await postActivity(
      bot.url,
      actionExecuteInvoke({ verb: 'decision.submit', data, channelId: STEERING, serviceUrl: double.url }),
    );
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(JSON.stringify(res.body), 'utf8')).toBeLessThan(40 * 1024);
    expect(json(res.body)).toContain('var längre än fältet rymmer');
    expect(double.updates()).toEqual([]);
    expect(await repos().decisions.listYear(P, 2026)).toEqual([]);
  });

  it('a valid Action.Submit still replaces the card in place (for everyone, as before)', async () => {
    const cardId = await sharedCard();
    await postActivity(
      bot.url,
      actionSubmitMessage({
        verb: 'actions.page',
        data: { teamKey: 'bostader', page: 0 },
        cardActivityId: cardId,
        serviceUrl: double.url,
      }),
    );
    expect(double.updates().map((u) => u.activityId)).toEqual([cardId]);
    expect(double.sent()).toEqual([]);
  });
});

describe('zero-width and bidi control characters never reach storage or an export', () => {
  const dirty = (s: string) => `${s.slice(0, 3)}${INVISIBLE}${s.slice(3)}\u202e`;

  it('a check-in answer, an action saved from its form, and a decision: stored clean, exported clean; Swedish, emoji and line breaks kept', async () => {
    const answer = await postActivity(
      bot.url,
      actionExecuteInvoke({
        verb: 'checkin.answer',
        data: {
          teamKey: 'bostader',
          week: WEEK,
          actionId: 'BOS-01',
          page: 0,
          'BOS-01.status': 'on_track',
          'BOS-01.comment': dirty('Klart på Östra kajen 👩\u200d💻\nNästa: etapp 2'),
          'BOS-01.next': dirty('Bygglov'),
        },
        serviceUrl: double.url,
      }),
    );
    expect(json(answer.body)).toContain('BOS-01 är uppdaterad');
    const status = (await repos().events.listWeek({ programId: P, week: WEEK })).find((e) => e.type === 'status');
    expect(status).toMatchObject({ comment: 'Klart på Östra kajen 👩\u200d💻\nNästa: etapp 2', nextStep: 'Bygglov' });

    const saved = await postActivity(
      bot.url,
      actionExecuteInvoke({
        verb: 'actionEdit.save',
        data: {
          teamKey: 'bostader',
          'actionEdit.title': dirty('Ny bostadsinsats'),
          'actionEdit.ownerName': dirty('Åsa Öberg'),
          'actionEdit.description': dirty('Rad ett\nRad två'),
        },
        serviceUrl: double.url,
      }),
    );
    expect(saved.status).toBe(200);
    const created = (await repos().actions.listByTeam(P, 'bostader')).find((a) => a.id !== 'BOS-01');
    expect(created).toMatchObject({
      title: 'Ny bostadsinsats',
      owner: { name: 'Åsa Öberg' },
      description: 'Rad ett\nRad två',
    });

    const decided = await postActivity(
      bot.url,
      actionExecuteInvoke({
        verb: 'decision.submit',
        channelId: STEERING,
        data: {
          formId: 'form-inert-1',
          title: dirty('Saltvik prioriteras'),
          text: dirty('Detaljplanen ges förtur.\nBudget 100 000 kr'),
          rationale: dirty('Bostäder behövs'),
          meetingName: dirty('Styrgrupp 5'),
          meetingDate: '2026-03-10',
          followUpOwner: dirty('Karin Ås'),
        },
        serviceUrl: double.url,
      }),
    );
    expect(json(decided.body)).toContain('D-2026-001');
    const [decision] = await repos().decisions.listYear(P, 2026);
    expect(decision).toMatchObject({
      title: 'Saltvik prioriteras',
      text: 'Detaljplanen ges förtur.\nBudget 100 000 kr',
      rationale: 'Bostäder behövs',
      meeting: { name: 'Styrgrupp 5' },
    });

    // Nothing invisible anywhere in what was stored, or in the decision log's export.
    expect(json([status, created, decision])).not.toMatch(INVISIBLE_RE);
    const csv = toCsv(exportTable([decision!], bot.deps.program)).toString('utf8');
    expect(csv).toContain('Saltvik prioriteras');
    expect(csv.replace(/^\ufeff/, '')).not.toMatch(INVISIBLE_RE);
  });

  it('an imported plan’s cells are cleaned the same way', () => {
    const header = ['Id', 'Team', 'Insats', 'Beskrivning', 'Ansvarig'];
    const rows = planRowsFrom(
      {
        file: 'plan.csv',
        format: 'csv',
        headerRow: 1,
        header,
        rows: [
          {
            rowNumber: 2,
            cells: [
              'BOS-07',
              'Bostäder',
              dirty('Hyresrätter på Kajen'),
              dirty('Etapp 1\nEtapp 2 🏗️'),
              dirty('Åsa Öberg'),
            ],
          },
        ],
        warnings: [],
      },
      bot.deps.program,
    );
    expect(rows.errors).toEqual([]);
    expect(rows.rows[0]?.values).toMatchObject({ title: 'Hyresrätter på Kajen', description: 'Etapp 1\nEtapp 2 🏗️' });
    expect(json(rows.rows)).not.toMatch(INVISIBLE_RE);
  });
});

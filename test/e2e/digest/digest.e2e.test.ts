/**
 * The digest through the real bot: the scheduled post to the comms channel (once, across ticks,
 * two instances and a restart on the same storage), `digest week N` in chat, paging on the card,
 * the CLI giving the same content, and the AI paragraph (and its fallback) through the bot.
 * Storage is one Azurite; the bots share its tables through TABLE_PREFIX.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AdaptiveCard } from '../../../cards/card';
import { digestCard } from '../../../cards/digest/digest.card';
import { validateCard } from '../../../cards/validate';
import { main as digestCli } from '../../../cli/digest';
import { deterministicSummary, type Digest, renderHtml, renderMarkdown } from '../../../domain/digest';
import { fixedClock } from '../../../domain/time';
import type { Logger } from '../../../domain/ports';
import type { LogEvent } from '../../../domain/types';
import {
  actionExecuteInvoke,
  actionSubmitMessage,
  channelMessage,
  DEFAULT_CHANNEL,
  DEFAULT_TEAM,
  postActivity,
} from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot';
import { startConnectorDouble, type ConnectorDouble, type SentActivity } from '../../support/connector-double';
import { startTestStorage, type TestStorage } from '../../support/storage';
import { captureLogs } from '../../trust/helpers';
import { startModelDouble, type ModelDouble } from '../../support/model-double';
import { FRIDAY_1300, HOSTILE, seed, WEEK } from '../../support/digest-scenario';

const COMMS = '19:comms0000000000000000000000000@thread.tacv2';
const CHANNELS = [
  { id: DEFAULT_TEAM.id, name: null },
  { id: DEFAULT_CHANNEL.id, name: 'Bostäder' },
  { id: COMMS, name: 'Kommunikation' },
];

let storage: TestStorage;
let double: ConnectorDouble;
let env: Record<string, string>;
const clock = fixedClock('2026-11-27T11:00:00.000Z');
const bots: TestBot[] = [];

async function bot(extraEnv: Record<string, string> = {}, logger?: Logger): Promise<TestBot> {
  const b = await startTestBot({ ...env, ...extraEnv }, { clock, ...(logger ? { logger } : {}) });
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

/** The text of every TextRun on the card, in order. */
function cardTexts(c: AdaptiveCard): string[] {
  return c.body.flatMap((e) => ((e.inlines as { text: string }[] | undefined) ?? []).map((r) => r.text));
}

async function say(b: TestBot, text: string, extra: Record<string, unknown> = {}): Promise<SentActivity[]> {
  const before = double.sent().length;
  const res = await postActivity(
    b.url,
    channelMessage({ text, channelId: DEFAULT_CHANNEL.id, serviceUrl: double.url, ...extra }),
  );
  expect(res.status).toBeLessThan(300);
  return double.sent().slice(before);
}

function cliIo(out: string[], err: string[], extra: Record<string, string> = {}) {
  return {
    env: { ...env, ...extra },
    clock,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
  };
}

beforeAll(async () => {
  storage = await startTestStorage();
  double = await startConnectorDouble({
    channels: { [DEFAULT_TEAM.id]: CHANNELS },
    teams: { [DEFAULT_TEAM.id]: { name: 'Programkontoret' } },
  });
  env = {
    AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
    TABLE_PREFIX: `dg${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'silent',
  };
  const first = await bot();
  await seed(first.storage.repositories);
  // The comms team links its channel.
  const before = double.sent().length;
  await postActivity(
    first.url,
    channelMessage({ text: 'koppla kommunikation', channelId: COMMS, serviceUrl: double.url }),
  );
  expect(JSON.stringify(double.sent().slice(before))).toContain('kommunikationsteamets');
  await stop(first);
});

afterAll(async () => {
  for (const b of [...bots]) await b.stop();
  await double?.close();
  await storage?.stop();
});

beforeEach(() => double.reset());

describe('the scheduled digest', () => {
  it('posts one card to the comms channel on Friday 13:00, once: not on a second tick, not from a second instance, not after a restart', async () => {
    const a = await bot();
    const b = await bot();
    const digestPosts = () =>
      double.sentTo(COMMS).filter((s) => JSON.stringify(s.activity).includes('Veckosammanfattning'));

    clock.set('2026-11-27T11:59:00.000Z'); // 12:59 in Stockholm
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(digestPosts()).toHaveLength(0);

    clock.set(FRIDAY_1300);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    const posts = digestPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.kind).toBe('create');
    const card = cardOf(posts[0]);
    expect(validateCard(card)).toEqual([]);
    const runs = cardTexts(card);
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Veckosammanfattning – vecka 48 2026' });
    expect(
      runs.filter((r) => r.startsWith('Vecka 48 rapporterade 3 av 9 team 6 uppdateringar (2 veckan innan).')),
    ).toHaveLength(1);
    expect(runs.filter((r) => r.startsWith('D-2026-00'))).toEqual(['D-2026-002 ', 'D-2026-003 ']);
    expect(posts[0]!.activity.summary).toBe('Veckosammanfattning – vecka 48 2026');

    const repos = a.storage.repositories;
    expect((await repos.deliveries.list('harnosand', 'digest|2026-W48')).map((d) => [d.key, d.status])).toEqual([
      [COMMS, 'sent'],
    ]);
    const logged = (await repos.events.listWeek({ programId: 'harnosand', week: WEEK })).filter(
      (e): e is LogEvent & { type: 'card' } => e.type === 'card' && e.kind === 'digest',
    );
    expect(logged.map((e) => [e.channelId, e.messageId])).toEqual([[COMMS, posts[0]!.id]]);

    await a.scheduler.tick();
    clock.advance(60 * 60 * 1000);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(digestPosts()).toHaveLength(1);

    // A restart (both instances stop; a new one starts on the same tables).
    await stop(a);
    await stop(b);
    const c = await bot();
    await c.scheduler.tick();
    expect(digestPosts()).toHaveLength(1);
    await stop(c);
  });

  it('with no comms channel nothing is posted and the occurrence is not retried forever', async () => {
    const logs = captureLogs('debug');
    const alone = await bot({ TABLE_PREFIX: `dg${randomBytes(4).toString('hex')}` }, logs.logger);
    clock.set(FRIDAY_1300);
    await alone.scheduler.tick();
    await alone.scheduler.tick();
    expect(double.sent().filter((s) => JSON.stringify(s.activity).includes('Veckosammanfattning'))).toHaveLength(0);
    // The job did run (and said why nothing was posted), once: the second tick did not run it again.
    const noComms = logs
      .records()
      .filter(
        (r) =>
          r.msg === 'no channel is linked to comms; the digest was not posted (link one with "koppla kommunikation")',
      );
    expect(noComms).toHaveLength(1);
    expect(noComms[0]).toMatchObject({ level: 40, job: 'digest', week: '2026-W48' });
    await stop(alone);
  });
});

describe('the digest in chat, and the CLI', () => {
  let b: TestBot;
  beforeAll(async () => {
    clock.set(FRIDAY_1300);
    b = await bot();
  });
  afterAll(async () => {
    await stop(b);
  });

  it('`digest week 48` says it is working, then posts the card; the other spellings give the same card', async () => {
    const replies = await say(b, 'digest week 48');
    expect(replies).toHaveLength(2);
    expect(replies[0]!.activity.text).toBe('Jag sammanställer veckosammanfattningen för vecka 48 2026 …');
    const card = cardOf(replies[1]);
    expect(validateCard(card)).toEqual([]);
    for (const text of ['sammanfattning vecka 48', 'digest 2026-W48', 'digest v48', 'sammanfattning']) {
      const again = await say(b, text);
      expect([text, cardOf(again[1])]).toEqual([text, card]);
    }
  });

  it('the CLI writes the same digest: its JSON renders exactly the card chat posted, and Markdown and HTML from the same data', async () => {
    const [, chat] = await say(b, 'digest week 48');
    const chatCard = cardOf(chat);

    const out: string[] = [];
    const err: string[] = [];
    expect(await digestCli(['--week', '2026-W48', '--format', 'json'], cliIo(out, err))).toBe(0);
    const digest = JSON.parse(out.join('')) as Digest;
    expect(digest.week).toBe('2026-W48');
    expect(digest.summary).toEqual({ source: 'rules', text: deterministicSummary(digest, 'sv-SE') });
    expect(digestCard(digest, 'sv-SE', 0)).toEqual(chatCard);

    const md: string[] = [];
    expect(await digestCli(['--week', '48', '--format', 'md'], cliIo(md, err))).toBe(0);
    expect(md.join('')).toBe(renderMarkdown(digest, 'sv-SE'));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-digest-'));
    const quiet: string[] = [];
    expect(
      await digestCli(['--week=2026-W48', '--format=html', '--out', 'ut/vecka48.html', '--lang', 'en'], {
        ...cliIo(quiet, err),
        cwd: dir,
      }),
    ).toBe(0);
    expect(quiet).toEqual([]);
    const html = fs.readFileSync(path.join(dir, 'ut', 'vecka48.html'), 'utf8');
    expect(html).toBe(
      renderHtml({ ...digest, summary: { source: 'rules', text: deterministicSummary(digest, 'en-US') } }, 'en-US'),
    );
    expect(err.join('')).toContain('Wrote week 48 2026 (html) to ut/vecka48.html.');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the CLI defaults to this week and refuses weeks that do not exist or have not started', async () => {
    const out: string[] = [];
    expect(await digestCli(['--format', 'json'], cliIo(out, []))).toBe(0);
    expect((JSON.parse(out.join('')) as Digest).week).toBe('2026-W48');

    const err: string[] = [];
    expect(await digestCli(['--week', '2027-W53'], cliIo([], err))).toBe(2);
    expect(err.join('')).toBe('Vecka 53 finns inte år 2027. Ett år har 52 eller 53 veckor.\n');
    const err2: string[] = [];
    expect(await digestCli(['--week', '2026-W50'], cliIo([], err2))).toBe(2);
    expect(err2.join('')).toContain('har inte börjat än');
    const err3: string[] = [];
    expect(await digestCli(['--format', 'pdf'], cliIo([], err3))).toBe(2);
    expect(err3[0]).toBe('--format tar md, html eller json\n');
  });

  it('the CLI finds the running bot’s Azurite through DATA_DIR/azurite.json', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-data-'));
    fs.writeFileSync(
      path.join(dataDir, 'azurite.json'),
      JSON.stringify({ port: storage.azurite.port, pid: process.pid, azuritePid: storage.azurite.pid }),
    );
    const out: string[] = [];
    const err: string[] = [];
    const io = { ...cliIo(out, err), env: { TABLE_PREFIX: env.TABLE_PREFIX!, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } };
    expect(await digestCli(['--week', '2026-W48', '--format', 'json'], io)).toBe(0);
    expect(err.join('')).toBe(`Använder botens lagring (Azurite på port ${storage.azurite.port}).\n`);
    expect((JSON.parse(out.join('')) as Digest).overview.updates).toBe(6);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers in English for an English client', async () => {
    const replies = await say(b, 'digest last week', { locale: 'en-US' });
    expect(replies[0]!.activity.text).toBe('Working on the digest for week 47 2026 …');
    const card = cardOf(replies[1]);
    expect(card.body[0]).toMatchObject({ text: 'Weekly digest – week 47 2026' });
    expect(cardTexts(card)).toContain(
      // Week 47 as it stood at its end: BOS-03 was still open (done in week 48), so it was asked and due within 14 days.
      'In week 47, 2 of 9 teams reported 2 updates (0 the week before). 1 action changed status: 1 to at risk. The steering group took one decision (D-2026-003). Overdue actions: 1; due within 14 days: 3. The check-in answer rate was 25 % (1 of 4).',
    );
  });

  it('says clearly when a week does not exist or is in the future', async () => {
    const [noSuch] = await say(b, 'digest 2027-W53');
    expect(noSuch!.activity.text).toBe('Vecka 53 finns inte år 2027. Ett år har 52 eller 53 veckor.');
    const [future] = await say(b, 'sammanfattning 2026-W52');
    expect(future!.activity.text).toBe('vecka 52 2026 har inte börjat än, så det finns inget att sammanfatta.');
    const [odd] = await say(b, 'digest *fredag*');
    expect(odd!.activity.text).toBe(
      'Jag förstod inte vilken vecka du menar ("\\*fredag\\*"). Skriv till exempel: sammanfattning, sammanfattning vecka 47 eller sammanfattning 2026-W47.',
    );
  });

  it('pages with Action.Execute; a forged or future page gets a notice card', async () => {
    const invoke = (data: Record<string, unknown>) =>
      postActivity(b.url, actionExecuteInvoke({ verb: 'digest.page', data, channelId: COMMS, serviceUrl: double.url }));
    const ok = await invoke({ week: '2026-W48', page: 0 });
    expect(ok.status).toBe(200);
    const body = ok.body as { statusCode: number; value: AdaptiveCard };
    expect(body.statusCode).toBe(200);
    expect(validateCard(body.value)).toEqual([]);
    expect(body.value.body[0]).toMatchObject({ text: 'Veckosammanfattning – vecka 48 2026' });
    // The week fits one page: any page number shows it.
    expect((await invoke({ week: '2026-W48', page: 7 })).body).toEqual(ok.body);

    const forged = JSON.stringify((await invoke({ week: '2026-W48', page: 'två' })).body);
    expect(forged).toContain('Det gick inte att spara');
    const missing = JSON.stringify((await invoke({ week: '2027-W53', page: 0 })).body);
    expect(missing).toContain('Vecka 53 finns inte år 2027.');
    const future = JSON.stringify((await invoke({ week: '2026-W50', page: 0 })).body);
    expect(future).toContain('har inte börjat än');

    // Older clients send Action.Submit: the card is replaced in place.
    await postActivity(
      b.url,
      actionSubmitMessage({
        data: { week: '2026-W47', page: 0 },
        verb: 'digest.page',
        cardActivityId: '1700000000048',
        channelId: COMMS,
        serviceUrl: double.url,
      }),
    );
    const updates = double.updates();
    expect(updates.map((u) => u.activityId)).toEqual(['1700000000048']);
    const replaced = (updates[0]!.activity.attachments as { content: AdaptiveCard }[])[0]!.content;
    expect(replaced.body[0]).toMatchObject({ text: 'Veckosammanfattning – vecka 47 2026' });
  });
});

describe('"Veckan i korthet" by a model, through the bot', () => {
  let model: ModelDouble;
  let b: TestBot;
  beforeAll(async () => {
    model = await startModelDouble();
    clock.set(FRIDAY_1300);
    b = await bot({ OPENAI_BASE_URL: `${model.url}/v1`, OPENAI_API_KEY: 'sk-local', OPENAI_MODEL: 'gpt-local' });
  });
  afterAll(async () => {
    await stop(b);
    await model.close();
  });
  beforeEach(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('uses the model’s paragraph beside the same figures, and falls back when the model fails', async () => {
    // The paragraph is the first TextRun after the "Veckan i korthet" heading.
    const paragraph = (c: AdaptiveCard) => {
      const runs = cardTexts(c);
      return runs.slice(runs.indexOf('Veckan i korthet') + 1, runs.indexOf('Läget'));
    };
    model.behave({ kind: 'text', text: `Bostäderna tog steg framåt. ${HOSTILE}` });
    const [, withAi] = await say(b, 'digest');
    const ai = cardOf(withAi);
    expect(paragraph(ai)).toEqual([
      `Bostäderna tog steg framåt. ${HOSTILE.replace(/\s+/g, ' ')}`,
      'Texten är skriven med AI ur siffrorna nedan.',
    ]);
    expect(validateCard(ai)).toEqual([]);
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.body.model).toBe('gpt-local');

    model.behave({ kind: 'status', status: 500 });
    const [, fallback] = await say(b, 'digest');
    expect(paragraph(cardOf(fallback))).toEqual([
      'Vecka 48 rapporterade 3 av 9 team 6 uppdateringar (2 veckan innan). 4 åtgärder bytte status: 1 till enligt plan, 2 till risk, 1 till klar. ' +
        'Styrgruppen fattade 2 beslut (D-2026-002, D-2026-003). 2 saker är markerade att lyfta för kommunikation. Ett hinder rapporterades. ' +
        'Försenade åtgärder: 1; slutdatum inom 14 dagar: 3. Svarsfrekvensen i incheckningarna var 71 % (5 av 7).',
    ]);
    // Only the paragraph differs: the figures are the same on both cards.
    const facts = (c: AdaptiveCard) => c.body.filter((e) => e.type === 'FactSet');
    expect(facts(cardOf(fallback))).toEqual(facts(ai));
  });
});

/**
 * Exactly once, across two instances of the bot: the same decision form delivered twice (Teams
 * retries an invoke that took too long, to one instance or to two at the same moment), the same
 * check-in answer delivered to both instances, and two people typing `incheckning` at once on two
 * instances. Everything goes through the real HTTP endpoint as Teams would call it; both bots
 * share one Azurite (each through its own pass-through proxy, which can hold a request to put a
 * race in a known order) and one Bot Connector double.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixedClock } from '../../domain/time';
import type { LogEvent } from '../../domain/types';
import { azuriteConnectionString } from '../../storage/azurite';
import {
  actionExecuteInvoke,
  actionSubmitMessage,
  channelMessage,
  DEFAULT_TEAM,
  DEFAULT_USER,
  newMessageId,
  postActivity,
  type TeamsActivity,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { testAction } from '../support/fixtures';
import { startTestStorage, type TestStorage } from '../support/storage';

const P = 'harnosand';
const WEEK = '2026-W48';
const PREFIX = 'once';
const STEERING = '19:once-steering0000000000000000@thread.tacv2';
const HOUSING = '19:once-housing00000000000000000@thread.tacv2';
const INDUSTRY = '19:once-industry0000000000000000@thread.tacv2';
const SAFETY = '19:once-safety000000000000000000@thread.tacv2';
const CHANNELS = [
  { id: DEFAULT_TEAM.id, name: null },
  { id: STEERING, name: 'Styrgrupp' },
  { id: HOUSING, name: 'Bostäder' },
  { id: INDUSTRY, name: 'Industrimark' },
  { id: SAFETY, name: 'Trygghet' },
];
const ANNA = { ...DEFAULT_USER };
const BERTIL = { id: '29:bertil-teams-id', name: 'Bertil Ek', aadObjectId: 'b0b0b0b0-0000-4000-8000-000000000002' };

// ---------------------------------------------------------------------------------------------
// A pass-through proxy in front of Azurite that records every request with its answer and can
// hold a request until the test lets it go.
// ---------------------------------------------------------------------------------------------

interface StorageRequest {
  method: string;
  /** Decoded path, without the query. */
  path: string;
  body: string;
  /** Set once Azurite answered. */
  status?: number;
}

type Hold = (request: StorageRequest) => Promise<void> | undefined;

interface GateProxy {
  connectionString: string;
  readonly requests: StorageRequest[];
  /** Consulted before each request is forwarded; a promise holds the request until it settles. */
  hold(fn: Hold | undefined): void;
  close(): Promise<void>;
}

async function startGateProxy(azuritePort: number): Promise<GateProxy> {
  const requests: StorageRequest[] = [];
  let hold: Hold | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const seen: StorageRequest = {
        method: req.method ?? '',
        path: decodeURIComponent((req.url ?? '').split('?')[0] ?? ''),
        body: body.toString('utf8'),
      };
      requests.push(seen);
      void Promise.resolve(hold?.(seen)).then(() => {
        const upstream = http.request(
          { host: '127.0.0.1', port: azuritePort, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (c: Buffer) => parts.push(c));
            answer.on('end', () => {
              seen.status = answer.statusCode;
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(parts));
            });
          },
        );
        upstream.on('error', () => {
          if (!res.headersSent) res.writeHead(502);
          res.end();
        });
        upstream.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    connectionString: azuriteConnectionString((server.address() as AddressInfo).port),
    requests,
    hold: (fn) => {
      hold = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A transaction (`$batch`) on the Events table: an event and its id marker. */
const isEventAppend = (r: StorageRequest) =>
  r.method === 'POST' && r.path.endsWith('$batch') && r.body.includes(`${PREFIX}Events`);
/** A write of one action's row (plain, or inside a transaction). */
const writesAction = (id: string) => (r: StorageRequest) =>
  (['PUT', 'MERGE', 'PATCH'].includes(r.method) &&
    r.path.includes(`${PREFIX}Actions(`) &&
    r.path.includes(`'${id}'`)) ||
  (r.method === 'POST' &&
    r.path.endsWith('$batch') &&
    r.body.includes(`${PREFIX}Actions(`) &&
    r.body.includes(`'${id}'`));

// ---------------------------------------------------------------------------------------------

let storage: TestStorage;
let double: ConnectorDouble;
let proxyA: GateProxy;
let proxyB: GateProxy;
let a: TestBot;
let b: TestBot;
const clock = fixedClock('2026-11-23T08:00:00.000Z'); // Monday 09:00 in Stockholm, week 48

const json = (x: unknown) => JSON.stringify(x);
const repos = () => a.storage.repositories;

async function until<T>(what: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Both bots' background work (decision notices, card refreshes) is done. */
const settle = () => Promise.all([a.deps.background.drain(), b.deps.background.drain()]);

function formData(title: string): Record<string, unknown> {
  return {
    formId: `form-${newMessageId()}`,
    title,
    text: 'Styrgruppen beslutar att detaljplanen ges förtur.',
    rationale: '',
    meetingName: 'Styrgruppsmöte',
    meetingDate: '2026-11-23',
    teams: 'bostader,industrimark',
    actions: '',
    followUpOwner: '',
    followUpDue: '',
  };
}

const decisionsTitled = async (title: string) =>
  (await repos().decisions.listYear(P, 2026)).filter((d) => d.title === title);
const loggedEvents = async (number: string) =>
  (await repos().events.listWeek({ programId: P, week: WEEK })).filter(
    (e) => e.type === 'decision' && e.number === number && e.change === 'logged',
  );
/** New threads (notices) posted in a channel that carry the decision's number. */
const noticesIn = (channelId: string, number: string) =>
  double
    .sent()
    .filter(
      (s) => s.kind === 'create' && s.conversationId.startsWith(`${channelId};`) && json(s.activity).includes(number),
    );

/** One decision, one number, one DecisionLogged event, one notice in each affected team's channel. */
async function expectLoggedOnce(title: string): Promise<string> {
  const stored = await until(async () => {
    const list = await decisionsTitled(title);
    return list.length > 0 && list;
  });
  await settle();
  expect((await decisionsTitled(title)).map((d) => d.number)).toEqual([stored[0]!.number]);
  const number = stored[0]!.number;
  expect(await loggedEvents(number)).toHaveLength(1);
  expect([
    noticesIn(HOUSING, number).length,
    noticesIn(INDUSTRY, number).length,
    noticesIn(SAFETY, number).length,
  ]).toEqual([1, 1, 0]);
  return number;
}

beforeAll(async () => {
  storage = await startTestStorage();
  [proxyA, proxyB] = await Promise.all([startGateProxy(storage.azurite.port), startGateProxy(storage.azurite.port)]);
  double = await startConnectorDouble({
    channels: { [DEFAULT_TEAM.id]: CHANNELS },
    teams: { [DEFAULT_TEAM.id]: { name: 'Programkontoret' } },
  });
  const env = (proxy: GateProxy) => ({
    AZURE_TABLES_CONNECTION_STRING: proxy.connectionString,
    TABLE_PREFIX: PREFIX,
    STEERING_MEMBERS: ANNA.aadObjectId!,
  });
  a = await startTestBot(env(proxyA), { clock });
  b = await startTestBot(env(proxyB), { clock });
  for (const [text, channelId] of [
    ['koppla styrgrupp', STEERING],
    ['koppla bostäder', HOUSING],
    ['koppla industrimark', INDUSTRY],
    ['koppla trygghet', SAFETY],
  ] as const) {
    expect((await postActivity(a.url, channelMessage({ text, channelId, serviceUrl: double.url }))).status).toBe(200);
  }
  await repos().actions.saveAll([
    testAction('BOS-01', { programId: P, teamKey: 'bostader', progress: 10 }),
    testAction('BOS-02', { programId: P, teamKey: 'bostader', progress: 10 }),
  ]);
}, 60_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await proxyA?.close();
  await proxyB?.close();
  await double?.close();
  await storage?.stop();
});

beforeEach(async () => {
  await settle();
  double.reset();
  proxyA.hold(undefined);
  proxyB.hold(undefined);
});

describe('one decision per form', () => {
  const execute = (data: Record<string, unknown>, id = newMessageId()) =>
    actionExecuteInvoke({
      verb: 'decision.submit',
      data,
      id,
      channelId: STEERING,
      channelName: 'Styrgrupp',
      serviceUrl: double.url,
    });
  const submit = (data: Record<string, unknown>, id = newMessageId()) =>
    actionSubmitMessage({
      verb: 'decision.submit',
      data,
      id,
      channelId: STEERING,
      channelName: 'Styrgrupp',
      serviceUrl: double.url,
    });

  it('Action.Execute delivered twice at once to one instance: one number, one event, one notice per team; the second is told it was already logged', async () => {
    const invoke = execute(formData('Två gånger samtidigt, en instans'));
    const answers = await Promise.all([postActivity(a.url, invoke), postActivity(a.url, invoke)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const number = await expectLoggedOnce('Två gånger samtidigt, en instans');
    const texts = answers.map((r) => json(r.body));
    expect(texts.filter((s) => s.includes(`Beslutet är loggat som ${number}.`))).toHaveLength(1);
    expect(texts.filter((s) => s.includes(`Det här beslutet var redan loggat som ${number}.`))).toHaveLength(1);
  });

  it('Action.Execute delivered to each of two instances at the same moment: one number, one event, one notice per team', async () => {
    const invoke = execute(formData('Två instanser samtidigt'));
    const answers = await Promise.all([postActivity(a.url, invoke), postActivity(b.url, invoke)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const number = await expectLoggedOnce('Två instanser samtidigt');
    expect(answers.map((r) => json(r.body)).filter((s) => s.includes(`redan loggat som ${number}`))).toHaveLength(1);
  });

  it('Action.Submit delivered twice at once to one instance, and to each of two instances: one decision each', async () => {
    const once = submit(formData('Submit två gånger, en instans'));
    expect((await Promise.all([postActivity(a.url, once), postActivity(a.url, once)])).map((r) => r.status)).toEqual([
      200, 200,
    ]);
    await expectLoggedOnce('Submit två gånger, en instans');

    const twice = submit(formData('Submit två instanser'));
    expect((await Promise.all([postActivity(a.url, twice), postActivity(b.url, twice)])).map((r) => r.status)).toEqual([
      200, 200,
    ]);
    const number = await expectLoggedOnce('Submit två instanser');
    // Both replace the form in place, with the same number.
    expect(
      double
        .updates()
        .filter((u) => u.activityId === twice.replyToId)
        .every((u) => json(u.activity).includes(number)),
    ).toBe(true);
  });

  it('the same form pressed anew (a new activity id) on the other instance, with the first still at it: still one decision', async () => {
    const data = formData('Samma formulär, ny aktivitet');
    const answers = await Promise.all([
      postActivity(a.url, execute(data)),
      postActivity(b.url, execute(data)),
      postActivity(b.url, submit(data)),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await expectLoggedOnce('Samma formulär, ny aktivitet');
  });

  it('an amend and a revoke delivered to both instances at once: one revision each, one event each, one notice each', async () => {
    const { body } = await postActivity(a.url, execute(formData('Ändras och upphävs')));
    const number = /D-2026-\d{3}/.exec(json(body))![0];
    await settle();
    double.reset();
    const current = (await repos().decisions.get(P, number))!;
    const amend = actionExecuteInvoke({
      verb: 'decision.amend.save',
      data: {
        ...formData('Ändrad rubrik'),
        formId: undefined,
        teams: 'bostader',
        number,
        etag: current.etag,
        reason: 'Fel i protokollet',
      },
      channelId: STEERING,
      serviceUrl: double.url,
    });
    const amended = await Promise.all([postActivity(a.url, amend), postActivity(b.url, amend)]);
    expect(
      amended.map((r) => json(r.body)).filter((s) => s.includes(`Ändringen av ${number} är sparad.`)),
    ).toHaveLength(2);
    await settle();
    const afterAmend = (await repos().decisions.get(P, number))!;
    expect(afterAmend.history.map((h) => h.change)).toEqual(['amended']);

    const revoke = actionExecuteInvoke({
      verb: 'decision.revoke.save',
      data: { number, etag: afterAmend.etag, reason: 'Ersätts' },
      channelId: STEERING,
      serviceUrl: double.url,
    });
    const revoked = await Promise.all([postActivity(a.url, revoke), postActivity(b.url, revoke)]);
    expect(revoked.map((r) => json(r.body)).filter((s) => s.includes(`${number} är upphävt.`))).toHaveLength(2);
    await settle();
    expect((await repos().decisions.get(P, number))!.history.map((h) => h.change)).toEqual(['amended', 'revoked']);
    const changes = (await repos().events.listWeek({ programId: P, week: WEEK }))
      .filter((e) => e.type === 'decision' && e.number === number)
      .map((e) => (e as LogEvent & { change: string }).change);
    expect(changes.sort()).toEqual(['amended', 'logged', 'revoked']);
    // The amendment reaches Bostäder and Industrimark (before and after); the revocation Bostäder.
    const notices = (channelId: string) =>
      double.sent().filter((s) => s.kind === 'create' && s.conversationId.startsWith(`${channelId};`)).length;
    expect([notices(HOUSING), notices(INDUSTRY)]).toEqual([2, 1]);
  });
});

describe('one event per check-in answer', () => {
  it('the same answer delivered to both instances at once: one StatusUpdate event, the action written once', async () => {
    const answer: TeamsActivity = actionExecuteInvoke({
      verb: 'checkin.answer',
      data: {
        teamKey: 'bostader',
        week: WEEK,
        actionId: 'BOS-01',
        page: 0,
        'BOS-01.status': 'at_risk',
        'BOS-01.progress': '55',
        'BOS-01.comment': 'Försenat',
      },
      channelId: HOUSING,
      channelName: 'Bostäder',
      serviceUrl: double.url,
    });
    const before = await repos().actions.get(P, 'BOS-01');
    // Put the race in its worst order: A logs the answer first, B finds it logged and writes the
    // action first, then A's write of the action goes through (it was held until then).
    const sentA = proxyA.requests.length;
    const sentB = proxyB.requests.length;
    const aLogged = until(
      () => proxyA.requests.slice(sentA).find((r) => isEventAppend(r) && r.status !== undefined),
      15_000,
    );
    const bWroteAction = until(
      () => proxyB.requests.slice(sentB).find((r) => writesAction('BOS-01')(r) && r.status !== undefined),
      15_000,
    );
    proxyB.hold((r) => (isEventAppend(r) ? aLogged.then(() => undefined) : undefined));
    proxyA.hold((r) => (writesAction('BOS-01')(r) ? bWroteAction.then(() => undefined) : undefined));

    const answers = await Promise.all([postActivity(a.url, answer), postActivity(b.url, answer)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(answers.every((r) => json(r.body).includes('BOS-01 är uppdaterad'))).toBe(true);
    await settle();

    const events = (await repos().events.listWeek({ programId: P, week: WEEK })).filter(
      (e) => e.type === 'status' && e.actionId === 'BOS-01',
    );
    expect(events).toEqual([
      expect.objectContaining({
        status: 'at_risk',
        progress: 55,
        comment: 'Försenat',
        eventId: `status|${answer.id}|BOS-01`,
        previousStatus: before!.status,
      }),
    ]);
    expect(await repos().actions.get(P, 'BOS-01')).toMatchObject({
      status: 'at_risk',
      progress: 55,
      lastUpdate: { at: '2026-11-23T08:00:00.000Z', by: ANNA.name, checkInWeek: WEEK },
    });
    // Written once: of the writes to the action's row that storage accepted, there is one.
    const accepted = [...proxyA.requests.slice(sentA), ...proxyB.requests.slice(sentB)].filter(
      (r) => writesAction('BOS-01')(r) && r.status !== undefined && r.status < 300,
    );
    expect(accepted).toHaveLength(1);
  }, 30_000);
});

describe('one check-in card per team and week', () => {
  it('incheckning from two people at once on two instances: one card posted, the other gets the pointer to it', async () => {
    // Teams is slow to take the first card, so both requests are surely in before it is out.
    double.failNext(1, { delayMs: 1500 }, (c) => c.route === 'createConversation');
    const fromAnna = channelMessage({
      text: 'incheckning',
      channelId: INDUSTRY,
      channelName: 'Industrimark',
      from: ANNA,
      serviceUrl: double.url,
    });
    const fromBertil = channelMessage({
      text: 'incheckning',
      channelId: INDUSTRY,
      channelName: 'Industrimark',
      from: BERTIL,
      serviceUrl: double.url,
    });
    const answers = await Promise.all([postActivity(a.url, fromAnna), postActivity(b.url, fromBertil)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);

    const cards = double.sent().filter((s) => s.kind === 'create' && s.conversationId.startsWith(`${INDUSTRY};`));
    expect(cards).toHaveLength(1);
    expect(double.callsTo('createConversation')).toHaveLength(1);
    const row = await repos().checkIns.get(P, WEEK, 'industrimark');
    expect(row).toMatchObject({ messageId: cards[0]!.id, channelId: INDUSTRY });
    expect(row).not.toHaveProperty('posting'); // the claim is given up once the card is out

    const replies = [fromAnna, fromBertil].map((m) => json(double.sentTo(m.conversation.id!).map((s) => s.activity)));
    const posted = replies.filter((s) =>
      s.includes('Klart! Veckans incheckning för Industrimark ligger nu i kanalen.'),
    );
    const pointed = replies.filter((s) => s.includes('Veckans incheckning för Industrimark (vecka 48) finns redan'));
    expect([posted.length, pointed.length]).toEqual([1, 1]);
    expect(pointed[0]).toContain(encodeURIComponent(cards[0]!.id));
    const cardEvents = (await repos().events.listWeek({ programId: P, week: WEEK })).filter(
      (e) => e.type === 'card' && e.kind === 'checkin' && e.teamKey === 'industrimark',
    );
    expect(cardEvents).toHaveLength(1);
  }, 30_000);

  it('incheckning on one instance while the other runs the schedule: one card per team', async () => {
    double.failNext(1, { delayMs: 1000 }, (c) => c.route === 'createConversation' && json(c.body).includes(SAFETY));
    const typed = channelMessage({
      text: 'incheckning',
      channelId: SAFETY,
      channelName: 'Trygghet',
      from: BERTIL,
      serviceUrl: double.url,
    });
    const [answer] = await Promise.all([postActivity(b.url, typed), a.scheduler.tick()]);
    expect(answer.status).toBe(200);
    // The schedule may have left Trygghet to the command: its next run finds the card out.
    await a.scheduler.tick();
    const perChannel = [HOUSING, INDUSTRY, SAFETY].map(
      (id) => double.sent().filter((s) => s.kind === 'create' && s.conversationId.startsWith(`${id};`)).length,
    );
    expect(perChannel).toEqual([1, 0, 1]); // Industrimark had its card from the test before
    const rows = await repos().checkIns.listWeek(P, WEEK);
    expect(rows.map((r) => [r.teamKey, !!r.messageId, 'posting' in r]).sort()).toEqual([
      ['bostader', true, false],
      ['industrimark', true, false],
      ['trygghet', true, false],
    ]);
  }, 30_000);
});

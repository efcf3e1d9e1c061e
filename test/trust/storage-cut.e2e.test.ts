/**
 * Storage cut off half way through a write, at every point: the bot's storage goes through a proxy
 * (test/trust/storage-proxy.ts) that lets exactly `k` requests through and then refuses everything
 * with 503, for k = 0, 1, 2, … along the whole path of a check-in answer and of a decision submit.
 * After each cut: the person got a polite card that tells the truth about what was kept, storage
 * holds one of the states the code allows (never an action changed without its log entry, never
 * a decision number without its decision), and the same request sent again completes it exactly
 * once. Decision numbers stay gap-free through all of it.
 */
import type { LogEvent } from '../../domain/types';
import { fixedClock } from '../../domain/time';
import {
  DEFAULT_CHANNEL,
  DEFAULT_USER,
  actionExecuteInvoke,
  channelMessage,
  postActivity,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { startTestStorage, type TestStorage } from '../support/storage';
import { captureLogs, type LogCapture } from './helpers';
import { startStorageProxy, type StorageProxy } from './storage-proxy';
import { testAction } from '../support/fixtures';

const P = 'harnosand';
const WEEK = '2026-W48';
const STEERING = '19:cut-steering@thread.tacv2';
const NOT_SAVED = 'Jag når inte lagringen just nu, så inget sparades. Försök igen om en liten stund.';
const SAVED_NOT_SHOWN = 'är sparat, men jag når inte lagringen för att visa kortet just nu';
/** A stack trace, a file path or an SDK error in an answer. */
const LEAK = /\bat [\w$.<>]+ \(|\.(js|ts):\d+|RestError|ECONNREFUSED|ServerBusy|Storage is cut off/;

let storage: TestStorage;
let proxy: StorageProxy;
let double: ConnectorDouble;
let bot: TestBot;
let logs: LogCapture;
const clock = fixedClock('2026-11-23T08:00:00.000Z'); // Monday 09:00 in Stockholm, week 48
const repos = () => bot.storage.repositories;

function textsOf(responseBody: unknown): string {
  return [...JSON.stringify(responseBody).matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)]
    .map((m) => m[1])
    .join(' | ')
    .slice(0, 400);
}

async function press(verb: string, data: Record<string, unknown>, id: string, channelId: string): Promise<string> {
  const res = await postActivity(bot.url, actionExecuteInvoke({ verb, data, id, channelId, serviceUrl: double.url }));
  expect(res.status).toBe(200);
  const text = textsOf(res.body);
  expect(text).not.toMatch(LEAK);
  return text;
}

/** Presses with storage cut off after `k` requests; storage is back (and background work done) when it returns. */
async function pressCut(
  k: number,
  verb: string,
  data: Record<string, unknown>,
  id: string,
  channelId: string,
): Promise<string> {
  await bot.deps.background.drain();
  proxy.clear();
  proxy.cutAfter(k);
  try {
    return await press(verb, data, id, channelId);
  } finally {
    proxy.restore();
    await bot.deps.background.drain();
  }
}

const statusEvents = async () =>
  (await repos().events.listWeek({ programId: P, week: WEEK })).filter(
    (e): e is LogEvent & { type: 'status' } => e.type === 'status',
  );

beforeAll(async () => {
  storage = await startTestStorage();
  proxy = await startStorageProxy(storage.azurite.port);
  double = await startConnectorDouble();
  logs = captureLogs('info');
  bot = await startTestBot(
    {
      AZURE_TABLES_CONNECTION_STRING: proxy.connectionString,
      TABLE_PREFIX: 'cut',
      STEERING_MEMBERS: DEFAULT_USER.aadObjectId!,
    },
    { clock, logger: logs.logger },
  );
  for (const [text, channelId] of [
    ['koppla bostäder', DEFAULT_CHANNEL.id],
    ['koppla styrgrupp', STEERING],
    ['incheckning', DEFAULT_CHANNEL.id],
  ] as const) {
    expect((await postActivity(bot.url, channelMessage({ text, channelId, serviceUrl: double.url }))).status).toBe(200);
  }
  // A fresh action per cut, so each answer is its action's first this week (the longest path:
  // log, action, the check-in's answered list, then the card).
  await repos().actions.saveAll(
    Array.from({ length: 20 }, (_, i) =>
      testAction(`BOS-${String(i + 10)}`, { programId: P, title: `Åtgärd ${i + 10}`, progress: 10 }),
    ),
  );
  expect((await repos().checkIns.get(P, WEEK, 'bostader'))?.messageId).toBeTruthy();
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await proxy?.close();
  await double?.close();
  await storage?.stop();
});

it('a check-in answer cut off after any of its storage requests: a truthful card, never a change without its log entry, and sending it again completes it once', async () => {
  const answer = (actionId: string) => ({
    teamKey: 'bostader',
    week: WEEK,
    actionId,
    page: 0,
    [`${actionId}.status`]: 'at_risk',
    [`${actionId}.progress`]: '77',
    [`${actionId}.comment`]: 'Avbrott',
  });

  // The uncut path, for its length.
  await bot.deps.background.drain();
  proxy.clear();
  expect(await press('checkin.answer', answer('BOS-10'), 'f:cut-measure', DEFAULT_CHANNEL.id)).toContain(
    'BOS-10 är uppdaterad',
  );
  const pathLength = proxy.forwarded.length;
  expect(pathLength).toBeGreaterThanOrEqual(6);

  const seen: string[] = [];
  for (let k = 0; k <= pathLength; k++) {
    const actionId = `BOS-${11 + k}`;
    const id = `f:cut-answer-${k}`;
    const eventId = `status|${id}|${actionId}`;
    const reply = await pressCut(k, 'checkin.answer', answer(actionId), id, DEFAULT_CHANNEL.id);

    const logged = (await statusEvents()).filter((e) => e.eventId === eventId);
    const action = (await repos().actions.get(P, actionId))!;
    const applied = action.progress === 77;
    const marked = !!(await repos().checkIns.get(P, WEEK, 'bostader'))?.answeredActionIds.includes(actionId);
    const state =
      logged.length === 0 ? 'untouched' : applied ? (marked ? 'saved' : 'saved, not marked') : 'logged, not applied';
    const said = reply.includes(NOT_SAVED)
      ? 'not saved'
      : reply.includes(SAVED_NOT_SHOWN)
        ? 'saved, not shown'
        : reply.includes(`${actionId} är uppdaterad`)
          ? 'saved'
          : `?? ${reply}`;
    seen.push(`${k}: said ${said}; stored ${state}`);

    // Never a change of the action without its log entry; at most one entry per request.
    expect({ k, appliedWithoutLog: applied && logged.length === 0, entries: logged.length <= 1 }).toEqual({
      k,
      appliedWithoutLog: false,
      entries: true,
    });
    // What the person was told is true of what is stored.
    if (said === 'not saved') expect({ k, state }).toEqual({ k, state: 'untouched' });
    else
      expect({ k, said, state }).toEqual({
        k,
        said: expect.stringMatching(/^saved/),
        state: expect.stringMatching(/^saved/),
      });

    // The same request again (a redelivery) completes it: one entry, the action holds it, it is marked answered.
    expect(await press('checkin.answer', answer(actionId), id, DEFAULT_CHANNEL.id)).toContain(
      `${actionId} är uppdaterad`,
    );
    expect((await statusEvents()).filter((e) => e.eventId === eventId)).toHaveLength(1);
    expect(await repos().actions.get(P, actionId)).toMatchObject({ status: 'at_risk', progress: 77 });
    expect((await repos().checkIns.get(P, WEEK, 'bostader'))?.answeredActionIds).toContain(actionId);
  }

  // The path was cut everywhere: before the log, between the log and the action, after the action,
  // and not at all. Once the log holds the answer the person is told it is saved, and it is: cut
  // before the action took it, the action is brought up to the log when storage is back.
  expect(seen[0]).toBe('0: said not saved; stored untouched');
  expect(seen.filter((s) => s.includes('said not saved') && !s.endsWith('stored untouched'))).toEqual([]);
  expect(
    logs.records().filter((r) => r.msg === 'logged answer applied after storage came back').length,
  ).toBeGreaterThanOrEqual(1);
  expect(seen.filter((s) => s.includes('said saved, not shown')).length).toBeGreaterThanOrEqual(2);
  expect(seen[seen.length - 1]).toBe(`${pathLength}: said saved; stored saved`);
  expect(
    logs.records().filter((r) => r.msg === 'answer saved; the card could not be shown').length,
  ).toBeGreaterThanOrEqual(2);
}, 120_000);

it('a decision submit cut off after any of its storage requests: no number burned, no decision lost, numbers gap-free', async () => {
  const form = (k: number) => ({
    formId: `cut-form-${String(k).padStart(4, '0')}`,
    title: `Beslut ${k}`,
    text: 'Styrgruppen beslutar.',
    meetingDate: '2026-11-23',
    teams: '',
    actions: '',
  });

  await bot.deps.background.drain();
  proxy.clear();
  expect(await press('decision.submit', form(0), 'f:cut-decision-measure', STEERING)).toContain(
    'Beslutet är loggat som D-2026-001.',
  );
  const pathLength = proxy.forwarded.length;
  expect(pathLength).toBeGreaterThanOrEqual(3);

  const seen: string[] = [];
  for (let k = 0; k <= pathLength; k++) {
    const f = form(k + 1);
    const expected = `D-2026-${String(k + 2).padStart(3, '0')}`;
    const reply = await pressCut(k, 'decision.submit', f, `f:cut-decision-${k}`, STEERING);
    const stored = (await repos().decisions.listYear(P, 2026)).find((d) => d.requestId === f.formId);
    const said = reply.includes(NOT_SAVED)
      ? 'not saved'
      : reply.includes(`loggat som ${expected}`)
        ? 'logged'
        : reply.includes(`Beslut ${expected} är sparat med sitt nummer`)
          ? 'saved, log pending'
          : `?? ${reply}`;
    seen.push(`${k}: ${said}; ${stored ? stored.number : 'none'}`);
    // Whatever happened, a stored decision has the next number: none was skipped.
    if (stored) expect(stored.number).toBe(expected);
    // The card tells the truth: "nothing was saved" only when nothing was.
    expect(said).toBe(stored ? (said === 'logged' ? 'logged' : 'saved, log pending') : 'not saved');

    // The same form saved again (its id makes it the same request) ends with exactly that decision.
    const again = await press('decision.submit', f, `f:cut-decision-${k}-again`, STEERING);
    expect(again).toMatch(new RegExp(`(loggat som|redan loggat som) ${expected}`));
    const all = await repos().decisions.listYear(P, 2026);
    expect(all.filter((d) => d.requestId === f.formId).map((d) => d.number)).toEqual([expected]);
  }

  // Gap-free: 1..n, each with exactly one DecisionLogged event.
  const all = (await repos().decisions.listYear(P, 2026)).sort((a, b) => a.sequence - b.sequence);
  expect(all.map((d) => d.sequence)).toEqual(Array.from({ length: pathLength + 2 }, (_, i) => i + 1));
  const loggedEvents = (await repos().events.listWeek({ programId: P, week: WEEK })).filter(
    (e) => e.type === 'decision' && e.change === 'logged',
  );
  expect(all.map((d) => loggedEvents.filter((e) => e.type === 'decision' && e.number === d.number).length)).toEqual(
    all.map(() => 1),
  );
  // Cut before the numbered write: nothing; cut after it (before its log event): the decision is
  // there with the next number, and saving the form again only confirms it.
  expect(seen[0]).toBe('0: not saved; none');
  expect(seen.slice(0, -1).some((s) => /; D-2026-\d+$/.test(s))).toBe(true);
  expect(seen.some((s) => s.includes('saved, log pending'))).toBe(true);
  expect(seen[seen.length - 1]).toBe(`${pathLength}: logged; D-2026-${String(pathLength + 2).padStart(3, '0')}`);
}, 120_000);

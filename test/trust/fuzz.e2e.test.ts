/**
 * Bad input, property-based: well over 1 000 generated malformed activities and card payloads
 * (test/support/fuzz.ts) go to the real HTTP endpoint of an anonymous bot. Each gets an orderly
 * answer (never a 5xx, never a stack trace); afterwards the process still serves and no stored
 * record changed.
 *
 * The one allowed difference: an install or membership event that names a new team (as the
 * generators' envelope cases may) records that team: installing is how a team becomes known,
 * and with authentication on only the Bot Connector can send such an event. Existing rows must
 * be untouched, byte for byte (ETags included).
 */
import fc from 'fast-check';
import type { Action } from '../../domain/types';
import { parseCommand } from '../../domain/commands';
import { resolveChannelRole } from '../../domain/program';
import { encodeKey } from '../../storage/keys';
import { MAX_BODY_BYTES } from '../../bot/server';
import { DEFAULT_CHANNEL, DEFAULT_TEAM, actionExecuteInvoke, actionSubmitMessage, botAddedToTeam, channelMessage, postActivity } from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { CARD_PAYLOADS, allCardVerbs, cardPayloadFor, fuzzCase, type FuzzCase, type FuzzTarget } from '../support/fuzz';
import { VERBS } from '../../cards/verbs';
import { diffSnapshots, rowCount, snapshotTables, type TableSnapshot } from './table-snapshot';

const RUNS = 1200;
/** Answers a malformed request may get: handled (200, the answer says what is wrong), or refused. */
const ALLOWED_STATUS = [200, 400, 413, 415];
/**
 * What a leaked stack trace or internal error looks like in an answer. (Not error class names:
 * the bot echoes up to 80 characters of what it did not understand, and the generators type
 * things like `${process.env.MICROSOFT_APP_PASSWORD}`.)
 */
const LEAK = /\bat [\w$.<>]+ \(|(\/[\w.@-]+)+\.(js|ts):\d+:\d+|node_modules\/|Eby8vdM02xNOcqFl/;

let double: ConnectorDouble;
let bot: TestBot;
let target: FuzzTarget;
let before: TableSnapshot;

const action = (id: string, teamKey: string): Action => ({
  programId: 'harnosand',
  id,
  teamKey,
  title: `Titel ${id}`,
  description: 'Beskrivning',
  owner: { name: 'Anna Ström', email: 'anna@harnosand.se' },
  responsibleBody: 'KS',
  due: '2026-12-31',
  financing: '',
  status: 'on_track',
  progress: 25,
  indicatorIds: [],
});

async function send(c: FuzzCase): Promise<{ status: number; text: string }> {
  if (c.raw !== undefined) {
    const res = await fetch(bot.messagesUrl, { method: 'POST', headers: { 'content-type': c.contentType ?? 'application/json' }, body: c.raw, signal: AbortSignal.timeout(30_000) });
    return { status: res.status, text: await res.text() };
  }
  const res = await postActivity(bot.url, c.body as object);
  return { status: res.status, text: res.body === undefined ? '' : JSON.stringify(res.body) };
}

/** A short description of a case for failure messages (never the whole huge body). */
function summarize(c: FuzzCase): string {
  return (c.raw ?? JSON.stringify(c.body) ?? '').slice(0, 2000);
}

/**
 * botbuilder answers 501 to an invoke no route takes: right for invoke kinds the app does not
 * offer (message extensions, task modules). Card actions (`adaptiveCard/action`) always get a card.
 */
function isOtherInvoke(c: FuzzCase): boolean {
  const a = c.body as { type?: unknown; name?: unknown } | undefined;
  return a?.type === 'invoke' && a.name !== 'adaptiveCard/action';
}

/** A text that would bind the channel (a valid write) is not malformed input. */
function isValidLink(c: FuzzCase): boolean {
  const text = (c.body as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string') return false;
  const parsed = parseCommand(text.replace(/<at>[^<]*<\/at>/g, ' '));
  return parsed?.name === 'link' && !!resolveChannelRole(bot.deps.program, parsed.args);
}

beforeAll(async () => {
  double = await startConnectorDouble({ channels: { [DEFAULT_TEAM.id]: [{ id: DEFAULT_TEAM.id, name: null }, { id: DEFAULT_CHANNEL.id, name: 'Bostäder' }] } });
  bot = await startTestBot();
  // Some real data in several tables: a team, a binding, actions of two teams.
  expect((await postActivity(bot.url, botAddedToTeam({ serviceUrl: double.url }))).status).toBe(200);
  expect((await postActivity(bot.url, channelMessage({ text: 'koppla bostäder', serviceUrl: double.url }))).status).toBe(200);
  await bot.storage.repositories.actions.saveAll([action('BOS-01', 'bostader'), action('BOS-02', 'bostader'), action('IND-01', 'industrimark')]);
  target = {
    serviceUrl: double.url,
    teamId: DEFAULT_TEAM.id,
    channelId: DEFAULT_CHANNEL.id,
    teamKey: 'bostader',
    otherTeamKeys: bot.deps.program.teams.map((t) => t.key).filter((k) => k !== 'bostader'),
    maxBodyBytes: MAX_BODY_BYTES,
  };
  before = await snapshotTables(bot.storage.azurite!.connectionString, bot.deps.config.storage.tablePrefix);
  expect(rowCount(before)).toBeGreaterThanOrEqual(5);
  double.reset();
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

it(`${RUNS} malformed activities and card payloads: orderly answers, the bot keeps serving, storage unchanged`, async () => {
  const started = Date.now();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const recordedTeams = new Set<string>();
  const kinds = new Map<string, number>();
  const statuses = new Map<number, number>();
  let sent = 0;
  const check = (c: FuzzCase, status: number, text: string) => {
    sent++;
    const kind = c.kind.startsWith('sweep:') ? 'sweep' : c.kind;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (!ALLOWED_STATUS.includes(status) && !(status === 501 && isOtherInvoke(c))) throw new Error(`${c.kind}: status ${status}: ${text.slice(0, 200)} for ${summarize(c)}`);
    if (LEAK.test(text)) throw new Error(`${c.kind}: the answer leaks internals: ${text.slice(0, 200)} for ${summarize(c)}`);
  };
  try {
    // A deterministic sweep first: every card verb, current and future, both ways.
    for (const verb of allCardVerbs()) {
      for (const data of fc.sample(cardPayloadFor(target, verb), { numRuns: 4, seed: 20261126 })) {
        for (const body of [
          actionExecuteInvoke({ verb, data, serviceUrl: target.serviceUrl, teamId: target.teamId, channelId: target.channelId }),
          actionSubmitMessage({ verb, data, cardActivityId: '1700000000001', serviceUrl: target.serviceUrl, teamId: target.teamId, channelId: target.channelId }),
        ]) {
          const c: FuzzCase = { kind: `sweep:${verb}`, body };
          const { status, text } = await send(c);
          check(c, status, text);
        }
      }
    }
    await fc.assert(
      fc.asyncProperty(fuzzCase(target), async (c) => {
        fc.pre(!isValidLink(c));
        if (c.recordsTeam) recordedTeams.add(encodeKey(c.recordsTeam));
        const { status, text } = await send(c);
        check(c, status, text);
      }),
      { numRuns: RUNS, maxSkipsPerRun: 10, endOnFailure: true },
    );
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  expect(sent).toBeGreaterThanOrEqual(RUNS + allCardVerbs().length * 8);
  // Every kind of case was exercised (the generators did not collapse to one shape).
  for (const kind of ['command', 'personal', 'huge', 'huge:over', 'execute:unknown', 'submit:unknown', 'envelope', 'raw', 'sweep']) {
    expect({ kind, seen: (kinds.get(kind) ?? 0) > 0 }).toEqual({ kind, seen: true });
  }
  expect([...kinds.keys()].filter((k) => k.startsWith('execute:') && k !== 'execute:unknown').length).toBeGreaterThan(0);
  expect([...kinds.keys()].filter((k) => k.startsWith('submit:') && k !== 'submit:unknown').length).toBeGreaterThan(0);
  expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 2);
  expect(statuses.get(413) ?? 0).toBeGreaterThan(0);
  expect(unhandled).toHaveLength(0);

  // Nothing the bot said to Teams leaks internals.
  const leaks = double.sent().map((s) => JSON.stringify(s.activity)).filter((s) => LEAK.test(s));
  expect(leaks.map((s) => s.slice(0, 200))).toEqual([]);
  expect(double.sent().length).toBeGreaterThan(RUNS / 4);

  // Still serving.
  const health = await fetch(`${bot.url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', storage: 'up' });
  double.reset();
  expect((await postActivity(bot.url, channelMessage({ text: 'hjälp', serviceUrl: double.url }))).status).toBe(200);
  expect(JSON.stringify(double.sent()[0]?.activity)).toContain('Det här kan Kraftsamla');

  // Storage: existing rows untouched; the only new rows are teams named by install events.
  const after = await snapshotTables(bot.storage.azurite!.connectionString, bot.deps.config.storage.tablePrefix);
  const unexpected = diffSnapshots(before, after).filter((d) => !(d.change === 'added' && d.table.endsWith('Teams') && recordedTeams.has(d.key.split('\u0001')[1] ?? '')));
  expect(unexpected).toEqual([]);
  expect(Date.now() - started).toBeLessThan(90_000);
});

// Card verbs that only get generic junk (no specific generators in test/support/fuzz.ts
// CARD_PAYLOADS yet): listed as todos so they show up in every run until they have their own.
describe('fuzz coverage of card verbs', () => {
  for (const verb of Object.values(VERBS).filter((v) => !(v in CARD_PAYLOADS))) {
    it.todo(`specific malformed payloads for ${verb} (wrong types per field, invalid dates, unknown ids, another team)`);
  }
});

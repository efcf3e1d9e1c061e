/**
 * Bad input, property-based: well over 1 000 generated malformed activities and card payloads
 * (test/support/fuzz.ts) go to the real HTTP endpoint of an anonymous bot: every text command and
 * every card verb of every flow (check-ins, actions, decisions, the digest), in a team channel, the
 * steering channel and a personal chat, as a team member and as a steering member. Each gets an
 * orderly answer (never a 5xx, never a stack trace); afterwards the process still serves and no
 * stored record changed.
 *
 * The one allowed difference: an install or membership event that names a new team (as the
 * generators' envelope cases may) records that team: installing is how a team becomes known,
 * and with authentication on only the Bot Connector can send such an event. Existing rows must
 * be untouched, byte for byte (ETags included).
 *
 * A command that writes on junk arguments gets a property of its own with the exact writes it may
 * make: `incheckning <junk>` in a team channel with no check-in this week posts that check-in,
 * once (one CheckIns row, one delivery record, one CardPosted event), and every later one only
 * points to it.
 */
import fc from 'fast-check';
import type { Action, Decision } from '../../domain/types';
import { parseCommand } from '../../domain/commands';
import { resolveChannelRole } from '../../domain/program';
import { fixedClock } from '../../domain/time';
import { encodeKey } from '../../storage/keys';
import { MAX_BODY_BYTES } from '../../bot/server';
import { ANEW } from '../../bot/flows/checkin.flow';
import { DEFAULT_CHANNEL, DEFAULT_TEAM, botAddedToTeam, channelMessage, postActivity } from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import {
  CARD_PAYLOADS,
  allCardVerbs,
  cardActivity,
  cardPayloadFor,
  checkinCommandText,
  fuzzCase,
  type FuzzCase,
  type FuzzTarget,
} from '../support/fuzz';
import { VERBS } from '../../cards/verbs';
import { diffSnapshots, rowCount, snapshotTables, type TableSnapshot } from './table-snapshot';
import { testAction } from '../support/fixtures';

const RUNS = 1200;
/**
 * The random part's seed: new each run (that is how it keeps finding things), or FUZZ_SEED to
 * replay one. A failure names it.
 */
const SEED = Number.parseInt(process.env.FUZZ_SEED ?? '', 10) || Math.floor(Math.random() * 0x7fffffff) + 1;
/** Requests per verb in the deterministic sweep (each sent both ways). */
const SWEEP = 10;
/** `incheckning <junk>` requests in the channel with no check-in yet. */
const CHECKIN_RUNS = 40;
const WEEK = '2026-W48';
const IND_CHANNEL = '19:fuzz-industrimark@thread.tacv2';
const STEERING_CHANNEL = '19:fuzz-styrgrupp@thread.tacv2';
const STEERING_USER = {
  id: '29:fuzz-steering',
  name: 'Stina Styrgrupp',
  aadObjectId: '5e5e5e5e-0000-4000-8000-0000000005e5',
};
/** Answers a malformed request may get: handled (200, the answer says what is wrong), or refused. */
const ALLOWED_STATUS = [200, 400, 413, 415];
/**
 * What a leaked stack trace or internal error looks like in an answer. (Not error class names:
 * the bot echoes up to 80 characters of what it did not understand, and the generators type
 * things like `${process.env.MICROSOFT_APP_PASSWORD}`.)
 */
const LEAK = /\bat [\w$.<>]+ \(|(\/[\w.@-]+)+\.(js|ts):\d+:\d+|node_modules\/|Eby8vdM02xNOcqFl/;

/** What the sweep's requests must have been answered with, per verb (see the end of the first test). */
const REACHES: Record<string, string[]> = {
  'checkin.answer': [
    'det kräver rollen medlem i teamet',
    'Inget sparades.',
    'välj en status i listan',
    'får vara högst',
  ],
  'checkin.page': ['finns inte i programmet', 'veckan 2026-W54 finns inte'],
  'checkin.repost': ['det kräver rollen medlem i teamet Industrimarks kanal', 'inte kopplad till något team'],
  'checkin.followup.done': ['Uppföljningar markeras klara i det berörda teamets kanal', 'finns inte'],
  'actionEdit.open': ['det kräver rollen medlem i teamet'],
  'actionEdit.save': ['det kräver rollen medlem i teamet', 'finns inte i kalendern', 'får vara högst'],
  'decision.submit': ['det kräver rollen styrgrupp', 'Logga ett beslut', 'Rubrik måste fyllas i'],
  'decision.show': ['Det hittade jag inte'],
  'decision.amend': ['det kräver rollen styrgrupp', 'är upphävt'],
  'decision.revoke': ['det kräver rollen styrgrupp'],
  'decision.amend.save': ['det kräver rollen styrgrupp', 'Någon annan ändrade', 'är upphävt', 'Skäl får vara högst'],
  'decision.revoke.save': ['det kräver rollen styrgrupp', 'Det hittade jag inte', 'Någon annan ändrade'],
  'decision.followup.done': ['rollen styrgrupp eller berört team', 'har ingen uppföljning'],
  'decision.log.page': ['Jag förstår inte perioden'],
  'digest.page': ['har inte börjat än'],
};

let double: ConnectorDouble;
let bot: TestBot;
let target: FuzzTarget;
let before: TableSnapshot;
const clock = fixedClock('2026-11-23T08:00:00.000Z'); // Monday 09:00 in Stockholm, week 48
const snapshot = () => snapshotTables(bot.storage.azurite!.connectionString, bot.deps.config.storage.tablePrefix);

const action = (id: string, teamKey: string): Action =>
  testAction(id, {
    teamKey,
    description: 'Beskrivning',
    owner: { name: 'Anna Ström', email: 'anna@harnosand.se' },
    progress: 25,
  });

async function send(c: FuzzCase): Promise<{ status: number; text: string }> {
  if (c.raw !== undefined) {
    const res = await fetch(bot.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': c.contentType ?? 'application/json' },
      body: c.raw,
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, text: await res.text() };
  }
  const res = await postActivity(bot.url, c.body as object);
  return { status: res.status, text: res.body === undefined ? '' : JSON.stringify(res.body) };
}

/** A short description of a case for failure messages (never the whole huge body). */
function summarize(c: FuzzCase): string {
  return (c.raw ?? JSON.stringify(c.body) ?? '').slice(0, 2000);
}

/** The texts of an invoke response's card, joined (short). */
function cardTexts(responseJson: string): string {
  return [...responseJson.matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)]
    .map((m) => m[1])
    .join(' | ')
    .slice(0, 300);
}

/**
 * botbuilder answers 501 to an invoke no route takes: right for invoke kinds the app does not
 * offer (message extensions, task modules). Card actions (`adaptiveCard/action`) always get a card.
 */
function isOtherInvoke(c: FuzzCase): boolean {
  const a = c.body as { type?: unknown; name?: unknown } | undefined;
  return a?.type === 'invoke' && a.name !== 'adaptiveCard/action';
}

function commandOf(c: FuzzCase): ReturnType<typeof parseCommand> {
  const text = (c.body as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' ? parseCommand(text.replace(/<at>[^<]*<\/at>/g, ' ')) : undefined;
}

/**
 * Texts that are valid writes, not malformed input: one that binds the channel, and the exact
 * words for posting a check-in anew.
 */
function isValidWrite(c: FuzzCase): boolean {
  const parsed = commandOf(c);
  return (
    (parsed?.name === 'link' && !!resolveChannelRole(bot.deps.program, parsed.args)) ||
    (parsed?.name === 'checkin' && ANEW.test(parsed.args))
  );
}

const decision = (
  n: Pick<Decision, 'title' | 'affectedTeams'> & Partial<Decision>,
): Omit<Decision, 'number' | 'sequence' | 'etag'> => ({
  programId: 'harnosand',
  year: 2026,
  text: 'Text',
  rationale: '',
  meeting: { name: 'Styrgruppsmöte', date: '2026-11-16' },
  affectedActions: [],
  loggedBy: 'Stina Styrgrupp',
  loggedAt: '2026-11-16T10:00:00.000Z',
  state: 'active',
  history: [],
  ...n,
});

beforeAll(async () => {
  double = await startConnectorDouble({
    channels: {
      [DEFAULT_TEAM.id]: [
        { id: DEFAULT_TEAM.id, name: null },
        { id: DEFAULT_CHANNEL.id, name: 'Bostäder' },
        { id: IND_CHANNEL, name: 'Industrimark' },
        { id: STEERING_CHANNEL, name: 'Styrgrupp' },
      ],
    },
  });
  bot = await startTestBot({ STEERING_MEMBERS: STEERING_USER.aadObjectId }, { clock });
  // The program admin installs and links; the fuzz acts as a team member (no admin), so the role
  // refusals are reached.
  const admin = { id: '29:fuzz-admin', name: 'Ada Admin', aadObjectId: 'ad000000-0000-4000-8000-0000000000ad' };
  const say = async (text: string, channelId: string) =>
    expect(
      (await postActivity(bot.url, channelMessage({ text, channelId, serviceUrl: double.url, from: admin }))).status,
    ).toBe(200);
  // Real data in every table: a team, bindings of two teams and the steering group, actions of
  // two teams, this week's check-in of the first, decisions in each state.
  expect((await postActivity(bot.url, botAddedToTeam({ serviceUrl: double.url, from: admin }))).status).toBe(200);
  await say('koppla bostäder', DEFAULT_CHANNEL.id);
  await say('koppla industrimark', IND_CHANNEL);
  await say('koppla styrgrupp', STEERING_CHANNEL);
  const repos = bot.storage.repositories;
  await repos.actions.saveAll([
    action('BOS-01', 'bostader'),
    action('BOS-02', 'bostader'),
    action('IND-01', 'industrimark'),
    action('IND-02', 'industrimark'),
  ]);
  await say('incheckning', DEFAULT_CHANNEL.id);
  expect((await repos.checkIns.get('harnosand', WEEK, 'bostader'))?.messageId).toBeTruthy();
  const d1 = await repos.decisions.createNumbered(
    decision({
      title: 'Industrimark följs upp',
      affectedTeams: ['industrimark'],
      followUp: { owner: 'Ivar', due: '2026-12-15', done: false },
    }),
  );
  const d2 = await repos.decisions.createNumbered(
    decision({ title: 'Ingen uppföljning', affectedTeams: ['bostader'] }),
  );
  const d3 = await repos.decisions.createNumbered(
    decision({
      title: 'Uppföljd',
      affectedTeams: ['bostader'],
      followUp: { owner: 'Bo', due: '2026-11-20', done: true, doneBy: 'Bo', doneAt: '2026-11-20T10:00:00.000Z' },
    }),
  );
  const d4 = await repos.decisions.createNumbered(
    decision({ title: 'Upphävt', affectedTeams: ['bostader'], state: 'revoked' }),
  );
  target = {
    serviceUrl: double.url,
    teamId: DEFAULT_TEAM.id,
    channelId: DEFAULT_CHANNEL.id,
    teamKey: 'bostader',
    otherTeamKeys: bot.deps.program.teams.map((t) => t.key).filter((k) => k !== 'bostader'),
    otherChannelId: IND_CHANNEL,
    otherTeamKey: 'industrimark',
    steeringChannelId: STEERING_CHANNEL,
    steeringUser: STEERING_USER,
    actionIds: ['BOS-01', 'BOS-02'],
    otherActionIds: ['IND-01', 'IND-02'],
    week: WEEK,
    decisions: {
      openFollowUpOfOtherTeam: d1.number,
      noFollowUp: d2.number,
      followUpDone: d3.number,
      revoked: d4.number,
    },
    maxBodyBytes: MAX_BODY_BYTES,
  };
  before = await snapshot();
  expect(rowCount(before)).toBeGreaterThanOrEqual(15);
  double.reset();
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

it(
  `${RUNS} malformed activities and card payloads: orderly answers, the bot keeps serving, storage unchanged`,
  () => withSeed(malformedActivities),
  180_000,
);

/** Runs the test, and names the seed on failure so that `FUZZ_SEED=… npx jest` replays the run. */
async function withSeed(test: () => Promise<void>): Promise<void> {
  try {
    await test();
  } catch (err) {
    if (err instanceof Error) err.message = `${err.message}\n\nReplay this run with FUZZ_SEED=${SEED}.`;
    throw err;
  }
}

async function malformedActivities(): Promise<void> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const recordedTeams = new Set<string>();
  const kinds = new Map<string, number>();
  const statuses = new Map<number, number>();
  let sent = 0;
  /** The texts of the cards the sweep's Action.Execute requests got, per verb. */
  const answered = new Map<string, string[]>();
  const check = (c: FuzzCase, status: number, text: string) => {
    sent++;
    const kind = c.kind.startsWith('sweep:') ? 'sweep' : c.kind;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (!ALLOWED_STATUS.includes(status) && !(status === 501 && isOtherInvoke(c)))
      throw new Error(`${c.kind}: status ${status}: ${text.slice(0, 200)} for ${summarize(c)}`);
    if (LEAK.test(text))
      throw new Error(`${c.kind}: the answer leaks internals: ${text.slice(0, 200)} for ${summarize(c)}`);
  };
  try {
    // A deterministic sweep first: every card verb, current and future, both ways.
    for (const verb of allCardVerbs()) {
      for (const request of fc.sample(cardPayloadFor(target, verb), { numRuns: SWEEP, seed: 20261126 })) {
        for (const how of ['execute', 'submit'] as const) {
          const c: FuzzCase = { kind: `sweep:${verb}`, body: cardActivity(target, verb, request, how) };
          const { status, text } = await send(c);
          check(c, status, text);
          if (how === 'execute') answered.set(verb, [...(answered.get(verb) ?? []), cardTexts(text)]);
        }
      }
    }
    await fc.assert(
      fc.asyncProperty(fuzzCase(target), async (c) => {
        fc.pre(!isValidWrite(c));
        if (c.recordsTeam) recordedTeams.add(encodeKey(c.recordsTeam));
        const { status, text } = await send(c);
        check(c, status, text);
      }),
      { numRuns: RUNS, maxSkipsPerRun: 10, endOnFailure: true, seed: SEED },
    );
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  // The field-specific generators reach the checks they aim at, past the payload schema: each
  // of these answers came back at least once (the sweep is seeded, so this is deterministic).
  const reached = Object.entries(REACHES).flatMap(([verb, phrases]) =>
    phrases.map((phrase) => ({ verb, phrase, reached: (answered.get(verb) ?? []).some((t) => t.includes(phrase)) })),
  );
  expect(reached.filter((r) => !r.reached)).toEqual([]);
  expect(sent).toBeGreaterThanOrEqual(RUNS + allCardVerbs().length * SWEEP * 2);
  // Every kind of case was exercised (the generators did not collapse to one shape).
  for (const kind of [
    'command',
    'personal',
    'huge',
    'huge:over',
    'execute:unknown',
    'submit:unknown',
    'envelope',
    'retyped',
    'raw',
    'sweep',
  ]) {
    expect({ kind, seen: (kinds.get(kind) ?? 0) > 0 }).toEqual({ kind, seen: true });
  }
  // The random part reached most verbs both ways too (the sweep reached every one).
  expect([...kinds.keys()].filter((k) => k.startsWith('execute:') && k !== 'execute:unknown').length).toBeGreaterThan(
    allCardVerbs().length / 2,
  );
  expect([...kinds.keys()].filter((k) => k.startsWith('submit:') && k !== 'submit:unknown').length).toBeGreaterThan(
    allCardVerbs().length / 2,
  );
  expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 2);
  expect(statuses.get(413) ?? 0).toBeGreaterThan(0);
  expect(unhandled).toHaveLength(0);

  // Nothing the bot said to Teams leaks internals.
  const leaks = double
    .sent()
    .map((s) => JSON.stringify(s.activity))
    .filter((s) => LEAK.test(s));
  expect(leaks.map((s) => s.slice(0, 200))).toEqual([]);
  expect(double.sent().length).toBeGreaterThan(RUNS / 4);

  // Still serving.
  const health = await fetch(`${bot.url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', storage: 'up' });
  double.reset();
  expect((await postActivity(bot.url, channelMessage({ text: 'hjälp', serviceUrl: double.url }))).status).toBe(200);
  expect(JSON.stringify(double.sent()[0]?.activity)).toContain('Det här kan Kraftsamla');

  // Storage: existing rows untouched; the only new rows are teams named by install events and the
  // summaries a digest keeps of the closed week before it (derived from that week's log, created once).
  const after = await snapshot();
  const unexpected = diffSnapshots(before, after).filter(
    (d) =>
      !(
        d.change === 'added' &&
        ((d.table.endsWith('Teams') && recordedTeams.has(d.key.split('\u0001')[1] ?? '')) ||
          (d.table.endsWith('Events') && d.key.endsWith('sum|status|v1')))
      ),
  );
  expect(unexpected).toEqual([]);
  // The decisions are as they were: no number taken, none marked done, amended or revoked.
  expect(
    (await bot.storage.repositories.decisions.listYear('harnosand', 2026)).map((d) => [
      d.number,
      d.state,
      d.followUp?.done ?? null,
    ]),
  ).toEqual([
    [target.decisions.revoked, 'revoked', null],
    [target.decisions.followUpDone, 'active', true],
    [target.decisions.noFollowUp, 'active', null],
    [target.decisions.openFollowUpOfOtherTeam, 'active', false],
  ]);
}

it(`${CHECKIN_RUNS} × "incheckning <junk>" in a team channel with no check-in yet: one post, exactly its rows, then pointers`, async () => {
  const start = await snapshot();
  double.reset();
  const replies: string[] = [];
  await fc.assert(
    fc.asyncProperty(checkinCommandText, async (text) => {
      fc.pre(!ANEW.test(parseCommand(text)?.args ?? ''));
      const sentBefore = double.sent().length;
      const res = await postActivity(bot.url, channelMessage({ text, channelId: IND_CHANNEL, serviceUrl: double.url }));
      expect(res.status).toBe(200);
      const answers = double
        .sent()
        .slice(sentBefore)
        .filter((s) => s.kind !== 'create');
      expect(answers).toHaveLength(1);
      replies.push(JSON.stringify(answers[0]!.activity).slice(0, 4000));
    }),
    { numRuns: CHECKIN_RUNS, seed: 4811, endOnFailure: true },
  );
  // One card posted, in that channel; the first answer says so, every later one points to it.
  const posts = double.sent().filter((s) => s.kind === 'create');
  expect(posts.map((s) => s.conversationId.split(';')[0])).toEqual([IND_CHANNEL]);
  expect(replies[0]).toContain('Klart! Veckans incheckning för Industrimark ligger nu i kanalen.');
  expect(
    replies.slice(1).filter((r) => !r.includes('Veckans incheckning för Industrimark (vecka 48) finns redan')),
  ).toEqual([]);
  // Exactly the rows of one post: the week's CheckIns row, its delivery record, its CardPosted event (event + id marker).
  const changes = diffSnapshots(start, await snapshot());
  const prefix = bot.deps.config.storage.tablePrefix;
  expect(changes.map((d) => `${d.table.slice(prefix.length)} ${d.change}`).sort()).toEqual([
    'CheckIns added',
    'Events added',
    'Events added',
    'Jobs added',
  ]);
  const row = await bot.storage.repositories.checkIns.get('harnosand', WEEK, 'industrimark');
  expect(row).toMatchObject({ channelId: IND_CHANNEL, messageId: posts[0]!.id, answeredActionIds: [] });
  expect(
    await bot.storage.repositories.deliveries.get('harnosand', `checkin|${WEEK}`, `industrimark|${IND_CHANNEL}`),
  ).toMatchObject({ status: 'sent', messageId: posts[0]!.id });
  const events = (await bot.storage.repositories.events.listWeek({ programId: 'harnosand', week: WEEK })).filter(
    (e) => e.type === 'card' && e.teamKey === 'industrimark',
  );
  expect(events.map((e) => (e.type === 'card' ? [e.kind, e.channelId, e.messageId] : []))).toEqual([
    ['checkin', IND_CHANNEL, posts[0]!.id],
  ]);
});

describe('fuzz coverage of card verbs', () => {
  it('every verb in cards/verbs has field-specific generators (not only generic junk)', () => {
    expect(Object.values(VERBS).filter((v) => !(v in CARD_PAYLOADS))).toEqual([]);
  });
});

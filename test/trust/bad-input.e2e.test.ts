/**
 * Bad input, case by case, through the real HTTP endpoint (the fuzz test covers the breadth):
 * each malformed request gets a clear answer — a localised card or message for what a person
 * could have sent, a 400 naming the broken field for what only a broken client sends — and storage
 * stays unchanged.
 */
import { isoWeek } from '../../domain/time';
import {
  DEFAULT_CHANNEL,
  DEFAULT_TEAM,
  DEFAULT_USER,
  actionExecuteInvoke,
  actionSubmitMessage,
  channelMessage,
  postActivity,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { diffSnapshots, rowCount, snapshotTables, type TableSnapshot } from './table-snapshot';

let double: ConnectorDouble;
let bot: TestBot;
let before: TableSnapshot;

const snapshot = () => snapshotTables(bot.storage.azurite!.connectionString, bot.deps.config.storage.tablePrefix);
const json = (v: unknown) => JSON.stringify(v);
/** Every row of a snapshot as `<table> <PartitionKey> | <RowKey>`, sorted. */
const rowsOf = (s: TableSnapshot) =>
  [...s].flatMap(([table, rows]) => [...rows.keys()].map((key) => `${table} ${key.replace('\u0001', ' | ')}`)).sort();
/**
 * What the setup stores: the binding, the team `koppla` recorded (its install event was never
 * sent), its sender as the program's first admin, and the log of both (two events, each with its
 * id marker; their keys carry the time, so they are matched by what they are).
 */
function expectSetupRows(rows: string[]): void {
  const prefix = bot.deps.config.storage.tablePrefix;
  const events = rows.filter((r) => r.startsWith(`${prefix}Events `));
  expect(rows.filter((r) => !events.includes(r))).toEqual(
    [
      `${prefix}Bindings harnosand | ${DEFAULT_CHANNEL.id}`,
      `${prefix}Roles harnosand | admin|${DEFAULT_USER.aadObjectId}`,
      `${prefix}Roles harnosand | installer`,
      `${prefix}Teams team | ${DEFAULT_TEAM.id}`,
    ].sort(),
  );
  expect(
    events.map((r) => r.replace(/^.* \| (e|id)\|(?:[^|]*\|)?(access\|(?:installer|bound))\|.*$/, '$1 $2')).sort(),
  ).toEqual(['e access|bound', 'e access|installer', 'id access|bound', 'id access|installer']);
}

beforeAll(async () => {
  double = await startConnectorDouble();
  bot = await startTestBot({ STEERING_MEMBERS: DEFAULT_USER.aadObjectId! });
  expect(
    (await postActivity(bot.url, channelMessage({ text: 'koppla bostäder', serviceUrl: double.url }))).status,
  ).toBe(200);
  // Taken once the setup is done, before any test: the storage test compares against it whatever ran in between.
  before = await snapshot();
  expect(rowCount(before)).toBe(8);
  expectSetupRows(rowsOf(before));
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

beforeEach(() => double.reset());

describe('card actions', () => {
  it('an unknown verb gets a notice card in the user’s language, not a 501', async () => {
    const sv = await postActivity(
      bot.url,
      actionExecuteInvoke({ verb: 'admin.wipe', data: { all: true }, serviceUrl: double.url }),
    );
    expect(sv.status).toBe(200);
    expect(json(sv.body)).toContain('application/vnd.microsoft.card.adaptive');
    expect(json(sv.body)).toContain('Den knappen känner jag inte igen');
    const en = await postActivity(
      bot.url,
      actionExecuteInvoke({ verb: 'admin.wipe', serviceUrl: double.url, locale: 'en-US' }),
    );
    expect(json(en.body)).toContain('I do not recognise that button');
  });

  it('an Action.Execute with no action at all gets the same card', async () => {
    const a = actionExecuteInvoke({ verb: 'actions.page', serviceUrl: double.url }) as unknown as { value: unknown };
    a.value = 42;
    const res = await postActivity(bot.url, a);
    expect(res.status).toBe(200);
    expect(json(res.body)).toContain('Den knappen känner jag inte igen');
  });

  it.each([
    ['a wrong type', { teamKey: 'bostader', page: 'två' }, 'page', 'page: ska vara ett tal', 'page: expected a number'],
    ['a missing field', { page: 0 }, 'teamKey', 'teamKey: värde saknas', 'teamKey: a value is required'],
    [
      'an extra field',
      { teamKey: 'bostader', page: 0, programId: 'another' },
      'programId',
      'okända fält',
      'unknown fields',
    ],
    ['a page out of range', { teamKey: 'bostader', page: -1 }, 'page', 'page: ', 'page: '],
  ])(
    'a payload with %s is refused by its schema with a card naming the field, explained in the user’s language',
    async (_name, data, field, sv, en) => {
      const res = await postActivity(
        bot.url,
        actionExecuteInvoke({ verb: 'actions.page', data, serviceUrl: double.url }),
      );
      expect(res.status).toBe(200);
      expect(json(res.body)).toContain('Det gick inte att spara');
      expect(json(res.body)).toContain(field);
      expect(json(res.body)).toContain(sv);
      // zod's own English sentences never reach a person.
      expect(json(res.body)).not.toMatch(/Expected|Required|Unrecognized|Number must/);
      const english = await postActivity(
        bot.url,
        actionExecuteInvoke({ verb: 'actions.page', data, serviceUrl: double.url, locale: 'en-US' }),
      );
      expect(json(english.body)).toContain(en);
    },
  );

  it('an Action.Submit with a broken payload answers with a card too, as a new message: the card pressed is left as it is', async () => {
    await postActivity(
      bot.url,
      actionSubmitMessage({
        verb: 'actions.page',
        data: { teamKey: 42 },
        cardActivityId: '1700000000042',
        serviceUrl: double.url,
      }),
    );
    expect(double.updates()).toEqual([]);
    expect(double.sent()).toHaveLength(1);
    expect(json(double.sent()[0]?.activity)).toContain('Det gick inte att spara');
  });
});

describe('the flows’ cards: impossible weeks and dates, unknown ids, named in the user’s language', () => {
  const week = () => isoWeek(new Date(), 'Europe/Stockholm');
  it.each<[string, string, () => Record<string, unknown>, string, string]>([
    [
      'a check-in answer for week 2026-W54',
      'checkin.answer',
      () => ({ teamKey: 'bostader', week: '2026-W54', actionId: 'BOS-01', 'BOS-01.status': 'done' }),
      'Det gick inte att spara BOS-01: veckan 2026-W54 finns inte. Inget sparades.',
      'sv-SE',
    ],
    [
      '… in English',
      'checkin.answer',
      () => ({ teamKey: 'bostader', week: '2026-W54', actionId: 'BOS-01', 'BOS-01.status': 'done' }),
      'Could not save BOS-01: the week 2026-W54 does not exist. Nothing was saved.',
      'en-US',
    ],
    [
      'a check-in answer with a date for a week',
      'checkin.answer',
      () => ({ teamKey: 'bostader', week: '2026-02-30', actionId: 'BOS-01' }),
      'Det gick inte att spara: week',
      'sv-SE',
    ],
    // A valid answer but for a `__proto__` key (as JSON.parse makes it): refused like any unknown field (it was dropped unseen and the answer saved).
    [
      'a check-in answer with a "__proto__" field',
      'checkin.answer',
      () =>
        JSON.parse(
          JSON.stringify({ teamKey: 'bostader', week: week(), actionId: 'BOS-01', 'BOS-01.status': 'done' }).replace(
            '{',
            '{"__proto__":true,',
          ),
        ) as Record<string, unknown>,
      'Det gick inte att spara: (roten): okända fält: \\"__proto__\\"',
      'sv-SE',
    ],
    [
      'a check-in answer for an action that does not exist',
      'checkin.answer',
      () => ({ teamKey: 'bostader', week: week(), actionId: 'BOS-999', 'BOS-999.status': 'done' }),
      'Åtgärden BOS-999 finns inte bland teamet Bostäders åtgärder. Inget sparades',
      'sv-SE',
    ],
    [
      'a check-in page of week 2026-W54 (was an English internal message)',
      'checkin.page',
      () => ({ teamKey: 'bostader', week: '2026-W54', page: 0 }),
      'Det gick inte att spara: veckan 2026-W54 finns inte',
      'sv-SE',
    ],
    [
      '… in English',
      'checkin.page',
      () => ({ teamKey: 'bostader', week: '2026-W54', page: 0 }),
      'That could not be saved: the week 2026-W54 does not exist',
      'en-GB',
    ],
    [
      'a follow-up of week 2026-W00',
      'checkin.followup.done',
      () => ({ teamKey: 'bostader', week: '2026-W00', number: 'D-2026-001' }),
      'Det gick inte att spara: veckan 2026-W00 finns inte',
      'sv-SE',
    ],
    [
      'an action due 2026-02-30',
      'actionEdit.save',
      () => ({ teamKey: 'bostader', 'actionEdit.title': 'Ny', 'actionEdit.due': '2026-02-30' }),
      'datumet 2026-02-30 finns inte i kalendern',
      'sv-SE',
    ],
    [
      'a decision met on 2026-02-30',
      'decision.submit',
      () => ({ title: 'Beslut', text: 'Text', meetingDate: '2026-02-30' }),
      'Mötesdatum: \\"2026-02-30\\" är inget datum.',
      'sv-SE',
    ],
    [
      'a decision number that does not exist',
      'decision.show',
      () => ({ number: 'D-2026-999' }),
      'Det hittade jag inte: beslut D-2026-999.',
      'sv-SE',
    ],
    [
      'amending a decision that does not exist',
      'decision.amend.save',
      () => ({ number: 'D-2026-999', title: 'X', text: 'Y', meetingDate: '2026-01-05', reason: 'Z' }),
      'Det hittade jag inte: beslut D-2026-999.',
      'sv-SE',
    ],
    [
      'the digest of week 2026-W54',
      'digest.page',
      () => ({ week: '2026-W54', page: 0 }),
      'Vecka 54 finns inte år 2026.',
      'sv-SE',
    ],
  ])('%s', async (_name, verb, data, expected, locale) => {
    const res = await postActivity(
      bot.url,
      actionExecuteInvoke({ verb, data: data(), serviceUrl: double.url, locale }),
    );
    expect(res.status).toBe(200);
    expect(json(res.body)).toContain(expected);
  });
});

describe('text', () => {
  it('control characters are stripped before the text is used or echoed', async () => {
    await postActivity(bot.url, channelMessage({ text: 'koppla fot\u0000bo\u001bll\u0007', serviceUrl: double.url }));
    const reply = json(double.sent()[0]?.activity);
    expect(reply).toContain('Jag känner inte till \\"fotboll\\"');
    expect(reply).not.toMatch(/\\u000[07]|\\u001b/);
  });

  it('Markdown in echoed text stays inert (no link in the bot’s voice)', async () => {
    const phishing = '[Logga in här](https://evil.example/login)';
    await postActivity(bot.url, channelMessage({ text: phishing, serviceUrl: double.url }));
    const card = json(double.sent()[0]?.activity);
    expect(card).toContain('Det förstod jag inte');
    // The echo stands as typed in a TextRun, which Teams never parses as Markdown (test/trust/inert.e2e.test.ts).
    expect(card).toContain(`"type":"TextRun","text":"Det förstod jag inte: \\"${phishing}\\".`);

    double.reset();
    await postActivity(bot.url, channelMessage({ text: `koppla ${phishing}`, serviceUrl: double.url }));
    const text = json(double.sent()[0]?.activity);
    expect(text).toContain('Jag känner inte till');
    expect(text).not.toContain(phishing);
  });

  it('text just under the body limit is answered; over it gets 413', async () => {
    const under = await postActivity(
      bot.url,
      channelMessage({ text: `åtgärder ${'å'.repeat(40_000)}`, serviceUrl: double.url }),
    );
    expect(under.status).toBe(200);
    expect(double.sent()).toHaveLength(1);
    const over = await postActivity(bot.url, channelMessage({ text: 'x'.repeat(300 * 1024), serviceUrl: double.url }));
    expect(over.status).toBe(413);
  });
});

describe('broken envelopes: 400 naming the field, never an internal error message', () => {
  const mutate = (f: (a: Record<string, unknown>) => void) => {
    const a = channelMessage({
      text: 'hjälp',
      channelId: DEFAULT_CHANNEL.id,
      serviceUrl: double.url,
    }) as unknown as Record<string, unknown>;
    f(a);
    return a;
  };
  it.each<[string, (a: Record<string, unknown>) => void, string]>([
    ['serviceUrl of the wrong type', (a) => (a.serviceUrl = 12), 'serviceUrl'],
    ['serviceUrl that is not http(s)', (a) => (a.serviceUrl = 'file:///etc/passwd'), 'serviceUrl'],
    ['no conversation id', (a) => delete (a.conversation as Record<string, unknown>).id, 'conversation.id'],
    ['from as a string', (a) => (a.from = 'anna'), 'from'],
    ['no recipient', (a) => delete a.recipient, 'recipient'],
    ['text as an object', (a) => (a.text = { $ne: null }), 'text'],
    ['entities not a list', (a) => (a.entities = 'x'), 'entities'],
    ['no channelId', (a) => delete a.channelId, 'channelId'],
  ])('%s', async (_name, f, field) => {
    const res = await postActivity(bot.url, mutate(f));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: `malformed activity: ${field}` });
    expect(double.calls).toHaveLength(0);
  });
});

describe('storage', () => {
  it('is unchanged by everything above (the binding made before, and the team it recorded, are the only rows, byte for byte)', async () => {
    expect(rowCount(before)).toBe(8);
    const after = await snapshot();
    expect(diffSnapshots(before, after)).toEqual([]);
    expectSetupRows(rowsOf(after));
    expect((await bot.storage.repositories.bindings.get('harnosand', DEFAULT_CHANNEL.id))?.role).toEqual({
      kind: 'team',
      teamKey: 'bostader',
    });
  });
});

/**
 * The decision log through the real HTTP endpoint: Teams-shaped activities POSTed to
 * /api/messages, answers through the Bot Connector double, storage on Azurite.
 */
import type { AdaptiveCard } from '../../../cards/card';
import { validateCard } from '../../../cards/validate';
import { openFollowUpsForTeam } from '../../../domain/decisions';
import { fixedClock } from '../../../domain/time';
import type { Action, Decision } from '../../../domain/types';
import {
  actionExecuteInvoke,
  actionSubmitMessage,
  channelMessage,
  DEFAULT_CHANNEL,
  DEFAULT_TEAM,
  DEFAULT_USER,
  newMessageId,
  personalMessage,
  postActivity,
  type TeamsActivity,
} from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot';
import { has, lacks, matches } from '../../support/text-expect';
import { startConnectorDouble, type ConnectorDouble, type RosterMember } from '../../support/connector-double';
import { testAction } from '../../support/fixtures';

const STEERING = '19:steering000000000000000000000@thread.tacv2';
const HOUSING = DEFAULT_CHANNEL.id;
const INDUSTRY = '19:industry000000000000000000000@thread.tacv2';
const CHANNELS = [
  { id: DEFAULT_TEAM.id, name: null },
  { id: STEERING, name: 'Styrgrupp' },
  { id: HOUSING, name: 'Bostäder' },
  { id: INDUSTRY, name: 'Industrimark' },
];

const ANNA = { ...DEFAULT_USER };
const BERTIL = { id: '29:bertil-teams-id', name: 'Bertil Ek', aadObjectId: 'b0b0b0b0-0000-4000-8000-000000000002' };
const OLLE = { id: '29:olle-outsider', name: 'Olle Utanför', aadObjectId: '0e0e0e0e-0000-4000-8000-000000000009' };

const ROSTER: RosterMember[] = [
  { ...ANNA, email: 'anna.styrgren@harnosand.se', userPrincipalName: 'anna.styrgren@harnosand.se', userRole: 'user' },
  { ...BERTIL, email: 'bertil.ek@harnosand.se', userPrincipalName: 'bertil.ek@harnosand.se', userRole: 'user' },
];

const PROGRAM = 'harnosand';
let double: ConnectorDouble;
let bot: TestBot;
const clock = fixedClock('2026-03-10T10:00:00Z');

const json = (x: unknown) => JSON.stringify(x);

async function waitFor<T>(what: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = what();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 40));
  }
}

async function eventually<T>(what: () => Promise<T | undefined | false>, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 40));
  }
}

async function say(text: string, channelId: string, extra: Record<string, unknown> = {}) {
  const message = channelMessage({
    text,
    channelId,
    channelName: CHANNELS.find((c) => c.id === channelId)?.name ?? undefined,
    serviceUrl: double.url,
    ...extra,
  });
  const res = await postActivity(bot.url, message);
  expect(res.status).toBeLessThan(300);
  // Only the answers in the message's thread (notices of earlier tests may still be arriving).
  const replies = double.sentTo(message.conversation.id!);
  expect(replies.length).toBeGreaterThan(0);
  return replies;
}

function cardOf(activity: Record<string, unknown>): AdaptiveCard {
  const attachments = activity.attachments as { contentType: string; content: AdaptiveCard }[] | undefined;
  const c = attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  if (!c) throw new Error(`no card in ${json(activity).slice(0, 200)}`);
  return c;
}

async function invoke(
  verb: string,
  data: Record<string, unknown>,
  extra: Partial<Parameters<typeof actionExecuteInvoke>[0]> = {},
): Promise<{ card: AdaptiveCard; activity: TeamsActivity }> {
  const activity = actionExecuteInvoke({
    verb,
    data,
    channelId: STEERING,
    channelName: 'Styrgrupp',
    serviceUrl: double.url,
    ...extra,
  });
  const res = await postActivity(bot.url, activity);
  expect(res.status).toBe(200);
  const body = res.body as { statusCode: number; type: string; value: AdaptiveCard };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return { card: body.value, activity };
}

const repos = () => bot.storage.repositories;
const decisionsOf = (year: number) => repos().decisions.listYear(PROGRAM, year);

function formData(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    formId: `form-${newMessageId()}`,
    title: 'Bostadsbyggandet i Saltvik prioriteras',
    text: 'Styrgruppen beslutar att detaljplanen för Saltvik ges förtur; "Bostäder" och Industrimark samordnar.',
    rationale: 'Företag som etablerar sig behöver bostäder åt sina anställda.',
    meetingName: 'Styrgruppsmöte 5',
    meetingDate: '2026-03-10',
    teams: 'bostader,industrimark',
    actions: 'BOS-03, ind-01',
    followUpOwner: 'Karin Ås',
    followUpDue: '2026-04-15',
    ...over,
  };
}

/** These actions have no due date: the key is absent, as it always was here. */
const action = (id: string, teamKey: string): Action => {
  const a = testAction(id, { programId: PROGRAM, teamKey, progress: 10 });
  delete a.due;
  return a;
};

beforeAll(async () => {
  double = await startConnectorDouble({
    channels: { [DEFAULT_TEAM.id]: CHANNELS },
    teams: { [DEFAULT_TEAM.id]: { name: 'Programkontoret' } },
    // A standard channel's roster is its team's: the steering check asks the steering channel's.
    members: (conversationId) => (conversationId === DEFAULT_TEAM.id || conversationId === STEERING ? ROSTER : []),
  });
  bot = await startTestBot({}, { clock });
  await say('koppla styrgrupp', STEERING);
  await say('koppla bostäder', HOUSING);
  await say('koppla industrimark', INDUSTRY);
  await repos().actions.saveAll([action('BOS-03', 'bostader'), action('IND-01', 'industrimark')]);
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

beforeEach(() => double.reset());

describe('logging a decision', () => {
  it('beslut in the steering channel opens the form, today as meeting date and the teams to choose', async () => {
    const [reply] = await say('beslut', STEERING);
    const form = cardOf(reply!.activity);
    expect(validateCard(form)).toEqual([]);
    const s = json(form);
    has(s, 'Logga ett beslut');
    for (const id of [
      'title',
      'text',
      'rationale',
      'meetingName',
      'meetingDate',
      'teams',
      'actions',
      'followUpOwner',
      'followUpDue',
    ])
      has(s, `"id":"${id}"`);
    has(s, '"type":"Input.Date","id":"meetingDate","label":"Mötesdatum","value":"2026-03-10"');
    has(s, '"value":"Styrgruppsmöte"');
    has(s, '{"title":"Bostäder","value":"bostader"}');
    matches(s, /"verb":"decision.submit","formId":"[0-9a-f-]{36}"|"formId":"[0-9a-f-]{36}","verb":"decision.submit"/);
  });

  it('beslut: <text> pre-fills the form, title from the first sentence', async () => {
    const [reply] = await say('beslut: Bostäder vid Saltvik prioriteras. Detaljplanen tas fram under våren.', STEERING);
    const s = json(cardOf(reply!.activity));
    has(s, '"id":"title","label":"Rubrik","value":"Bostäder vid Saltvik prioriteras."');
    has(s, '"value":"Bostäder vid Saltvik prioriteras. Detaljplanen tas fram under våren."');
    expect(await decisionsOf(2026)).toHaveLength(0);
  });

  it('a steering member submits the form and gets the number; the form is replaced; the teams are told', async () => {
    const data = formData();
    const cardActivityId = newMessageId();
    const { card } = await invoke('decision.submit', data, { cardActivityId });
    expect(validateCard(card)).toEqual([]);
    const s = json(card);
    has(s, 'Beslutet är loggat som D-2026-001.');
    has(s, 'Bostadsbyggandet i Saltvik prioriteras');
    has(s, '"verb":"decision.amend"');

    const stored = await repos().decisions.get(PROGRAM, 'D-2026-001');
    expect(stored).toMatchObject({
      number: 'D-2026-001',
      year: 2026,
      sequence: 1,
      title: 'Bostadsbyggandet i Saltvik prioriteras',
      meeting: { name: 'Styrgruppsmöte 5', date: '2026-03-10' },
      affectedTeams: ['bostader', 'industrimark'],
      affectedActions: ['BOS-03', 'IND-01'],
      followUp: { owner: 'Karin Ås', due: '2026-04-15', done: false },
      loggedBy: 'Anna Styrgren',
      loggedAt: '2026-03-10T10:00:00.000Z',
      state: 'active',
      history: [],
      requestId: data.formId,
    });
    const events = await repos().events.listWeek({ programId: PROGRAM, week: '2026-W11' });
    expect(events.filter((e) => e.type === 'decision')).toEqual([
      expect.objectContaining({
        number: 'D-2026-001',
        change: 'logged',
        affectedTeams: ['bostader', 'industrimark'],
        by: 'Anna Styrgren',
      }),
    ]);

    // The form is replaced for everyone in the channel, not only for the person who saved.
    const update = double.updates().find((u) => u.activityId === cardActivityId);
    has(json(update?.activity), 'D-2026-001');

    // Each affected team's channel gets the notice (background fan-out), the others nothing.
    const notices = await waitFor(() => {
      const list = double.sent().filter((x) => x.kind === 'create');
      return list.length >= 2 && list;
    });
    const byChannel = new Map(
      notices.map((n) => [
        String((n.call.body as { channelData: { channel: { id: string } } }).channelData.channel.id),
        n,
      ]),
    );
    expect([...byChannel.keys()].sort()).toEqual([HOUSING, INDUSTRY].sort());
    const housing = cardOf(byChannel.get(HOUSING)!.activity);
    expect(validateCard(housing)).toEqual([]);
    has(json(housing), 'Styrgruppen har fattat ett beslut som berör Bostäder');
    has(json(housing), 'D-2026-001 · Bostadsbyggandet i Saltvik prioriteras');
    has(json(housing), 'Uppföljning för Bostäder');
    has(json(housing), 'Karin Ås · senast 15 april 2026');
    has(json(cardOf(byChannel.get(INDUSTRY)!.activity)), 'berör Industrimark');
    // The delivery record is written right after each post: wait for both.
    const records = await eventually(async () => {
      const list = await repos().deliveries.list(PROGRAM, 'decision|D-2026-001');
      return list.filter((r) => r.status === 'sent').length === 2 && list;
    });
    expect(records.map((r) => [r.key, r.status]).sort()).toEqual([
      [`bostader|${HOUSING}`, 'sent'],
      [`industrimark|${INDUSTRY}`, 'sent'],
    ]);

    // The follow-up shows for the affected teams until it is done.
    expect(await openFollowUpsForTeam(repos(), PROGRAM, 'bostader', [2026])).toEqual([
      {
        number: 'D-2026-001',
        title: 'Bostadsbyggandet i Saltvik prioriteras',
        owner: 'Karin Ås',
        due: '2026-04-15',
        state: 'active',
      },
    ]);
    expect(await openFollowUpsForTeam(repos(), PROGRAM, 'trygghet', 2026)).toEqual([]);
  });

  it('a redelivered or repeated submit of the same form logs one decision and posts no second notice', async () => {
    const data = formData({ title: 'Samma formulär två gånger', teams: 'bostader' });
    const first = actionExecuteInvoke({ verb: 'decision.submit', data, channelId: STEERING, serviceUrl: double.url });
    // The notice's post is slow to be answered: the redelivery comes while it is on its way.
    double.failNext(1, { delayMs: 1500 }, (c) => c.route === 'createConversation');
    const r1 = await postActivity(bot.url, first);
    const number = /D-2026-\d{3}/.exec(json(r1.body))![0];
    await waitFor(() => double.callsTo('createConversation').length === 1);

    const r2 = await postActivity(bot.url, first); // the same activity again (Teams redelivery)
    has(json(r2.body), `Det här beslutet var redan loggat som ${number}.`);
    const r3 = await postActivity(
      bot.url,
      actionExecuteInvoke({ verb: 'decision.submit', data, channelId: STEERING, serviceUrl: double.url }),
    ); // pressed again
    has(json(r3.body), `redan loggat som ${number}`);
    expect((await decisionsOf(2026)).filter((d) => d.title === 'Samma formulär två gånger')).toHaveLength(1);
    await bot.deps.background.drain();
    expect(double.callsTo('createConversation')).toHaveLength(1);
    expect(double.sent().filter((x) => x.kind === 'create')).toHaveLength(1);
  });

  it('Action.Submit works too: the card is replaced in place', async () => {
    const cardActivityId = newMessageId();
    await postActivity(
      bot.url,
      actionSubmitMessage({
        verb: 'decision.submit',
        data: formData({ title: 'Via Action.Submit', teams: '' }),
        cardActivityId,
        channelId: STEERING,
        serviceUrl: double.url,
      }),
    );
    const update = await waitFor(() => double.updates().find((u) => u.activityId === cardActivityId));
    matches(json(update.activity), /Beslutet är loggat som D-2026-\d{3}\./);
    expect((await decisionsOf(2026)).some((d) => d.title === 'Via Action.Submit')).toBe(true);
  });

  it('someone outside the steering group is refused and nothing is stored', async () => {
    const before = (await decisionsOf(2026)).length;
    const { card } = await invoke('decision.submit', formData({ title: 'Obehörigt beslut' }), { from: OLLE });
    has(json(card), 'Det får du inte göra här: det kräver rollen styrgrupp.');
    expect(await decisionsOf(2026)).toHaveLength(before);
    expect(double.callsTo('getConversationMember').map((c) => c.params)).toEqual([
      { conversationId: STEERING, memberId: OLLE.id },
    ]);

    const [reply] = await say('beslut', STEERING, { from: OLLE });
    has(json(reply!.activity), 'Bara styrgruppens ledamöter kan logga och ändra beslut');
    lacks(json(reply!.activity), 'Input.Text');

    const english = await invoke('decision.submit', formData(), { from: OLLE, locale: 'en-US' });
    has(json(english.card), 'it needs the steering group role');
    expect(await decisionsOf(2026)).toHaveLength(before);
    await new Promise((r) => setTimeout(r, 200));
    expect(double.sent().filter((x) => x.kind === 'create')).toHaveLength(0);
  });

  it('a bad form comes back with what was typed and what to fix; nothing is stored', async () => {
    const before = (await decisionsOf(2026)).length;
    const { card } = await invoke(
      'decision.submit',
      formData({ title: 'x'.repeat(201), meetingDate: '2026-02-30', actions: 'BOS-03, BOS-99' }),
    );
    expect(validateCard(card)).toEqual([]);
    const s = json(card);
    has(s, 'Rubrik får vara högst 200 tecken (nu 201).');
    has(s, 'Mötesdatum: \\"2026-02-30\\" är inget datum.');
    has(s, '"value":"Styrgruppen beslutar att detaljplanen'); // the text survives
    const unknown = await invoke('decision.submit', formData({ actions: 'BOS-03 BOS-99' }));
    has(json(unknown.card), 'De här åtgärderna finns inte: BOS-99.');
    const empty = await invoke('decision.submit', { formId: 'form-empty-1234' });
    has(json(empty.card), 'Rubrik måste fyllas i.');
    expect(await decisionsOf(2026)).toHaveLength(before);
  });

  it('a forged payload is refused with a clear card', async () => {
    const { card } = await invoke('decision.submit', { ...formData(), sneaky: 'x' });
    has(json(card), 'Det gick inte att spara');
  });

  it('outside the steering channel, beslut says where decisions are logged', async () => {
    const [reply] = await say('beslut', HOUSING);
    has(json(reply!.activity), 'Beslut loggas i styrgruppens kanal (Styrgrupp)');
    await postActivity(bot.url, personalMessage({ text: 'decision', serviceUrl: double.url, locale: 'en-US' }));
    has(json(double.sent().at(-1)!.activity), "Decisions are logged in the steering group's channel (Styrgrupp)");
  });

  it('20 concurrent submissions get 20 distinct, gap-free numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        postActivity(
          bot.url,
          actionExecuteInvoke({
            verb: 'decision.submit',
            data: formData({ title: `Samtidigt ${i}`, meetingDate: '2025-11-20', teams: '' }),
            channelId: STEERING,
            serviceUrl: double.url,
          }),
        ),
      ),
    );
    const numbers = results.map((r) => /D-2025-\d{3}/.exec(json(r.body))?.[0]);
    expect(new Set(numbers).size).toBe(20);
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `D-2025-${String(i + 1).padStart(3, '0')}`),
    );
    const stored = await decisionsOf(2025);
    expect(stored.map((d) => d.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe('reading, amending, revoking', () => {
  let number: string;

  beforeAll(async () => {
    const { card } = await invoke(
      'decision.submit',
      formData({ title: 'Ursprunglig rubrik', text: 'Ursprunglig text.', teams: 'bostader' }),
    );
    number = /D-2026-\d{3}/.exec(json(card))![0];
  });

  it('beslut D-2026-nnn shows the decision', async () => {
    const [reply] = await say(`beslut ${number.toLowerCase()}`, HOUSING);
    const s = json(cardOf(reply!.activity));
    has(s, `"text":"${number}"`);
    has(s, 'Ursprunglig text.');
    lacks(s, '"verb":"decision.amend"'); // editing from the steering channel only
    const [missing] = await say('beslut D-2031-999', HOUSING);
    has(json(missing!.activity), 'Det hittade jag inte: beslut D-2031-999.');
  });

  it('amend keeps the old text in the history, the number stays; a stale card gets a clear conflict', async () => {
    const opened = await invoke('decision.amend', { number });
    expect(validateCard(opened.card)).toEqual([]);
    const s = json(opened.card);
    has(s, `Ändra beslut ${number}`);
    has(s, '"value":"Ursprunglig rubrik"');
    const etag = (opened.card.actions![0]!.data as { etag: string }).etag;
    expect(etag).toBeTruthy();

    const noReason = await invoke('decision.amend.save', {
      ...formData({ title: 'Ny rubrik', teams: 'bostader,trygghet' }),
      formId: undefined,
      number,
      etag,
    });
    has(json(noReason.card), 'Skäl måste fyllas i.');
    expect((await repos().decisions.get(PROGRAM, number))?.state).toBe('active');

    const saved = await invoke('decision.amend.save', {
      ...formData({ title: 'Ny rubrik', text: 'Ny text.', teams: 'bostader,trygghet' }),
      formId: undefined,
      number,
      etag,
      reason: 'Fel i protokollet',
    });
    expect(validateCard(saved.card)).toEqual([]);
    has(json(saved.card), `Ändringen av ${number} är sparad.`);
    has(json(saved.card), 'Historik (1)');
    has(json(saved.card), 'Tidigare: Ursprunglig rubrik');
    const d = (await repos().decisions.get(PROGRAM, number)) as Decision;
    expect(d).toMatchObject({
      number,
      title: 'Ny rubrik',
      text: 'Ny text.',
      state: 'amended',
      affectedTeams: ['bostader', 'trygghet'],
    });
    expect(d.history).toEqual([
      {
        at: '2026-03-10T10:00:00.000Z',
        by: 'Anna Styrgren',
        change: 'amended',
        reason: 'Fel i protokollet',
        previous: expect.objectContaining({
          title: 'Ursprunglig rubrik',
          text: 'Ursprunglig text.',
          affectedTeams: ['bostader'],
        }),
      },
    ]);
    const notices = await waitFor(() => {
      const list = double
        .sent()
        .filter((x) => x.kind === 'create' && json(x.activity).includes(`har ändrat beslut ${number}`));
      return list.length >= 1 && list;
    });
    expect(notices.length).toBe(1); // bostäder; trygghet has no channel bound

    // The same card again (the old etag): refused, nothing overwritten.
    const stale = await invoke('decision.amend.save', {
      ...formData({ title: 'Tredje rubriken' }),
      formId: undefined,
      number,
      etag,
      reason: 'Igen',
    });
    has(json(stale.card), 'Någon annan ändrade samma sak samtidigt');
    expect((await repos().decisions.get(PROGRAM, number))?.title).toBe('Ny rubrik');
  });

  it('revoke asks for a reason, keeps the decision, and marks it revoked', async () => {
    const opened = await invoke('decision.revoke', { number });
    expect(validateCard(opened.card)).toEqual([]);
    has(json(opened.card), `Upphäva beslut ${number}?`);
    const empty = await invoke('decision.revoke.save', { number, reason: '  ' });
    has(json(empty.card), 'Skäl måste fyllas i.');
    const done = await invoke('decision.revoke.save', { number, reason: 'Ersätts av nytt beslut' });
    has(json(done.card), `${number} är upphävt.`);
    has(json(done.card), 'Upphävt');
    lacks(json(done.card), '"verb":"decision.amend"');
    const d = (await repos().decisions.get(PROGRAM, number)) as Decision;
    expect(d.state).toBe('revoked');
    expect(d.title).toBe('Ny rubrik');
    expect(d.history.map((h) => [h.change, h.reason])).toEqual([
      ['amended', 'Fel i protokollet'],
      ['revoked', 'Ersätts av nytt beslut'],
    ]);
    const again = await invoke('decision.amend', { number });
    has(json(again.card), `Beslut ${number} är upphävt och kan inte ändras.`);
    expect(await openFollowUpsForTeam(repos(), PROGRAM, 'bostader', 2026)).not.toContainEqual(
      expect.objectContaining({ number }),
    );
  });

  it('someone outside the steering group cannot amend or revoke', async () => {
    const amend = await invoke('decision.amend', { number: 'D-2026-001' }, { from: OLLE });
    has(json(amend.card), 'det kräver rollen styrgrupp');
    const revoke = await invoke('decision.revoke.save', { number: 'D-2026-001', reason: 'x' }, { from: OLLE });
    has(json(revoke.card), 'det kräver rollen styrgrupp');
    expect((await repos().decisions.get(PROGRAM, 'D-2026-001'))?.state).toBe('active');
  });

  it('the affected team marks its follow-up done from its channel; others may not', async () => {
    const outsider = await invoke(
      'decision.followup.done',
      { number: 'D-2026-001' },
      { from: OLLE, channelId: '19:unbound@thread.tacv2' },
    );
    has(json(outsider.card), 'styrgrupp eller berört team');
    const { card } = await invoke(
      'decision.followup.done',
      { number: 'D-2026-001' },
      { from: OLLE, channelId: HOUSING },
    );
    has(json(card), 'Uppföljningen av D-2026-001 är markerad som klar.');
    expect((await repos().decisions.get(PROGRAM, 'D-2026-001'))?.followUp).toMatchObject({
      done: true,
      doneBy: 'Olle Utanför',
      doneAt: '2026-03-10T10:00:00.000Z',
    });
    const open = await openFollowUpsForTeam(repos(), PROGRAM, 'bostader', 2026);
    expect(open.map((f) => f.number)).not.toContain('D-2026-001');
    expect(open.length).toBeGreaterThan(0); // the other decisions' follow-ups stay open
  });
});

describe('the decision log', () => {
  const seed = (n: number, extra: Partial<Decision>): Omit<Decision, 'number' | 'sequence' | 'etag'> => ({
    programId: PROGRAM,
    year: 2024,
    title: `Logg ${n}`,
    text: `Beslutstext ${n} `.repeat(30),
    rationale: '',
    meeting: { name: 'Styrgruppsmöte', date: `2024-${String(1 + (n % 12)).padStart(2, '0')}-0${1 + (n % 9)}` },
    affectedTeams: n % 3 === 0 ? ['bostader'] : ['trygghet'],
    affectedActions: [],
    loggedBy: 'Anna Styrgren',
    loggedAt: '2024-06-01T08:00:00.000Z',
    state: 'active',
    history: [],
    ...extra,
  });

  beforeAll(async () => {
    for (let n = 0; n < 23; n++) await repos().decisions.createNumbered(seed(n, {}));
  });

  it('lists the current and previous year, newest first, paged', async () => {
    const all = [...(await decisionsOf(2026)), ...(await decisionsOf(2025))];
    const [reply] = await say('beslutslogg', HOUSING);
    const first = cardOf(reply!.activity);
    expect(validateCard(first)).toEqual([]);
    const s = json(first);
    has(s, 'Beslutslogg');
    has(s, `2025–2026 · ${all.length} beslut · sida 1 av ${Math.ceil(all.length / 10)}`);
    const shown = [...s.matchAll(/"text":"(D-\d{4}-\d{3}) · /g)].map((m) => m[1]);
    expect(shown).toEqual(all.slice(0, 10).map((d) => d.number));
    expect(shown[0]).toBe(`D-2026-${String((await decisionsOf(2026)).length).padStart(3, '0')}`);
    lacks(s, 'D-2024-');

    const next = first.actions!.find((a) => (a.data as { verb: string }).verb === 'decision.log.page')!;
    const page2 = await invoke(
      'decision.log.page',
      { ...(next.data as Record<string, unknown>) },
      { channelId: HOUSING },
    );
    expect(validateCard(page2.card)).toEqual([]);
    expect([...json(page2.card).matchAll(/"text":"(D-\d{4}-\d{3}) · /g)].map((m) => m[1])).toEqual(
      all.slice(10, 20).map((d) => d.number),
    );
    has(json(page2.card), 'sida 2 av');
  });

  it('filters by year, team, range and week', async () => {
    const numbers = (c: AdaptiveCard) => [...json(c).matchAll(/"text":"(D-\d{4}-\d{3}) · /g)].map((m) => m[1]);
    const [year] = await say('beslutslogg 2024', HOUSING);
    has(json(cardOf(year!.activity)), '2024 · 23 beslut · sida 1 av 3');
    expect(numbers(cardOf(year!.activity))[0]).toBe('D-2024-023');

    const [team] = await say('beslutslogg bostäder 2024', HOUSING);
    const teamCard = cardOf(team!.activity);
    has(json(teamCard), 'Bostäder · 2024 · 8 beslut');
    const stored = await decisionsOf(2024);
    expect(numbers(teamCard)).toEqual(stored.filter((d) => d.affectedTeams.includes('bostader')).map((d) => d.number));

    const [range] = await say('beslutslogg 2024-02-01..2024-03-31', HOUSING);
    const inRange = stored
      .filter((d) => d.meeting.date >= '2024-02-01' && d.meeting.date <= '2024-03-31')
      .map((d) => d.number);
    expect(inRange.length).toBeGreaterThan(0);
    expect(numbers(cardOf(range!.activity))).toEqual(inRange);
    has(json(cardOf(range!.activity)), '1 februari 2024 – 31 mars 2024');

    const [week] = await say('beslutslogg vecka 11', HOUSING); // 9–15 March 2026
    const weekCard = json(cardOf(week!.activity));
    has(weekCard, 'vecka 11 2026');
    has(weekCard, 'D-2026-001');
    lacks(weekCard, 'D-2025-');

    const [english] = await say('decisions housing 2024', HOUSING, { locale: 'en-US' });
    has(json(cardOf(english!.activity)), 'Bostäder · 2024 · 8 decisions');

    const [bad] = await say('beslutslogg fotboll', HOUSING);
    has(json(bad!.activity), 'Jag känner inte till \\"fotboll\\"');
  });
});

describe('steering members named in the configuration', () => {
  let named: TestBot;

  beforeAll(async () => {
    named = await startTestBot({ STEERING_MEMBERS: `bertil.ek@harnosand.se,${OLLE.aadObjectId}` }, { clock });
    await postActivity(
      named.url,
      channelMessage({
        text: 'koppla styrgrupp',
        channelId: STEERING,
        channelName: 'Styrgrupp',
        serviceUrl: double.url,
      }),
    );
  });

  afterAll(async () => {
    await named?.stop();
  });

  async function submitAs(from: typeof ANNA, title: string) {
    const res = await postActivity(
      named.url,
      actionExecuteInvoke({
        verb: 'decision.submit',
        data: formData({ title, teams: '', actions: '' }),
        from,
        channelId: STEERING,
        serviceUrl: double.url,
      }),
    );
    return json(res.body);
  }

  it('lets the named UPN and object id log, and refuses a team member who is not named', async () => {
    has(await submitAs(BERTIL, 'Av Bertil'), 'Beslutet är loggat som D-2026-001.');
    has(await submitAs(OLLE, 'Av Olle'), 'Beslutet är loggat som D-2026-002.');
    has(await submitAs(ANNA, 'Av Anna'), 'det kräver rollen styrgrupp');
    expect((await named.storage.repositories.decisions.listYear(PROGRAM, 2026)).map((d) => d.title).sort()).toEqual([
      'Av Bertil',
      'Av Olle',
    ]);
  });
});

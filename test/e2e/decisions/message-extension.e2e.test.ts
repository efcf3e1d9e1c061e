/**
 * "Logga som beslut" through the real HTTP endpoint: the message extension's
 * `composeExtension/fetchTask` and `composeExtension/submitAction` invokes as Teams sends them, in
 * a channel, a group chat and a meeting's chat, answered through the Bot Connector double, stored
 * on Azurite.
 */
import type { AdaptiveCard } from '../../../cards/card';
import { validateCard } from '../../../cards/validate';
import { fixedClock } from '../../../domain/time';
import {
  channelMessage,
  DEFAULT_CHANNEL,
  DEFAULT_TEAM,
  DEFAULT_USER,
  postActivity,
  type TeamsActivity,
} from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot';
import {
  DEFAULT_GROUP_CHAT_ID,
  DEFAULT_MEETING_CHAT_ID,
  fetchTaskInvoke,
  submitActionInvoke,
  type ExtensionInvokeOptions,
} from '../../support/compose-extension';
import { faults, startConnectorDouble, type ConnectorDouble, type RosterMember } from '../../support/connector-double';
import { has, lacks } from '../../support/text-expect';

const STEERING = '19:steering000000000000000000000@thread.tacv2';
const HOUSING = DEFAULT_CHANNEL.id;
const CHANNELS = [
  { id: DEFAULT_TEAM.id, name: null },
  { id: STEERING, name: 'Styrgrupp' },
  { id: HOUSING, name: 'Bostäder' },
];
const ANNA = { ...DEFAULT_USER };
const OLLE = { id: '29:olle-outsider', name: 'Olle Utanför', aadObjectId: '0e0e0e0e-0000-4000-8000-000000000009' };
const ROSTER: RosterMember[] = [
  { ...ANNA, email: 'anna.styrgren@harnosand.se', userPrincipalName: 'anna.styrgren@harnosand.se', userRole: 'user' },
];

const PROGRAM = 'harnosand';
const clock = fixedClock('2026-03-10T10:00:00Z');
let double: ConnectorDouble;
let bot: TestBot;

const json = (x: unknown) => JSON.stringify(x);
const repos = () => bot.storage.repositories;
const decisionsOf = (year: number) => repos().decisions.listYear(PROGRAM, year);

async function waitFor<T>(what: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = what();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 40));
  }
}

interface TaskResponse {
  task:
    | {
        type: 'continue';
        value: { title: string; height: string; width: string; card: { contentType: string; content: AdaptiveCard } };
      }
    | { type: 'message'; value: string };
}

async function send(activity: TeamsActivity): Promise<TaskResponse> {
  const res = await postActivity(bot.url, activity);
  expect(res.status).toBe(200);
  return res.body as TaskResponse;
}

/** The dialog of a `continue` answer, checked to be an Adaptive Card attachment that validates. */
function dialogOf(answer: TaskResponse): AdaptiveCard {
  if (answer.task.type !== 'continue') throw new Error(`expected a dialog, got ${json(answer).slice(0, 300)}`);
  expect(answer.task.value.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
  const card = answer.task.value.card.content;
  expect(validateCard(card)).toEqual([]);
  return card;
}

function messageOf(answer: TaskResponse): string {
  if (answer.task.type !== 'message') throw new Error(`expected a message, got ${json(answer).slice(0, 300)}`);
  return answer.task.value;
}

/** The inputs' values of a dialog card, as Teams sends them back, with its Action.Submit data. */
function submitted(card: AdaptiveCard, over: Record<string, unknown> = {}): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (
        typeof o.type === 'string' &&
        o.type.startsWith('Input.') &&
        typeof o.id === 'string' &&
        typeof o.value === 'string'
      )
        values[o.id] = o.value;
      Object.values(o).forEach(walk);
    }
  };
  walk(card.body);
  const save = card.actions?.find((a) => a.type === 'Action.Submit');
  if (!save) throw new Error('the dialog has no Action.Submit');
  return { ...values, ...(save.data as Record<string, unknown>), ...over };
}

const html =
  '<p>Vi beslutar att <strong>Saltvik</strong> prioriteras &mdash; detaljplanen tas fram i vår.</p><p>Bostäder &amp; Industrimark samordnar.</p>';
const CHANNEL_PLACE: ExtensionInvokeOptions['place'] = { kind: 'channel', channelId: HOUSING, channelName: 'Bostäder' };

function options(
  place: ExtensionInvokeOptions['place'],
  over: Partial<ExtensionInvokeOptions> = {},
): ExtensionInvokeOptions {
  return {
    place,
    serviceUrl: double.url,
    message: { html, author: { displayName: 'Adele Vance' }, createdDateTime: '2026-03-09T14:05:00Z' },
    ...over,
  };
}

beforeAll(async () => {
  double = await startConnectorDouble({
    channels: { [DEFAULT_TEAM.id]: CHANNELS },
    teams: { [DEFAULT_TEAM.id]: { name: 'Programkontoret' } },
    members: (conversationId) => (conversationId === DEFAULT_TEAM.id || conversationId === STEERING ? ROSTER : []),
  });
  bot = await startTestBot({}, { clock });
  const link = channelMessage({
    text: 'koppla styrgrupp',
    channelId: STEERING,
    channelName: 'Styrgrupp',
    serviceUrl: double.url,
  });
  expect((await postActivity(bot.url, link)).status).toBeLessThan(300);
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

beforeEach(() => double.reset());

describe('Logga som beslut, by a steering member', () => {
  it('opens the decision form as a dialog from a channel message: text without its HTML, author, where to post', async () => {
    const answer = await send(fetchTaskInvoke(options(CHANNEL_PLACE)));
    const card = dialogOf(answer);
    expect(answer.task.type === 'continue' && answer.task.value.title).toBe('Logga som beslut');
    const s = json(card);
    has(
      s,
      '"id":"title","label":"Rubrik","value":"Vi beslutar att Saltvik prioriteras — detaljplanen tas fram i vår."',
    );
    has(s, 'Bostäder & Industrimark samordnar.');
    lacks(s, '<strong>');
    lacks(s, '&mdash;');
    has(s, 'Från ett meddelande av Adele Vance (9 mars 2026).');
    has(s, '"id":"supersedes"');
    has(s, '"id":"postTo"');
    has(s, '{"title":"I den här konversationen","value":"here"}');
    has(s, '{"title":"I styrgruppens kanal (Styrgrupp)","value":"steering"}');
    const save = card.actions?.[0];
    expect(save).toMatchObject({ type: 'Action.Submit', data: { formId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    expect(await decisionsOf(2026)).toHaveLength(0);
  });

  it('logs the submitted dialog with the next number, posts the card in the message thread and answers in the dialog; a retried submit logs once', async () => {
    const before = (await decisionsOf(2026)).length;
    const form = dialogOf(
      await send(
        fetchTaskInvoke(
          options(CHANNEL_PLACE, { message: { id: '1772000000001', html, author: { displayName: 'Adele Vance' } } }),
        ),
      ),
    );
    const data = submitted(form, { teams: 'bostader' });
    const submit = submitActionInvoke({ ...options(CHANNEL_PLACE, { message: { id: '1772000000001', html } }), data });
    const answer = messageOf(await send(submit));
    const number = `D-2026-${String(before + 1).padStart(3, '0')}`;
    expect(answer).toBe(`Beslutet är loggat som ${number}. Det läggs ut i den här konversationen.`);
    const stored = await repos().decisions.get(PROGRAM, number);
    expect(stored).toMatchObject({
      title: 'Vi beslutar att Saltvik prioriteras — detaljplanen tas fram i vår.',
      affectedTeams: ['bostader'],
      loggedBy: 'Anna Styrgren',
      requestId: data.formId,
      state: 'active',
    });

    // The card goes into the thread of the message the command was picked on.
    const thread = submit.conversation.id!;
    const posted = await waitFor(() => double.sentTo(thread).find((x) => json(x.activity).includes(number)));
    has(json(posted.activity), `Beslutet är loggat som ${number}.`);
    lacks(json(posted.activity), '"verb":"decision.amend"');

    // Teams retries a submit it got no answer to in time: the same form logs nothing more and posts nothing more.
    const retry = messageOf(
      await send(submitActionInvoke({ ...options(CHANNEL_PLACE, { message: { id: '1772000000001', html } }), data })),
    );
    expect(retry).toBe(`Det här beslutet var redan loggat som ${number}.`);
    expect(await decisionsOf(2026)).toHaveLength(before + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(double.sentTo(thread).filter((x) => json(x.activity).includes(number))).toHaveLength(1);
  });

  it('works in a group chat, and posts to the steering channel when that is chosen', async () => {
    const place = { kind: 'groupChat' } as const;
    const form = dialogOf(await send(fetchTaskInvoke(options(place))));
    const answer = messageOf(
      await send(
        submitActionInvoke({
          ...options(place),
          data: submitted(form, { postTo: 'steering', title: 'Gruppchattens beslut' }),
        }),
      ),
    );
    const number = /D-2026-\d{3}/.exec(answer)?.[0];
    expect(answer).toBe(`Beslutet är loggat som ${number}. Det läggs ut i styrgruppens kanal.`);
    const posted = await waitFor(() => double.sentTo(STEERING).find((x) => json(x.activity).includes(number!)));
    expect(posted.kind).toBe('create');
    // In the steering channel the card can be amended and revoked from.
    has(json(posted.activity), '"verb":"decision.amend"');
    expect(double.sentTo(DEFAULT_GROUP_CHAT_ID)).toHaveLength(0);
  });

  it('posts the decision in the steering channel instead, saying so, when Kraftsamla is not in the chat the message is in', async () => {
    const place = { kind: 'groupChat' } as const;
    double.faultFor((c) =>
      c.params.conversationId?.startsWith(DEFAULT_GROUP_CHAT_ID) ? faults.messageWritesBlocked() : undefined,
    );
    const form = dialogOf(await send(fetchTaskInvoke(options(place))));
    const answer = messageOf(
      await send(submitActionInvoke({ ...options(place), data: submitted(form, { title: 'Utan boten i chatten' }) })),
    );
    const number = /D-2026-\d{3}/.exec(answer)?.[0];
    expect(number).toBeDefined();
    expect(await repos().decisions.get(PROGRAM, number!)).toMatchObject({ title: 'Utan boten i chatten' });
    const posted = await waitFor(() => double.sentTo(STEERING).find((x) => json(x.activity).includes(number!)));
    has(
      json(posted.activity),
      `Beslut ${number} loggades från ett meddelande i en konversation där Kraftsamla inte finns`,
    );
    // Refused in the chat, posted once in the steering channel.
    expect(double.sentTo(DEFAULT_GROUP_CHAT_ID)).toHaveLength(0);
    expect(double.sentTo(STEERING).filter((x) => json(x.activity).includes(number!))).toHaveLength(1);
  });

  it("works in a meeting's chat: the meeting's name and the day the message was written, the card in the chat", async () => {
    const place = { kind: 'meeting', title: 'Styrgruppsmöte 12' } as const;
    const form = dialogOf(await send(fetchTaskInvoke(options(place))));
    const s = json(form);
    has(s, '"id":"meetingName","label":"Möte","value":"Styrgruppsmöte 12"');
    has(s, '"id":"meetingDate","label":"Mötesdatum","value":"2026-03-09"');
    const answer = messageOf(await send(submitActionInvoke({ ...options(place), data: submitted(form) })));
    const number = /D-2026-\d{3}/.exec(answer)?.[0];
    expect((await repos().decisions.get(PROGRAM, number!))?.meeting).toEqual({
      name: 'Styrgruppsmöte 12',
      date: '2026-03-09',
    });
    const posted = await waitFor(() =>
      double.sentTo(DEFAULT_MEETING_CHAT_ID).find((x) => json(x.activity).includes(number!)),
    );
    expect(posted.kind).toBe('send');
  });

  it('sends a form that is not right back in the dialog, as typed, with the problem; nothing is stored', async () => {
    const before = (await decisionsOf(2026)).length;
    const form = dialogOf(await send(fetchTaskInvoke(options(CHANNEL_PLACE))));
    const data = submitted(form, { title: '', supersedes: 'D-2026-999' });
    const again = dialogOf(await send(submitActionInvoke({ ...options(CHANNEL_PLACE), data })));
    has(json(again), 'Rubrik måste fyllas i.');
    const unknown = dialogOf(
      await send(
        submitActionInvoke({
          ...options(CHANNEL_PLACE),
          data: { ...data, title: 'Ersätter ett beslut som inte finns' },
        }),
      ),
    );
    has(json(unknown), 'Beslut D-2026-999 finns inte, så det kan inte ersättas.');
    has(json(unknown), '"value":"Ersätter ett beslut som inte finns"');
    expect(await decisionsOf(2026)).toHaveLength(before);
  });

  it('logs a decision that replaces an earlier one: both numbers stay, each points to the other', async () => {
    const first = messageOf(
      await send(
        submitActionInvoke({
          ...options(CHANNEL_PLACE),
          data: submitted(dialogOf(await send(fetchTaskInvoke(options(CHANNEL_PLACE)))), {
            title: 'Det första beslutet',
          }),
        }),
      ),
    );
    const earlier = /D-2026-\d{3}/.exec(first)![0];
    const form = dialogOf(await send(fetchTaskInvoke(options(CHANNEL_PLACE))));
    const data = submitted(form, { title: 'Det nya beslutet', supersedes: earlier.toLowerCase() });
    const answer = messageOf(await send(submitActionInvoke({ ...options(CHANNEL_PLACE), data })));
    const later = /D-2026-\d{3}/.exec(answer)![0];
    expect((await repos().decisions.get(PROGRAM, later))?.supersedes).toBe(earlier);
    expect(await repos().decisions.get(PROGRAM, earlier)).toMatchObject({
      state: 'superseded',
      supersededBy: later,
      history: [expect.objectContaining({ change: 'superseded', supersededBy: later })],
    });
    const posted = await waitFor(() =>
      double.sent().find((x) => json(x.activity).includes(`Beslutet är loggat som ${later}`)),
    );
    has(json(posted.activity), `{"title":"Ersätter","value":"${earlier}"}`);
    // Sent again, it neither numbers nor supersedes twice.
    expect(messageOf(await send(submitActionInvoke({ ...options(CHANNEL_PLACE), data })))).toBe(
      `Det här beslutet var redan loggat som ${later}.`,
    );
    expect((await repos().decisions.get(PROGRAM, earlier))?.history).toHaveLength(1);
  });
});

describe('Logga som beslut, by someone not in the steering group', () => {
  it.each([
    ['a channel', CHANNEL_PLACE],
    ['a group chat', { kind: 'groupChat' } as const],
    ["a meeting's chat", { kind: 'meeting' } as const],
  ])('is refused in the dialog in %s, when it opens and when it is sent; nothing is stored', async (_where, place) => {
    const before = (await decisionsOf(2026)).length;
    const refusal =
      'Bara styrgruppens ledamöter kan logga beslut, så inget har sparats. Beslutsloggen kan alla läsa: skriv beslutslogg.';
    expect(messageOf(await send(fetchTaskInvoke(options(place, { from: OLLE }))))).toBe(refusal);
    const data = {
      formId: '5c0ffee0-0000-4000-8000-000000000001',
      title: 'Olles beslut',
      text: 'Olle beslutar.',
      meetingDate: '2026-03-10',
      postTo: 'here',
    };
    expect(messageOf(await send(submitActionInvoke({ ...options(place, { from: OLLE }), data })))).toBe(refusal);
    expect(await decisionsOf(2026)).toHaveLength(before);
    await new Promise((r) => setTimeout(r, 200));
    expect(double.sent().filter((x) => json(x.activity).includes('Olles beslut'))).toHaveLength(0);
  });

  it('answers in English for an English client', async () => {
    const answer = messageOf(await send(fetchTaskInvoke(options(CHANNEL_PLACE, { from: OLLE, locale: 'en-US' }))));
    expect(answer).toBe(
      'Only members of the steering group can log decisions, so nothing was saved. Anyone can read the decision log: type decisions.',
    );
  });
});

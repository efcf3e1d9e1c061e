/**
 * The steering meeting in Teams, through the real HTTP endpoint: a meeting chat bound as steering,
 * the meeting's start and end events, a decision logged during the meeting carrying it, the
 * protocol posted at the end and on `protokoll <date>`. Teams-shaped activities POSTed to
 * /api/messages, answers through the Bot Connector double, storage on Azurite.
 */
import type { AdaptiveCard } from '../../../cards/card';
import { validateCard } from '../../../cards/validate';
import { fixedClock } from '../../../domain/time';
import { DEFAULT_USER, newMessageId, postActivity, type TeamsActivity } from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot';
import { startConnectorDouble, type ConnectorDouble, type RosterMember } from '../../support/connector-double';
import {
  chatCardAction,
  chatMessage,
  GROUP_CHAT_ID,
  MEETING_CHAT_ID,
  MEETING_ID,
  meetingEvent,
} from '../../support/meeting-activities';
import { has, lacks } from '../../support/text-expect';

const PROGRAM = 'harnosand';
const ANNA = { ...DEFAULT_USER };
const BERTIL = { id: '29:bertil-teams-id', name: 'Bertil Ek', aadObjectId: 'b0b0b0b0-0000-4000-8000-000000000002' };
const ROSTER: RosterMember[] = [
  { ...ANNA, email: 'anna.styrgren@harnosand.se', userPrincipalName: 'anna.styrgren@harnosand.se', userRole: 'user' },
  { ...BERTIL, email: 'bertil.ek@harnosand.se', userPrincipalName: 'bertil.ek@harnosand.se', userRole: 'user' },
  { id: '29:orjan', name: 'Örjan Åberg', aadObjectId: 'c0c0c0c0-0000-4000-8000-000000000003', userRole: 'user' },
];

let double: ConnectorDouble;
let bot: TestBot;
const clock = fixedClock('2026-03-10T09:00:00Z');
const json = (x: unknown) => JSON.stringify(x);
const repos = () => bot.storage.repositories;

async function post(activity: TeamsActivity) {
  const res = await postActivity(bot.url, activity);
  expect(res.status).toBeLessThan(300);
  return res;
}

/** Sends a message in the chat and returns what the bot answered there. */
async function say(text: string, o: Parameters<typeof chatMessage>[1] = {}) {
  const before = double.sentTo(o.chatId ?? MEETING_CHAT_ID).length;
  await post(chatMessage(text, { serviceUrl: double.url, ...o }));
  const replies = double.sentTo(o.chatId ?? MEETING_CHAT_ID).slice(before);
  expect(replies.length).toBeGreaterThan(0);
  return replies;
}

function cardOf(activity: Record<string, unknown>): AdaptiveCard {
  const attachments = activity.attachments as { contentType: string; content: AdaptiveCard }[] | undefined;
  const c = attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  if (!c) throw new Error(`no card in ${json(activity).slice(0, 300)}`);
  return c;
}

/** The value of an input in a card. */
function inputValue(card: AdaptiveCard, id: string): string | undefined {
  const found = json(card).match(new RegExp(`"id":"${id}"[^}]*?"value":"([^"]*)"`));
  return found?.[1];
}

beforeAll(async () => {
  double = await startConnectorDouble({
    members: (conversationId) => (conversationId === MEETING_CHAT_ID || conversationId === GROUP_CHAT_ID ? ROSTER : []),
  });
  bot = await startTestBot({ PROGRAM_ADMINS: ANNA.aadObjectId }, { clock });
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

describe('the steering meeting chat', () => {
  it('only an admin binds a chat, and only as the steering group', async () => {
    const [refused] = await say('koppla styrgrupp', { from: BERTIL });
    has(String(refused!.activity.text), 'Bara en programadministratör kan koppla');
    expect(await repos().bindings.get(PROGRAM, MEETING_CHAT_ID)).toBeUndefined();

    const [team] = await say('koppla bostäder');
    has(String(team!.activity.text), 'I en chatt kopplar jag bara styrgruppen');
    expect(await repos().bindings.get(PROGRAM, MEETING_CHAT_ID)).toBeUndefined();

    const [done] = await say('koppla styrgrupp');
    has(String(done!.activity.text), 'Den här chatten är nu styrgruppens');
    expect(await repos().bindings.get(PROGRAM, MEETING_CHAT_ID)).toMatchObject({
      channelId: MEETING_CHAT_ID,
      role: { kind: 'steering' },
      boundBy: ANNA.aadObjectId,
    });
  });

  it('notes the meeting at its start; a decision logged in the chat meanwhile carries it', async () => {
    await post(
      meetingEvent('start', {
        serviceUrl: double.url,
        at: new Date('2026-03-10T09:02:00Z'),
        title: 'Styrgruppsmöte 5 – Sälja Härnösand',
      }),
    );
    expect(await repos().meetings.get(PROGRAM, MEETING_ID)).toMatchObject({
      conversationId: MEETING_CHAT_ID,
      title: 'Styrgruppsmöte 5 – Sälja Härnösand',
      startedAt: '2026-03-10T09:02:00.000Z',
      date: '2026-03-10',
    });
    expect(
      double.sentTo(MEETING_CHAT_ID).filter((s) => s.call.time > 0 && json(s.activity).includes('Protokoll')),
    ).toHaveLength(0);

    clock.set('2026-03-10T09:30:00Z');
    const [formReply] = await say('beslut: Bostäder vid Saltvik prioriteras. Detaljplanen tas fram under våren.');
    const form = cardOf(formReply!.activity);
    expect(validateCard(form)).toEqual([]);
    expect(inputValue(form, 'meetingName')).toBe('Styrgruppsmöte 5 – Sälja Härnösand');
    expect(inputValue(form, 'meetingDate')).toBe('2026-03-10');

    const data = {
      formId: `form-${newMessageId()}`,
      title: inputValue(form, 'title'),
      text: 'Bostäder vid Saltvik prioriteras. Detaljplanen tas fram under våren.',
      meetingName: inputValue(form, 'meetingName'),
      meetingDate: inputValue(form, 'meetingDate'),
      teams: 'bostader',
      followUpOwner: 'Karin Ås',
      followUpDue: '2026-04-15',
    };
    const res = await postActivity(bot.url, chatCardAction('decision.submit', data, { serviceUrl: double.url }));
    expect(res.status).toBe(200);
    has(json(res.body), 'Beslutet är loggat som D-2026-001.');
    expect(await repos().decisions.get(PROGRAM, 'D-2026-001')).toMatchObject({
      title: 'Bostäder vid Saltvik prioriteras.',
      meeting: { name: 'Styrgruppsmöte 5 – Sälja Härnösand', date: '2026-03-10', id: MEETING_ID },
      affectedTeams: ['bostader'],
    });

    const [log] = await say('beslutslogg');
    has(json(cardOf(log!.activity)), 'D-2026-001 · Bostäder vid Saltvik prioriteras.');
  });

  it('a non-member of the chat may not log a decision there', async () => {
    const [reply] = await say('beslut', {
      from: { id: '29:olle', name: 'Olle Utanför', aadObjectId: '0e0e0e0e-0000-4000-8000-000000000009' },
    });
    lacks(json(reply!.activity), 'decision.submit');
  });

  it('at the end, notes who took part and posts the protocol in the chat, once', async () => {
    clock.set('2026-03-10T10:31:00Z');
    const before = double.sentTo(MEETING_CHAT_ID).length;
    const end = meetingEvent('end', {
      serviceUrl: double.url,
      at: new Date('2026-03-10T10:31:00Z'),
      title: 'Styrgruppsmöte 5 – Sälja Härnösand',
    });
    await post(end);
    const posted = double.sentTo(MEETING_CHAT_ID).slice(before);
    expect(posted).toHaveLength(1);
    const card = cardOf(posted[0]!.activity);
    expect(validateCard(card)).toEqual([]);
    const s = json(card);
    has(s, 'Protokoll – Styrgruppsmöte 5 – Sälja Härnösand');
    has(s, '"text":"10 mars 2026 (2026-03-10)"');
    has(s, '"text":"10:02–11:31"');
    has(s, '"text":"Anna Styrgren, Bertil Ek, Örjan Åberg"');
    has(s, '§ 1 · D-2026-001 · Bostäder vid Saltvik prioriteras.');
    has(s, '"text":"Karin Ås, senast 2026-04-15"');
    expect(double.callsTo('getConversationPagedMembers').some((c) => c.params.conversationId === MEETING_CHAT_ID)).toBe(
      true,
    );
    expect(await repos().meetings.get(PROGRAM, MEETING_ID)).toMatchObject({
      endedAt: '2026-03-10T10:31:00.000Z',
      participantsSource: 'chat',
      participants: expect.arrayContaining([
        { name: 'Örjan Åberg', aadObjectId: 'c0c0c0c0-0000-4000-8000-000000000003' },
      ]),
    });

    // Teams delivers the event again: no second protocol.
    await post({ ...end, id: newMessageId() });
    expect(double.sentTo(MEETING_CHAT_ID).slice(before)).toHaveLength(1);
  });

  it('a decision logged after the meeting ended does not carry it', async () => {
    clock.set('2026-03-10T11:00:00Z');
    const data = {
      formId: `form-${newMessageId()}`,
      title: 'Efter mötet',
      text: 'Styrgruppen beslutar per capsulam.',
      meetingName: 'Styrgruppsmöte',
      meetingDate: '2026-03-10',
    };
    const res = await postActivity(bot.url, chatCardAction('decision.submit', data, { serviceUrl: double.url }));
    expect(res.status).toBe(200);
    const d = await repos().decisions.get(PROGRAM, 'D-2026-002');
    expect(d?.meeting).toEqual({ name: 'Styrgruppsmöte', date: '2026-03-10' });
  });

  it("protokoll <datum> shows a date's protocol; a date that does not exist, or without decisions, gets a clear answer", async () => {
    const [reply] = await say('protokoll 2026-03-10');
    const s = json(cardOf(reply!.activity));
    has(s, '§ 1 · D-2026-001');
    has(s, '§ 2 · D-2026-002 · Efter mötet');

    // Without a date, in the chat: its latest meeting's. The day's only meeting also takes the
    // decisions of its date that carry no meeting.
    const [latest] = await say('protokoll');
    const latestCard = json(cardOf(latest!.activity));
    has(latestCard, 'Protokoll – Styrgruppsmöte 5 – Sälja Härnösand');
    has(latestCard, '"text":"Anna Styrgren, Bertil Ek, Örjan Åberg"');
    has(latestCard, '§ 1 · D-2026-001');
    has(latestCard, '§ 2 · D-2026-002');

    const [bad] = await say('protokoll 2026-02-30');
    has(String(bad!.activity.text), '"2026-02-30" är inget datum som finns');
    const [none] = await say('protokoll 2026-03-11');
    has(String(none!.activity.text), 'Inga beslut är loggade för 11 mars 2026.');
    const [english] = await say('protocol today', { locale: 'en-US' });
    has(json(cardOf(english!.activity)), 'Minutes – Styrgruppsmöte 5 – Sälja Härnösand');
  });

  it('posts proactively into the bound chat (no threads there), as other flows post to the steering group', async () => {
    const binding = (await repos().bindings.get(PROGRAM, MEETING_CHAT_ID))!;
    const before = double.sentTo(MEETING_CHAT_ID).length;
    const posted = await bot.deps.messenger.post(binding, { text: 'Hej styrgruppen' });
    expect(posted.threadId).toBe(MEETING_CHAT_ID);
    const sent = double.sentTo(MEETING_CHAT_ID).slice(before);
    expect(sent.map((x) => [x.kind, x.activity.text])).toEqual([['send', 'Hej styrgruppen']]);
    expect(double.callsTo('createConversation')).toHaveLength(0);
  });

  it("ignores meeting events in a chat that is not the steering group's", async () => {
    await post(meetingEvent('start', { serviceUrl: double.url, chatId: GROUP_CHAT_ID, meetingId: 'other-meeting' }));
    await post(meetingEvent('end', { serviceUrl: double.url, chatId: GROUP_CHAT_ID, meetingId: 'other-meeting' }));
    expect(await repos().meetings.get(PROGRAM, 'other-meeting')).toBeUndefined();
    expect(double.sentTo(GROUP_CHAT_ID)).toHaveLength(0);
  });
});

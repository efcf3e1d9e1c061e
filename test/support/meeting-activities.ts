/**
 * Builders for what Teams sends from a group chat or a meeting's chat: a message that @mentions
 * the bot, a card action in the chat, and the meeting's start and end events.
 *
 * Shapes from Microsoft's meeting-event examples (msteams-docs "Get real-time Teams meeting
 * events API", botbuilder-js teamsActivityHandler tests, Microsoft-Teams-Samples meetings-events):
 * the events are `event` activities named `application/vnd.microsoft.meetingStart` / `…End`,
 * their `value` keys TitleCase (`Title`, `StartTime`, `EndTime`, `Id`, `JoinUrl`, `MeetingType`),
 * the conversation is the meeting chat (`19:meeting_…@thread.v2`, `isGroup`, no
 * `conversationType`), and `channelData.meeting.id` holds the meeting id the meeting APIs take
 * (base64 of `0#<meeting chat id>#0`). Messages in the chat carry `conversationType: groupChat`.
 */
import {
  DEFAULT_BOT,
  DEFAULT_LOCALE,
  DEFAULT_SERVICE_URL,
  DEFAULT_TENANT_ID,
  DEFAULT_USER,
  localTimestamp,
  newMessageId,
  type TeamsActivity,
  type TeamsUser,
} from './activities';

export const MEETING_CHAT_ID = '19:meeting_MDAwMDAwMDAtMTExMS00MjIyLTgzMzMtNDQ0NDQ0NDQ0NDQ0@thread.v2';
/** base64(`0#<meeting chat id>#0`), as Teams puts it in `channelData.meeting.id`. */
export const MEETING_ID = Buffer.from(`0#${MEETING_CHAT_ID}#0`).toString('base64');
/** A group chat that is no meeting's. */
export const GROUP_CHAT_ID = '19:6f1f0c5a3e1d4b7a9c2e8f0a1b2c3d4e@thread.v2';

export interface ChatOptions {
  serviceUrl?: string;
  from?: Partial<TeamsUser>;
  chatId?: string;
  /** The meeting id in channelData; by default the meeting chat's, none in another chat. */
  meetingId?: string | null;
  now?: Date;
  locale?: string;
  id?: string;
}

function base(o: ChatOptions, conversationType: 'groupChat' | undefined) {
  const at = o.now ?? new Date();
  const chatId = o.chatId ?? MEETING_CHAT_ID;
  const meetingId = o.meetingId === undefined ? (chatId === MEETING_CHAT_ID ? MEETING_ID : null) : o.meetingId;
  const locale = o.locale ?? DEFAULT_LOCALE;
  return {
    id: o.id ?? newMessageId(),
    timestamp: at.toISOString(),
    localTimestamp: localTimestamp(at),
    localTimezone: 'Europe/Stockholm',
    serviceUrl: o.serviceUrl ?? DEFAULT_SERVICE_URL,
    channelId: 'msteams' as const,
    from: { ...DEFAULT_USER, ...o.from },
    recipient: { id: DEFAULT_BOT.id, name: DEFAULT_BOT.name },
    conversation: {
      isGroup: true,
      ...(conversationType ? { conversationType } : {}),
      tenantId: DEFAULT_TENANT_ID,
      id: chatId,
    } as TeamsActivity['conversation'],
    entities: [{ type: 'clientInfo', locale, country: 'SE', platform: 'Web', timezone: 'Europe/Stockholm' }],
    channelData: { tenant: { id: DEFAULT_TENANT_ID }, ...(meetingId ? { meeting: { id: meetingId } } : {}) },
    locale,
  };
}

/** A message in the chat that @mentions the bot (a bot without ChatMessage.Read.Chat gets only those). */
export function chatMessage(text: string, o: ChatOptions = {}): TeamsActivity {
  const b = base(o, 'groupChat');
  const mention = `<at>${DEFAULT_BOT.name}</at>`;
  return {
    type: 'message',
    ...b,
    textFormat: 'plain',
    text: `${mention} ${text}`,
    attachments: [
      {
        contentType: 'text/html',
        content: `<p><span itemtype="http://schema.skype.com/Mention" itemscope="" itemid="0">${DEFAULT_BOT.name}</span>&nbsp;${text}</p>`,
      },
    ],
    entities: [
      { type: 'mention', text: mention, mentioned: { id: DEFAULT_BOT.id, name: DEFAULT_BOT.name } },
      ...b.entities,
    ],
  };
}

/** `Action.Execute` pressed on a card the bot posted in the chat. */
export function chatCardAction(
  verb: string,
  data: Record<string, unknown>,
  o: ChatOptions & { cardActivityId?: string } = {},
): TeamsActivity {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...base(o, 'groupChat'),
    replyToId: o.cardActivityId ?? newMessageId(),
    value: { action: { type: 'Action.Execute', verb, data: { ...data, verb } }, trigger: 'manual' },
  };
}

/** The meeting's start or end event, as Teams sends it to a bot installed in the meeting. */
export function meetingEvent(
  kind: 'start' | 'end',
  o: ChatOptions & { title?: string; at?: Date } = {},
): TeamsActivity {
  const b = base(o, undefined);
  const at = o.at ?? o.now ?? new Date();
  const chatId = o.chatId ?? MEETING_CHAT_ID;
  return {
    type: 'event',
    name: kind === 'start' ? 'application/vnd.microsoft.meetingStart' : 'application/vnd.microsoft.meetingEnd',
    ...b,
    // Teams sends 7 fractional digits: the 3 of the instant, then 4 more.
    value: {
      MeetingType: 'Scheduled',
      Title: o.title ?? 'Styrgruppsmöte 5',
      Id: chatId,
      JoinUrl: 'https://teams.microsoft.com/l/meetup-join/...',
      [kind === 'start' ? 'StartTime' : 'EndTime']: at.toISOString().replace(/Z$/, '4388Z'),
    },
  };
}

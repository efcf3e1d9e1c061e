/**
 * Builders for the message extension's invokes as Teams sends them: `composeExtension/fetchTask`
 * when a person picks the action command (on a message's "…" menu, in the compose box or the
 * command box) and `composeExtension/submitAction` when they send its dialog. Shapes follow the
 * example payloads of Microsoft's docs (create-task-module.md, respond-to-task-module-submit.md)
 * and the Teams SDK fixtures, embedded here: `value` carries `commandId`, `commandContext`,
 * `context.theme`, and for a message action the `messagePayload` (its author is an Entra object
 * id, not the `29:` id; reactions and mentions are absent when empty). A channel's conversation
 * id names the thread (`<channel>;messageid=<root>`); a group chat's is `19:…@thread.v2`; a
 * meeting's chat is a group chat `19:meeting_…@thread.v2` whose channelData names the meeting.
 */
import {
  DEFAULT_CHANNEL,
  DEFAULT_LOCALE,
  DEFAULT_SERVICE_URL,
  DEFAULT_TEAM,
  DEFAULT_TENANT_ID,
  DEFAULT_TIMEZONE,
  DEFAULT_USER,
  DEFAULT_BOT,
  localTimestamp,
  newMessageId,
  threadConversationId,
  type TeamsActivity,
  type TeamsUser,
} from './activities';

export const DEFAULT_GROUP_CHAT_ID = '19:7b1f0c2d9e8a4b3c8d2e1f0a9b8c7d6e@thread.v2';
export const DEFAULT_MEETING_CHAT_ID = '19:meeting_MDAwMDAwMDAtMTExMS00MjIyLTgzMzMtNDQ0NDQ0NDQ0NDQ0@thread.v2';
/** base64 of `0#<meeting chat id>#0`, as Teams puts it in `channelData.meeting.id`. */
export const DEFAULT_MEETING_ID = Buffer.from(`0#${DEFAULT_MEETING_CHAT_ID}#0`).toString('base64');

/** Where the command was picked. */
export type ExtensionPlace =
  | { kind: 'channel'; channelId?: string; channelName?: string; teamId?: string; threadRootId?: string }
  | { kind: 'groupChat'; chatId?: string }
  | { kind: 'meeting'; chatId?: string; meetingId?: string; title?: string };

/** The message the command was picked on (`messagePayload`). */
export interface SourceMessageOptions {
  id?: string;
  html?: string;
  contentType?: 'html' | 'text';
  author?: { id?: string; displayName: string };
  createdDateTime?: string;
}

export interface ExtensionInvokeOptions {
  place: ExtensionPlace;
  commandId?: string;
  /** `message` (the "…" menu; default when a message is given), `compose` or `commandbox`. */
  commandContext?: 'message' | 'compose' | 'commandbox';
  message?: SourceMessageOptions;
  serviceUrl?: string;
  from?: Partial<TeamsUser>;
  locale?: string;
  id?: string;
  now?: Date;
}

function messagePayload(m: SourceMessageOptions, linkConversation: string): Record<string, unknown> {
  const id = m.id ?? newMessageId();
  return {
    linkToMessage: `https://teams.microsoft.com/l/message/${linkConversation}/${id}`,
    id,
    replyToId: null,
    createdDateTime: m.createdDateTime ?? new Date().toISOString(),
    lastModifiedDateTime: null,
    deleted: false,
    subject: null,
    summary: null,
    importance: 'normal',
    locale: 'en-us',
    body: { contentType: m.contentType ?? 'html', content: m.html ?? '<p>Styrgruppen beslutar.</p>' },
    from: {
      device: null,
      conversation: null,
      user: {
        userIdentityType: 'aadUser',
        id: m.author?.id ?? 'cccccccc-dddd-4eee-8fff-000000000001',
        displayName: m.author?.displayName ?? 'Adele Vance',
      },
      application: null,
    },
    attachments: [],
  };
}

function invoke(name: string, o: ExtensionInvokeOptions, value: Record<string, unknown>): TeamsActivity {
  const at = o.now ?? new Date();
  const locale = o.locale ?? DEFAULT_LOCALE;
  const place = o.place;
  let conversation: TeamsActivity['conversation'];
  let channelData: TeamsActivity['channelData'];
  let linkConversation: string;
  if (place.kind === 'channel') {
    const channelId = place.channelId ?? DEFAULT_CHANNEL.id;
    const root = place.threadRootId ?? o.message?.id ?? newMessageId();
    conversation = {
      isGroup: true,
      conversationType: 'channel',
      id: threadConversationId(channelId, root),
      tenantId: DEFAULT_TENANT_ID,
      ...(place.channelName ? { name: place.channelName } : {}),
    };
    channelData = {
      channel: { id: channelId },
      team: { id: place.teamId ?? DEFAULT_TEAM.id },
      tenant: { id: DEFAULT_TENANT_ID },
      source: { name: 'compose' },
    };
    linkConversation = channelId;
  } else if (place.kind === 'groupChat') {
    const chatId = place.chatId ?? DEFAULT_GROUP_CHAT_ID;
    conversation = { isGroup: true, conversationType: 'groupChat', id: chatId, tenantId: DEFAULT_TENANT_ID };
    channelData = { tenant: { id: DEFAULT_TENANT_ID }, source: { name: 'compose' } };
    linkConversation = chatId;
  } else {
    const chatId = place.chatId ?? DEFAULT_MEETING_CHAT_ID;
    conversation = {
      isGroup: true,
      conversationType: 'groupChat',
      id: chatId,
      tenantId: DEFAULT_TENANT_ID,
      ...(place.title ? { name: place.title } : {}),
    };
    channelData = {
      tenant: { id: DEFAULT_TENANT_ID },
      source: { name: 'compose' },
      meeting: { id: place.meetingId ?? DEFAULT_MEETING_ID },
    };
    linkConversation = chatId;
  }
  const commandContext = o.commandContext ?? (o.message ? 'message' : 'compose');
  return {
    type: 'invoke',
    name,
    id: o.id ?? `f:${newMessageId()}`,
    timestamp: at.toISOString(),
    localTimestamp: localTimestamp(at),
    localTimezone: DEFAULT_TIMEZONE,
    serviceUrl: o.serviceUrl ?? DEFAULT_SERVICE_URL,
    channelId: 'msteams',
    from: { ...DEFAULT_USER, ...o.from },
    recipient: { ...DEFAULT_BOT },
    conversation,
    entities: [{ type: 'clientInfo', locale, country: 'SE', platform: 'Web', timezone: DEFAULT_TIMEZONE }],
    channelData,
    value: {
      commandId: o.commandId ?? 'logDecision',
      commandContext,
      context: { theme: 'default' },
      ...value,
      ...(o.message && commandContext === 'message'
        ? { messagePayload: messagePayload(o.message, linkConversation) }
        : {}),
    },
    locale,
  };
}

/** `composeExtension/fetchTask`: the person picked the command; the bot answers with the dialog. */
export function fetchTaskInvoke(o: ExtensionInvokeOptions): TeamsActivity {
  return invoke('composeExtension/fetchTask', o, { requestId: newMessageId() });
}

/** `composeExtension/submitAction`: the dialog was sent; `data` is its inputs and its Action.Submit data. */
export function submitActionInvoke(o: ExtensionInvokeOptions & { data: Record<string, unknown> }): TeamsActivity {
  return invoke('composeExtension/submitAction', o, { data: o.data });
}

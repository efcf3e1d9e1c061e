/**
 * Typed builders for the activities Microsoft Teams sends a bot, for tests.
 *
 * The shapes (and the default ids, names and tenant) follow the activities Microsoft Teams sends
 * (captured example payloads, embedded here, so that nothing is read from outside the repository
 * at run time). Every builder fills ids, timestamps, `channelId: 'msteams'`, `serviceUrl`, `from`,
 * `recipient` (the bot, `28:<app id>`), `conversation` and `channelData` (tenant, team, channel)
 * the way Teams does; pass only what a test cares about.
 *
 * Where the example payloads were captured from the Agents Playground rather than Teams (the card
 * action ones have no `conversation.id` and the channel id `"undefined"`), the builders produce
 * the Teams shape by default and the payload's shape with `playgroundShape: true`.
 */
import { randomBytes, randomInt } from 'node:crypto';

import type { Activity } from 'botbuilder';

// ---------------------------------------------------------------------------------------------
// Defaults (the ids, names and tenant of the captured example payloads)
// ---------------------------------------------------------------------------------------------

export const DEFAULT_TENANT_ID = '41a4825c-3ecf-41b9-8e52-b64f57d79511';
/** The bot's Microsoft app id; Teams addresses the bot as `28:<app id>`. */
export const DEFAULT_BOT_APP_ID = 'ae2aca41-65ca-4491-a076-89a294540026';
export const DEFAULT_BOT: Readonly<Required<Pick<TeamsAccount, 'id' | 'name'>>> = Object.freeze({
  id: `28:${DEFAULT_BOT_APP_ID}`,
  name: 'Kraftsamla',
});
export const DEFAULT_USER: Readonly<TeamsUser> = Object.freeze({
  id: '29:1h1e3VeREPTdKrT3UYgzU6yMi4iwvwbpx3KKXJqks',
  name: 'Anna Styrgren',
  aadObjectId: 'eba5184e-f815-4b2a-8b49-99af18d16813',
});
export const DEFAULT_TEAM: Readonly<TeamsTeamInfo> = Object.freeze({
  id: '19:1bc6544cc91bb1de3cb4e6fda45cafa6@thread.tacv2',
  name: 'Programkontoret',
  aadGroupId: '5809d60a-595e-48f7-beb7-cb5626ed40a7',
});
/** A non-General channel of the default team. (The General channel's id is the team id.) */
export const DEFAULT_CHANNEL: Readonly<TeamsChannelInfo> = Object.freeze({
  id: '19:4bb2ccdd9c226dee39fc148ceb387557@thread.tacv2',
  name: 'Bostäder',
});
/** The payloads' service URL. Tests that expect the bot to answer pass the double's `url`. */
export const DEFAULT_SERVICE_URL = 'http://127.0.0.1:4010/amer/';
export const DEFAULT_PERSONAL_CONVERSATION_ID = 'a:1Xq7mZ3kR9vT2bN8pL4sW6yH0cJ5dF1gA7eU3iO9rK2tM8nB4vC6xZ0qP5wE1yR';
export const DEFAULT_LOCALE = 'sv-SE';
export const DEFAULT_TIMEZONE = 'Europe/Stockholm';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export interface TeamsAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
}

export interface TeamsUser extends TeamsAccount {
  name: string;
}

export interface TeamsTeamInfo {
  id: string;
  name?: string;
  aadGroupId?: string;
}

export interface TeamsChannelInfo {
  id: string;
  name?: string;
}

export interface TeamsConversation {
  id?: string;
  isGroup?: boolean;
  conversationType: 'channel' | 'personal' | 'groupChat';
  tenantId: string;
  name?: string;
}

export interface TeamsEntity {
  type: string;
  [key: string]: unknown;
}

export interface TeamsAttachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
}

export interface TeamsChannelData {
  tenant: { id: string };
  team?: TeamsTeamInfo;
  channel?: TeamsChannelInfo;
  teamsTeamId?: string;
  teamsChannelId?: string;
  eventType?: string;
  settings?: { selectedChannel: { id: string } };
  source?: { name: string };
  legacy?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * An activity as Teams sends it over the wire (JSON: timestamps are strings). Post it with
 * `postActivity`; hand it to botbuilder's `TestAdapter` through `toBotActivity`.
 */
export interface TeamsActivity {
  type: 'message' | 'invoke' | 'conversationUpdate' | 'installationUpdate' | 'messageReaction' | 'event';
  id: string;
  name?: string;
  action?: string;
  timestamp: string;
  localTimestamp: string;
  localTimezone: string;
  serviceUrl: string;
  channelId: 'msteams';
  from: TeamsAccount;
  recipient: TeamsAccount;
  conversation: TeamsConversation;
  replyToId?: string;
  textFormat?: 'plain' | 'markdown' | 'xml';
  text?: string;
  attachments?: TeamsAttachment[];
  entities: TeamsEntity[];
  channelData: TeamsChannelData;
  value?: unknown;
  membersAdded?: TeamsAccount[];
  membersRemoved?: TeamsAccount[];
  locale: string;
}

/** What every builder accepts; everything has a default from the example payloads. */
export interface CommonActivityOptions {
  /** Where the bot sends its answers: the connector double's `url`. */
  serviceUrl?: string;
  tenantId?: string;
  /** The user who acts. A partial user is merged over the default user. */
  from?: Partial<TeamsUser>;
  /** The bot's app id (`recipient.id` becomes `28:<botAppId>`). */
  botAppId?: string;
  botName?: string;
  locale?: string;
  /** Activity id; a fresh one by default. */
  id?: string;
  /** Time the activity was sent; now by default. */
  now?: Date;
}

export interface TeamOptions extends CommonActivityOptions {
  teamId?: string;
  teamName?: string;
  aadGroupId?: string;
}

export interface ChannelMessageOptions extends TeamOptions {
  /** The text after the mention, e.g. `hjälp`. */
  text: string;
  /** @mention the bot (Teams only delivers channel messages that do). Default true. */
  mention?: boolean;
  channelId?: string;
  channelName?: string;
  /**
   * Reply inside an existing thread: the id of the thread's root message. Without it the message
   * is a new post, and (as Teams does) its conversation id is `channel;messageid=<its own id>`.
   */
  threadRootId?: string;
}

export interface InstallationOptions extends TeamOptions {
  /** `team` (default) or `personal` (the app installed for one user). */
  scope?: 'team' | 'personal';
  /** The channel picked at install; the team's General channel (id = team id) by default. */
  selectedChannelId?: string;
  /** For personal scope. */
  conversationId?: string;
}

export interface MembershipOptions extends TeamOptions {
  selectedChannelId?: string;
}

export interface CardActionOptions extends TeamOptions {
  /** `channel` (default) or `personal`. */
  scope?: 'channel' | 'personal';
  channelId?: string;
  channelName?: string;
  /** The id of the message that holds the card (becomes `replyToId`). */
  cardActivityId?: string;
  /** Root of the thread the card is in; the card message itself by default. */
  threadRootId?: string;
  /** For personal scope. */
  conversationId?: string;
  /**
   * Reproduce the example payload's shape as the Agents Playground sends it: no
   * `conversation.id`, no `replyToId`, and channel id `"undefined"`.
   */
  playgroundShape?: boolean;
}

export interface ActionExecuteOptions extends CardActionOptions {
  verb: string;
  data?: Record<string, unknown>;
}

export interface ActionSubmitOptions extends CardActionOptions {
  /** The card's submitted data (`Action.Submit` `data` merged with the inputs). */
  data: Record<string, unknown>;
  /** Put into `value.verb`, where teams-ai's `actionSubmit` routes by default. */
  verb?: string;
}

export interface PersonalMessageOptions extends CommonActivityOptions {
  text: string;
  conversationId?: string;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** A Teams message id: a 13-digit number (Teams uses epoch milliseconds). */
export function newMessageId(): string {
  return String(randomInt(1_000_000_000_000, 2_000_000_000_000));
}

/** A Teams event id (`f:` and 16 hex digits), as conversation and installation updates carry. */
export function newEventId(): string {
  return `f:${randomBytes(8).toString('hex')}`;
}

/** `19:...@thread.tacv2;messageid=123`: the conversation id of a channel thread. */
export function threadConversationId(channelId: string, rootMessageId: string): string {
  return `${channelId};messageid=${rootMessageId}`;
}

/** The channel part of a conversation id (drops `;messageid=...`). */
export function channelOfConversation(conversationId: string): string {
  const i = conversationId.indexOf(';messageid=');
  return i < 0 ? conversationId : conversationId.slice(0, i);
}

/** `2026-11-26T10:36:37.797+01:00` for the given instant in the given IANA zone. */
export function localTimestamp(at: Date, timeZone: string = DEFAULT_TIMEZONE): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const zone = get('timeZoneName'); // "GMT+01:00", or "GMT" at offset zero
  const offset = zone === 'GMT' ? '+00:00' : zone.replace('GMT', '');
  const ms = String(at.getUTCMilliseconds()).padStart(3, '0');
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}.${ms}${offset}`;
}

function clientInfo(locale: string): TeamsEntity {
  return {
    type: 'clientInfo',
    locale,
    country: locale.split('-')[1] ?? 'SE',
    platform: 'Web',
    timezone: DEFAULT_TIMEZONE,
  };
}

interface Envelope {
  id: string;
  timestamp: string;
  localTimestamp: string;
  localTimezone: string;
  serviceUrl: string;
  channelId: 'msteams';
  from: TeamsAccount;
  recipient: TeamsAccount;
  locale: string;
}

function envelope(o: CommonActivityOptions, defaultId: () => string): Envelope {
  const at = o.now ?? new Date();
  return {
    id: o.id ?? defaultId(),
    timestamp: at.toISOString(),
    localTimestamp: localTimestamp(at),
    localTimezone: DEFAULT_TIMEZONE,
    serviceUrl: o.serviceUrl ?? DEFAULT_SERVICE_URL,
    channelId: 'msteams',
    from: { ...DEFAULT_USER, ...o.from },
    recipient: botAccount(o),
    locale: o.locale ?? DEFAULT_LOCALE,
  };
}

function botAccount(o: CommonActivityOptions): TeamsAccount {
  return {
    id: o.botAppId !== undefined ? `28:${o.botAppId}` : DEFAULT_BOT.id,
    name: o.botName ?? DEFAULT_BOT.name,
  };
}

function team(o: TeamOptions): TeamsTeamInfo {
  const id = o.teamId ?? DEFAULT_TEAM.id;
  const isDefault = id === DEFAULT_TEAM.id;
  const t: TeamsTeamInfo = { id };
  const name = o.teamName ?? (isDefault ? DEFAULT_TEAM.name : undefined);
  const aadGroupId = o.aadGroupId ?? (isDefault ? DEFAULT_TEAM.aadGroupId : undefined);
  if (name !== undefined) t.name = name;
  if (aadGroupId !== undefined) t.aadGroupId = aadGroupId;
  return t;
}

function tenantOf(o: CommonActivityOptions): string {
  return o.tenantId ?? DEFAULT_TENANT_ID;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/**
 * A channel post (or thread reply) that @mentions the bot: text `<at>Kraftsamla</at> hjälp`,
 * a `mention` entity and the `text/html` attachment Teams adds.
 */
export function channelMessage(o: ChannelMessageOptions): TeamsActivity {
  const env = envelope(o, newMessageId);
  const tenantId = tenantOf(o);
  const t = team(o);
  const channelId = o.channelId ?? DEFAULT_CHANNEL.id;
  const channel: TeamsChannelInfo = { id: channelId };
  const channelName = o.channelName ?? (channelId === DEFAULT_CHANNEL.id ? DEFAULT_CHANNEL.name : undefined);
  if (channelName !== undefined) channel.name = channelName;
  const mention = o.mention ?? true;
  const botName = env.recipient.name ?? DEFAULT_BOT.name;
  const mentionText = `<at>${botName}</at>`;
  const text = mention ? `${mentionText} ${o.text}` : o.text;
  const html = mention
    ? `<div><div><span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">${escapeHtml(botName)}</span>&nbsp;${escapeHtml(o.text)}</div></div>`
    : `<p>${escapeHtml(o.text)}</p>`;
  const entities: TeamsEntity[] = [];
  if (mention) {
    entities.push({ type: 'mention', text: mentionText, mentioned: { id: env.recipient.id, name: botName } });
  }
  entities.push(clientInfo(env.locale));
  const activity: TeamsActivity = {
    type: 'message',
    ...env,
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId,
      id: threadConversationId(channelId, o.threadRootId ?? env.id),
    },
    textFormat: 'plain',
    text,
    attachments: [{ contentType: 'text/html', content: html }],
    entities,
    channelData: {
      teamsChannelId: channelId,
      teamsTeamId: t.id,
      channel,
      team: t,
      tenant: { id: tenantId },
    },
  };
  if (o.threadRootId !== undefined) activity.replyToId = o.threadRootId;
  return activity;
}

/**
 * `installationUpdate` / `add`: the app was installed. In team scope `conversation.id` is the
 * channel picked at install (General, id = team id, by default).
 */
export function installationUpdateAdd(o: InstallationOptions = {}): TeamsActivity {
  return installationUpdate('add', o);
}

/** `installationUpdate` / `remove`: the app was uninstalled. */
export function installationUpdateRemove(o: InstallationOptions = {}): TeamsActivity {
  return installationUpdate('remove', o);
}

function installationUpdate(action: 'add' | 'remove', o: InstallationOptions): TeamsActivity {
  const env = envelope(o, newEventId);
  const tenantId = tenantOf(o);
  if (o.scope === 'personal') {
    return {
      type: 'installationUpdate',
      action,
      ...env,
      conversation: {
        conversationType: 'personal',
        tenantId,
        id: o.conversationId ?? DEFAULT_PERSONAL_CONVERSATION_ID,
      },
      entities: [clientInfo(env.locale)],
      channelData: { tenant: { id: tenantId }, source: { name: 'message' } },
    };
  }
  const t = team(o);
  const selected = o.selectedChannelId ?? t.id;
  return {
    type: 'installationUpdate',
    action,
    ...env,
    conversation: { isGroup: true, conversationType: 'channel', tenantId, id: selected },
    entities: [clientInfo(env.locale)],
    channelData: {
      settings: { selectedChannel: { id: selected } },
      channel: { id: selected },
      team: t,
      tenant: { id: tenantId },
      source: { name: 'message' },
    },
  };
}

/** `conversationUpdate` with the bot in `membersAdded` (`eventType: teamMemberAdded`). */
export function botAddedToTeam(o: MembershipOptions = {}): TeamsActivity {
  return membership('teamMemberAdded', o);
}

/** `conversationUpdate` with the bot in `membersRemoved` (`eventType: teamMemberRemoved`). */
export function botRemovedFromTeam(o: MembershipOptions = {}): TeamsActivity {
  return membership('teamMemberRemoved', o);
}

function membership(eventType: 'teamMemberAdded' | 'teamMemberRemoved', o: MembershipOptions): TeamsActivity {
  const env = envelope(o, newEventId);
  const tenantId = tenantOf(o);
  const t = team(o);
  const selected = o.selectedChannelId ?? t.id;
  const activity: TeamsActivity = {
    type: 'conversationUpdate',
    ...env,
    conversation: { isGroup: true, conversationType: 'channel', tenantId, id: t.id },
    channelData: {
      team: t,
      eventType,
      tenant: { id: tenantId },
      settings: { selectedChannel: { id: selected } },
    },
    entities: [clientInfo(env.locale)],
  };
  const bot: TeamsAccount = { id: env.recipient.id };
  if (eventType === 'teamMemberAdded') activity.membersAdded = [bot];
  else activity.membersRemoved = [bot];
  return activity;
}

/**
 * `invoke` `adaptiveCard/action`: `Action.Execute` pressed on a card. Answer it with the new card
 * in the invoke response.
 */
export function actionExecuteInvoke(o: ActionExecuteOptions): TeamsActivity {
  const base = cardAction(o);
  return {
    ...base,
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb: o.verb, data: o.data ?? {} }, trigger: 'manual' },
  };
}

/** `Action.Submit` pressed on a card: a `message` with `value` and no text. */
export function actionSubmitMessage(o: ActionSubmitOptions): TeamsActivity {
  const base = cardAction(o);
  const value: Record<string, unknown> = { ...o.data };
  if (o.verb !== undefined) value.verb = o.verb;
  return { ...base, type: 'message', value };
}

function cardAction(o: CardActionOptions): Omit<TeamsActivity, 'type'> {
  const env = envelope(o, newMessageId);
  const tenantId = tenantOf(o);
  const entities = [clientInfo(env.locale)];
  const cardId = o.cardActivityId ?? newMessageId();
  if (o.scope === 'personal') {
    const a: Omit<TeamsActivity, 'type'> = {
      ...env,
      conversation: {
        conversationType: 'personal',
        tenantId,
        id: o.conversationId ?? DEFAULT_PERSONAL_CONVERSATION_ID,
      },
      entities,
      channelData: { tenant: { id: tenantId }, source: { name: 'message' }, legacy: {} },
    };
    if (!o.playgroundShape) a.replyToId = cardId;
    return a;
  }
  const t = team(o);
  if (o.playgroundShape) {
    return {
      ...env,
      conversation: { isGroup: true, conversationType: 'channel', tenantId },
      entities,
      channelData: {
        teamsChannelId: 'undefined',
        teamsTeamId: t.id,
        channel: { id: 'undefined' },
        team: t,
        tenant: { id: tenantId },
        source: { name: 'message' },
        legacy: {},
      },
    };
  }
  const channelId = o.channelId ?? DEFAULT_CHANNEL.id;
  const channel: TeamsChannelInfo = { id: channelId };
  const channelName = o.channelName ?? (channelId === DEFAULT_CHANNEL.id ? DEFAULT_CHANNEL.name : undefined);
  if (channelName !== undefined) channel.name = channelName;
  return {
    ...env,
    replyToId: cardId,
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId,
      id: threadConversationId(channelId, o.threadRootId ?? cardId),
    },
    entities,
    channelData: {
      teamsChannelId: channelId,
      teamsTeamId: t.id,
      channel,
      team: t,
      tenant: { id: tenantId },
      source: { name: 'message' },
      legacy: {},
    },
  };
}

/** A message in the personal (1:1) chat with the bot: no mention, `conversationType: personal`. */
export function personalMessage(o: PersonalMessageOptions): TeamsActivity {
  const env = envelope(o, newMessageId);
  const tenantId = tenantOf(o);
  return {
    type: 'message',
    ...env,
    conversation: {
      conversationType: 'personal',
      tenantId,
      id: o.conversationId ?? DEFAULT_PERSONAL_CONVERSATION_ID,
    },
    textFormat: 'plain',
    text: o.text,
    attachments: [{ contentType: 'text/html', content: `<p>${escapeHtml(o.text)}</p>` }],
    entities: [clientInfo(env.locale)],
    channelData: { tenant: { id: tenantId } },
  };
}

/**
 * The activity as botbuilder holds it after reading the request body: timestamps become `Date`s
 * (keeping `rawTimestamp` / `rawLocalTimestamp`), as CloudAdapter's `validateAndFixActivity`
 * does. Use it with `TestAdapter.processActivity` / `send`.
 */
export function toBotActivity(activity: TeamsActivity): Partial<Activity> {
  const copy: Record<string, unknown> = structuredClone(activity) as unknown as Record<string, unknown>;
  copy.rawTimestamp = activity.timestamp;
  copy.timestamp = new Date(activity.timestamp);
  copy.rawLocalTimestamp = activity.localTimestamp;
  copy.localTimestamp = new Date(activity.localTimestamp);
  // botframework-schema marks fields required (e.g. `conversation.name`) that Teams' JSON omits;
  // the wire shape is the truth here, so the cast is deliberate.
  return copy as Partial<Activity>;
}

// ---------------------------------------------------------------------------------------------
// Sending an activity to the bot
// ---------------------------------------------------------------------------------------------

export interface PostActivityOptions {
  /** Sent as `Authorization: Bearer <token>`; none by default (anonymous bot). */
  token?: string;
  /** Abort the request after this long (default 30 s). */
  timeoutMs?: number;
}

export interface PostActivityResult {
  status: number;
  /** Parsed JSON when the body is JSON, the text otherwise, `undefined` when empty. */
  body: unknown;
  headers: Record<string, string>;
}

/**
 * POSTs an activity to the bot's endpoint, as the Bot Connector does. `botUrl` is the bot's base
 * URL (`http://127.0.0.1:3978`) or the full `/api/messages` URL.
 */
export async function postActivity(
  botUrl: string,
  activity: object,
  options: PostActivityOptions = {},
): Promise<PostActivityResult> {
  const url = new URL(botUrl);
  if (!url.pathname.replace(/\/+$/, '').endsWith('/api/messages')) {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/messages`;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify(activity),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let body: unknown = undefined;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  const outHeaders: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    outHeaders[key] = value;
  });
  return { status: res.status, body, headers: outHeaders };
}

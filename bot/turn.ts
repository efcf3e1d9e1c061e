/**
 * Reading a Teams turn: who, where, which language. The only module besides the flows that knows
 * the shape of a Teams activity.
 */
import { randomUUID } from 'node:crypto';
import { TeamsInfo, TurnContext, type ConversationReference, type TeamsChannelAccount } from 'botbuilder';
import { resolveLocale, translator, type Translate } from '../domain/i18n';
import type { Repositories } from '../domain/ports';
import type { RoleIdentity } from '../domain/roles';
import type { ChannelBinding, Locale, Program } from '../domain/types';
import { noteTeam } from './request-log';

export interface TeamsChannelInfo {
  teamsTeamId: string;
  teamName: string;
  channelId: string;
  channelName: string;
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string; aadGroupId?: string };
  channel?: { id?: string; name?: string };
  eventType?: string;
  /** In a meeting's chat: the meeting's id, the one the meeting APIs take. */
  meeting?: { id?: string };
}

export function channelData(context: TurnContext): TeamsChannelData {
  const data = context.activity.channelData as unknown;
  return data && typeof data === 'object' ? (data as TeamsChannelData) : {};
}

export function localeOf(context: TurnContext, program: Program): Locale {
  return resolveLocale(context.activity.locale, program.locale);
}

export function tr(context: TurnContext, program: Program): Translate {
  return translator(localeOf(context, program));
}

export function tenantOf(context: TurnContext): string | undefined {
  return channelData(context).tenant?.id ?? context.activity.conversation?.tenantId ?? undefined;
}

/** The team channel this turn happened in, or undefined in personal and group chats. */
export function channelOf(context: TurnContext): TeamsChannelInfo | undefined {
  const data = channelData(context);
  const teamId = data.team?.id;
  const channelId = data.channel?.id ?? (context.activity.conversation?.id ?? '').split(';')[0];
  if (!teamId || !channelId || context.activity.conversation?.conversationType === 'personal') return undefined;
  return {
    teamsTeamId: teamId,
    teamName: data.team?.name ?? '',
    channelId,
    channelName: data.channel?.name ?? (channelId === teamId ? 'General' : ''),
  };
}

export interface ChatInfo {
  /** The chat's conversation id (`19:…@thread.v2`; a meeting's chat is `19:meeting_…@thread.v2`). */
  chatId: string;
  name?: string;
  /** Set in a meeting's chat. */
  meetingId?: string;
}

/**
 * The group chat this turn happened in (a meeting's chat is one), or undefined in channels and
 * personal chats. Meeting events carry no `conversationType`; they are group conversations
 * without a team.
 */
export function chatOf(context: TurnContext): ChatInfo | undefined {
  const conversation = context.activity.conversation;
  const data = channelData(context);
  if (
    !conversation?.id ||
    data.team?.id ||
    conversation.conversationType === 'personal' ||
    conversation.conversationType === 'channel'
  )
    return undefined;
  if (conversation.conversationType !== 'groupChat' && !conversation.isGroup) return undefined;
  return {
    chatId: conversation.id,
    ...(conversation.name ? { name: conversation.name } : {}),
    ...(data.meeting?.id ? { meetingId: data.meeting.id } : {}),
  };
}

export interface Actor {
  id: string;
  aadObjectId?: string;
  name: string;
}

export function actorOf(context: TurnContext): Actor {
  const from = context.activity.from ?? { id: 'unknown', name: '' };
  return { id: from.id, aadObjectId: from.aadObjectId, name: from.name || from.id };
}

/** The person as the domain records who answered or edited: the Entra object id when Teams gives one, else the Teams id. */
export function cardActorOf(context: TurnContext): { id: string; name: string } {
  const actor = actorOf(context);
  return { id: actor.aadObjectId ?? actor.id, name: actor.name };
}

/** The delivery's id: what makes a redelivered invoke or message recognisable. */
export function requestIdOf(context: TurnContext): string {
  return context.activity.id ?? randomUUID();
}

/**
 * Who acts, for a role check: the Entra object id Teams puts on the activity, and on demand the
 * person's UPN and e-mail (`TeamsInfo.getMember`: one roster request, in the turn's team or chat).
 * A person the roster does not know (404) or a failed lookup has no names: the check then refuses
 * rather than allows; `onLookupError` hears about failures.
 */
export function actorIdentity(
  context: TurnContext,
  onLookupError?: (err: unknown) => void,
  member = memberLookup(context),
): RoleIdentity {
  let names: Promise<string[]> | undefined;
  return {
    aadObjectId: context.activity.from?.aadObjectId,
    teamsUserId: context.activity.from?.id,
    names: () =>
      (names ??= member().then(
        (m) => [m?.userPrincipalName, m?.email].filter((x): x is string => typeof x === 'string' && x.length > 0),
        (err: unknown) => {
          onLookupError?.(err);
          return [];
        },
      )),
  };
}

/**
 * The person's entry in the roster of the turn's team or chat (`TeamsInfo.getMember`), asked for
 * once however often it is called: undefined when the roster does not know them (404); other
 * failures reject.
 */
export function memberLookup(context: TurnContext): () => Promise<TeamsChannelAccount | undefined> {
  let member: Promise<TeamsChannelAccount | undefined> | undefined;
  return () =>
    (member ??= TeamsInfo.getMember(context, context.activity.from?.id ?? '').then(
      (m) => m,
      (err: unknown) => {
        if ((err as { statusCode?: number } | undefined)?.statusCode === 404) return undefined;
        throw err;
      },
    ));
}

/** A reference that posts to the channel itself (a new thread), not into the current thread. */
export function channelReference(context: TurnContext, channelId: string): Partial<ConversationReference> {
  return toChannel(TurnContext.getConversationReference(context.activity), channelId);
}

/** A conversation reference pointed at a channel (or a thread in it), for a new post there. */
export function toChannel(ref: Partial<ConversationReference>, conversationId: string): Partial<ConversationReference> {
  return {
    ...ref,
    activityId: undefined,
    conversation: {
      ...(ref.conversation as ConversationReference['conversation']),
      id: conversationId,
      isGroup: true,
      conversationType: 'channel',
    },
  };
}

/** The binding of the channel (or group chat) the turn comes from; undefined outside a linked one. */
export async function bindingOf(
  context: TurnContext,
  deps: { program: Program; repos: Pick<Repositories, 'bindings'> },
): Promise<ChannelBinding | undefined> {
  const place = channelOf(context)?.channelId ?? chatOf(context)?.chatId;
  const binding = place ? await deps.repos.bindings.get(deps.program.id, place) : undefined;
  // The request log line names the team of a bound channel.
  if (binding?.role.kind === 'team') noteTeam(context, binding.role.teamKey);
  return binding;
}

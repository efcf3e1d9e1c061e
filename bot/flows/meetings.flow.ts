/**
 * The steering group's meeting in Teams. An admin binds a group chat or a meeting's chat as the
 * steering group's with `koppla styrgrupp`; `beslut` and `beslutslogg` then work there as in the
 * steering channel. The meeting's start and end events note the meeting (title, date, times), so
 * decisions logged in the chat while it runs carry it, and at its end the protocol is posted in
 * the chat. `protokoll [datum]` / `protocol [date]` shows a date's protocol anywhere; in a bound
 * chat without a date, its latest meeting's.
 *
 * Participants come from the chat's roster (`GET v3/conversations/{chat}/pagedmembers`): Teams'
 * meeting API answers only for one person at a time, and a meeting chat's members are those
 * invited, and those who joined.
 *
 * `register()` is the table of routes: each command and event points to one handler below.
 */
import { CardFactory, TeamsInfo, TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { escapeCardText } from '../../cards/card';
import { protocolCard } from '../../cards/protocol/protocol.card';
import { bindChannel } from '../../domain/access';
import type { CommandName } from '../../domain/commands';
import { formatDate, t } from '../../domain/i18n';
import {
  endedMeeting,
  runningMeeting,
  startedMeeting,
  UNTITLED_MEETING,
  type Meeting,
  type MeetingEvent,
  type MeetingParticipant,
} from '../../domain/meetings';
import { resolveChannelRoleWithStored } from '../../domain/program';
import { loadProtocol, protocolDocument, type Protocol } from '../../domain/protocol';
import { inert } from '../../domain/text';
import { localDate, parseLocalDate } from '../../domain/time';
import type { Locale } from '../../domain/types';
import { argsOf, command } from '../command-route';
import type { BotDeps } from '../deps';
import { adminList, accessDeps, isAdmin } from '../roles';
import { actorOf, bindingOf, chatOf, localeOf } from '../turn';
import { describeRole } from './help.flow';

// ---------------------------------------------------------------------------------------------
// The routes
// ---------------------------------------------------------------------------------------------

type Handler = (context: TurnContext, deps: BotDeps) => Promise<void>;

/** The text commands: `chat` ones only in a group or meeting chat (in a channel another flow answers). */
const COMMANDS: readonly (readonly [CommandName, 'chat' | 'anywhere', Handler])[] = [
  ['link', 'chat', linkChat],
  ['protocol', 'anywhere', showProtocol],
];

/** The meeting's events. */
const EVENTS: readonly (readonly ['start' | 'end', Handler])[] = [
  ['start', noteMeetingStart],
  ['end', closeMeeting],
];

export function register(app: Application<TurnState>, deps: BotDeps): void {
  for (const [name, where, handle] of COMMANDS) {
    const selector = command(name);
    app.message(
      async (context) => (where === 'anywhere' || !!chatOf(context)) && (await selector(context)),
      (context) => handle(context, deps),
    );
  }
  for (const [event, handle] of EVENTS) app.meetings[event]((context) => handle(context, deps));
}

// ---------------------------------------------------------------------------------------------
// What the handlers share
// ---------------------------------------------------------------------------------------------

const today = (deps: BotDeps) => localDate(deps.clock.now(), deps.program.timezone);

/** The meeting running now in the turn's chat (undefined outside a chat, or between meetings). */
export async function runningMeetingOf(context: TurnContext, deps: BotDeps): Promise<Meeting | undefined> {
  const chat = chatOf(context);
  return chat ? runningMeeting(deps.repos.meetings, deps.program.id, chat.chatId, deps.clock.now()) : undefined;
}

/** What a meeting event says: the meeting, its title and when; the event's own time when Teams sent none. */
function eventOf(context: TurnContext, deps: BotDeps, field: 'StartTime' | 'EndTime'): MeetingEvent | undefined {
  const chat = chatOf(context);
  if (!chat) return undefined;
  // The wire has TitleCase keys (botbuilder's types say camelCase): both are read.
  const value = (context.activity.value ?? {}) as Record<string, unknown>;
  const pick = (key: string) => {
    const v = value[key] ?? value[key.charAt(0).toLowerCase() + key.slice(1)];
    return typeof v === 'string' ? v : undefined;
  };
  const when = new Date(pick(field) ?? '');
  const at = Number.isNaN(when.getTime()) ? deps.clock.now() : when;
  return {
    programId: deps.program.id,
    meetingId: chat.meetingId ?? chat.chatId,
    conversationId: chat.chatId,
    title: pick('Title'),
    at: at.toISOString(),
  };
}

/** The chat's members (its roster pages), or undefined when Teams would not say. */
async function chatRoster(context: TurnContext, deps: BotDeps): Promise<MeetingParticipant[] | undefined> {
  try {
    const out: MeetingParticipant[] = [];
    let token: string | undefined;
    do {
      const page = await TeamsInfo.getPagedMembers(context, 200, token);
      for (const m of page.members)
        out.push({ name: m.name || m.id, ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}) });
      token = page.continuationToken;
    } while (token);
    return out;
  } catch (err) {
    deps.logger.warn(
      { err: { message: (err as Error).message }, activityId: context.activity.id },
      'could not read the meeting chat roster',
    );
    return undefined;
  }
}

async function sendProtocol(context: TurnContext, protocol: Protocol, locale: Locale): Promise<void> {
  const card = protocolCard(protocolDocument(protocol, locale), locale);
  await context.sendActivity({
    attachments: [CardFactory.adaptiveCard(card)],
    summary: t(locale, 'protocol.title', { meeting: protocol.title }),
  });
}

/** Only a chat bound as the steering group's has its meetings noted. */
async function inSteeringChat(context: TurnContext, deps: BotDeps): Promise<boolean> {
  return (await bindingOf(context, deps))?.role.kind === 'steering';
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/** `koppla styrgrupp` in a group or meeting chat: the chat becomes the steering group's (admins only). */
async function linkChat(context: TurnContext, deps: BotDeps): Promise<void> {
  const locale = localeOf(context, deps.program);
  const chat = chatOf(context)!;
  // Who may bind is decided before anything about the binding is read or said.
  if (!(await isAdmin(context, deps))) {
    deps.logger.warn({ chatId: chat.chatId }, 'link refused: not a program admin');
    await context.sendActivity(t(locale, 'link.forbidden', { admins: await adminList(deps, locale) }));
    return;
  }
  const name = argsOf(context);
  const { role } = name
    ? await resolveChannelRoleWithStored(deps.program, name, deps.repos.programTeams)
    : { role: undefined };
  if (role?.kind !== 'steering') {
    await context.sendActivity(t(locale, 'meetings.link.onlySteering'));
    return;
  }
  const actor = actorOf(context);
  const reference = TurnContext.getConversationReference(context.activity);
  const { previous } = await bindChannel(
    accessDeps(deps),
    {
      programId: deps.program.id,
      channelId: chat.chatId,
      teamsTeamId: '',
      channelName: chat.name ?? t(deps.program.locale, 'meetings.chatName'),
      role,
      reference: { ...reference, activityId: undefined },
      boundBy: actor.aadObjectId ?? actor.id,
      boundAt: deps.clock.now().toISOString(),
    },
    context.activity.id ?? deps.clock.now().toISOString(),
  );
  deps.logger.info(
    { chatId: chat.chatId, meeting: !!chat.meetingId, previousRole: previous?.role },
    'chat linked as steering',
  );
  let reply = t(locale, 'meetings.link.done');
  if (previous && previous.role.kind !== 'steering')
    reply += ` ${t(locale, 'link.moved', { previous: describeRole(previous.role, deps.program, locale) })}`;
  await context.sendActivity(reply);
}

const TODAY_WORDS = ['idag', 'i dag', 'today'];

/** `protokoll [datum]`: a date's protocol; without a date, the chat's latest meeting's (else today's). */
async function showProtocol(context: TurnContext, deps: BotDeps): Promise<void> {
  const locale = localeOf(context, deps.program);
  const args = argsOf(context).trim();
  let which: { date: string; meeting?: Meeting };
  if (!args) {
    const chat = chatOf(context);
    const latest = chat ? (await deps.repos.meetings.listConversation(deps.program.id, chat.chatId))[0] : undefined;
    which = latest ? { date: latest.date, meeting: latest } : { date: today(deps) };
  } else if (TODAY_WORDS.includes(args.toLowerCase())) {
    which = { date: today(deps) };
  } else {
    try {
      which = { date: parseLocalDate(args) };
    } catch {
      // What was typed comes back in a Markdown-rendered message: inert.
      await context.sendActivity(t(locale, 'protocol.invalidDate', { value: escapeCardText(inert(args, 40)) }));
      return;
    }
  }
  const protocol = await loadProtocol(deps, which, locale);
  if (protocol.paragraphs.length === 0) {
    await context.sendActivity(t(locale, 'protocol.noDecisions', { date: formatDate(locale, which.date) }));
    return;
  }
  await sendProtocol(context, protocol, locale);
}

// ---------------------------------------------------------------------------------------------
// Meeting events
// ---------------------------------------------------------------------------------------------

/** The meeting started: noted, so decisions logged in the chat now carry it. */
async function noteMeetingStart(context: TurnContext, deps: BotDeps): Promise<void> {
  const event = eventOf(context, deps, 'StartTime');
  if (!event || !(await inSteeringChat(context, deps))) return;
  const existing = await deps.repos.meetings.get(deps.program.id, event.meetingId);
  const meeting = await deps.repos.meetings.save(
    startedMeeting(existing, event, deps.program.timezone, UNTITLED_MEETING[deps.program.locale]),
  );
  deps.logger.info({ meetingId: meeting.id, date: meeting.date }, 'steering meeting started');
}

/** The meeting ended: its participants noted, and its protocol posted in the chat (once per end). */
async function closeMeeting(context: TurnContext, deps: BotDeps): Promise<void> {
  const event = eventOf(context, deps, 'EndTime');
  if (!event || !(await inSteeringChat(context, deps))) return;
  const existing = await deps.repos.meetings.get(deps.program.id, event.meetingId);
  // Teams may deliver an event again: the same end posts no second protocol.
  if (existing?.endedAt === event.at) return;
  const participants = await chatRoster(context, deps);
  const meeting = await deps.repos.meetings.save(
    endedMeeting(existing, event, deps.program.timezone, UNTITLED_MEETING[deps.program.locale], participants),
  );
  deps.logger.info(
    { meetingId: meeting.id, date: meeting.date, participants: participants?.length },
    'steering meeting ended',
  );
  // The protocol is the program's record: in the program's language, whoever's client sent the event.
  const locale = deps.program.locale;
  await sendProtocol(context, await loadProtocol(deps, { date: meeting.date, meeting }, locale), locale);
}

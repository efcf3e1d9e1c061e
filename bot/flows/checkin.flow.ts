/**
 * Check-ins in Teams: the scheduled posts and reminders (registered with the scheduler), the
 * `incheckning` / `checkin` command, the answer on the card (`Action.Execute` and
 * `Action.Submit`), paging, marking a steering group follow-up done, and posting anew.
 * `register()` is the table of what this flow answers; each entry names its handler below.
 */
import type { TurnContext } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { z } from 'zod';
import { checkInCard, checkInPointerCard } from '../../cards/checkin';
import { noticeCard } from '../../cards/notice.card';
import {
  answerInputId,
  checkinAnswerPayload,
  checkinFollowUpDonePayload,
  checkinPagePayload,
  checkinRepostPayload,
  VERBS,
} from '../../cards/verbs';
import { problemsText } from '../../domain/card-input';
import { CheckInService, type AnswerFields, type AnswerOutcome, type PostOutcome } from '../../domain/checkin';
import { markFollowUpDone } from '../../domain/decisions';
import { StorageUnavailableError } from '../../domain/errors';
import { t, type TextKey } from '../../domain/i18n';
import { teamName } from '../../domain/program';
import { localStamp, parseIsoWeek } from '../../domain/time';
import type { ChannelBinding, CheckIn, Locale } from '../../domain/types';
import { onCardAction, refuse, refusal, type CardAnswer, type Refusal } from '../card-actions';
import { argsOf, command } from '../command-route';
import type { BotDeps } from '../deps';
import { assertTeamEditor } from '../roles';
import {
  actorOf,
  bindingOf,
  cardActorOf,
  channelData,
  channelOf,
  localeOf,
  requestIdOf,
  tenantOf,
  type TeamsChannelInfo,
} from '../turn';
import { describeRole } from './help.flow';

/**
 * A posted check-in card is replaced for everyone at most this often: Teams allows a bot about
 * 1 800 sends an hour in one thread (one every 2 s sustained); each answerer sees their own
 * answer at once in the card the invoke returns.
 */
const CARD_REFRESH_INTERVAL_MS = 2000;

export const ANEW = /^(ny|nytt|ny incheckning|igen|new|anew|again)$/i;

type AnswerPayload = z.infer<typeof checkinAnswerPayload>;
type PagePayload = z.infer<typeof checkinPagePayload>;
type FollowUpDonePayload = z.infer<typeof checkinFollowUpDonePayload>;
type RepostPayload = z.infer<typeof checkinRepostPayload>;

/** What every handler of this flow works with: one service per registration. */
interface CheckInFlow {
  deps: BotDeps;
  service: CheckInService;
  /** The posted card replaced for everyone after the answer, coalesced and paced per check-in. */
  refreshSoon(teamKey: string, week: string, skipMessageId?: string): void;
}

export function register(app: Application<TurnState>, deps: BotDeps): void {
  const flow = checkInFlow(deps);
  deps.scheduler.add({
    name: 'checkin',
    cron: deps.program.schedules.checkIn,
    run: async (occurrence) => void (await flow.service.postScheduled(occurrence.week)),
  });
  deps.scheduler.add({
    name: 'reminder',
    cron: deps.program.schedules.reminder,
    run: async (occurrence) => void (await flow.service.sendReminders(occurrence.week, occurrence.at)),
  });
  app.message(command('checkin'), (context) => postOrPointToCheckIn(flow, context));
  onCardAction(app, deps, VERBS.checkinAnswer, checkinAnswerPayload, (context, data) =>
    saveAnswer(flow, context, data),
  );
  onCardAction(app, deps, VERBS.checkinPage, checkinPagePayload, (context, data) => showPage(flow, context, data));
  onCardAction(app, deps, VERBS.checkinFollowUpDone, checkinFollowUpDonePayload, (context, data) =>
    markFollowUpDoneOnCard(flow, context, data),
  );
  onCardAction(app, deps, VERBS.checkinRepost, checkinRepostPayload, (context, data) =>
    postAnewFromPointer(flow, context, data),
  );
}

function checkInFlow(deps: BotDeps): CheckInFlow {
  const service = new CheckInService({
    program: deps.program,
    repos: deps.repos,
    messenger: deps.messenger,
    clock: deps.clock,
    logger: deps.logger.child({ area: 'checkin' }),
    render: { card: (view, locale) => checkInCard(view, locale) },
    background: deps.background,
  });
  const refreshSoon = (teamKey: string, week: string, skipMessageId?: string) =>
    deps.background.coalesce(
      `checkin-card|${teamKey}|${week}`,
      () => service.refreshPosted(teamKey, week, { skipMessageId }),
      { minIntervalMs: CARD_REFRESH_INTERVAL_MS },
    );
  return { deps, service, refreshSoon };
}

// -- `incheckning` / `checkin` [ny] --------------------------------------------------------------

/** This channel's check-in now, or a pointer to this week's card when there is one. */
async function postOrPointToCheckIn(flow: CheckInFlow, context: TurnContext): Promise<void> {
  const { deps, service } = flow;
  const locale = localeOf(context, deps.program);
  const channel = channelOf(context);
  const binding = await bindingOf(context, deps);
  if (!channel || !binding) {
    await context.sendActivity(t(locale, 'checkin.unbound'));
    return;
  }
  if (binding.role.kind !== 'team') {
    await context.sendActivity(
      t(locale, 'checkin.notTeam', { role: describeRole(binding.role, deps.program, locale) }),
    );
    return;
  }
  const teamKey = binding.role.teamKey;
  const week = service.currentWeek();
  const anew = ANEW.test(argsOf(context));
  const here: PointerPlace = { context, channel, binding, teamKey, week, locale };
  if (!anew) {
    const existing = await deps.repos.checkIns.get(deps.program.id, week, teamKey);
    if (existing?.messageId) {
      await pointToCard(flow, here, { ...existing, messageId: existing.messageId });
      return;
    }
  }
  const outcome = await service.postForChannel(binding, week, {
    anew,
    requestId: requestIdOf(context),
    by: cardActorOf(context).name,
  });
  if (outcome.kind === 'taken' && outcome.checkIn.messageId) {
    await pointToCard(flow, here, { ...outcome.checkIn, messageId: outcome.checkIn.messageId });
    return;
  }
  await context.sendActivity(t(locale, postedKey(outcome, anew), { team: teamName(deps.program, teamKey) }));
}

function postedKey(outcome: PostOutcome, anew: boolean): TextKey {
  if (outcome.kind === 'posted') return anew ? 'checkin.reposted' : 'checkin.posted';
  return outcome.kind === 'posting'
    ? 'checkin.posting'
    : outcome.kind === 'blocked'
      ? 'checkin.blocked'
      : 'checkin.failed';
}

/** Where `incheckning` was typed: the channel, its binding and team, the week and the language. */
interface PointerPlace {
  context: TurnContext;
  channel: TeamsChannelInfo;
  binding: ChannelBinding;
  teamKey: string;
  week: string;
  locale: Locale;
}

/** This week's card is there (posted earlier, or just now by someone else): point at it. */
async function pointToCard(
  { deps, service }: CheckInFlow,
  here: PointerPlace,
  existing: CheckIn & { messageId: string },
): Promise<void> {
  const { context, channel, binding, teamKey, week, locale } = here;
  const [view, other] = await Promise.all([
    service.view(teamKey, week, existing),
    existing.channelId !== channel.channelId ? deps.repos.bindings.get(deps.program.id, existing.channelId) : undefined,
  ]);
  const posted = localStamp(existing.postedAt ?? new Date(0).toISOString(), deps.program.timezone);
  const card = checkInPointerCard(
    {
      teamKey,
      teamName: view.teamName,
      week,
      channelId: channel.channelId,
      postedDate: posted.date,
      postedTime: posted.time,
      answered: view.answered,
      total: view.total,
      url:
        binding.teamsTeamId === channel.teamsTeamId
          ? messageLink(context, existing.channelId, existing.messageId)
          : undefined,
      otherChannel: existing.channelId !== channel.channelId ? (other?.channelName ?? existing.channelId) : undefined,
    },
    locale,
  );
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
}

/** Teams deep link to a channel message (message ids are epoch milliseconds). */
function messageLink(context: TurnContext, channelId: string, messageId: string): string | undefined {
  const data = channelData(context);
  const groupId = data.team?.aadGroupId;
  const tenantId = tenantOf(context);
  if (!groupId || !tenantId) return undefined;
  const q = new URLSearchParams({ tenantId, groupId, parentMessageId: messageId, createdTime: messageId });
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${encodeURIComponent(messageId)}?${q.toString()}`;
}

// -- the card's verbs ------------------------------------------------------------------------------

/** The answer on the card. Inputs come as `<actionId>.<field>` beside the action's data. */
async function saveAnswer(
  { deps, service, refreshSoon }: CheckInFlow,
  context: TurnContext,
  data: AnswerPayload,
): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  const actor = cardActorOf(context);
  let outcome: AnswerOutcome;
  try {
    outcome = await service.recordAnswer(
      { teamKey: data.teamKey, week: data.week, actionId: data.actionId, fields: answerFields(data, data.actionId) },
      actor,
      requestIdOf(context),
      { authorize: () => assertTeamEditor(context, deps, data.teamKey, locale, data.actionId) },
    );
  } catch (err) {
    // Storage went away after the answer was logged and applied: it is saved, only the card is not.
    if (err instanceof StorageUnavailableError && err.details.saved === true) {
      deps.logger.warn(
        { code: err.code, verb: VERBS.checkinAnswer, activityId: context.activity.id, actionId: data.actionId },
        'answer saved; the card could not be shown',
      );
      return refuse(t(locale, 'checkin.savedNotShown', { id: data.actionId }), locale);
    }
    throw err;
  }
  const page = data.page ?? 0;
  switch (outcome.kind) {
    case 'unknownTeam':
      return refuse(t(locale, 'checkin.error.unknownTeam', { team: data.teamKey }), locale);
    case 'unknownAction': {
      const text = t(locale, 'checkin.error.unknownAction', { id: data.actionId, team: outcome.view.teamName });
      return refusal(checkInCard(outcome.view, locale, { page, notice: { tone: 'attention', text } }), text);
    }
    case 'invalid': {
      const text = t(locale, 'checkin.error.invalid', {
        id: data.actionId,
        problems: problemsText(locale, outcome.problems),
      });
      return refusal(checkInCard(outcome.view, locale, { page, notice: { tone: 'attention', text } }), text);
    }
    case 'saved':
    case 'duplicate': {
      if (outcome.kind === 'saved') deps.telemetry.count('answers', 1, { team: data.teamKey });
      // Everyone sees the new state: the posted card is replaced in place (in the program's
      // language). An Action.Submit answer on that same card is replaced by onCardAction.
      // Coalesced and paced: a burst of answers on one check-in becomes an update at once and
      // then at most one every CARD_REFRESH_INTERVAL_MS (Teams' per-thread limits), and the
      // person answering does not wait for it.
      const submittedOn = context.activity.type === 'message' ? context.activity.replyToId : undefined;
      refreshSoon(data.teamKey, data.week, submittedOn);
      return checkInCard(outcome.view, locale, {
        page,
        notice: { tone: 'good', text: t(locale, 'checkin.saved', { name: actor.name, id: outcome.actionId }) },
      });
    }
  }
}

function answerFields(data: Record<string, unknown>, actionId: string): AnswerFields {
  return {
    status: data[answerInputId(actionId, 'status')],
    progress: data[answerInputId(actionId, 'progress')],
    comment: data[answerInputId(actionId, 'comment')],
    blockers: data[answerInputId(actionId, 'blockers')],
    next: data[answerInputId(actionId, 'next')],
    highlight: data[answerInputId(actionId, 'highlight')],
    comms: data[answerInputId(actionId, 'comms')],
  };
}

/** Another page of the check-in card. */
async function showPage({ deps, service }: CheckInFlow, context: TurnContext, data: PagePayload): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  if (!service.hasTeam(data.teamKey))
    return refuse(t(locale, 'checkin.error.unknownTeam', { team: data.teamKey }), locale);
  const noSuchWeek = noSuchWeekCard(data.week, locale);
  if (noSuchWeek) return noSuchWeek;
  return checkInCard(await service.view(data.teamKey, data.week), locale, { page: data.page });
}

/** A steering group follow-up marked done from the team's check-in card (in the team's channel). */
async function markFollowUpDoneOnCard(
  { deps, service, refreshSoon }: CheckInFlow,
  context: TurnContext,
  data: FollowUpDonePayload,
): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  if (!service.hasTeam(data.teamKey))
    return refuse(t(locale, 'checkin.error.unknownTeam', { team: data.teamKey }), locale);
  const noSuchWeek = noSuchWeekCard(data.week, locale);
  if (noSuchWeek) return noSuchWeek;
  const [binding, decision] = await Promise.all([
    bindingOf(context, deps),
    deps.repos.decisions.get(deps.program.id, data.number),
  ]);
  if (
    !binding ||
    binding.role.kind !== 'team' ||
    binding.role.teamKey !== data.teamKey ||
    !decision?.affectedTeams.includes(data.teamKey)
  ) {
    const text = t(locale, 'checkin.followUps.notHere');
    return refusal(
      checkInCard(await service.view(data.teamKey, data.week), locale, {
        page: data.page,
        notice: { tone: 'attention', text },
      }),
      text,
    );
  }
  await markFollowUpDone(deps, { number: data.number, by: actorOf(context).name });
  refreshSoon(data.teamKey, data.week);
  return checkInCard(await service.view(data.teamKey, data.week), locale, {
    page: data.page,
    notice: { tone: 'good', text: t(locale, 'checkin.followUps.marked', { number: data.number }) },
  });
}

/** "Post anew" from the pointer card. */
async function postAnewFromPointer(
  { deps, service }: CheckInFlow,
  context: TurnContext,
  data: RepostPayload,
): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  const binding = await deps.repos.bindings.get(deps.program.id, data.channelId);
  if (!binding || binding.role.kind !== 'team' || binding.role.teamKey !== data.teamKey) {
    return refuse(t(locale, 'checkin.unbound'), locale);
  }
  // The pointer card is in the channel it posts to: pressed anywhere else, it needs the role.
  if (channelOf(context)?.channelId !== data.channelId) await assertTeamEditor(context, deps, data.teamKey, locale);
  const outcome = await service.postForChannel(binding, service.currentWeek(), {
    anew: true,
    requestId: requestIdOf(context),
    by: cardActorOf(context).name,
  });
  const name = teamName(deps.program, data.teamKey);
  if (outcome.kind === 'posted') return noticeCard(t(locale, 'checkin.reposted', { team: name }), locale, 'good');
  return refuse(t(locale, outcome.kind === 'blocked' ? 'checkin.blocked' : 'checkin.failed', { team: name }), locale);
}

/** A card naming a week that is not in the calendar (`2026-W54`): said in the user's language. */
function noSuchWeekCard(week: string, locale: Locale): Refusal | undefined {
  try {
    parseIsoWeek(week);
    return undefined;
  } catch {
    return refuse(
      t(locale, 'error.validation', { problem: t(locale, 'checkin.invalid.week', { week: week.slice(0, 20) }) }),
      locale,
    );
  }
}

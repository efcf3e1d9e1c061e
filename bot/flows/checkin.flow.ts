/**
 * Check-ins in Teams: the scheduled posts and reminders (registered with the scheduler), the
 * `incheckning` / `checkin` command, the answer on the card (`Action.Execute` and
 * `Action.Submit`), paging, posting anew, and adding or editing an action from the action list.
 */
import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { actionEditCard, actionSavedCard, type ActionEditView } from '../../cards/actions/edit.card';
import { checkInCard, checkInPointerCard } from '../../cards/checkin/checkin.card';
import { noticeCard } from '../../cards/notice.card';
import {
  ACTION_EDIT_INPUTS,
  actionEditOpenPayload,
  actionEditSavePayload,
  answerInputId,
  checkinAnswerPayload,
  checkinFollowUpDonePayload,
  checkinPagePayload,
  checkinRepostPayload,
  VERBS,
} from '../../cards/verbs';
import { CheckInService, problemsText, type ActionFormValues, type AnswerFields } from '../../domain/checkin/checkin';
import { markFollowUpDone } from '../../domain/decisions';
import { StorageUnavailableError } from '../../domain/errors';
import { t, type TextKey } from '../../domain/i18n';
import { teamName } from '../../domain/program';
import { isValidDate, localStamp, parseIsoWeek } from '../../domain/time';
import type { Action, CheckIn, Locale } from '../../domain/types';
import { onCardAction, refuse, refusal, type CardAnswer, type Refusal } from '../card-actions';
import { argsOf, command } from '../command-route';
import type { BotDeps } from '../deps';
import { assertTeamEditor } from '../roles';
import { actorOf, bindingOf, channelData, channelOf, localeOf, tenantOf } from '../turn';
import { describeRole } from './help.flow';

/**
 * A posted check-in card is replaced for everyone at most this often: Teams allows a bot about
 * 1 800 sends an hour in one thread (one every 2 s sustained); each answerer sees their own
 * answer at once in the card the invoke returns.
 */
const CARD_REFRESH_INTERVAL_MS = 2000;

export const ANEW = /^(ny|nytt|ny incheckning|igen|new|anew|again)$/i;

function checkInService(deps: BotDeps): CheckInService {
  return new CheckInService({
    program: deps.program,
    repos: deps.repos,
    messenger: deps.messenger,
    clock: deps.clock,
    logger: deps.logger.child({ area: 'checkin' }),
    render: { card: (view, locale) => checkInCard(view, locale) },
    background: deps.background,
  });
}

function actorFor(context: TurnContext): { id: string; name: string } {
  const actor = actorOf(context);
  return { id: actor.aadObjectId ?? actor.id, name: actor.name };
}

/** The delivery's id: what makes a redelivered invoke or message recognisable. */
function requestIdOf(context: TurnContext): string {
  return context.activity.id ?? randomUUID();
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

function formValues(action: Action | undefined): ActionFormValues {
  return {
    title: action?.title ?? '',
    ownerName: action?.owner.name ?? '',
    ownerEmail: action?.owner.email ?? '',
    due: action?.due ?? '',
    description: action?.description ?? '',
  };
}

/** A card naming a week that is not in the calendar (`2026-W54`): said in the user's language. */
function noSuchWeekCard(week: string, locale: Locale): Refusal | undefined {
  try {
    parseIsoWeek(week);
    return undefined;
  } catch {
    return refuse(t(locale, 'error.validation', { problem: t(locale, 'checkin.invalid.week', { week: week.slice(0, 20) }) }), locale);
  }
}

const FIELD_NAMES: Record<string, TextKey> = {
  title: 'actionEdit.fieldName.title',
  owner: 'actionEdit.fieldName.owner',
  due: 'actionEdit.fieldName.due',
  description: 'actionEdit.fieldName.description',
};

export function register(app: Application<TurnState>, deps: BotDeps): void {
  const service = checkInService(deps);
  /** The posted card replaced for everyone after the answer, coalesced and paced per check-in. */
  const refreshSoon = (teamKey: string, week: string, skipMessageId?: string) =>
    deps.background.coalesce(`checkin-card|${teamKey}|${week}`, () => service.refreshPosted(teamKey, week, { skipMessageId }), { minIntervalMs: CARD_REFRESH_INTERVAL_MS });

  deps.scheduler.add({
    name: 'checkin',
    cron: deps.program.schedules.checkIn,
    run: async (occurrence) => {
      await service.postScheduled(occurrence.week);
    },
  });
  deps.scheduler.add({
    name: 'reminder',
    cron: deps.program.schedules.reminder,
    run: async (occurrence) => {
      await service.sendReminders(occurrence.week, occurrence.at);
    },
  });

  // `incheckning` / `checkin` [ny]: this channel's check-in now, or a pointer to this week's.
  app.message(command('checkin'), async (context) => {
    const locale = localeOf(context, deps.program);
    const channel = channelOf(context);
    const binding = await bindingOf(context, deps);
    if (!channel || !binding) {
      await context.sendActivity(t(locale, 'checkin.unbound'));
      return;
    }
    if (binding.role.kind !== 'team') {
      await context.sendActivity(t(locale, 'checkin.notTeam', { role: describeRole(binding.role, deps.program, locale) }));
      return;
    }
    const teamKey = binding.role.teamKey;
    const week = service.currentWeek();
    const anew = ANEW.test(argsOf(context));
    /** This week's card is there (posted earlier, or just now by someone else): point at it. */
    const pointTo = async (existing: CheckIn & { messageId: string }) => {
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
          url: binding.teamsTeamId === channel.teamsTeamId ? messageLink(context, existing.channelId, existing.messageId) : undefined,
          otherChannel: existing.channelId !== channel.channelId ? (other?.channelName ?? existing.channelId) : undefined,
        },
        locale,
      );
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    };
    if (!anew) {
      const existing = await deps.repos.checkIns.get(deps.program.id, week, teamKey);
      if (existing?.messageId) {
        await pointTo({ ...existing, messageId: existing.messageId });
        return;
      }
    }
    const outcome = await service.postForChannel(binding, week, { anew, requestId: requestIdOf(context), by: actorFor(context).name });
    if (outcome.kind === 'taken' && outcome.checkIn.messageId) {
      await pointTo({ ...outcome.checkIn, messageId: outcome.checkIn.messageId });
      return;
    }
    const name = teamName(deps.program, teamKey);
    const key: TextKey =
      outcome.kind === 'posted' ? (anew ? 'checkin.reposted' : 'checkin.posted') : outcome.kind === 'posting' ? 'checkin.posting' : outcome.kind === 'blocked' ? 'checkin.blocked' : 'checkin.failed';
    await context.sendActivity(t(locale, key, { team: name }));
  });

  // The answer on the card. Inputs come as `<actionId>.<field>` beside the action's data.
  onCardAction(app, deps, VERBS.checkinAnswer, checkinAnswerPayload, async (context, data) => {
    const locale = localeOf(context, deps.program);
    const actor = actorFor(context);
    let outcome: Awaited<ReturnType<CheckInService['recordAnswer']>>;
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
        deps.logger.warn({ code: err.code, verb: VERBS.checkinAnswer, activityId: context.activity.id, actionId: data.actionId }, 'answer saved; the card could not be shown');
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
        const text = t(locale, 'checkin.error.invalid', { id: data.actionId, problems: problemsText(locale, outcome.problems) });
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
        return checkInCard(outcome.view, locale, { page, notice: { tone: 'good', text: t(locale, 'checkin.saved', { name: actor.name, id: outcome.actionId }) } });
      }
    }
  });

  onCardAction(app, deps, VERBS.checkinPage, checkinPagePayload, async (context, data) => {
    const locale = localeOf(context, deps.program);
    if (!service.hasTeam(data.teamKey)) return refuse(t(locale, 'checkin.error.unknownTeam', { team: data.teamKey }), locale);
    const noSuchWeek = noSuchWeekCard(data.week, locale);
    if (noSuchWeek) return noSuchWeek;
    return checkInCard(await service.view(data.teamKey, data.week), locale, { page: data.page });
  });

  // A steering group follow-up marked done from the team's check-in card (in the team's channel).
  onCardAction(app, deps, VERBS.checkinFollowUpDone, checkinFollowUpDonePayload, async (context, data) => {
    const locale = localeOf(context, deps.program);
    if (!service.hasTeam(data.teamKey)) return refuse(t(locale, 'checkin.error.unknownTeam', { team: data.teamKey }), locale);
    const noSuchWeek = noSuchWeekCard(data.week, locale);
    if (noSuchWeek) return noSuchWeek;
    const [binding, decision] = await Promise.all([bindingOf(context, deps), deps.repos.decisions.get(deps.program.id, data.number)]);
    if (!binding || binding.role.kind !== 'team' || binding.role.teamKey !== data.teamKey || !decision?.affectedTeams.includes(data.teamKey)) {
      const text = t(locale, 'checkin.followUps.notHere');
      return refusal(checkInCard(await service.view(data.teamKey, data.week), locale, { page: data.page, notice: { tone: 'attention', text } }), text);
    }
    await markFollowUpDone(deps, { number: data.number, by: actorOf(context).name });
    refreshSoon(data.teamKey, data.week);
    return checkInCard(await service.view(data.teamKey, data.week), locale, {
      page: data.page,
      notice: { tone: 'good', text: t(locale, 'checkin.followUps.marked', { number: data.number }) },
    });
  });

  // "Post anew" from the pointer card.
  onCardAction(app, deps, VERBS.checkinRepost, checkinRepostPayload, async (context, data) => {
    const locale = localeOf(context, deps.program);
    const binding = await deps.repos.bindings.get(deps.program.id, data.channelId);
    if (!binding || binding.role.kind !== 'team' || binding.role.teamKey !== data.teamKey) {
      return refuse(t(locale, 'checkin.unbound'), locale);
    }
    // The pointer card is in the channel it posts to: pressed anywhere else, it needs the role.
    if (channelOf(context)?.channelId !== data.channelId) await assertTeamEditor(context, deps, data.teamKey, locale);
    const outcome = await service.postForChannel(binding, service.currentWeek(), { anew: true, requestId: requestIdOf(context), by: actorFor(context).name });
    const name = teamName(deps.program, data.teamKey);
    if (outcome.kind === 'posted') return noticeCard(t(locale, 'checkin.reposted', { team: name }), locale, 'good');
    return refuse(t(locale, outcome.kind === 'blocked' ? 'checkin.blocked' : 'checkin.failed', { team: name }), locale);
  });

  // Adding and editing an action (buttons on the action list).
  onCardAction(app, deps, VERBS.actionEditOpen, actionEditOpenPayload, async (context, data) => {
    const locale = localeOf(context, deps.program);
    if (!service.hasTeam(data.teamKey)) return refuse(t(locale, 'checkin.error.unknownTeam', { team: data.teamKey }), locale);
    const actionId = data.actionId ?? data[ACTION_EDIT_INPUTS.pick];
    // Refused before the form is filled in, not after.
    await assertTeamEditor(context, deps, data.teamKey, locale, actionId);
    const view: ActionEditView = { teamKey: data.teamKey, teamName: teamName(deps.program, data.teamKey), values: formValues(undefined) };
    if (actionId) {
      const action = await deps.repos.actions.get(deps.program.id, actionId);
      if (!action || action.teamKey !== data.teamKey) {
        return refuse(t(locale, 'actionEdit.unknownAction', { id: actionId, team: view.teamName }), locale);
      }
      Object.assign(view, { actionId: action.id, etag: action.etag, values: formValues(action) });
    }
    return actionEditCard(view, locale);
  });

  onCardAction(app, deps, VERBS.actionEditSave, actionEditSavePayload, async (context, data) => {
    const locale = localeOf(context, deps.program);
    if (service.hasTeam(data.teamKey)) await assertTeamEditor(context, deps, data.teamKey, locale, data.actionId);
    const values: Partial<ActionFormValues> = {
      title: data[ACTION_EDIT_INPUTS.title],
      ownerName: data[ACTION_EDIT_INPUTS.ownerName],
      ownerEmail: data[ACTION_EDIT_INPUTS.ownerEmail],
      due: data[ACTION_EDIT_INPUTS.due],
      description: data[ACTION_EDIT_INPUTS.description],
    };
    const outcome = await service.saveAction({ teamKey: data.teamKey, actionId: data.actionId, etag: data.etag, values }, actorFor(context), requestIdOf(context));
    const name = teamName(deps.program, data.teamKey);
    return saveOutcomeCard(outcome, { teamKey: data.teamKey, teamName: name, actionId: data.actionId, etag: data.etag, values }, locale);
  });
}

function saveOutcomeCard(
  outcome: Awaited<ReturnType<CheckInService['saveAction']>>,
  form: { teamKey: string; teamName: string; actionId?: string; etag?: string; values: Partial<ActionFormValues> },
  locale: Locale,
): CardAnswer {
  const saved = (action: Action, message: string) =>
    actionSavedCard({ teamKey: action.teamKey, teamName: form.teamName, actionId: action.id, message, title: action.title, owner: action.owner.name, due: action.due, timeline: action.timeline, ongoing: action.ongoing }, locale);
  switch (outcome.kind) {
    case 'unknownTeam':
      return refuse(t(locale, 'checkin.error.unknownTeam', { team: form.teamKey }), locale);
    case 'unknownAction':
      return refuse(t(locale, 'actionEdit.unknownAction', { id: form.actionId ?? '?', team: form.teamName }), locale);
    case 'created':
    case 'duplicate':
      return saved(outcome.action, t(locale, form.actionId ? 'actionEdit.unchanged' : 'actionEdit.created', { id: outcome.action.id, title: outcome.action.title }));
    case 'updated':
      return saved(outcome.action, t(locale, 'actionEdit.updated', { id: outcome.action.id, fields: outcome.fields.map((f) => t(locale, FIELD_NAMES[f] ?? 'actionEdit.fieldName.title')).join(', ') }));
    case 'unchanged':
      return saved(outcome.action, t(locale, 'actionEdit.unchanged', { id: outcome.action.id }));
    case 'conflict': {
      const text = t(locale, 'actionEdit.conflict', { id: outcome.action.id });
      const view = { teamKey: form.teamKey, teamName: form.teamName, actionId: outcome.action.id, etag: outcome.action.etag, values: formValues(outcome.action) };
      return refusal(actionEditCard({ ...view, notice: { tone: 'attention', text } }, locale), text);
    }
    case 'invalid': {
      // The form comes back with what was typed, so nothing has to be typed again.
      const due = form.values.due ?? '';
      const text = t(locale, 'actionEdit.invalid', { problems: problemsText(locale, outcome.problems) });
      const card = actionEditCard(
        {
          teamKey: form.teamKey,
          teamName: form.teamName,
          actionId: form.actionId,
          etag: form.etag,
          values: {
            title: (form.values.title ?? '').slice(0, 200),
            ownerName: (form.values.ownerName ?? '').slice(0, 100),
            ownerEmail: (form.values.ownerEmail ?? '').slice(0, 254),
            // Input.Date only holds a well-formed date; a refused one is named in the notice.
            due: /^\d{4}-\d{2}-\d{2}$/.test(due) && isValidDate(...(due.split('-').map(Number) as [number, number, number])) ? due : '',
            description: (form.values.description ?? '').slice(0, 2000),
          },
          notice: { tone: 'attention', text },
        },
        locale,
      );
      return refusal(card, text);
    }
  }
}

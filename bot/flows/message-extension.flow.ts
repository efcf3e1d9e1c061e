/**
 * "Logga som beslut" on any message: the message extension's action command `logDecision` (from a
 * message's "…" menu, the compose box or the command box). `composeExtension/fetchTask` opens the
 * decision form as a dialog, filled in from the message (its text, who wrote it, and the meeting
 * in a meeting's chat); the dialog's `composeExtension/submitAction` logs the decision with the
 * same rules and numbering as `beslut` (one decision per form, however often Teams delivers the
 * submit) and posts it where the person chose: this conversation (the message's thread in a
 * channel, the chat in a group or meeting chat) or the steering channel. It works in channels,
 * group chats and meeting chats. Only steering members may log: anyone else is told so in the
 * dialog, when it opens and when it is sent, and nothing is stored.
 *
 * Teams wants the answer within five seconds: the posts (the card, the affected teams' notices)
 * run in the background after the answer.
 *
 * `register()` is the table of routes: each command id points to its two handlers below.
 */
import { randomUUID } from 'node:crypto';
import { CardFactory, TurnContext, type TaskModuleTaskInfo } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { CardElement } from '../../cards/card';
import { decisionCard, decisionFormCard, decisionNoticeMessage } from '../../cards/decisions';
import { decisionDialogPayload } from '../../cards/verbs';
import {
  decisionView,
  emptyFormValues,
  formValuesFromInput,
  formValuesFromMessage,
  logDecision,
  notifyDecision,
  validateDraft,
  type DecisionFormValues,
  type LogResult,
  type SourceMeeting,
  type SourceMessage,
} from '../../domain/decisions';
import { type ChannelTarget, DeliveryError, targetOf } from '../../domain/delivery';
import { StorageUnavailableError, ValidationError } from '../../domain/errors';
import { t } from '../../domain/i18n';
import { inert } from '../../domain/text';
import { localDate } from '../../domain/time';
import type { ChannelBinding, Decision, Locale } from '../../domain/types';
import type { BotDeps } from '../deps';
import { problemText } from '../errors';
import { isSteering } from '../roles';
import { actorOf, channelData, channelOf, localeOf } from '../turn';

/** The command's id in the manifest (`composeExtensions[0].commands[0].id`). */
export const LOG_DECISION_COMMAND = 'logDecision';

type PostTo = 'here' | 'steering';
type FetchHandler = (context: TurnContext, deps: BotDeps) => Promise<TaskModuleTaskInfo | string>;
type SubmitHandler = (context: TurnContext, deps: BotDeps, data: unknown) => Promise<TaskModuleTaskInfo | string>;

// ---------------------------------------------------------------------------------------------
// The routes
// ---------------------------------------------------------------------------------------------

/** Each action command: the dialog it opens, and what its submit does. */
const COMMANDS: readonly { id: string; fetchTask: FetchHandler; submitAction: SubmitHandler }[] = [
  { id: LOG_DECISION_COMMAND, fetchTask: openDecisionDialog, submitAction: logDialogDecision },
];

export function register(app: Application<TurnState>, deps: BotDeps): void {
  for (const command of COMMANDS) {
    app.messageExtensions.fetchTask(command.id, (context) => command.fetchTask(context, deps));
    app.messageExtensions.submitAction(
      command.id,
      async (context, _state, data) => (await command.submitAction(context, deps, data)) as never,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the invoke
// ---------------------------------------------------------------------------------------------

/** What a message action's invoke carries (`value`), as far as the dialog needs it. */
interface ActionValue {
  commandContext?: string;
  messagePayload?: {
    createdDateTime?: string;
    body?: { contentType?: string; content?: string };
    from?: { user?: { displayName?: string } | null; application?: { displayName?: string } | null } | null;
  };
}

function actionValue(context: TurnContext): ActionValue {
  const value = context.activity.value as unknown;
  return value && typeof value === 'object' ? (value as ActionValue) : {};
}

/** The message the command was started on; undefined from the compose box or the command box. */
function sourceMessage(context: TurnContext): SourceMessage | undefined {
  const payload = actionValue(context).messagePayload;
  if (!payload || typeof payload !== 'object') return undefined;
  const author = payload.from?.user?.displayName ?? payload.from?.application?.displayName;
  return {
    ...(payload.body
      ? {
          body: {
            contentType: payload.body.contentType,
            content: typeof payload.body.content === 'string' ? payload.body.content : '',
          },
        }
      : {}),
    ...(typeof author === 'string' ? { author } : {}),
    ...(typeof payload.createdDateTime === 'string' ? { createdAt: payload.createdDateTime } : {}),
  };
}

/** The meeting, when the turn comes from a meeting's chat (Teams names it in `channelData.meeting`). */
function meetingOf(context: TurnContext): SourceMeeting | undefined {
  const meeting = (channelData(context) as { meeting?: { id?: string } }).meeting;
  const conversation = context.activity.conversation;
  if (!meeting?.id && !conversation?.id?.startsWith('19:meeting_')) return undefined;
  return conversation?.name ? { name: conversation.name } : {};
}

/**
 * Where the logged decision may go: this conversation (not from the command box, which has none
 * to post in), and the steering channel once one is bound.
 */
async function placesOf(context: TurnContext, deps: BotDeps): Promise<{ here: boolean; steering?: ChannelBinding }> {
  const steering = (await deps.repos.bindings.findByRole(deps.program.id, { kind: 'steering' }))[0];
  const here =
    actionValue(context).commandContext?.toLowerCase() !== 'commandbox' && !!context.activity.conversation?.id;
  return { here, ...(steering ? { steering } : {}) };
}

// ---------------------------------------------------------------------------------------------
// The dialog
// ---------------------------------------------------------------------------------------------

const today = (deps: BotDeps) => localDate(deps.clock.now(), deps.program.timezone);
const teamChoices = (deps: BotDeps) => deps.program.teams.map((x) => ({ key: x.key, name: x.name }));

function postToChoice(
  places: { here: boolean; steering?: ChannelBinding },
  locale: Locale,
  chosen?: PostTo,
): CardElement[] {
  const choices = [
    ...(places.here ? [{ title: t(locale, 'msgext.postTo.here'), value: 'here' }] : []),
    ...(places.steering
      ? [
          {
            title: t(locale, 'msgext.postTo.steering', {
              channel: inert(places.steering.channelName || 'General', 100),
            }),
            value: 'steering',
          },
        ]
      : []),
  ];
  if (choices.length === 0) return [];
  const value = chosen && choices.some((c) => c.value === chosen) ? chosen : choices[0]!.value;
  const label = t(locale, 'msgext.postTo');
  return [
    {
      type: 'Input.ChoiceSet',
      id: 'postTo',
      label,
      style: 'expanded',
      isRequired: true,
      errorMessage: t(locale, 'decision.form.required', { field: label }),
      value,
      choices,
    },
  ];
}

function dialog(
  deps: BotDeps,
  locale: Locale,
  formId: string,
  values: DecisionFormValues,
  places: { here: boolean; steering?: ChannelBinding },
  options: { problem?: string; postTo?: PostTo } = {},
): TaskModuleTaskInfo {
  const extra: CardElement[] = [
    { type: 'TextBlock', text: t(locale, 'msgext.intro'), wrap: true, isSubtle: true, size: 'Small' },
    ...postToChoice(places, locale, options.postTo),
  ];
  const form = decisionFormCard(
    {
      mode: 'new',
      formId,
      values,
      teams: teamChoices(deps),
      ...(options.problem ? { problem: options.problem } : {}),
      dialog: { data: {}, extra },
    },
    locale,
  );
  return { title: t(locale, 'msgext.title'), height: 'large', width: 'medium', card: CardFactory.adaptiveCard(form) };
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

/** The form as a dialog, filled in from the message; a refusal in the dialog for anyone not in the steering group. */
async function openDecisionDialog(context: TurnContext, deps: BotDeps): Promise<TaskModuleTaskInfo | string> {
  const locale = localeOf(context, deps.program);
  if (!(await isSteering(context, deps))) return t(locale, 'msgext.forbidden');
  const message = sourceMessage(context);
  const values = message
    ? formValuesFromMessage(message, deps.program, today(deps), meetingOf(context))
    : emptyFormValues(today(deps), deps.program);
  return dialog(deps, locale, randomUUID(), values, await placesOf(context, deps));
}

/**
 * The dialog's save: checked again (who, and the form), logged once per form, then the card
 * posted where chosen and the affected teams told. A form that is not right comes back with what
 * was typed and the problem.
 */
async function logDialogDecision(
  context: TurnContext,
  deps: BotDeps,
  raw: unknown,
): Promise<TaskModuleTaskInfo | string> {
  const { program } = deps;
  const locale = localeOf(context, program);
  if (!(await isSteering(context, deps))) return t(locale, 'msgext.forbidden');
  const parsed = decisionDialogPayload.safeParse(raw);
  // Not our dialog's data (an old or forged one): a fresh form rather than a bare error.
  if (!parsed.success)
    return dialog(deps, locale, randomUUID(), emptyFormValues(today(deps), program), await placesOf(context, deps));
  const { formId, postTo, ...input } = parsed.data;
  const again = async (err: ValidationError) =>
    dialog(
      deps,
      locale,
      formId,
      formValuesFromInput(input, emptyFormValues(today(deps), program)),
      await placesOf(context, deps),
      { problem: problemText(err, locale), ...(postTo ? { postTo } : {}) },
    );

  let logged: LogResult;
  try {
    const draft = await validateDraft(input, program, deps.repos);
    logged = await logDecision(deps, { draft, by: actorOf(context).name, requestId: formId });
  } catch (err) {
    if (err instanceof ValidationError) return again(err);
    // Numbered and stored, but storage went away before the log row: not "nothing was saved".
    if (err instanceof StorageUnavailableError && err.details.saved === true)
      return t(locale, 'decision.savedNotLogged', { number: String(err.details.number) });
    throw err;
  }
  const { decision, duplicate } = logged;
  if (duplicate) {
    // The delivery that logged it posts it; a retry only answers.
    if (logged.notify) notifyInBackground(deps, decision);
    return t(locale, 'msgext.duplicate', { number: decision.number });
  }
  deps.telemetry.count('decisions');
  notifyInBackground(deps, decision);
  const places = await placesOf(context, deps);
  const where = postTo === 'steering' && places.steering ? 'steering' : places.here ? 'here' : undefined;
  if (where) postInBackground(context, deps, decision, where, places.steering);
  return where
    ? t(locale, 'msgext.logged', {
        number: decision.number,
        where: t(locale, where === 'here' ? 'msgext.logged.here' : 'msgext.logged.steering'),
      })
    : t(locale, 'decision.confirm.logged', { number: decision.number });
}

// ---------------------------------------------------------------------------------------------
// Posting
// ---------------------------------------------------------------------------------------------

/** Tells the affected teams without holding up the answer; the scheduled job retries a failure. */
function notifyInBackground(deps: BotDeps, decision: Decision): void {
  deps.background.run(`decision-notices|${decision.number}`, async () => {
    await notifyDecision(
      { program: deps.program, repos: deps.repos, clock: deps.clock, logger: deps.logger, messenger: deps.messenger },
      decision,
      decisionNoticeMessage,
    );
  });
}

/** This conversation as a place to post: a reply in the message's thread, or in the chat. */
function hereTarget(context: TurnContext): { target: ChannelTarget; threadId: string } {
  const threadId = context.activity.conversation.id;
  return {
    target: {
      teamsTeamId: channelOf(context)?.teamsTeamId ?? '',
      channelId: threadId.split(';messageid=')[0] ?? threadId,
      reference: TurnContext.getConversationReference(context.activity),
    },
    threadId,
  };
}

/**
 * Posts the logged decision's card (in the program's language: everyone there reads it). In the
 * steering channel it has the amend and revoke buttons; elsewhere it shows the decision. A post
 * that fails is logged: the decision is in the log whatever happens to the post.
 */
function postInBackground(
  context: TurnContext,
  deps: BotDeps,
  decision: Decision,
  where: PostTo,
  steering: ChannelBinding | undefined,
): void {
  const locale = deps.program.locale;
  const here = where === 'here' ? hereTarget(context) : undefined;
  const inSteering = where === 'steering' || (!!steering && here?.target.channelId === steering.channelId);
  const card = decisionCard(decisionView(decision, deps.program, today(deps)), locale, {
    canEdit: inSteering,
    notice: { text: t(locale, 'decision.confirm.logged', { number: decision.number }), tone: 'good' },
  });
  const message = { card, summary: `${decision.number}: ${decision.title}`.slice(0, 200) };
  deps.background.run(`decision-post|${decision.number}`, async () => {
    try {
      if (here) await deps.messenger.reply(here.target, here.threadId, message);
      else if (steering) await deps.messenger.post(targetOf(steering), message);
    } catch (err) {
      deps.logger.warn(
        { err: { message: (err as Error).message }, number: decision.number, where },
        'could not post the logged decision',
      );
      // Kraftsamla was not added to the conversation the message is in: the decision goes to
      // the steering channel instead, saying so, so that it is not posted nowhere.
      if (here && steering && !inSteering && notInConversation(err))
        await postInSteeringInstead(deps, decision, steering);
    }
  });
}

/** Teams refuses a post into a conversation the bot is not part of with 403 (or 404 for a chat it never joined). */
function notInConversation(err: unknown): boolean {
  return err instanceof DeliveryError && (err.status === 403 || err.status === 404);
}

async function postInSteeringInstead(deps: BotDeps, decision: Decision, steering: ChannelBinding): Promise<void> {
  const locale = deps.program.locale;
  const card = decisionCard(decisionView(decision, deps.program, today(deps)), locale, {
    canEdit: true,
    notice: { text: t(locale, 'msgext.postedInstead', { number: decision.number }), tone: 'attention' },
  });
  try {
    await deps.messenger.post(targetOf(steering), {
      card,
      summary: `${decision.number}: ${decision.title}`.slice(0, 200),
    });
    deps.logger.info({ number: decision.number }, 'the logged decision was posted in the steering channel instead');
  } catch (err) {
    deps.logger.warn(
      { err: { message: (err as Error).message }, number: decision.number },
      'could not post the logged decision in the steering channel either',
    );
  }
}

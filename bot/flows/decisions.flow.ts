/**
 * The decision log in Teams. `beslut` / `decision` in the steering channel opens the form
 * (`beslut: <text>` pre-fills it); `beslut D-2026-004` shows one decision with its history;
 * `beslutslogg` / `decisions [team] [period]` lists the log. The cards amend, revoke, mark a
 * follow-up done and page the log. Affected teams get a notice (in the background, so the invoke
 * answers at once; a scheduled job finishes notices a crash or an outage left unposted).
 *
 * `register()` is the table of routes: each command and card verb points to one handler below.
 */
import { randomUUID } from 'node:crypto';
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { z } from 'zod';
import { decisionFormCard, decisionNoticeMessage } from '../../cards/decisions';
import {
  VERBS,
  decisionAmendSavePayload,
  decisionLogPagePayload,
  decisionNumberPayload,
  decisionRevokeSavePayload,
  decisionSubmitPayload,
} from '../../cards/verbs';
import type { CommandName } from '../../domain/commands';
import { carryMeeting } from '../../domain/meetings';
import {
  emptyFormValues,
  formValuesFromInput,
  getDecision,
  logDecision,
  markFollowUpDone,
  normaliseDecisionNumber,
  prefillFromText,
  resumeDecisionNotices,
  resumeSupersessions,
  validateDraft,
} from '../../domain/decisions';
import { ConcurrencyError, ForbiddenError, StorageUnavailableError, ValidationError } from '../../domain/errors';
import { t } from '../../domain/i18n';
import { inert } from '../../domain/text';
import { onCardAction, refuse, refusal, type CardAnswer } from '../card-actions';
import { argsOf, command } from '../command-route';
import type { BotDeps } from '../deps';
import { problemText } from '../errors';
import { assertSteering, isSteering } from '../roles';
import { actorOf, bindingOf, localeOf } from '../turn';
import { openAmendForm, openRevokeForm, saveAmendment, saveRevocation } from './decision-changes';
import { showDecisionLog, showLogPage } from './decision-log';
import { notifyDeps, notifyInBackground, replaceForAll, showCard, teamChoices, today } from './decision-shared';
import { runningMeetingOf } from './meetings.flow';

/** Re-runs unfinished decision notices (fan-out skips what was posted). */
const DECISION_NOTICES_JOB = { name: 'decision-notices', cron: '*/15 * * * *' } as const;

// ---------------------------------------------------------------------------------------------
// The routes
// ---------------------------------------------------------------------------------------------

type CommandHandler = (context: TurnContext, deps: BotDeps) => Promise<void>;
type VerbHandler<T> = (context: TurnContext, deps: BotDeps, data: T) => Promise<CardAnswer>;
type CardRoute = (app: Application<TurnState>, deps: BotDeps) => void;

/** A card verb, the schema its payload must meet, and the handler that answers it. */
function verb<T>(name: string, schema: z.ZodType<T>, handler: VerbHandler<T>): CardRoute {
  return (app, deps) => onCardAction(app, deps, name, schema, (context, data) => handler(context, deps, data));
}

/** The text commands, routed in this order. */
const COMMANDS: readonly (readonly [CommandName, CommandHandler])[] = [
  ['decision', openFormOrShowDecision],
  ['decisions', showDecisionLog],
];

/** The card verbs: one handler each. */
const VERB_ROUTES: readonly CardRoute[] = [
  verb(VERBS.decisionSubmit, decisionSubmitPayload, logSubmittedDecision),
  verb(VERBS.decisionShow, decisionNumberPayload, showDecision),
  verb(VERBS.decisionAmend, decisionNumberPayload, openAmendForm),
  verb(VERBS.decisionAmendSave, decisionAmendSavePayload, saveAmendment),
  verb(VERBS.decisionRevoke, decisionNumberPayload, openRevokeForm),
  verb(VERBS.decisionRevokeSave, decisionRevokeSavePayload, saveRevocation),
  verb(VERBS.decisionFollowUpDone, decisionNumberPayload, markDecisionFollowUpDone),
  verb(VERBS.decisionLogPage, decisionLogPagePayload, showLogPage),
];

export function register(app: Application<TurnState>, deps: BotDeps): void {
  deps.scheduler.add({ ...DECISION_NOTICES_JOB, run: () => resumeNotices(deps) });
  for (const [name, handle] of COMMANDS) app.message(command(name), (context) => handle(context, deps));
  for (const route of VERB_ROUTES) route(app, deps);
}

// ---------------------------------------------------------------------------------------------
// What the handlers share
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// The scheduled job
// ---------------------------------------------------------------------------------------------

/** Marks the replaced decisions and posts the notices that a crash or an outage left undone. */
async function resumeNotices(deps: BotDeps): Promise<void> {
  await resumeSupersessions(deps);
  await resumeDecisionNotices(notifyDeps(deps), decisionNoticeMessage);
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/**
 * `beslut D-2026-004` shows that decision; `beslut` (or `beslut: <text>`) in the steering channel
 * opens the form, pre-filled with the text. Elsewhere it says where decisions are logged.
 */
async function openFormOrShowDecision(context: TurnContext, deps: BotDeps): Promise<void> {
  const { program } = deps;
  const locale = localeOf(context, program);
  const args = argsOf(context);
  const binding = await bindingOf(context, deps);
  const inSteering = binding?.role.kind === 'steering';

  const number = normaliseDecisionNumber(args);
  if (number) {
    const d = await getDecision(deps, number);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(showCard(deps, d, locale, inSteering))] });
    return;
  }
  if (!inSteering) {
    const steering = (await deps.repos.bindings.findByRole(program.id, { kind: 'steering' }))[0];
    await context.sendActivity(
      steering
        ? t(locale, 'decision.where.steering', { channel: inert(steering.channelName || 'General', 100) })
        : t(locale, 'decision.where.unbound'),
    );
    return;
  }
  if (!(await isSteering(context, deps))) {
    await context.sendActivity(t(locale, 'decision.forbidden'));
    return;
  }
  const values = emptyFormValues(today(deps), program);
  // In the steering meeting's chat while it runs: the meeting's title and date.
  const meeting = await runningMeetingOf(context, deps);
  if (meeting) Object.assign(values, { meetingName: meeting.title, meetingDate: meeting.date });
  if (args) Object.assign(values, prefillFromText(args));
  const form = decisionFormCard({ mode: 'new', formId: randomUUID(), values, teams: teamChoices(deps) }, locale);
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(form)] });
}

// ---------------------------------------------------------------------------------------------
// Card verbs
// ---------------------------------------------------------------------------------------------

/** The form's save: numbers and logs the decision, tells the affected teams, and shows it to the channel. */
async function logSubmittedDecision(
  context: TurnContext,
  deps: BotDeps,
  data: z.infer<typeof decisionSubmitPayload>,
): Promise<CardAnswer> {
  const { program } = deps;
  const locale = localeOf(context, program);
  const { verb: _verb, formId, ...input } = data;
  await assertSteering(context, deps, locale);
  // The form comes back with what was typed and what to fix: nothing typed is lost.
  const formAgain = (err: ValidationError) =>
    refusal(
      decisionFormCard(
        {
          mode: 'new',
          formId,
          values: formValuesFromInput(input, emptyFormValues(today(deps), program)),
          teams: teamChoices(deps),
          problem: problemText(err, locale),
        },
        locale,
      ),
      problemText(err, locale),
    );
  let draft;
  try {
    // Logged in the meeting's chat while it runs: the decision carries the meeting.
    draft = carryMeeting(await validateDraft(input, program, deps.repos), await runningMeetingOf(context, deps));
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return formAgain(err);
  }
  const requestId = formId ?? context.activity.id ?? randomUUID();
  let logged: Awaited<ReturnType<typeof logDecision>>;
  try {
    logged = await logDecision(deps, { draft, by: actorOf(context).name, requestId });
  } catch (err) {
    // The decision it would replace may not be replaced (gone, revoked, replaced already).
    if (err instanceof ValidationError) return formAgain(err);
    // Numbered and stored, but storage went away before the log row: not "nothing was saved".
    if (err instanceof StorageUnavailableError && err.details.saved === true) {
      deps.logger.warn(
        { code: err.code, activityId: context.activity.id, number: err.details.number },
        'decision saved; its log row is not written yet',
      );
      return refuse(t(locale, 'decision.savedNotLogged', { number: String(err.details.number) }), locale);
    }
    throw err;
  }
  const { decision, duplicate } = logged;
  if (!duplicate) deps.telemetry.count('decisions');
  // A duplicate leaves the notices to the delivery that logged it, unless that was long ago
  // (then the fan-out skips delivered notices and finishes any the first try left).
  if (logged.notify) notifyInBackground(deps, decision);
  const card = showCard(deps, decision, locale, true, {
    text: t(locale, duplicate ? 'decision.confirm.duplicate' : 'decision.confirm.logged', { number: decision.number }),
    tone: 'good',
  });
  await replaceForAll(context, deps, card);
  return card;
}

/** One decision with its history; the amend and revoke buttons in the steering channel only. */
async function showDecision(
  context: TurnContext,
  deps: BotDeps,
  data: z.infer<typeof decisionNumberPayload>,
): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  const binding = await bindingOf(context, deps);
  return showCard(deps, await getDecision(deps, data.number), locale, binding?.role.kind === 'steering');
}

/** Marks the follow-up done, from the steering channel or the channel of a team it falls to. */
async function markDecisionFollowUpDone(
  context: TurnContext,
  deps: BotDeps,
  data: z.infer<typeof decisionNumberPayload>,
): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  const d = await getDecision(deps, data.number);
  // The team the follow-up falls to may mark it done from its own channel; so may the steering group.
  const binding = await bindingOf(context, deps);
  const role = binding?.role;
  const ownTeam = role?.kind === 'team' && d.affectedTeams.includes(role.teamKey);
  if (!ownTeam && !(await isSteering(context, deps))) {
    throw new ForbiddenError('only the steering group or an affected team may mark a follow-up done', {
      role: t(locale, 'decision.role.followUp'),
    });
  }
  try {
    const saved = await markFollowUpDone(deps, { number: d.number, by: actorOf(context).name });
    return showCard(deps, saved, locale, role?.kind === 'steering', {
      text: t(locale, 'decision.confirm.followUpDone', { number: d.number }),
      tone: 'good',
    });
  } catch (err) {
    if (err instanceof ConcurrencyError) {
      const text = t(locale, 'error.conflict');
      return refusal(
        showCard(deps, await getDecision(deps, data.number), locale, role?.kind === 'steering', {
          text,
          tone: 'attention',
        }),
        text,
      );
    }
    throw err;
  }
}

/**
 * The decision log in Teams. `beslut` / `decision` in the steering channel opens the form
 * (`beslut: <text>` pre-fills it); `beslut D-2026-004` shows one decision with its history;
 * `beslutslogg` / `decisions [team] [period]` lists the log. The cards amend, revoke, mark a
 * follow-up done and page the log. Affected teams get a notice (in the background, so the invoke
 * answers at once; a scheduled job finishes notices a crash or an outage left unposted).
 */
import { randomUUID } from 'node:crypto';
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { AdaptiveCard } from '../../cards/card';
import { decisionCard, revokeFormCard } from '../../cards/decision.card';
import { decisionFormCard } from '../../cards/decision-form.card';
import { decisionLogCard } from '../../cards/decision-log.card';
import { decisionNoticeMessage } from '../../cards/decision-notice.card';
import {
  type DecisionLogPagePayload,
  VERBS,
  decisionAmendSavePayload,
  decisionLogPagePayload,
  decisionNumberPayload,
  decisionRevokeSavePayload,
  decisionSubmitPayload,
} from '../../cards/verbs';
import {
  type DecisionFilter,
  type NotifyDeps,
  amendDecision,
  decisionView,
  describeFilter,
  emptyFormValues,
  formValuesFromInput,
  formValuesOf,
  listDecisions,
  MAX_FILTER_YEARS,
  getDecision,
  logDecision,
  logItemOf,
  markFollowUpDone,
  normaliseDecisionNumber,
  notifyDecision,
  parseDecisionFilter,
  prefillFromText,
  resumeDecisionNotices,
  revokeDecision,
  validateDraft,
  validateReason,
} from '../../domain/decision';
import { ConcurrencyError, ForbiddenError, NotFoundError, StorageUnavailableError, ValidationError } from '../../domain/errors';
import { t } from '../../domain/i18n';
import { inert } from '../../domain/text';
import { isoWeekOfDate, localDate, formatIsoWeek } from '../../domain/time';
import type { Decision, Locale } from '../../domain/types';
import { onCardAction, refuse, refusal, type CardAnswer } from '../card-actions';
import { argsOf, command } from '../command-route';
import type { BotDeps } from '../deps';
import { assertSteering, isSteering } from '../roles';
import { actorOf, bindingOf, localeOf } from '../turn';

/** Re-runs unfinished decision notices (fan-out skips what was posted). */
const DECISION_NOTICES_JOB = { name: 'decision-notices', cron: '*/15 * * * *' } as const;

const today = (deps: BotDeps) => localDate(deps.clock.now(), deps.program.timezone);
const teamChoices = (deps: BotDeps) => deps.program.teams.map((x) => ({ key: x.key, name: x.name }));

function notifyDeps(deps: BotDeps): NotifyDeps {
  return { program: deps.program, repos: deps.repos, clock: deps.clock, logger: deps.logger, messenger: deps.messenger };
}

/** Posts the notices without holding up the invoke (Teams wants its answer within seconds). */
function notifyInBackground(deps: BotDeps, decision: Decision): void {
  // Tracked, so shutdown waits for it; a failure is logged and the scheduled job retries.
  deps.background.run(`decision-notices|${decision.number}`, async () => {
    await notifyDecision(notifyDeps(deps), decision, decisionNoticeMessage);
  });
}

/**
 * A change the store or a rule refused (someone changed the decision first, or it may not change
 * that way): the decision as it is now, saying why. Anything else is thrown on.
 */
async function refusedChangeCard(deps: BotDeps, err: unknown, number: string, locale: Locale, canEdit: boolean): Promise<CardAnswer> {
  if (!(err instanceof ConcurrencyError) && !(err instanceof ValidationError)) throw err;
  const text = err instanceof ConcurrencyError ? t(locale, 'error.conflict') : problemOf(err);
  return refusal(showCard(deps, await getDecision(deps, number, locale), locale, canEdit, { text, tone: 'attention' }), text);
}

function showCard(deps: BotDeps, d: Decision, locale: Locale, canEdit: boolean, notice?: { text: string; tone: 'good' | 'attention' | 'default' }): AdaptiveCard {
  return decisionCard(decisionView(d, deps.program, today(deps)), locale, { canEdit, ...(notice ? { notice } : {}) });
}

/** The confirmation replaces the form for everyone in the channel, not only for who pressed save. */
async function replaceForAll(context: TurnContext, deps: BotDeps, card: AdaptiveCard): Promise<void> {
  if (context.activity.type !== 'invoke' || !context.activity.replyToId) return;
  try {
    await context.updateActivity({ type: 'message', id: context.activity.replyToId, attachments: [CardFactory.adaptiveCard(card)] });
  } catch (err) {
    deps.logger.warn({ err: { message: (err as Error).message } }, 'could not replace the form for everyone');
  }
}

/** A revoked decision can't be amended or revoked again: the decision as it is, saying so, for the presser. */
function revokedCard(deps: BotDeps, d: Decision, locale: Locale): CardAnswer {
  const text = t(locale, 'decision.error.revoked', { number: d.number });
  return refusal(showCard(deps, d, locale, true, { text, tone: 'attention' }), text);
}

function problemOf(err: ValidationError): string {
  return String(err.details.problem ?? err.message);
}

function filterPayload(filter: DecisionFilter): Omit<DecisionLogPagePayload, 'verb' | 'page'> {
  return { from: filter.from, to: filter.to, period: filter.period?.kind ?? 'range', ...(filter.teamKey ? { team: filter.teamKey } : {}) };
}

function filterOf(p: DecisionLogPagePayload): DecisionFilter {
  const base = { from: p.from, to: p.to, ...(p.team ? { teamKey: p.team } : {}) };
  if (p.period === 'year') return { ...base, period: { kind: 'year', year: Number(p.from.slice(0, 4)) } };
  if (p.period === 'week') {
    const w = isoWeekOfDate(Number(p.from.slice(0, 4)), Number(p.from.slice(5, 7)), Number(p.from.slice(8, 10)));
    return { ...base, period: { kind: 'week', week: formatIsoWeek(w.year, w.week) } };
  }
  return { ...base, period: { kind: p.period } };
}

async function logCard(deps: BotDeps, filter: DecisionFilter, locale: Locale, page: number): Promise<AdaptiveCard> {
  const decisions = await listDecisions(deps.repos, deps.program.id, filter);
  return decisionLogCard(
    { items: decisions.map((d) => logItemOf(d, deps.program)), filterLabel: describeFilter(filter, deps.program, locale), filter: filterPayload(filter) },
    locale,
    page,
  );
}

export function register(app: Application<TurnState>, deps: BotDeps): void {
  const { program } = deps;

  deps.scheduler.add({
    ...DECISION_NOTICES_JOB,
    run: async () => {
      await resumeDecisionNotices(notifyDeps(deps), decisionNoticeMessage);
    },
  });

  app.message(command('decision'), async (context) => {
    const locale = localeOf(context, program);
    const args = argsOf(context);
    const binding = await bindingOf(context, deps);
    const inSteering = binding?.role.kind === 'steering';

    const number = normaliseDecisionNumber(args);
    if (number) {
      const d = await getDecision(deps, number, locale);
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(showCard(deps, d, locale, inSteering))] });
      return;
    }
    if (!inSteering) {
      const steering = (await deps.repos.bindings.findByRole(program.id, { kind: 'steering' }))[0];
      await context.sendActivity(steering ? t(locale, 'decision.where.steering', { channel: inert(steering.channelName || 'General', 100) }) : t(locale, 'decision.where.unbound'));
      return;
    }
    if (!(await isSteering(context, deps))) {
      await context.sendActivity(t(locale, 'decision.forbidden'));
      return;
    }
    const values = emptyFormValues(today(deps), program);
    if (args) Object.assign(values, prefillFromText(args));
    const form = decisionFormCard({ mode: 'new', formId: randomUUID(), values, teams: teamChoices(deps) }, locale);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(form)] });
  });

  app.message(command('decisions'), async (context) => {
    const locale = localeOf(context, program);
    let filter: DecisionFilter;
    try {
      filter = parseDecisionFilter(argsOf(context), program, today(deps), locale);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // The problem repeats what was typed, in a Markdown-rendered message: sent inert.
      await context.sendActivity(inert(problemOf(err), Infinity));
      return;
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(await logCard(deps, filter, locale, 0))] });
  });

  onCardAction(app, deps, VERBS.decisionSubmit, decisionSubmitPayload, async (context, data) => {
    const locale = localeOf(context, program);
    const { verb: _verb, formId, ...input } = data;
    await assertSteering(context, deps, locale);
    let draft;
    try {
      draft = await validateDraft(input, program, deps.repos, locale);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // The form comes back with what was typed and what to fix: nothing typed is lost.
      return refusal(
        decisionFormCard({ mode: 'new', formId, values: formValuesFromInput(input, emptyFormValues(today(deps), program)), teams: teamChoices(deps), problem: problemOf(err) }, locale),
        problemOf(err),
      );
    }
    const requestId = formId ?? context.activity.id ?? randomUUID();
    let logged: Awaited<ReturnType<typeof logDecision>>;
    try {
      logged = await logDecision(deps, { draft, by: actorOf(context).name, requestId });
    } catch (err) {
      // Numbered and stored, but storage went away before the log row: not "nothing was saved".
      if (err instanceof StorageUnavailableError && err.details.saved === true) {
        deps.logger.warn({ code: err.code, activityId: context.activity.id, number: err.details.number }, 'decision saved; its log row is not written yet');
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
  });

  onCardAction(app, deps, VERBS.decisionShow, decisionNumberPayload, async (context, data) => {
    const locale = localeOf(context, program);
    const binding = await bindingOf(context, deps);
    return showCard(deps, await getDecision(deps, data.number, locale), locale, binding?.role.kind === 'steering');
  });

  onCardAction(app, deps, VERBS.decisionAmend, decisionNumberPayload, async (context, data) => {
    const locale = localeOf(context, program);
    await assertSteering(context, deps, locale);
    const d = await getDecision(deps, data.number, locale);
    if (d.state === 'revoked') return revokedCard(deps, d, locale);
    return decisionFormCard({ mode: 'amend', number: d.number, etag: d.etag, values: formValuesOf(d), teams: teamChoices(deps) }, locale);
  });

  onCardAction(app, deps, VERBS.decisionAmendSave, decisionAmendSavePayload, async (context, data) => {
    const locale = localeOf(context, program);
    const { verb: _verb, number, etag, reason: rawReason, ...input } = data;
    await assertSteering(context, deps, locale);
    let draft;
    let reason: string;
    try {
      draft = await validateDraft(input, program, deps.repos, locale);
      reason = validateReason(rawReason, locale);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // The form again, as typed; what was not typed comes from the decision as it is.
      const current = await getDecision(deps, number, locale);
      return refusal(
        decisionFormCard(
          { mode: 'amend', number, etag, values: formValuesFromInput({ ...input, reason: rawReason }, formValuesOf(current)), teams: teamChoices(deps), problem: problemOf(err) },
          locale,
        ),
        problemOf(err),
      );
    }
    try {
      const { decision, notify } = await amendDecision(deps, { number, etag, draft, reason, by: actorOf(context).name, requestId: context.activity.id ?? randomUUID(), locale });
      if (notify) notifyInBackground(deps, decision);
      return showCard(deps, decision, locale, true, { text: t(locale, 'decision.confirm.amended', { number }), tone: 'good' });
    } catch (err) {
      return refusedChangeCard(deps, err, number, locale, true);
    }
  });

  onCardAction(app, deps, VERBS.decisionRevoke, decisionNumberPayload, async (context, data) => {
    const locale = localeOf(context, program);
    await assertSteering(context, deps, locale);
    const d = await getDecision(deps, data.number, locale);
    if (d.state === 'revoked') return revokedCard(deps, d, locale);
    return revokeFormCard({ number: d.number, title: d.title, etag: d.etag }, locale);
  });

  onCardAction(app, deps, VERBS.decisionRevokeSave, decisionRevokeSavePayload, async (context, data) => {
    const locale = localeOf(context, program);
    await assertSteering(context, deps, locale);
    let reason: string;
    try {
      reason = validateReason(data.reason, locale);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const current = await getDecision(deps, data.number, locale);
      return refusal(revokeFormCard({ number: current.number, title: current.title, etag: data.etag, reason: data.reason, problem: problemOf(err) }, locale), problemOf(err));
    }
    try {
      const { decision, notify } = await revokeDecision(deps, { number: data.number, etag: data.etag, reason, by: actorOf(context).name, requestId: context.activity.id ?? randomUUID(), locale });
      if (notify) notifyInBackground(deps, decision);
      return showCard(deps, decision, locale, true, { text: t(locale, 'decision.confirm.revoked', { number: data.number }), tone: 'good' });
    } catch (err) {
      return refusedChangeCard(deps, err, data.number, locale, true);
    }
  });

  onCardAction(app, deps, VERBS.decisionFollowUpDone, decisionNumberPayload, async (context, data) => {
    const locale = localeOf(context, program);
    const d = await getDecision(deps, data.number, locale);
    // The team the follow-up falls to may mark it done from its own channel; so may the steering group.
    const binding = await bindingOf(context, deps);
    const role = binding?.role;
    const ownTeam = role?.kind === 'team' && d.affectedTeams.includes(role.teamKey);
    if (!ownTeam && !(await isSteering(context, deps))) {
      throw new ForbiddenError('only the steering group or an affected team may mark a follow-up done', { role: t(locale, 'decision.role.followUp') });
    }
    try {
      const saved = await markFollowUpDone(deps, { number: d.number, by: actorOf(context).name, locale });
      return showCard(deps, saved, locale, role?.kind === 'steering', { text: t(locale, 'decision.confirm.followUpDone', { number: d.number }), tone: 'good' });
    } catch (err) {
      if (err instanceof ConcurrencyError) {
        const text = t(locale, 'error.conflict');
        return refusal(showCard(deps, await getDecision(deps, data.number, locale), locale, role?.kind === 'steering', { text, tone: 'attention' }), text);
      }
      throw err;
    }
  });

  onCardAction(app, deps, VERBS.decisionLogPage, decisionLogPagePayload, async (context, data) => {
    const locale = localeOf(context, program);
    if (data.team && !program.teams.some((x) => x.key === data.team)) throw new NotFoundError(`team ${data.team}`, { what: data.team });
    if (data.from > data.to || Number(data.to.slice(0, 4)) - Number(data.from.slice(0, 4)) >= MAX_FILTER_YEARS) {
      throw new ValidationError('decision log page: bad period', { problem: t(locale, 'decision.filter.invalid', { value: `${data.from}..${data.to}` }) });
    }
    return logCard(deps, filterOf(data), locale, data.page);
  });
}

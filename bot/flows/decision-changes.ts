/**
 * Amending and revoking a decision from its card in the steering channel: the form, the reason,
 * the change saved with its history, and the affected teams told.
 */
import { randomUUID } from 'node:crypto';
import { type TurnContext } from 'botbuilder';
import type { z } from 'zod';
import { decisionFormCard, revokeFormCard } from '../../cards/decisions';
import { decisionAmendSavePayload, decisionNumberPayload, decisionRevokeSavePayload } from '../../cards/verbs';
import {
  amendDecision,
  formValuesFromInput,
  formValuesOf,
  getDecision,
  revokeDecision,
  validateDraft,
  validateReason,
} from '../../domain/decisions';
import { ValidationError } from '../../domain/errors';
import { t } from '../../domain/i18n';
import { refusal, type CardAnswer } from '../card-actions';
import type { BotDeps } from '../deps';
import { problemText } from '../errors';
import { assertSteering } from '../roles';
import { actorOf, localeOf } from '../turn';
import { notifyInBackground, refusedChangeCard, revokedCard, showCard, teamChoices } from './decision-shared';

/** The form again, filled in with the decision as it is, to amend it. */
export async function openAmendForm(
  context: TurnContext,
  deps: BotDeps,
  data: z.infer<typeof decisionNumberPayload>,
): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  await assertSteering(context, deps, locale);
  const d = await getDecision(deps, data.number);
  if (d.state === 'revoked') return revokedCard(deps, d, locale);
  return decisionFormCard(
    { mode: 'amend', number: d.number, etag: d.etag, values: formValuesOf(d), teams: teamChoices(deps) },
    locale,
  );
}

/** The amend form's save: the amendment with its reason, and the affected teams told. */
export async function saveAmendment(
  context: TurnContext,
  deps: BotDeps,
  data: z.infer<typeof decisionAmendSavePayload>,
): Promise<CardAnswer> {
  const { program } = deps;
  const locale = localeOf(context, program);
  const { verb: _verb, number, etag, reason: rawReason, ...input } = data;
  await assertSteering(context, deps, locale);
  let draft;
  let reason: string;
  try {
    draft = await validateDraft(input, program, deps.repos);
    reason = validateReason(rawReason);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    // The form again, as typed; what was not typed comes from the decision as it is.
    const current = await getDecision(deps, number);
    return refusal(
      decisionFormCard(
        {
          mode: 'amend',
          number,
          etag,
          values: formValuesFromInput({ ...input, reason: rawReason }, formValuesOf(current)),
          teams: teamChoices(deps),
          problem: problemText(err, locale),
        },
        locale,
      ),
      problemText(err, locale),
    );
  }
  try {
    const { decision, notify } = await amendDecision(deps, {
      number,
      etag,
      draft,
      reason,
      by: actorOf(context).name,
      requestId: context.activity.id ?? randomUUID(),
    });
    if (notify) notifyInBackground(deps, decision);
    return showCard(deps, decision, locale, true, {
      text: t(locale, 'decision.confirm.amended', { number }),
      tone: 'good',
    });
  } catch (err) {
    return refusedChangeCard(deps, err, number, locale, true);
  }
}

/** Asks for the reason before a decision is revoked. */
export async function openRevokeForm(
  context: TurnContext,
  deps: BotDeps,
  data: z.infer<typeof decisionNumberPayload>,
): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  await assertSteering(context, deps, locale);
  const d = await getDecision(deps, data.number);
  if (d.state === 'revoked') return revokedCard(deps, d, locale);
  return revokeFormCard({ number: d.number, title: d.title, etag: d.etag }, locale);
}

/** The revoke form's save: the decision revoked with its reason, and the affected teams told. */
export async function saveRevocation(
  context: TurnContext,
  deps: BotDeps,
  data: z.infer<typeof decisionRevokeSavePayload>,
): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  await assertSteering(context, deps, locale);
  let reason: string;
  try {
    reason = validateReason(data.reason);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const current = await getDecision(deps, data.number);
    return refusal(
      revokeFormCard(
        {
          number: current.number,
          title: current.title,
          etag: data.etag,
          reason: data.reason,
          problem: problemText(err, locale),
        },
        locale,
      ),
      problemText(err, locale),
    );
  }
  try {
    const { decision, notify } = await revokeDecision(deps, {
      number: data.number,
      etag: data.etag,
      reason,
      by: actorOf(context).name,
      requestId: context.activity.id ?? randomUUID(),
    });
    if (notify) notifyInBackground(deps, decision);
    return showCard(deps, decision, locale, true, {
      text: t(locale, 'decision.confirm.revoked', { number: data.number }),
      tone: 'good',
    });
  } catch (err) {
    return refusedChangeCard(deps, err, data.number, locale, true);
  }
}

/**
 * What the decisions flow's handlers share: the decision card for the presser and for the channel,
 * the notices to affected teams in the background, and the refusals of a change.
 */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/card';
import { decisionCard, decisionNoticeMessage } from '../../cards/decisions';
import { type NotifyDeps, decisionView, getDecision, notifyDecision } from '../../domain/decisions';
import { ConcurrencyError, ValidationError } from '../../domain/errors';
import { t } from '../../domain/i18n';
import { localDate } from '../../domain/time';
import type { Decision, Locale } from '../../domain/types';
import { refusal, type CardAnswer } from '../card-actions';
import type { BotDeps } from '../deps';
import { problemText } from '../errors';

export const today = (deps: BotDeps) => localDate(deps.clock.now(), deps.program.timezone);
export const teamChoices = (deps: BotDeps) => deps.program.teams.map((x) => ({ key: x.key, name: x.name }));

export function notifyDeps(deps: BotDeps): NotifyDeps {
  return {
    program: deps.program,
    repos: deps.repos,
    clock: deps.clock,
    logger: deps.logger,
    messenger: deps.messenger,
  };
}

/** Posts the notices without holding up the invoke (Teams wants its answer within seconds). */
export function notifyInBackground(deps: BotDeps, decision: Decision): void {
  // Tracked, so shutdown waits for it; a failure is logged and the scheduled job retries.
  deps.background.run(`decision-notices|${decision.number}`, async () => {
    await notifyDecision(notifyDeps(deps), decision, decisionNoticeMessage);
  });
}

/**
 * A change the store or a rule refused (someone changed the decision first, or it may not change
 * that way): the decision as it is now, saying why. Anything else is thrown on.
 */
export async function refusedChangeCard(
  deps: BotDeps,
  err: unknown,
  number: string,
  locale: Locale,
  canEdit: boolean,
): Promise<CardAnswer> {
  if (!(err instanceof ConcurrencyError) && !(err instanceof ValidationError)) throw err;
  const text = err instanceof ConcurrencyError ? t(locale, 'error.conflict') : problemText(err, locale);
  return refusal(showCard(deps, await getDecision(deps, number), locale, canEdit, { text, tone: 'attention' }), text);
}

export function showCard(
  deps: BotDeps,
  d: Decision,
  locale: Locale,
  canEdit: boolean,
  notice?: { text: string; tone: 'good' | 'attention' | 'default' },
): AdaptiveCard {
  return decisionCard(decisionView(d, deps.program, today(deps)), locale, { canEdit, ...(notice ? { notice } : {}) });
}

/** The confirmation replaces the form for everyone in the channel, not only for who pressed save. */
export async function replaceForAll(context: TurnContext, deps: BotDeps, card: AdaptiveCard): Promise<void> {
  if (context.activity.type !== 'invoke' || !context.activity.replyToId) return;
  try {
    await context.updateActivity({
      type: 'message',
      id: context.activity.replyToId,
      attachments: [CardFactory.adaptiveCard(card)],
    });
  } catch (err) {
    deps.logger.warn({ err: { message: (err as Error).message } }, 'could not replace the form for everyone');
  }
}

/** A revoked decision can't be amended or revoked again: the decision as it is, saying so, for the presser. */
export function revokedCard(deps: BotDeps, d: Decision, locale: Locale): CardAnswer {
  const text = t(locale, 'decision.error.revoked', { number: d.number });
  return refusal(showCard(deps, d, locale, true, { text, tone: 'attention' }), text);
}

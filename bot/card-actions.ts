/**
 * One registration for a card verb that answers both ways Teams delivers it: `Action.Execute`
 * (invoke `adaptiveCard/action`, the new card goes back in the invoke response) and
 * `Action.Submit` (a message with `value`; the card is replaced with `updateActivity`). Payloads
 * are validated with zod first; any error becomes a localised notice card.
 *
 * A refusal (an error, a form that was not saved, "someone changed it first") is for the person
 * who pressed only, never over the card everyone in the channel sees:
 * - Action.Execute: Teams shows the card of the invoke response to the person who pressed
 *   (teams-ai calls it REPLACE_FOR_INTERACTOR; replacing it for everyone needs an
 *   `updateActivity`, which a refusal never makes), so the refusal goes there;
 * - Action.Submit: Teams shows nothing of its own, and the bot can only replace the card for
 *   everyone, so the card stays as it is and the refusal is a new message in the card's thread.
 */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { z } from 'zod';
import type { AdaptiveCard } from '../cards/card';
import { noticeCard } from '../cards/notice.card';
import { ValidationError } from '../domain/errors';
import { fieldIssueText, zodFieldIssues } from '../domain/i18n/issues';
import type { Locale } from '../domain/types';
import type { BotDeps } from './deps';
import { describeError, logError } from './errors';
import { noteTeam } from './request-log';
import { localeOf } from './turn';

/** What a handler answers when it refuses: the card for the presser (Execute) and the words (Submit). */
export interface Refusal {
  refused: AdaptiveCard;
  message: string;
}

export type CardAnswer = AdaptiveCard | Refusal;

export type CardHandler<T> = (context: TurnContext, data: T) => Promise<CardAnswer>;

/** A refusal shown as `card` to the person who pressed an Action.Execute, and as `message` after an Action.Submit. */
export function refusal(card: AdaptiveCard, message: string): Refusal {
  return { refused: card, message };
}

/** A refusal that is only words: a notice card for Execute, the same words for Submit. */
export function refuse(message: string, locale: Locale): Refusal {
  return refusal(noticeCard(message, locale, 'attention'), message);
}

function isRefusal(answer: CardAnswer): answer is Refusal {
  return (answer as Partial<AdaptiveCard>).type !== 'AdaptiveCard' && 'refused' in answer;
}

/**
 * The payload as the verb's schema wants it. The problem shown to the person is in their
 * language (domain/i18n/issues.ts); the error's message, which is logged, names only the fields.
 */
function parsePayload<T>(schema: z.ZodType<T>, data: unknown, locale: Locale): T {
  const result = schema.safeParse(data);
  if (!result.success) {
    const fields = result.error.issues.map((i) => i.path.join('.') || 'data').join(', ');
    const problem = zodFieldIssues(result.error, data)
      .map((issue) => fieldIssueText(locale, issue))
      .join('; ');
    throw new ValidationError(`card payload: invalid ${fields}`, { problem });
  }
  return result.data;
}

export function onCardAction<T>(
  app: Application<TurnState>,
  deps: BotDeps,
  verb: string,
  schema: z.ZodType<T>,
  handler: CardHandler<T>,
): void {
  const run = async (context: TurnContext, raw: unknown): Promise<CardAnswer> => {
    const locale = localeOf(context, deps.program);
    try {
      const data = parsePayload(schema, raw, locale);
      // The request log line names the program team of the card, when it is one of the program's
      // (a forged card's key is not repeated).
      const teamKey = (data as { teamKey?: unknown } | undefined)?.teamKey;
      if (typeof teamKey === 'string' && deps.program.teams.some((x) => x.key === teamKey)) noteTeam(context, teamKey);
      return await handler(context, data);
    } catch (err) {
      logError(deps.logger, err, { verb, activityId: context.activity.id });
      return refuse(describeError(err, locale), locale);
    }
  };

  app.adaptiveCards.actionExecute(verb, async (context, _state, data) => {
    const answer = await run(context, data);
    return (isRefusal(answer) ? answer.refused : answer) as never;
  });

  app.adaptiveCards.actionSubmit(verb, async (context, _state, data) => {
    const answer = await run(context, data);
    if (isRefusal(answer)) {
      // The card in the channel is left as it is (with what the presser typed, in their client).
      await context.sendActivity({
        attachments: [
          CardFactory.adaptiveCard(noticeCard(answer.message, localeOf(context, deps.program), 'attention')),
        ],
      });
      return;
    }
    const attachment = CardFactory.adaptiveCard(answer);
    if (context.activity.replyToId) {
      try {
        await context.updateActivity({ type: 'message', id: context.activity.replyToId, attachments: [attachment] });
        return;
      } catch (err) {
        deps.logger.warn({ err, verb }, 'could not update the card in place; replying instead');
      }
    }
    await context.sendActivity({ attachments: [attachment] });
  });
}

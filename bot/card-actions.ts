/**
 * One registration for a card verb that answers both ways Teams delivers it: `Action.Execute`
 * (invoke `adaptiveCard/action`, the new card goes back in the invoke response) and
 * `Action.Submit` (a message with `value`; the card is replaced with `updateActivity`). Payloads
 * are validated with zod first; any error becomes a localised notice card.
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
import { localeOf } from './turn';

export type CardHandler<T> = (context: TurnContext, data: T) => Promise<AdaptiveCard>;

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

export function onCardAction<T>(app: Application<TurnState>, deps: BotDeps, verb: string, schema: z.ZodType<T>, handler: CardHandler<T>): void {
  const run = async (context: TurnContext, raw: unknown): Promise<AdaptiveCard> => {
    const locale = localeOf(context, deps.program);
    try {
      return await handler(context, parsePayload(schema, raw, locale));
    } catch (err) {
      logError(deps.logger, err, { verb, activityId: context.activity.id });
      return noticeCard(describeError(err, locale), locale, 'attention');
    }
  };

  app.adaptiveCards.actionExecute(verb, async (context, _state, data) => (await run(context, data)) as never);

  app.adaptiveCards.actionSubmit(verb, async (context, _state, data) => {
    const next = await run(context, data);
    const attachment = CardFactory.adaptiveCard(next);
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

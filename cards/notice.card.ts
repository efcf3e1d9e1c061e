import type { Locale } from '../domain/types';
import { type AdaptiveCard, card, literal } from './card';

/**
 * A one-line card (used where an invoke must answer with a card: errors, refusals). The message
 * often repeats what someone sent (a team key, a week, a field), so it is a TextRun, never
 * Markdown; the fallback text (shown where the card is not) is the same words.
 */
export function noticeCard(
  message: string,
  _locale: Locale,
  tone: 'default' | 'attention' | 'good' = 'default',
): AdaptiveCard {
  const color = tone === 'attention' ? 'Attention' : tone === 'good' ? 'Good' : 'Default';
  return card([literal(message, {}, { color, weight: tone === 'default' ? 'Default' : 'Bolder' })], [], {
    fallbackText: message,
  });
}

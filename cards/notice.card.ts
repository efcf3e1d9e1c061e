import type { Locale } from '../domain/types';
import { type AdaptiveCard, card, text } from './card';

/** A one-line card (used where an invoke must answer with a card: errors, refusals). */
export function noticeCard(message: string, _locale: Locale, tone: 'default' | 'attention' | 'good' = 'default'): AdaptiveCard {
  const color = tone === 'attention' ? 'Attention' : tone === 'good' ? 'Good' : 'Default';
  return card([text(message, { color, weight: tone === 'default' ? 'Default' : 'Bolder' })], [], { fallbackText: message });
}

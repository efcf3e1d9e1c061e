import { t } from '../domain/i18n';
import type { Locale } from '../domain/types';
import { type AdaptiveCard, card, escapeCardText, heading, subtle, text } from './card';

/**
 * `firstAdmin`: the installer's name when this install made them the program's first admin.
 * Channel and person names are typed by people: escaped, as the lines are Markdown.
 */
export function welcomeCard(view: { channels: string[]; firstAdmin?: string }, locale: Locale): AdaptiveCard {
  return card(
    [
      heading(t(locale, 'welcome.title')),
      text(t(locale, 'welcome.body')),
      ...(view.firstAdmin
        ? [text(t(locale, 'install.firstAdmin', { name: escapeCardText(view.firstAdmin) }), { weight: 'Bolder' })]
        : []),
      ...(view.channels.length
        ? [subtle(t(locale, 'welcome.channels', { channels: escapeCardText(view.channels.join(', ')) }))]
        : []),
    ],
    [],
    { fallbackText: t(locale, 'welcome.title') },
  );
}

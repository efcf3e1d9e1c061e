import { t } from '../domain/i18n';
import type { Locale } from '../domain/types';
import { type AdaptiveCard, card, escapeCardText, heading, subtle, text } from './card';

/** Channel names are typed by the team's owners: escaped, as the line is Markdown. */
export function welcomeCard(view: { channels: string[] }, locale: Locale): AdaptiveCard {
  return card(
    [
      heading(t(locale, 'welcome.title')),
      text(t(locale, 'welcome.body')),
      ...(view.channels.length ? [subtle(t(locale, 'welcome.channels', { channels: escapeCardText(view.channels.join(', ')) }))] : []),
    ],
    [],
    { fallbackText: t(locale, 'welcome.title') },
  );
}

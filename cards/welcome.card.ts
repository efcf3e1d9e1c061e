import { t } from '../domain/i18n';
import type { Locale } from '../domain/types';
import { type AdaptiveCard, card, heading, subtle, text } from './card';

/** `firstAdmin`: the installer's name when this install made them the program's first admin. */
export function welcomeCard(view: { channels: string[]; firstAdmin?: string }, locale: Locale): AdaptiveCard {
  return card(
    [
      heading(t(locale, 'welcome.title')),
      text(t(locale, 'welcome.body')),
      ...(view.firstAdmin ? [text(t(locale, 'install.firstAdmin', { name: view.firstAdmin }), { weight: 'Bolder' })] : []),
      ...(view.channels.length ? [subtle(t(locale, 'welcome.channels', { channels: view.channels.join(', ') }))] : []),
    ],
    [],
    { fallbackText: t(locale, 'welcome.title') },
  );
}

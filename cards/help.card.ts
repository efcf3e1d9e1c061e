import { t, type TextKey } from '../domain/i18n';
import type { Locale } from '../domain/types';
import { type AdaptiveCard, card, facts, heading, literal, subtle, text } from './card';

export interface HelpView {
  /** e.g. "teamet Bostäder"; undefined when the channel is not linked. */
  boundTo?: string;
  teams: string[];
  /** The program admins, as `adminList` words them. */
  admins: string;
}

const COMMANDS: { sv: string; en: string; key: TextKey }[] = [
  { sv: 'hjälp', en: 'help', key: 'help.cmd.help' },
  { sv: 'koppla <team>', en: 'link <team>', key: 'help.cmd.link' },
  { sv: 'åtgärder', en: 'actions', key: 'help.cmd.actions' },
  { sv: 'incheckning', en: 'checkin', key: 'help.cmd.checkin' },
  { sv: 'beslut', en: 'decision', key: 'help.cmd.decision' },
  { sv: 'beslutslogg', en: 'decisions', key: 'help.cmd.decisions' },
  { sv: 'sammanfattning', en: 'digest', key: 'help.cmd.digest' },
  { sv: 'inför mötet', en: 'brief', key: 'help.cmd.brief' },
  { sv: 'protokoll [datum]', en: 'protocol [date]', key: 'help.cmd.protocol' },
  { sv: 'admin', en: 'admin', key: 'help.cmd.admin' },
];

export function helpCard(view: HelpView, locale: Locale, notice?: string): AdaptiveCard {
  const primary = locale === 'en-US' ? 'en' : 'sv';
  const secondary = primary === 'en' ? 'sv' : 'en';
  return card(
    [
      // The notice repeats what was typed: a TextRun, never Markdown.
      ...(notice ? [literal(notice, {}, { weight: 'Bolder', color: 'Attention' })] : []),
      heading(t(locale, 'help.title')),
      text(t(locale, 'help.intro')),
      facts(COMMANDS.map((c) => ({ title: `${c[primary]} / ${c[secondary]}`, value: t(locale, c.key) }))),
      text(view.boundTo ? t(locale, 'help.bound', { role: view.boundTo }) : t(locale, 'help.unbound'), {
        weight: 'Bolder',
      }),
      subtle(t(locale, 'help.teams', { teams: view.teams.join(', ') })),
      subtle(t(locale, 'help.admins', { admins: view.admins })),
    ],
    [],
    { fallbackText: t(locale, 'help.title') },
  );
}

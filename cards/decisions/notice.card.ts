/**
 * The short card an affected team's channel gets when the steering group logs, amends or revokes
 * a decision: number, title, the decision (cut when long), and the follow-up that falls to the team.
 */
import type { DecisionNoticeView } from '../../domain/decisions';
import type { OutgoingMessage } from '../../domain/delivery';
import { formatDate, t } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import { type AdaptiveCard, type CardElement, card, escapeCardText, execute, facts, literal, text } from '../card';
import { VERBS } from '../verbs/index';

/** The notice shows this much of the decision; the whole text is one click away. */
const NOTICE_TEXT_MAX = 1200;

export function decisionNoticeCard(view: DecisionNoticeView, locale: Locale): AdaptiveCard {
  const lead =
    view.change === 'logged'
      ? t(locale, 'decision.notice.logged', { team: view.teamName })
      : view.change === 'amended'
        ? t(locale, 'decision.notice.amended', { number: view.number })
        : t(locale, 'decision.notice.revoked', { number: view.number });
  const body: CardElement[] = [
    text(escapeCardText(lead), { weight: 'Bolder', color: view.change === 'revoked' ? 'Attention' : 'Accent' }),
    literal(
      `${view.number} · ${view.title}`,
      { spacing: 'Small' },
      { weight: 'Bolder', size: 'Medium', ...(view.change === 'revoked' ? { strikethrough: true } : {}) },
    ),
    literal(view.text.length > NOTICE_TEXT_MAX ? `${view.text.slice(0, NOTICE_TEXT_MAX - 1).trimEnd()}…` : view.text),
  ];
  if (view.reason) body.push(literal(`${t(locale, 'decision.field.reason')}: ${view.reason}`, {}, { isSubtle: true }));
  body.push(
    facts([
      { title: t(locale, 'decision.field.meetingName'), value: escapeCardText(view.meetingName) },
      { title: t(locale, 'decision.field.meetingDate'), value: formatDate(locale, view.meetingDate) },
      ...(view.supersedes ? [{ title: t(locale, 'decision.card.supersedes'), value: view.supersedes }] : []),
    ]),
  );
  if (view.followUp) {
    const due = view.followUp.due
      ? t(locale, 'decision.card.followUpDue', { date: formatDate(locale, view.followUp.due) })
      : '';
    body.push(
      text(t(locale, 'decision.notice.followUp', { team: escapeCardText(view.teamName) }), {
        weight: 'Bolder',
        spacing: 'Medium',
      }),
      literal([view.followUp.owner || '–', due].filter(Boolean).join(' · '), { spacing: 'None' }),
      ...(view.followUp.due
        ? [text(t(locale, 'decision.notice.followUpCheckIn'), { isSubtle: true, size: 'Small', spacing: 'None' })]
        : []),
    );
  }
  return card(body, [execute(t(locale, 'decision.notice.open'), VERBS.decisionShow, { number: view.number })], {
    fallbackText: `${lead} ${view.number}: ${view.title}`,
  });
}

/** The notice as a message for the fan-out. */
export function decisionNoticeMessage(view: DecisionNoticeView, locale: Locale): OutgoingMessage {
  return { card: decisionNoticeCard(view, locale), summary: `${view.number}: ${view.title}`.slice(0, 200) };
}

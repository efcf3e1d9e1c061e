/** Phrases about an action that several cards show: when it is due, and its goal. */
import { formatDate, t } from '../../domain/i18n';
import type { Action, Locale } from '../../domain/types';

/**
 * When an action is due, as one phrase with its label: the plan's timeline as written, with the
 * date derived from it when there is one ("Tidplan: Hösten 2026 (senast 30 november 2026)",
 * "Tidplan: Löpande"); without a timeline, the due date ("Slutdatum: 30 november 2026").
 * The timeline is the plan's text: callers put it in a TextRun, never in Markdown.
 */
export function dueText(locale: Locale, a: Pick<Action, 'due' | 'timeline' | 'ongoing'>): string {
  const timeline = a.timeline?.trim();
  if (timeline) {
    if (a.due && !a.ongoing) return t(locale, 'actions.timelineDue', { timeline, date: formatDate(locale, a.due) });
    return t(locale, 'actions.timeline', { timeline });
  }
  if (a.ongoing) return t(locale, 'actions.timeline', { timeline: t(locale, 'actions.ongoing') });
  return `${t(locale, 'actions.due')}: ${a.due ? formatDate(locale, a.due) : t(locale, 'actions.noDue')}`;
}

/** The goal line of an action ("Mål: Fler bostäder · Delmål: Hyresrätter"), or undefined without a goal. */
export function goalText(locale: Locale, a: Pick<Action, 'goal' | 'subGoal'>): string | undefined {
  const goal = a.goal?.trim();
  const subGoal = a.subGoal?.trim();
  if (!goal && !subGoal) return undefined;
  return [goal ? t(locale, 'actions.goal', { goal }) : '', subGoal ? t(locale, 'actions.subGoal', { subGoal }) : '']
    .filter(Boolean)
    .join(' · ');
}

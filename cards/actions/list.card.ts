import { t } from '../../domain/i18n';
import type { ActionRowView } from '../../domain/actions';
import type { Locale } from '../../domain/types';
import {
  type AdaptiveCard,
  type CardElement,
  card,
  columns,
  container,
  execute,
  heading,
  literal,
  subtle,
  text,
  statusColor,
} from '../card';
import { VERBS } from '../verbs/index';
import { dueText, goalText } from './action-text';
import { actionEditButtons } from './edit.card';

export type ActionListItem = ActionRowView;

export interface ActionListView {
  teamKey: string;
  teamName: string;
  actions: ActionListItem[];
}

/** Actions per page: keeps the card well under Teams' ~28 KB with long titles. */
export const ACTIONS_PER_PAGE = 15;

function row(a: ActionListItem, locale: Locale): CardElement {
  const goal = goalText(locale, a);
  const cut = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);
  return container(
    [
      columns([
        { items: [literal(`${a.id} · ${a.title}`, {}, { weight: 'Bolder' })] },
        {
          width: 'auto',
          items: [
            text(t(locale, `status.${a.status}`), {
              color: statusColor(a.status),
              weight: 'Bolder',
              horizontalAlignment: 'Right',
            }),
          ],
        },
      ]),
      literal(
        `${t(locale, 'actions.owner')}: ${a.owner || '–'} · ${cut(dueText(locale, a), 160)} · ${t(locale, 'actions.progress')}: ${a.progress} %`,
        { spacing: 'None' },
        { isSubtle: true, size: 'Small' },
      ),
      // The plan's goal and sub-goal are its own text: a TextRun, never Markdown.
      ...(goal ? [literal(cut(goal, 200), { spacing: 'None' }, { isSubtle: true, size: 'Small' })] : []),
      ...(a.overdue
        ? [text(t(locale, 'actions.overdue'), { color: 'Attention', size: 'Small', spacing: 'None', weight: 'Bolder' })]
        : []),
    ],
    { separator: true, spacing: 'Medium' },
  );
}

export function actionListCard(view: ActionListView, locale: Locale, page = 0): AdaptiveCard {
  const pages = Math.max(1, Math.ceil(view.actions.length / ACTIONS_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const items = view.actions.slice(current * ACTIONS_PER_PAGE, (current + 1) * ACTIONS_PER_PAGE);
  const body: CardElement[] = [
    heading(t(locale, 'actions.title', { team: view.teamName })),
    subtle(
      t(locale, 'actions.count', { count: view.actions.length }) +
        (pages > 1 ? ` · ${t(locale, 'actions.page', { page: current + 1, pages })}` : ''),
    ),
  ];
  if (view.actions.length === 0) body.push(text(t(locale, 'actions.empty', { team: view.teamName })));
  body.push(...items.map((a) => row(a, locale)));
  body.push(actionEditButtons(view.teamKey, items, locale));
  const actions = [];
  if (current > 0)
    actions.push(
      execute(t(locale, 'actions.previous'), VERBS.actionsPage, { teamKey: view.teamKey, page: current - 1 }),
    );
  if (current < pages - 1)
    actions.push(execute(t(locale, 'actions.next'), VERBS.actionsPage, { teamKey: view.teamKey, page: current + 1 }));
  return card(body, actions, { fallbackText: t(locale, 'actions.title', { team: view.teamName }) });
}

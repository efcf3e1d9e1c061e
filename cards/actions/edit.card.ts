/**
 * Adding and editing an action from a card: the form (title, owner name and e-mail, due date,
 * description), the card shown after saving, and the buttons the action list carries to open
 * the form.
 */
import { ACTION_EDIT_LIMITS, type ActionFormValues } from '../../domain/actions';
import { t } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import {
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  card,
  escapeCardText,
  execute,
  facts,
  heading,
  literal,
  noticeBlock,
} from '../card';
import { dueText } from './action-text';
import { CORE_VERBS } from '../verbs/core';
import { ACTION_EDIT_INPUTS, CHECKIN_VERBS } from '../verbs/checkin';

export interface ActionEditView {
  teamKey: string;
  teamName: string;
  /** Set when editing; absent for a new action. */
  actionId?: string;
  etag?: string;
  values: ActionFormValues;
  notice?: { text: string; tone: 'good' | 'attention' };
}

export function actionEditCard(view: ActionEditView, locale: Locale): AdaptiveCard {
  const title = view.actionId
    ? t(locale, 'actionEdit.titleEdit', { id: view.actionId, team: view.teamName })
    : t(locale, 'actionEdit.titleNew', { team: view.teamName });
  // Values the person typed go into `value` (plain data, never a template or Markdown).
  const body: CardElement[] = [
    ...noticeBlock(view.notice),
    heading(title),
    {
      type: 'Input.Text',
      id: ACTION_EDIT_INPUTS.title,
      label: t(locale, 'actionEdit.field.title'),
      isRequired: true,
      maxLength: ACTION_EDIT_LIMITS.title,
      errorMessage: t(locale, 'actionEdit.invalid.title', { max: ACTION_EDIT_LIMITS.title }),
      value: view.values.title,
    },
    {
      type: 'Input.Text',
      id: ACTION_EDIT_INPUTS.ownerName,
      label: t(locale, 'actionEdit.field.ownerName'),
      maxLength: ACTION_EDIT_LIMITS.ownerName,
      value: view.values.ownerName,
    },
    {
      type: 'Input.Text',
      id: ACTION_EDIT_INPUTS.ownerEmail,
      label: t(locale, 'actionEdit.field.ownerEmail'),
      style: 'Email',
      maxLength: ACTION_EDIT_LIMITS.ownerEmail,
      value: view.values.ownerEmail,
    },
    {
      type: 'Input.Date',
      id: ACTION_EDIT_INPUTS.due,
      label: t(locale, 'actionEdit.field.due'),
      value: view.values.due,
    },
    {
      type: 'Input.Text',
      id: ACTION_EDIT_INPUTS.description,
      label: t(locale, 'actionEdit.field.description'),
      isMultiline: true,
      maxLength: ACTION_EDIT_LIMITS.description,
      value: view.values.description,
    },
  ];
  const data: Record<string, unknown> = { teamKey: view.teamKey };
  if (view.actionId) data.actionId = view.actionId;
  if (view.etag) data.etag = view.etag;
  const actions: CardAction[] = [
    execute(t(locale, 'actionEdit.save'), CHECKIN_VERBS.actionEditSave, data, { style: 'positive' }),
    // Back to the list sends no inputs (they would not fit the list's payload).
    execute(
      t(locale, 'actionEdit.cancel'),
      CORE_VERBS.actionsPage,
      { teamKey: view.teamKey, page: 0 },
      { associatedInputs: 'none' },
    ),
  ];
  return card(body, actions, { fallbackText: title });
}

export interface ActionSavedView {
  teamKey: string;
  teamName: string;
  actionId: string;
  message: string;
  title: string;
  owner: string;
  due?: string;
  /** The plan's timeline as written, shown in place of the bare date. */
  timeline?: string;
  ongoing?: boolean;
}

export function actionSavedCard(view: ActionSavedView, locale: Locale): AdaptiveCard {
  return card(
    [
      ...noticeBlock({ text: view.message, tone: 'good' }),
      literal(`${view.actionId} · ${view.title}`, {}, { weight: 'Bolder' }),
      facts([{ title: t(locale, 'actions.owner'), value: escapeCardText(view.owner) || '–' }]),
      // The timeline is the plan's text: a TextRun, not a Markdown fact value.
      literal(dueText(locale, view), { spacing: 'Small' }),
    ],
    [
      execute(t(locale, 'actionEdit.open'), CHECKIN_VERBS.actionEditOpen, {
        teamKey: view.teamKey,
        actionId: view.actionId,
      }),
      execute(t(locale, 'actionEdit.cancel'), CORE_VERBS.actionsPage, { teamKey: view.teamKey, page: 0 }),
    ],
    { fallbackText: view.message },
  );
}

/**
 * The action list's "add" and "edit" buttons: add opens an empty form; edit is a ShowCard with a
 * choice of the page's actions (its input is sent only by its own button).
 */
export function actionEditButtons(
  teamKey: string,
  actions: { id: string; title: string }[],
  locale: Locale,
): CardElement {
  const buttons: CardAction[] = [execute(t(locale, 'actionEdit.add'), CHECKIN_VERBS.actionEditOpen, { teamKey })];
  if (actions.length > 0) {
    buttons.push({
      type: 'Action.ShowCard',
      title: t(locale, 'actionEdit.edit'),
      card: {
        type: 'AdaptiveCard',
        body: [
          {
            type: 'Input.ChoiceSet',
            id: ACTION_EDIT_INPUTS.pick,
            label: t(locale, 'actionEdit.pick'),
            style: 'compact',
            isRequired: true,
            errorMessage: t(locale, 'actionEdit.pick'),
            value: actions[0]!.id,
            choices: actions.map((a) => ({
              title: `${a.id}: ${a.title.length > 60 ? `${a.title.slice(0, 59)}…` : a.title}`,
              value: a.id,
            })),
          },
        ],
        actions: [execute(t(locale, 'actionEdit.open'), CHECKIN_VERBS.actionEditOpen, { teamKey })],
      },
    });
  }
  return { type: 'ActionSet', actions: buttons, spacing: 'Medium', separator: true };
}

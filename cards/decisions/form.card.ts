/**
 * The decision form: a new decision (steering channel, `beslut`), or an amendment of one (from
 * its card). Input ids are the payload fields of `decision.submit` / `decision.amend.save`:
 * title, text, rationale, meetingName, meetingDate (Input.Date), teams (multi-select, team keys),
 * actions, followUpOwner, followUpDue (Input.Date), supersedes (new decisions only) and reason
 * (amendments only). Opened as a dialog (the message extension), the save is an Action.Submit.
 */
import { DECISION_FIELD_LABEL, DECISION_LIMITS, type DecisionFormValues } from '../../domain/decisions';
import { t } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import {
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  card,
  columns,
  execute,
  heading,
  literal,
  subtle,
} from '../card';
import { VERBS } from '../verbs/index';

export interface DecisionFormView {
  mode: 'new' | 'amend';
  /** New decisions: identifies this form, so submitting it twice logs one decision. */
  formId?: string;
  /** Amendments: the decision and the etag it was read with. */
  number?: string;
  etag?: string;
  values: DecisionFormValues;
  teams: { key: string; name: string }[];
  /** Why the last submit was not saved; shown above the inputs. */
  problem?: string;
  /**
   * Opened as a dialog (a message extension's task module), which takes no Action.Execute: the
   * save is an Action.Submit carrying `data`, and the `extra` elements come after the inputs.
   */
  dialog?: { data: Record<string, unknown>; extra: CardElement[] };
}

const textInput = (id: string, label: string, value: string, options: Record<string, unknown> = {}): CardElement => ({
  type: 'Input.Text',
  id,
  label,
  ...(value ? { value } : {}),
  ...options,
});

const dateInput = (id: string, label: string, value: string, options: Record<string, unknown> = {}): CardElement => ({
  type: 'Input.Date',
  id,
  label,
  // Input.Date only takes YYYY-MM-DD; anything else typed before is dropped rather than breaking the card.
  ...(/^\d{4}-\d{2}-\d{2}$/.test(value) ? { value } : {}),
  ...options,
});

/** Longest list of affected actions the form's input takes (the list is checked when saved). */
const ACTIONS_INPUT_MAX = 1000;
/** Longest decision number the "replaces" input takes (`D-2026-123456`, with room for spaces). */
const SUPERSEDES_INPUT_MAX = 20;

/**
 * The values as the inputs can hold them: a form sent back after a refused save carries what was
 * typed, and a client that ignores `maxLength` can send far more (the payload schema allows five
 * times each limit, so the problem can name the length). Each value is cut to its input's
 * `maxLength`, which keeps the form under Teams' message size; the fields that were cut are named.
 */
function fitToInputs(
  values: DecisionFormValues,
  amend: boolean,
): { values: DecisionFormValues; capped: (keyof DecisionFormValues)[] } {
  const limits: Partial<Record<keyof DecisionFormValues, number>> = {
    title: DECISION_LIMITS.title,
    text: DECISION_LIMITS.text,
    rationale: DECISION_LIMITS.rationale,
    meetingName: DECISION_LIMITS.meetingName,
    actions: ACTIONS_INPUT_MAX,
    followUpOwner: DECISION_LIMITS.followUpOwner,
    ...(amend ? { reason: DECISION_LIMITS.reason } : { supersedes: SUPERSEDES_INPUT_MAX }),
  };
  const out = { ...values };
  const capped: (keyof DecisionFormValues)[] = [];
  for (const [key, max] of Object.entries(limits) as [keyof DecisionFormValues, number][]) {
    if (out[key].length > max) {
      out[key] = out[key].slice(0, max);
      capped.push(key);
    }
  }
  return { values: out, capped };
}

export function decisionFormCard(view: DecisionFormView, locale: Locale): AdaptiveCard {
  const amend = view.mode === 'amend';
  const { values: v, capped } = fitToInputs(view.values, amend);
  const required = (field: string) => ({
    isRequired: true,
    errorMessage: t(locale, 'decision.form.required', { field }),
  });
  const body: CardElement[] = [
    heading(
      amend ? t(locale, 'decision.form.amendTitle', { number: view.number ?? '' }) : t(locale, 'decision.form.title'),
    ),
    subtle(amend ? t(locale, 'decision.form.amendIntro') : t(locale, 'decision.form.intro')),
  ];
  if (view.problem) body.push(literal(view.problem, { spacing: 'Medium' }, { color: 'Attention', weight: 'Bolder' }));
  if (capped.length) {
    const fields = capped.map((k) => t(locale, DECISION_FIELD_LABEL[k])).join(', ');
    body.push(literal(t(locale, 'decision.form.capped', { fields }), { spacing: 'Small' }, { color: 'Attention' }));
  }
  body.push(
    textInput('title', t(locale, 'decision.field.title'), v.title, {
      maxLength: DECISION_LIMITS.title,
      ...required(t(locale, 'decision.field.title')),
    }),
    textInput('text', t(locale, 'decision.field.text'), v.text, {
      isMultiline: true,
      maxLength: DECISION_LIMITS.text,
      placeholder: t(locale, 'decision.form.textPlaceholder'),
      ...required(t(locale, 'decision.field.text')),
    }),
    textInput('rationale', t(locale, 'decision.field.rationale'), v.rationale, {
      isMultiline: true,
      maxLength: DECISION_LIMITS.rationale,
    }),
    columns([
      {
        items: [
          textInput('meetingName', t(locale, 'decision.field.meetingName'), v.meetingName, {
            maxLength: DECISION_LIMITS.meetingName,
          }),
        ],
      },
      {
        items: [
          dateInput(
            'meetingDate',
            t(locale, 'decision.field.meetingDate'),
            v.meetingDate,
            required(t(locale, 'decision.field.meetingDate')),
          ),
        ],
      },
    ]),
    {
      type: 'Input.ChoiceSet',
      id: 'teams',
      label: t(locale, 'decision.field.teams'),
      isMultiSelect: true,
      style: 'expanded',
      choices: view.teams.map((x) => ({ title: x.name, value: x.key })),
      ...(v.teams ? { value: v.teams } : {}),
    },
    textInput('actions', t(locale, 'decision.field.actions'), v.actions, {
      placeholder: t(locale, 'decision.form.actionsPlaceholder'),
      maxLength: ACTIONS_INPUT_MAX,
    }),
    columns([
      {
        items: [
          textInput('followUpOwner', t(locale, 'decision.field.followUpOwner'), v.followUpOwner, {
            maxLength: DECISION_LIMITS.followUpOwner,
          }),
        ],
      },
      { items: [dateInput('followUpDue', t(locale, 'decision.field.followUpDue'), v.followUpDue)] },
    ]),
  );
  if (!amend) {
    body.push(
      textInput('supersedes', t(locale, 'decision.field.supersedes'), v.supersedes, {
        maxLength: SUPERSEDES_INPUT_MAX,
        placeholder: t(locale, 'decision.form.supersedesPlaceholder'),
      }),
    );
  }
  if (amend) {
    body.push(
      textInput('reason', t(locale, 'decision.field.reason'), v.reason, {
        isMultiline: true,
        maxLength: DECISION_LIMITS.reason,
        placeholder: t(locale, 'decision.form.reasonPlaceholder'),
        ...required(t(locale, 'decision.field.reason')),
      }),
    );
  }
  if (view.dialog) body.push(...view.dialog.extra);
  const formData = view.formId ? { formId: view.formId } : {};
  const save: CardAction = view.dialog
    ? {
        type: 'Action.Submit',
        title: t(locale, 'decision.form.save'),
        data: { ...formData, ...view.dialog.data },
        style: 'positive',
      }
    : execute(t(locale, 'decision.form.save'), VERBS.decisionSubmit, formData, { style: 'positive' });
  const actions = amend
    ? [
        execute(
          t(locale, 'decision.form.saveAmend'),
          VERBS.decisionAmendSave,
          { number: view.number, ...(view.etag ? { etag: view.etag } : {}) },
          { style: 'positive' },
        ),
        execute(
          t(locale, 'decision.form.cancel'),
          VERBS.decisionShow,
          { number: view.number },
          { associatedInputs: 'none' },
        ),
      ]
    : [save];
  return card(body, actions, {
    fallbackText: amend
      ? t(locale, 'decision.form.amendTitle', { number: view.number ?? '' })
      : t(locale, 'decision.form.title'),
  });
}

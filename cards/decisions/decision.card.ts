/**
 * One decision with its history: the confirmation that replaces the form, the answer to
 * `beslut D-2026-004`, and the card after an amendment or revocation. Also the small card that
 * asks for the reason of a revocation.
 */
import { DECISION_LIMITS, type DecisionView } from '../../domain/decisions';
import type { LocalStamp } from '../../domain/time';
import { formatDate, t } from '../../domain/i18n';
import type { DecisionState, Locale } from '../../domain/types';
import {
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  MAX_CARD_BYTES,
  card,
  cardBytes,
  columns,
  container,
  escapeCardText,
  execute,
  facts,
  heading,
  literal,
  subtle,
  text,
} from '../card';
import { VERBS } from '../verbs/index';

export interface DecisionCardOptions {
  /** A line above the decision: "Beslutet är loggat som D-2026-004." and the like. */
  notice?: { text: string; tone: 'good' | 'attention' | 'default' };
  /** Show the amend and revoke buttons (the steering channel). */
  canEdit: boolean;
}

export function stateColor(state: DecisionState): 'Good' | 'Warning' | 'Attention' {
  return state === 'active' ? 'Good' : state === 'amended' ? 'Warning' : 'Attention';
}

/** Whether the decision is still in force (not revoked, not replaced by a later one). */
const inForce = (view: DecisionView) => view.state !== 'revoked' && view.state !== 'superseded';

function revisionLine(h: DecisionView['history'][number], locale: Locale): string {
  if (h.change === 'superseded')
    return t(locale, 'decision.card.supersededAt', {
      date: stamp(locale, h.at),
      number: h.supersededBy ?? '',
      by: escapeCardText(h.by),
    });
  return t(locale, h.change === 'amended' ? 'decision.card.amendedBy' : 'decision.card.revokedBy', {
    date: stamp(locale, h.at),
    by: escapeCardText(h.by),
  });
}

const stamp = (locale: Locale, s: LocalStamp) => `${formatDate(locale, s.date)} ${s.time}`;

function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`;
}

function followUpText(view: DecisionView, locale: Locale): string | undefined {
  const f = view.followUp;
  if (!f) return undefined;
  const parts = [f.owner || '–'];
  if (f.due) parts.push(t(locale, 'decision.card.followUpDue', { date: formatDate(locale, f.due) }));
  if (f.done)
    parts.push(
      f.doneAt
        ? t(locale, 'decision.card.followUpDoneAt', { date: stamp(locale, f.doneAt), by: f.doneBy ?? '' })
        : t(locale, 'decision.card.followUpDone'),
    );
  else if (f.overdue) parts.push(t(locale, 'decision.card.followUpOverdue'));
  return parts.join(' · ');
}

function historyItems(view: DecisionView, locale: Locale, shown: number, previousMax: number): CardElement[] {
  if (view.history.length === 0) return [];
  const revisions = view.history.slice(-shown).reverse();
  const items: CardElement[] = [
    text(t(locale, 'decision.card.history', { count: view.history.length }), {
      weight: 'Bolder',
      spacing: 'Large',
      separator: true,
    }),
  ];
  for (const h of revisions) {
    items.push(
      container(
        [
          text(revisionLine(h, locale), { weight: 'Bolder', size: 'Small' }),
          ...(h.change === 'superseded'
            ? []
            : [literal(`${t(locale, 'decision.field.reason')}: ${h.reason}`, { spacing: 'None' }, { size: 'Small' })]),
          ...(h.change === 'amended'
            ? [
                literal(
                  `${t(locale, 'decision.card.before')}: ${h.previous.title}`,
                  { spacing: 'Small' },
                  { isSubtle: true, size: 'Small', weight: 'Bolder' },
                ),
                literal(clip(h.previous.text, previousMax), { spacing: 'None' }, { isSubtle: true, size: 'Small' }),
              ]
            : []),
        ],
        { spacing: 'Small' },
      ),
    );
  }
  if (shown < view.history.length)
    items.push(subtle(t(locale, 'decision.card.historyMore', { count: view.history.length - shown })));
  return items;
}

function build(
  view: DecisionView,
  locale: Locale,
  options: DecisionCardOptions,
  shown: number,
  previousMax: number,
): AdaptiveCard {
  const body: CardElement[] = [];
  if (options.notice) {
    const color =
      options.notice.tone === 'good' ? 'Good' : options.notice.tone === 'attention' ? 'Attention' : 'Default';
    body.push(literal(options.notice.text, {}, { weight: 'Bolder', color }));
  }
  body.push(
    columns([
      { items: [heading(view.number)] },
      {
        width: 'auto',
        items: [
          text(t(locale, `decision.state.${view.state}`), {
            color: stateColor(view.state),
            weight: 'Bolder',
            horizontalAlignment: 'Right',
          }),
        ],
      },
    ]),
    literal(
      view.title,
      { spacing: 'Small' },
      { weight: 'Bolder', size: 'Medium', ...(view.state === 'revoked' ? { strikethrough: true } : {}) },
    ),
    literal(view.text),
  );
  if (view.rationale) {
    body.push(
      text(t(locale, 'decision.field.rationale'), { weight: 'Bolder', size: 'Small', spacing: 'Medium' }),
      literal(view.rationale, { spacing: 'None' }),
    );
  }
  const followUp = followUpText(view, locale);
  body.push(
    facts([
      { title: t(locale, 'decision.field.meetingName'), value: escapeCardText(view.meetingName) },
      { title: t(locale, 'decision.field.meetingDate'), value: formatDate(locale, view.meetingDate) },
      {
        title: t(locale, 'decision.field.teams'),
        value: view.teams.length ? escapeCardText(view.teams.join(', ')) : '–',
      },
      {
        title: t(locale, 'decision.field.actions'),
        value: view.actions.length ? escapeCardText(view.actions.join(', ')) : '–',
      },
      ...(followUp ? [{ title: t(locale, 'decision.card.followUp'), value: escapeCardText(followUp) }] : []),
      ...(view.supersedes ? [{ title: t(locale, 'decision.card.supersedes'), value: view.supersedes }] : []),
      ...(view.supersededBy ? [{ title: t(locale, 'decision.card.supersededBy'), value: view.supersededBy }] : []),
      {
        title: t(locale, 'decision.card.loggedBy'),
        value: `${escapeCardText(view.loggedBy)}, ${stamp(locale, view.loggedAt)}`,
      },
    ]),
    ...historyItems(view, locale, shown, previousMax),
  );
  const actions: CardAction[] = [];
  if (options.canEdit && inForce(view)) {
    actions.push(execute(t(locale, 'decision.card.amend'), VERBS.decisionAmend, { number: view.number }));
    actions.push(
      execute(
        t(locale, 'decision.card.revoke'),
        VERBS.decisionRevoke,
        { number: view.number },
        { style: 'destructive' },
      ),
    );
  }
  if (view.followUp && !view.followUp.done && inForce(view)) {
    actions.push(execute(t(locale, 'decision.card.markDone'), VERBS.decisionFollowUpDone, { number: view.number }));
  }
  return card(body, actions, { fallbackText: `${view.number}: ${view.title}` });
}

/**
 * The decision card. A long history is cut to what fits under Teams' card size (newest
 * revisions first, older ones counted), so a much-amended decision still shows.
 */
export function decisionCard(view: DecisionView, locale: Locale, options: DecisionCardOptions): AdaptiveCard {
  let shown = view.history.length;
  let previousMax: number = DECISION_LIMITS.text;
  let c = build(view, locale, options, shown, previousMax);
  while (cardBytes(c) > MAX_CARD_BYTES && (shown > 1 || previousMax > 200)) {
    if (previousMax > 200) previousMax = Math.max(200, Math.floor(previousMax / 2));
    else shown--;
    c = build(view, locale, options, shown, previousMax);
  }
  return c;
}

export interface RevokeFormView {
  number: string;
  title: string;
  etag?: string;
  reason?: string;
  problem?: string;
}

/** Asks why the decision is revoked; input id `reason`. */
export function revokeFormCard(view: RevokeFormView, locale: Locale): AdaptiveCard {
  const body: CardElement[] = [
    heading(t(locale, 'decision.revoke.title', { number: view.number })),
    literal(view.title, { spacing: 'Small' }, { weight: 'Bolder' }),
    text(t(locale, 'decision.revoke.intro')),
  ];
  if (view.problem) body.push(literal(view.problem, {}, { color: 'Attention', weight: 'Bolder' }));
  // A reason sent back longer than the input holds is cut to it (and said so), as on the decision form.
  const reason = view.reason?.slice(0, DECISION_LIMITS.reason);
  if (reason !== undefined && reason.length < (view.reason?.length ?? 0)) {
    body.push(
      literal(
        t(locale, 'decision.form.capped', { fields: t(locale, 'decision.field.reason') }),
        { spacing: 'Small' },
        { color: 'Attention' },
      ),
    );
  }
  body.push({
    type: 'Input.Text',
    id: 'reason',
    label: t(locale, 'decision.field.reason'),
    isMultiline: true,
    maxLength: DECISION_LIMITS.reason,
    isRequired: true,
    errorMessage: t(locale, 'decision.form.required', { field: t(locale, 'decision.field.reason') }),
    ...(reason ? { value: reason } : {}),
  });
  return card(
    body,
    [
      execute(
        t(locale, 'decision.revoke.confirm'),
        VERBS.decisionRevokeSave,
        { number: view.number, ...(view.etag ? { etag: view.etag } : {}) },
        { style: 'destructive' },
      ),
      execute(
        t(locale, 'decision.form.cancel'),
        VERBS.decisionShow,
        { number: view.number },
        { associatedInputs: 'none' },
      ),
    ],
    { fallbackText: t(locale, 'decision.revoke.title', { number: view.number }) },
  );
}

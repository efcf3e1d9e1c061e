import { inert, stripControl } from '../domain/text';
/**
 * Adaptive Card 1.5 types and small element helpers. Builders in this folder are pure:
 * `(viewModel, locale) => AdaptiveCard`, no I/O, no storage entities. User text is always placed
 * as a plain value (never evaluated as a template), and `escapeCardText` keeps Markdown inert.
 */

export type CardElement = Record<string, unknown> & { type: string };
export type CardAction = Record<string, unknown> & {
  type: 'Action.Execute' | 'Action.Submit' | 'Action.OpenUrl' | 'Action.ShowCard' | 'Action.ToggleVisibility';
};

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  msteams?: { width?: 'Full'; entities?: unknown[] };
  refresh?: { action: CardAction; userIds?: string[] };
  fallbackText?: string;
  [key: string]: unknown;
}

/**
 * Teams refuses a bot message over about 40 KB (413 MessageSizeTooBig), counted on the whole
 * activity: the card JSON and the envelope around it (test/cards/size.test.ts measures both).
 */
export const TEAMS_MESSAGE_MAX_BYTES = 40 * 1024;

/**
 * What a paged card (check-in, decision log, decision history, digest) is cut to: well under the
 * message limit, so the envelope and the one row that may not be split still fit.
 */
export const MAX_CARD_BYTES = 26 * 1024;

export function card(body: CardElement[], actions: CardAction[] = [], extra: Partial<AdaptiveCard> = {}): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length ? { actions } : {}),
    msteams: { width: 'Full' },
    ...extra,
  };
}

export function cardBytes(c: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(c), 'utf8');
}

/**
 * User text for a TextBlock or FactSet value, which Teams renders as Markdown: `inert()` from
 * domain/text.ts (the one escape for Markdown-rendered text), without a length limit. Prefer
 * `literal()`, which needs no escaping at all.
 */
export function escapeCardText(value: string): string {
  return inert(value, Infinity);
}

/**
 * User text shown exactly as typed: a RichTextBlock's TextRun is never parsed as Markdown, so a
 * comment containing `**x**`, `[a](b)` or `${...}` comes out literally.
 */
export const literal = (
  value: string,
  options: Record<string, unknown> = {},
  run: Record<string, unknown> = {},
): CardElement => ({
  type: 'RichTextBlock',
  inlines: [{ type: 'TextRun', text: stripControl(value), ...run }],
  ...options,
});

export const text = (value: string, options: Record<string, unknown> = {}): CardElement => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...options,
});

export const heading = (value: string, options: Record<string, unknown> = {}): CardElement =>
  text(value, { size: 'Large', weight: 'Bolder', style: 'heading', ...options });

export const subtle = (value: string, options: Record<string, unknown> = {}): CardElement =>
  text(value, { isSubtle: true, size: 'Small', spacing: 'None', ...options });

export const facts = (items: { title: string; value: string }[]): CardElement => ({ type: 'FactSet', facts: items });

export const container = (items: CardElement[], options: Record<string, unknown> = {}): CardElement => ({
  type: 'Container',
  items,
  ...options,
});

/** A short line in bold at the top of a card, green for done, amber for a problem; nothing without a notice. */
export function noticeBlock(notice?: { text: string; tone: 'good' | 'attention' }): CardElement[] {
  if (!notice) return [];
  const good = notice.tone === 'good';
  return [
    container([literal(notice.text, {}, { weight: 'Bolder', color: good ? 'Good' : 'Attention' })], {
      style: good ? 'good' : 'attention',
    }),
  ];
}

export const columns = (
  cols: { items: CardElement[]; width?: string }[],
  options: Record<string, unknown> = {},
): CardElement => ({
  type: 'ColumnSet',
  columns: cols.map((c) => ({ type: 'Column', width: c.width ?? 'stretch', items: c.items })),
  ...options,
});

/** An `Action.Execute` (Universal Actions) with the verb also in `data`, so the same payload works as `Action.Submit`. */
export function execute(
  title: string,
  verb: string,
  data: Record<string, unknown> = {},
  options: Record<string, unknown> = {},
): CardAction {
  return { type: 'Action.Execute', title, verb, data: { ...data, verb }, ...options };
}

/** Colour of a status badge in Adaptive Card terms. */
export function statusColor(status: string): 'Good' | 'Warning' | 'Attention' | 'Accent' | 'Default' {
  switch (status) {
    case 'on_track':
    case 'done':
      return 'Good';
    case 'at_risk':
      return 'Warning';
    case 'off_track':
      return 'Attention';
    case 'paused':
      return 'Default';
    default:
      return 'Accent';
  }
}

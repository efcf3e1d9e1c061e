/**
 * The plan import card: what importing a plan file would change (the preview), what it changed
 * (after "Importera"), or why it cannot be imported (every problem with its sheet, row and
 * column). Everything from the file (its name, titles, cell values in problems) is in TextRuns,
 * never Markdown. Long lists are cut so the card stays under MAX_CARD_BYTES, saying how many
 * were left out; "Importera" is offered only when the view names an upload to apply.
 */
import { t } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import {
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  MAX_CARD_BYTES,
  card,
  cardBytes,
  container,
  execute,
  literal,
  noticeBlock,
  subtle,
  text,
} from '../card';
import { VERBS } from '../verbs/index';

export interface PlanImportItem {
  id: string;
  title?: string;
  /** The row of the file it comes from. */
  row?: number;
  /** Changed fields, already in the reader's words. */
  fields?: string[];
  generatedId?: boolean;
}

export type PlanImportPhase = 'preview' | 'refused' | 'applied' | 'already' | 'cancelled' | 'changed' | 'failed';

export interface PlanImportView {
  fileName: string;
  kind: 'plan' | 'indicators';
  sheet?: string;
  rows: number;
  phase: PlanImportPhase;
  /** Who applied it and when (a local date), for `applied` and `already`. */
  by?: string;
  date?: string;
  added: PlanImportItem[];
  changed: PlanImportItem[];
  retired: PlanImportItem[];
  /** Teams the plan's areas make (the file names areas that are no team yet). */
  teams?: { name: string; actionPrefix: string }[];
  unchanged: number;
  notInFile: number;
  values?: { added: number; updated: number };
  /** Each problem as one line with its place (sheet, row, column), in the reader's language. */
  errors: string[];
  warnings: string[];
  /** Present when the card offers "Importera" and "Avbryt" for this upload. */
  upload?: { uploadId: string; hash: string };
}

function intro(view: PlanImportView, locale: Locale): { text: string; tone: 'good' | 'attention' } | undefined {
  switch (view.phase) {
    case 'preview':
      return undefined;
    case 'refused':
      return { text: t(locale, 'plan.card.refusedIntro', { n: view.errors.length }), tone: 'attention' };
    case 'applied':
      return { text: t(locale, 'plan.card.appliedIntro', { name: view.by ?? '–' }), tone: 'good' };
    case 'already':
      return {
        text: t(locale, 'plan.card.alreadyIntro', { name: view.by ?? '–', date: view.date ?? '–' }),
        tone: 'good',
      };
    case 'cancelled':
      return { text: t(locale, 'plan.card.cancelledIntro'), tone: 'attention' };
    case 'changed':
      return { text: t(locale, 'plan.card.changedIntro'), tone: 'attention' };
    case 'failed':
      return { text: t(locale, 'plan.card.failedIntro'), tone: 'attention' };
  }
}

function itemLine(item: PlanImportItem, locale: Locale): string {
  const parts = [item.title ? `${item.id} · ${item.title}` : item.id];
  const where: string[] = [];
  if (item.row !== undefined) where.push(t(locale, 'plan.card.row', { row: item.row }));
  if (item.generatedId) where.push(t(locale, 'plan.card.newId'));
  if (where.length) parts.push(`(${where.join(', ')})`);
  const line = parts.join(' ');
  return item.fields?.length ? `${line}: ${item.fields.join(', ')}` : line;
}

/** A section: its title, then at most `cap` lines, then how many more there are. */
function section(title: string, lines: string[], cap: number, locale: Locale, color?: string): CardElement[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, cap);
  const items: CardElement[] = [
    text(`${title} (${lines.length})`, { weight: 'Bolder', ...(color ? { color } : {}) }),
    ...shown.map((line) => literal(line, { spacing: 'None' }, { size: 'Small' })),
  ];
  if (lines.length > shown.length) items.push(subtle(t(locale, 'plan.card.more', { n: lines.length - shown.length })));
  return [container(items, { separator: true, spacing: 'Medium' })];
}

/** Longest line from a file shown on the card: a problem quoting a long cell stays readable. */
const MAX_LINE = 300;

function clip(line: string): string {
  const chars = [...line];
  return chars.length > MAX_LINE ? `${chars.slice(0, MAX_LINE - 1).join('')}…` : line;
}

function build(view: PlanImportView, locale: Locale, cap: number): AdaptiveCard {
  const done = view.phase === 'applied' || view.phase === 'already';
  const about = view.sheet
    ? t(locale, 'plan.card.aboutSheet', {
        kind: t(locale, `plan.card.kind.${view.kind}`),
        sheet: view.sheet,
        rows: view.rows,
      })
    : t(locale, 'plan.card.about', { kind: t(locale, `plan.card.kind.${view.kind}`), rows: view.rows });
  const body: CardElement[] = [
    literal(t(locale, 'plan.card.title', { file: view.fileName }), {}, { size: 'Large', weight: 'Bolder' }),
    literal(about, { spacing: 'None' }, { isSubtle: true, size: 'Small' }),
    ...noticeBlock(intro(view, locale)),
  ];
  if (view.phase === 'preview') body.push(text(t(locale, 'plan.card.previewIntro')));
  if (view.phase !== 'refused' && view.phase !== 'cancelled') {
    body.push(
      text(
        t(locale, 'plan.card.counts', {
          added: view.added.length,
          changed: view.changed.length,
          retired: view.retired.length,
          unchanged: view.unchanged,
        }),
        { weight: 'Bolder' },
      ),
    );
    if (view.values) body.push(subtle(t(locale, 'plan.card.values', view.values)));
    if (view.notInFile > 0) body.push(subtle(t(locale, 'plan.card.notInFile', { n: view.notInFile })));
    if (
      view.added.length + view.changed.length + view.retired.length === 0 &&
      !view.values?.added &&
      !view.values?.updated
    )
      body.push(text(t(locale, 'plan.card.nothing')));
    const lines = (items: PlanImportItem[]) => items.map((i) => clip(itemLine(i, locale)));
    body.push(...section(t(locale, done ? 'plan.card.addedDone' : 'plan.card.added'), lines(view.added), cap, locale));
    body.push(
      ...section(t(locale, done ? 'plan.card.changedDone' : 'plan.card.changed'), lines(view.changed), cap, locale),
    );
    body.push(
      ...section(t(locale, done ? 'plan.card.retiredDone' : 'plan.card.retired'), lines(view.retired), cap, locale),
    );
    const teamLines = (view.teams ?? []).map((x) =>
      clip(t(locale, 'plan.card.teamLine', { name: x.name, prefix: x.actionPrefix })),
    );
    body.push(...section(t(locale, done ? 'plan.card.teamsDone' : 'plan.card.teams'), teamLines, cap, locale));
  }
  body.push(...section(t(locale, 'plan.card.problems'), view.errors.map(clip), cap, locale, 'Attention'));
  body.push(...section(t(locale, 'plan.card.warnings'), view.warnings.map(clip), cap, locale, 'Warning'));
  const actions: CardAction[] = [];
  if (view.upload) {
    const data = { uploadId: view.upload.uploadId, hash: view.upload.hash };
    actions.push(execute(t(locale, 'plan.card.import'), VERBS.planImport, data, { style: 'positive' }));
    actions.push(execute(t(locale, 'plan.card.cancel'), VERBS.planCancel, data));
  }
  return card(body, actions, { fallbackText: t(locale, 'plan.card.title', { file: view.fileName }) });
}

/** Lines per list at most; fewer when the card would not fit otherwise. */
const MAX_LINES = 40;

export function planImportCard(view: PlanImportView, locale: Locale): AdaptiveCard {
  let cap = MAX_LINES;
  let built = build(view, locale, cap);
  while (cardBytes(built) > MAX_CARD_BYTES && cap > 1) {
    cap = Math.floor(cap / 2);
    built = build(view, locale, cap);
  }
  return built;
}

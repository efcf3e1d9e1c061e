/**
 * The weekly digest as Adaptive Cards: the same document as the Markdown and HTML exports
 * (domain/digest/document.ts), split into pages that each stay under MAX_CARD_BYTES. Every piece of
 * text goes into a RichTextBlock TextRun (never Markdown-parsed) or, in fact sets, through
 * `escapeCardText`, so user text comes out literally.
 *
 * The answer rate per team is an Adaptive Card chart (`Chart.VerticalBar`, drawn by Teams) from the
 * same spec as the HTML digest's SVG, with the fact set of the answer rates as its `fallback` for
 * clients that do not draw charts (Teams on iOS has been reported not to).
 *
 * Paging is stable: it depends on the digest's figures and texts, not on the "Veckan i korthet"
 * paragraph, whose room on page 1 is reserved at its maximum length (a model-written paragraph may
 * differ between two renders of the same week).
 */
import type { BarChartSpec } from '../../domain/charts';
import {
  answerRateChart,
  type Digest,
  digestDocument,
  digestTitle,
  type DocBlock,
  type Span,
  SUMMARY_MAX_CHARS,
  type Tone,
} from '../../domain/digest';
import { t } from '../../domain/i18n';
import { stripControl } from '../../domain/text';
import type { Locale } from '../../domain/types';
import {
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  MAX_CARD_BYTES,
  card,
  cardBytes,
  execute,
  heading,
} from '../card';
import { VERBS } from '../verbs/index';

/** Longest user text shown in a card (the exports carry it whole). */
export const CARD_TEXT_LIMIT = 600;

const COLORS: Record<Tone, string> = { good: 'Good', warning: 'Warning', attention: 'Attention', accent: 'Accent' };

function run(span: Span, extra: Record<string, unknown> = {}): Record<string, unknown> {
  let text = stripControl(span.text);
  if (span.user && text.length > CARD_TEXT_LIMIT) text = `${text.slice(0, CARD_TEXT_LIMIT - 1)}…`;
  return {
    type: 'TextRun',
    text,
    ...(span.strong ? { weight: 'Bolder' } : {}),
    ...(span.subtle ? { isSubtle: true } : {}),
    ...(span.tone ? { color: COLORS[span.tone] } : {}),
    ...extra,
  };
}

function rich(
  spans: Span[],
  options: Record<string, unknown> = {},
  runExtra: Record<string, unknown> = {},
): CardElement {
  return {
    type: 'RichTextBlock',
    inlines: spans.filter((s) => s.text !== '').map((s) => run(s, runExtra)),
    ...options,
  };
}

/**
 * Fact titles and values are Markdown in Teams. They only ever hold our own texts, figures and
 * team names, but escape what could still be read as Markdown (not parentheses and the like,
 * which Teams would show with their backslashes).
 */
export function factText(value: string): string {
  return stripControl(value)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/([\\`*_[\]~<>])/g, '\\$1')
    .replace(/^(\s*)([#+-]|\d+\.)/, '$1\\$2');
}

/**
 * The answer rates as `Chart.VerticalBar` (the shape Teams documents: `data` of `{ x, y }`), with
 * `fallback` the element it replaces, shown where the client cannot draw the chart.
 */
function answerChartElement(spec: BarChartSpec, fallback: CardElement, locale: Locale): CardElement {
  const values = spec.series[0]?.values ?? [];
  return {
    type: 'Chart.VerticalBar',
    title: stripControl(spec.title),
    xAxisTitle: stripControl(spec.categoryLabel ?? ''),
    yAxisTitle: t(locale, 'digest.charts.answers.axis'),
    showBarValues: true,
    color: 'categoricalBlue',
    data: spec.categories.flatMap((x, i) => {
      const y = values[i];
      return typeof y === 'number' ? [{ x: stripControl(x), y }] : [];
    }),
    fallback,
  };
}

interface Unit {
  elements: CardElement[];
  /** What the unit may grow to (the summary's reserved room); `elements` otherwise. */
  measure?: CardElement[];
  /** Headings and labels stay on the page of what follows them. */
  keepWithNext?: boolean;
  section?: string;
}

function unitsOf(
  blocks: DocBlock[],
  answers: BarChartSpec | null,
  locale: Locale,
): { header: { title: string; subtitle: Span[] }; units: Unit[] } {
  let title = '';
  let subtitle: Span[] = [];
  const units: Unit[] = [];
  let section: string | undefined;
  blocks.forEach((b, i) => {
    if (b.kind === 'title') {
      title = b.text;
      return;
    }
    if (i === 1 && b.kind === 'paragraph' && b.subtle) {
      subtitle = b.spans;
      return;
    }
    switch (b.kind) {
      case 'heading':
        section = b.section ?? section;
        units.push({
          elements: [
            rich(
              [{ text: b.text }],
              { spacing: b.level === 2 ? 'Large' : 'Medium', separator: b.level === 2 },
              { weight: 'Bolder', size: b.level === 2 ? 'Medium' : 'Default' },
            ),
          ],
          keepWithNext: true,
          section,
        });
        break;
      case 'paragraph': {
        const el = rich(b.spans, { spacing: 'Small' }, b.subtle ? { isSubtle: true, size: 'Small' } : {});
        const prev = units.at(-1);
        if (section === 'summary' && prev?.section === 'summary' && !prev.keepWithNext) {
          // The model's note goes with the paragraph it describes.
          prev.elements.push(el);
        } else if (section === 'summary') {
          // Measured at its longest, with the model's note in both languages, so pages do not move.
          const reserved = rich([{ text: 'ö'.repeat(SUMMARY_MAX_CHARS) }], { spacing: 'Small' });
          const note = rich(
            [{ text: t('en-US', 'digest.ai.note') + t('sv-SE', 'digest.ai.note') }],
            { spacing: 'Small' },
            { isSubtle: true, size: 'Small' },
          );
          units.push({ elements: [el], measure: [reserved, note], section });
        } else {
          units.push({ elements: [el], section });
        }
        break;
      }
      case 'label':
        units.push({
          elements: [rich([{ text: b.text, strong: true }], { spacing: 'Small' })],
          keepWithNext: true,
          section,
        });
        break;
      case 'facts': {
        const factSet: CardElement = {
          type: 'FactSet',
          spacing: 'Small',
          facts: b.rows.map((r) => ({
            title: factText(r.label),
            value: factText(r.value.map((s) => s.text).join('')),
          })),
        };
        // The check-ins' answer rates are drawn where the client can, and stay this text where not.
        const chart = section === 'checkins' && answers ? answerChartElement(answers, factSet, locale) : null;
        units.push({ elements: [chart ?? factSet], section });
        break;
      }
      case 'list':
        for (const item of b.items) {
          const elements: CardElement[] = [rich([{ text: '• ' }, ...item.line], { spacing: 'Small' })];
          for (const sub of item.sub ?? [])
            elements.push(rich([{ text: '    ' }, ...sub], { spacing: 'None' }, { size: 'Small' }));
          units.push({ elements, section });
        }
        break;
    }
  });
  return { header: { title, subtitle }, units };
}

interface Paged {
  pages: Unit[][];
  header: { title: string; subtitle: Span[] };
}

function assemble(
  digest: Digest,
  locale: Locale,
  header: Paged['header'],
  units: Unit[],
  page: number,
  pages: number,
  measuring: boolean,
): AdaptiveCard {
  const pageText =
    pages > 1 ? t(locale, 'digest.page', { page: measuring ? 99 : page + 1, pages: measuring ? 99 : pages }) : '';
  const body: CardElement[] = [
    heading(factText(header.title)),
    rich(
      [...header.subtitle, ...(pageText ? [{ text: ` · ${pageText}` }] : [])],
      { spacing: 'None' },
      { isSubtle: true, size: 'Small' },
    ),
    ...units.flatMap((u) => (measuring && u.measure ? u.measure : u.elements)),
  ];
  const actions: CardAction[] = [];
  // Paging keeps the grouping the digest was asked for.
  const group = digest.groupBy === 'goal' ? { group: 'goal' } : {};
  if (measuring || page > 0)
    actions.push(
      execute(t(locale, 'digest.previous'), VERBS.digestPage, {
        week: digest.week,
        page: Math.max(0, page - 1),
        ...group,
      }),
    );
  if (measuring || page < pages - 1)
    actions.push(execute(t(locale, 'digest.next'), VERBS.digestPage, { week: digest.week, page: page + 1, ...group }));
  return card(body, actions, { fallbackText: digestTitle(digest, locale) + (pageText ? ` (${pageText})` : '') });
}

function paginate(digest: Digest, locale: Locale, maxBytes: number): Paged {
  const { header, units } = unitsOf(digestDocument(digest, locale), answerRateChart(digest, locale), locale);
  // A body element adds its JSON and one comma to the card: sizes add up exactly, so a page is
  // measured once per unit instead of re-serialising the page for every unit.
  const base = cardBytes(assemble(digest, locale, header, [], 0, 2, true));
  const sizeOf = (u: Unit) =>
    (u.measure ?? u.elements).reduce((n, el) => n + Buffer.byteLength(JSON.stringify(el), 'utf8') + 1, 0);
  const pages: Unit[][] = [];
  let current: Unit[] = [];
  let bytes = base;
  for (const unit of units) {
    const size = sizeOf(unit);
    if (bytes + size <= maxBytes || current.length === 0) {
      current.push(unit);
      bytes += size;
      continue;
    }
    // Move trailing headings and labels along with what they introduce.
    const carried: Unit[] = [];
    while (current.length > 1 && current.at(-1)!.keepWithNext) carried.unshift(current.pop()!);
    pages.push(current);
    current = [...carried, unit];
    bytes = base + current.reduce((n, u) => n + sizeOf(u), 0);
  }
  if (current.length) pages.push(current);
  return { pages, header };
}

/** The number of pages the digest takes in `locale`. */
export function digestPageCount(digest: Digest, locale: Locale, maxBytes = MAX_CARD_BYTES): number {
  return paginate(digest, locale, maxBytes).pages.length;
}

/** Page `page` (0-based, clamped) of the digest card. */
export function digestCard(digest: Digest, locale: Locale, page = 0, maxBytes = MAX_CARD_BYTES): AdaptiveCard {
  const { pages, header } = paginate(digest, locale, maxBytes);
  const current = Math.min(Math.max(0, Math.trunc(page)), pages.length - 1);
  return assemble(digest, locale, header, pages[current] ?? [], current, pages.length, false);
}

/** Every page, in order. */
export function digestCards(digest: Digest, locale: Locale, maxBytes = MAX_CARD_BYTES): AdaptiveCard[] {
  const { pages, header } = paginate(digest, locale, maxBytes);
  return pages.map((units, i) => assemble(digest, locale, header, units, i, pages.length, false));
}

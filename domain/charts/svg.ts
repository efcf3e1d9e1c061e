/**
 * What a bar chart and a line chart share: the frame (`<svg role="img">` with its `<title>` and
 * `<desc>`), the layout of the plot, the value axis with its grid, the category labels under the
 * plot and the legend. Every text is escaped here or by the caller with `escapeHtml`; coordinates
 * go through `px`, so the same spec always gives the same string.
 */
import { escapeHtml } from '../markup';
import type { Locale } from '../types';
import { type ChartSeries, type ChartTone, toneOf } from './model';
import { formatValue, niceScale, project, px, type Scale, withUnit } from './scale';
import { CHART_THEMES, type ChartColor } from './theme';

export const DEFAULT_WIDTH = 640;
/** The plot's height when the spec gives no total height. */
const PLOT_HEIGHT = 220;
const FONT = 12;
/** An estimate of a character's width at 12 px in Segoe UI (no fonts are measured on the server). */
const CHAR = 7;
const LABEL_MAX_CHARS = 24;
const ROTATE = 40;

/** The light colour as a presentation attribute: any CSS rule (CHART_CSS) overrides it. */
export const fallback = (color: ChartColor) => CHART_THEMES.light[color];

/** An id usable as an XML id and in `aria-labelledby`. */
export function chartId(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9_-]/g, '-');
  return /^[A-Za-z]/.test(clean) ? clean : `ks-${clean}`;
}

const textWidth = (s: string) => [...s].length * CHAR;

function shorten(label: string): string {
  const chars = [...label];
  return chars.length > LABEL_MAX_CHARS ? `${chars.slice(0, LABEL_MAX_CHARS - 1).join('')}…` : label;
}

/** "Bostäder, I fas: 5 %": what a data element says (its `<title>`). */
export function pointTitle(locale: Locale, category: string, series: ChartSeries, value: number, unit?: string) {
  return `${category}, ${series.name}: ${withUnit(locale, value, unit)}`;
}

/** Without a description, the values are the description: "I fas: Bostäder 5, Industrimark 2; …". */
export function describe(locale: Locale, categories: string[], series: ChartSeries[], unit?: string): string {
  return series
    .map(
      (s) =>
        `${s.name}: ${categories
          .map((c, i) => {
            const v = s.values[i];
            return `${c} ${v === null || v === undefined ? '–' : withUnit(locale, v, unit)}`;
          })
          .join(', ')}`,
    )
    .join('; ');
}

/** The attributes every data element carries: what it shows, for tests and scripts, and a focus stop. */
export function dataAttributes(series: ChartSeries, category: string, value: number): string {
  return `data-series="${escapeHtml(series.key)}" data-category="${escapeHtml(category)}" data-value="${value}" tabindex="0" focusable="true"`;
}

export function toneClass(tone: ChartTone): string {
  return `ks-tone-${tone}`;
}

export interface Layout {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  scale: Scale;
  /** The centre of each category's band, and the band's width. */
  centers: number[];
  band: number;
  rotated: boolean;
  /** Where the legend starts, and its rows. */
  legendTop: number;
  legend: { x: number; row: number; series: ChartSeries; tone: ChartTone }[];
}

/** Lays the chart out: the scale first (the tick labels set the left margin), the rest around the plot. */
export function layout(o: {
  categories: string[];
  series: ChartSeries[];
  lo: number;
  hi: number;
  locale: Locale;
  width?: number;
  height?: number;
  /** Room above the plot (a target's label). */
  headroom?: number;
}): Layout {
  const width = Math.max(200, o.width ?? DEFAULT_WIDTH);
  const scale = niceScale(o.lo, o.hi);
  const tickWidth = Math.max(...scale.ticks.map((t) => textWidth(formatValue(o.locale, t))));
  let left = Math.max(32, tickWidth + 14);
  const right = width - 12;
  const n = Math.max(1, o.categories.length);
  let band = (right - left) / n;
  const widest = Math.max(0, ...o.categories.map((c) => textWidth(shorten(c))));
  const rotated = widest > band - 4;
  if (rotated) {
    // A turned label reaches left of its category: room for the first one inside the picture.
    const reach = Math.cos((ROTATE * Math.PI) / 180) * textWidth(shorten(o.categories[0] ?? ''));
    left = Math.min(Math.max(left, Math.ceil(reach - band / 2 + 4)), Math.floor(width / 2));
    band = (right - left) / n;
  }
  const labelHeight = rotated ? Math.ceil(Math.sin((ROTATE * Math.PI) / 180) * widest) + FONT + 10 : FONT + 12;

  const legend: Layout['legend'] = [];
  let x = left;
  let row = 0;
  o.series.forEach((s, i) => {
    const w = 22 + textWidth(s.name) + 16;
    if (x + w > right && x > left) {
      row++;
      x = left;
    }
    legend.push({ x, row, series: s, tone: toneOf(s, i) });
    x += w;
  });
  const legendHeight = legend.length ? (row + 1) * 20 + 4 : 0;
  const top = 26 + (o.headroom ?? 0);
  const chrome = top + labelHeight + legendHeight;
  const height = o.height ? Math.max(o.height, chrome + 80) : chrome + PLOT_HEIGHT;
  const bottom = height - labelHeight - legendHeight;
  return {
    width,
    height,
    left,
    right,
    top,
    bottom,
    scale,
    centers: Array.from({ length: n }, (_, i) => left + band * (i + 0.5)),
    band,
    rotated,
    legendTop: bottom + labelHeight,
    legend,
  };
}

/** The y pixel of a value. */
export const yOf = (l: Layout, value: number) => project(l.scale, value, l.bottom, l.top);

export function openSvg(kind: 'bar' | 'line', id: string, l: Layout, title: string, desc: string): string[] {
  const cid = chartId(id);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="ks-chart ks-chart-${kind}" role="img" aria-labelledby="${cid}-title ${cid}-desc" viewBox="0 0 ${l.width} ${l.height}" width="${l.width}" height="${l.height}">`,
    `<title id="${cid}-title">${escapeHtml(title)}</title>`,
    `<desc id="${cid}-desc">${escapeHtml(desc)}</desc>`,
  ];
}

/** The grid, the tick labels (with `data-value`, at the tick's `y`), the unit above them and the axis lines. */
export function valueAxis(l: Layout, locale: Locale, unit?: string): string[] {
  const grid = l.scale.ticks.map(
    (t) => `<line x1="${px(l.left)}" x2="${px(l.right)}" y1="${px(yOf(l, t))}" y2="${px(yOf(l, t))}"/>`,
  );
  const labels = l.scale.ticks.map(
    (t) =>
      `<text class="ks-tick" data-value="${t}" x="${px(l.left - 6)}" y="${px(yOf(l, t))}" dy="0.32em" text-anchor="end">${escapeHtml(formatValue(locale, t))}</text>`,
  );
  const zero = l.scale.min < 0 && l.scale.max > 0 ? yOf(l, 0) : l.bottom;
  return [
    `<g class="ks-grid" stroke="${fallback('grid')}" aria-hidden="true">${grid.join('')}</g>`,
    `<g class="ks-axis ks-axis-y" fill="${fallback('axis')}" aria-hidden="true">`,
    ...(unit
      ? [
          `<text class="ks-unit" x="${px(l.left - 6)}" y="${px(l.top - 14)}" text-anchor="end">${escapeHtml(unit)}</text>`,
        ]
      : []),
    ...labels,
    `<line x1="${px(l.left)}" x2="${px(l.left)}" y1="${px(l.top)}" y2="${px(l.bottom)}" stroke="${fallback('axis')}"/>`,
    `<line x1="${px(l.left)}" x2="${px(l.right)}" y1="${px(zero)}" y2="${px(zero)}" stroke="${fallback('axis')}"/>`,
    `</g>`,
  ];
}

/** The categories under the plot, turned when they do not fit their band (cut at 24 characters). */
export function categoryAxis(l: Layout, categories: string[]): string[] {
  const y = l.bottom + FONT + 6;
  const labels = categories.map((c, i) => {
    const x = px(l.centers[i]!);
    const short = shorten(c);
    const full = short === c ? '' : `<title>${escapeHtml(c)}</title>`;
    return l.rotated
      ? `<text x="${x}" y="${px(y - 4)}" text-anchor="end" transform="rotate(-${ROTATE} ${x} ${px(y - 4)})">${full}${escapeHtml(short)}</text>`
      : `<text x="${x}" y="${px(y)}" text-anchor="middle">${full}${escapeHtml(short)}</text>`;
  });
  return [`<g class="ks-axis ks-axis-x" fill="${fallback('axis')}" aria-hidden="true">`, ...labels, `</g>`];
}

/** The legend as text, each name after a swatch of its series' colour. */
export function legend(l: Layout, kind: 'bar' | 'line'): string[] {
  if (!l.legend.length) return [];
  const items = l.legend.map(({ x, row, series, tone }) => {
    const y = l.legendTop + row * 20;
    const swatch =
      kind === 'bar'
        ? `<rect class="ks-swatch ${toneClass(tone)}" x="${px(x)}" y="${px(y + 2)}" width="12" height="12" fill="${fallback(tone)}"/>`
        : `<line class="ks-swatch ks-line ${toneClass(tone)}" x1="${px(x)}" x2="${px(x + 16)}" y1="${px(y + 8)}" y2="${px(y + 8)}" stroke="${fallback(tone)}" stroke-width="2"/>`;
    return `<g class="ks-legend-item">${swatch}<text x="${px(x + 22)}" y="${px(y + 8)}" dy="0.32em">${escapeHtml(series.name)}</text></g>`;
  });
  return [`<g class="ks-legend">`, ...items, `</g>`];
}

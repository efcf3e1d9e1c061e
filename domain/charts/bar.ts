/**
 * Vertical bars, one band per category: the series side by side, or stacked (positive values up
 * from zero, negative ones down). A null value draws no bar. Every bar is a focusable `<rect>` with
 * its `<title>` ("Bostäder, I fas: 5") and its data attributes.
 */
import { escapeHtml } from '../markup';
import type { Locale } from '../types';
import { type BarChartSpec, toneOf } from './model';
import { isValue, px, withUnit } from './scale';
import {
  categoryAxis,
  dataAttributes,
  describe,
  fallback,
  layout,
  legend,
  openSvg,
  pointTitle,
  toneClass,
  valueAxis,
  yOf,
} from './svg';

const BAR_MAX = 56;

/** The lowest and highest value the axis must show: zero, the bars (or stacks) and `max`. */
function extent(spec: BarChartSpec): [number, number] {
  let lo = 0;
  let hi = spec.max ?? 0;
  spec.categories.forEach((_, c) => {
    if (spec.stacked) {
      let up = 0;
      let down = 0;
      for (const s of spec.series) {
        const v = s.values[c];
        if (isValue(v) && v >= 0) up += v;
        else if (isValue(v)) down += v;
      }
      hi = Math.max(hi, up);
      lo = Math.min(lo, down);
    } else {
      for (const s of spec.series) {
        const v = s.values[c];
        if (isValue(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      }
    }
  });
  return [lo, hi];
}

export function barChart(spec: BarChartSpec, locale: Locale = 'sv-SE'): string {
  const [lo, hi] = extent(spec);
  const l = layout({
    categories: spec.categories,
    series: spec.series,
    lo,
    hi,
    locale,
    width: spec.width,
    height: spec.height,
  });
  const inner = l.band * 0.8;
  const groups = spec.stacked ? 1 : Math.max(1, spec.series.length);
  const barWidth = Math.min(BAR_MAX, inner / groups);
  const bars: string[] = [];
  spec.categories.forEach((category, c) => {
    const start = l.centers[c]! - (barWidth * groups) / 2;
    let up = 0;
    let down = 0;
    const rects: string[] = [];
    spec.series.forEach((s, i) => {
      const v = s.values[c];
      if (!isValue(v)) return;
      const tone = toneOf(s, i);
      let from: number;
      let to: number;
      if (spec.stacked) {
        from = v >= 0 ? up : down;
        to = from + v;
        if (v >= 0) up = to;
        else down = to;
      } else {
        [from, to] = [0, v];
      }
      const y0 = yOf(l, from);
      const y1 = yOf(l, to);
      const x = spec.stacked ? start : start + i * barWidth;
      rects.push(
        `<rect class="ks-bar ${toneClass(tone)}" x="${px(x)}" y="${px(Math.min(y0, y1))}" width="${px(barWidth)}" height="${px(Math.abs(y1 - y0))}" fill="${fallback(tone)}" ${dataAttributes(s, category, v)}><title>${escapeHtml(pointTitle(locale, category, s, v, spec.unit))}</title></rect>`,
      );
      if (spec.showValues && !spec.stacked)
        rects.push(
          `<text class="ks-value" x="${px(x + barWidth / 2)}" y="${px(Math.min(y0, y1) - 4)}" text-anchor="middle" aria-hidden="true">${escapeHtml(withUnit(locale, v, spec.unit))}</text>`,
        );
    });
    if (rects.length) bars.push(`<g class="ks-category" data-category="${escapeHtml(category)}">`, ...rects, `</g>`);
  });
  return [
    ...openSvg(
      'bar',
      spec.id,
      l,
      spec.title,
      spec.description ?? describe(locale, spec.categories, spec.series, spec.unit),
    ),
    ...valueAxis(l, locale, spec.unit),
    `<g class="ks-data">`,
    ...bars,
    `</g>`,
    ...categoryAxis(l, spec.categories),
    ...legend(l, 'bar'),
    `</svg>`,
  ].join('\n');
}

/**
 * One or more series over labels (periods), with an optional dashed target line and its label. A
 * null value leaves a gap: the line is broken there and no point is drawn. Every point is a
 * focusable `<circle>` with its `<title>` and its data attributes.
 */
import { escapeHtml } from '../markup';
import type { Locale } from '../types';
import { type LineChartSpec, toneOf } from './model';
import { isValue, px } from './scale';
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

/**
 * The values and the target, padded so no point sits on the frame. The axis starts at zero when
 * the values are all positive and zero is not far below them; otherwise it starts near the lowest
 * value, so a slow trend (25 000 to 25 120 inhabitants) is not a flat line.
 */
function extent(spec: LineChartSpec): [number, number] {
  const all = spec.series.flatMap((s) => s.values.filter(isValue));
  if (spec.target && Number.isFinite(spec.target.value)) all.push(spec.target.value);
  if (!all.length) return [0, 1];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const pad = (hi - lo) * 0.05;
  if (lo >= 0 && lo <= hi / 2) return [0, hi + pad];
  return [lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad];
}

export function lineChart(spec: LineChartSpec, locale: Locale = 'sv-SE'): string {
  const [lo, hi] = extent(spec);
  const l = layout({
    categories: spec.labels,
    series: spec.series,
    lo,
    hi,
    locale,
    width: spec.width,
    height: spec.height,
    headroom: spec.target ? 8 : 0,
  });
  const lines: string[] = [];
  const points: string[] = [];
  spec.series.forEach((s, i) => {
    const tone = toneOf(s, i);
    let d = '';
    let open = false;
    spec.labels.forEach((label, p) => {
      const v = s.values[p];
      if (!isValue(v)) {
        open = false;
        return;
      }
      const x = px(l.centers[p]!);
      const y = px(yOf(l, v));
      d += `${d ? ' ' : ''}${open ? 'L' : 'M'}${x} ${y}`;
      open = true;
      points.push(
        `<circle class="ks-point ${toneClass(tone)}" cx="${x}" cy="${y}" r="4" fill="${fallback(tone)}" ${dataAttributes(s, label, v)}><title>${escapeHtml(pointTitle(locale, label, s, v, spec.unit))}</title></circle>`,
      );
    });
    if (d)
      lines.push(
        `<path class="ks-line ${toneClass(tone)}" data-line="${escapeHtml(s.key)}" d="${d}" fill="none" stroke="${fallback(tone)}" stroke-width="2" aria-hidden="true"/>`,
      );
  });
  const target: string[] = [];
  if (spec.target && Number.isFinite(spec.target.value)) {
    const y = px(yOf(l, spec.target.value));
    target.push(
      [
        `<g class="ks-target" data-value="${spec.target.value}">`,
        `<line x1="${px(l.left)}" x2="${px(l.right)}" y1="${y}" y2="${y}" stroke="${fallback('target')}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
        `<text x="${px(l.right)}" y="${px(yOf(l, spec.target.value) - 5)}" text-anchor="end" fill="${fallback('target')}">${escapeHtml(spec.target.label)}</text>`,
        `</g>`,
      ].join(''),
    );
  }
  return [
    ...openSvg(
      'line',
      spec.id,
      l,
      spec.title,
      spec.description ??
        [describe(locale, spec.labels, spec.series, spec.unit), spec.target?.label].filter(Boolean).join('; '),
    ),
    ...valueAxis(l, locale, spec.unit),
    ...target,
    `<g class="ks-data">`,
    ...lines,
    ...points,
    `</g>`,
    ...categoryAxis(l, spec.labels),
    ...legend(l, 'line'),
    `</svg>`,
  ].join('\n');
}

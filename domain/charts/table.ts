/**
 * A chart's data as an HTML table, for beside the chart: the title as its caption, a row per
 * category (or label) with `<th scope="row">`, a column per series with `<th scope="col">`, the
 * values with their unit the locale's way and "–" for none. Stacked bars get a total column when
 * the spec names it; a line chart's target is the table's foot.
 */
import { escapeHtml } from '../markup';
import type { Locale } from '../types';
import { type ChartSpec, isBarChart } from './model';
import { withUnit } from './scale';

const cell = (locale: Locale, v: number | null | undefined, unit?: string) =>
  typeof v === 'number' && Number.isFinite(v) ? escapeHtml(withUnit(locale, v, unit)) : '–';

export function chartTable(spec: ChartSpec, locale: Locale): string {
  const bar = isBarChart(spec);
  const rows = bar ? spec.categories : spec.labels;
  const total = bar && spec.stacked && spec.totalLabel ? spec.totalLabel : null;
  const corner = spec.categoryLabel ? `<th scope="col">${escapeHtml(spec.categoryLabel)}</th>` : '<td></td>';
  const head = [
    corner,
    ...spec.series.map((s) => `<th scope="col">${escapeHtml(s.name)}</th>`),
    ...(total ? [`<th scope="col">${escapeHtml(total)}</th>`] : []),
  ];
  const body = rows.map((row, r) => {
    const values = spec.series.map(
      (s) =>
        `<td data-series="${escapeHtml(s.key)}" data-category="${escapeHtml(row)}">${cell(locale, s.values[r], spec.unit)}</td>`,
    );
    if (total) {
      const sum = spec.series.reduce((n, s) => n + (Number.isFinite(s.values[r]) ? (s.values[r] as number) : 0), 0);
      values.push(`<td data-total="${sum}">${cell(locale, sum, spec.unit)}</td>`);
    }
    return `<tr><th scope="row">${escapeHtml(row)}</th>${values.join('')}</tr>`;
  });
  const columns = head.length;
  const foot =
    !bar && spec.target ? `<tfoot><tr><td colspan="${columns}">${escapeHtml(spec.target.label)}</td></tr></tfoot>` : '';
  return [
    `<table class="ks-chart-table">`,
    `<caption>${escapeHtml(spec.title)}</caption>`,
    `<thead><tr>${head.join('')}</tr></thead>`,
    `<tbody>${body.join('')}</tbody>`,
    foot,
    `</table>`,
  ]
    .filter(Boolean)
    .join('');
}

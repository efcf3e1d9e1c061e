/** Small pieces of HTML the tab's views share: escaping, a chart with its data table, a select. */
import { chartTable, type BarChartSpec, type LineChartSpec } from '../domain/charts';
import { escapeHtml } from '../domain/markup';
import type { Locale } from '../domain/types';
import { t, type Params, type TextKey } from '../domain/i18n';

export const esc = escapeHtml;

export type Tr = (key: TextKey, params?: Params) => string;

export function tr(locale: Locale): Tr {
  return (key, params) => t(locale, key, params);
}

/** A chart figure: the SVG, and its data as a table one click away (and always on paper). */
export function figure(
  svg: string,
  spec: BarChartSpec | LineChartSpec,
  locale: Locale,
  o: { caption?: boolean } = {},
): string {
  return [
    `<figure class="ks-figure" id="${esc(spec.id)}-figure">`,
    // The title seen (unless a heading above says it); the SVG carries it as its accessible name.
    o.caption === false ? '' : `<figcaption aria-hidden="true">${esc(spec.title)}</figcaption>`,
    svg,
    `<details class="ks-table"><summary>${esc(t(locale, 'tab.table.show'))}</summary>${chartTable(spec, locale)}</details>`,
    '</figure>',
  ].join('');
}

export interface Choice {
  value: string;
  label: string;
}

/** A labelled `<select>` whose first option is "All". */
export function select(name: string, label: string, choices: readonly Choice[], current: string, all: string): string {
  const options = [{ value: '', label: all }, ...choices]
    .map((c) => `<option value="${esc(c.value)}"${c.value === current ? ' selected' : ''}>${esc(c.label)}</option>`)
    .join('');
  return `<label class="ks-field"><span>${esc(label)}</span><select name="${esc(name)}">${options}</select></label>`;
}

/** The filter form of a view: GET to the page itself, so it works without scripts too. */
export function filterForm(view: string, fields: readonly string[], tx: Tr): string {
  return [
    `<form class="ks-filters" method="get" action="tab" data-view="${esc(view)}" role="search" aria-label="${esc(tx('tab.filter.title'))}">`,
    `<input type="hidden" name="view" value="${esc(view)}">`,
    ...fields,
    `<button type="submit">${esc(tx('tab.filter.apply'))}</button>`,
    `<a class="ks-clear" href="tab?view=${esc(view)}" data-view="${esc(view)}">${esc(tx('tab.filter.clear'))}</a>`,
    '</form>',
  ].join('');
}

/** A query parameter as one trimmed string of sane length ('' when absent). */
export function param(query: Readonly<Record<string, unknown>>, name: string): string {
  const v = query[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim().slice(0, 200) : '';
}

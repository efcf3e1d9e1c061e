/** The Indikatorer view: each indicator's values over time against its target, with unit and source. */
import { lineChart, type LineChartSpec } from '../../domain/charts';
import { formatNumber } from '../../domain/i18n';
import type { Overview, OverviewIndicator } from '../../domain/overview';
import type { Locale } from '../../domain/types';
import { esc, figure, tr, type Tr } from '../html';

/** Kolada's page for a key figure (its ids are N + five digits, e.g. N01951). */
const koladaUrl = (id: string) => `https://www.kolada.se/verktyg/fri-sokning/?kpis=${encodeURIComponent(id)}`;

function chartOf(ind: OverviewIndicator, locale: Locale, tx: Tr): LineChartSpec {
  const target =
    ind.target === undefined
      ? undefined
      : {
          value: ind.target,
          label: ind.targetYear
            ? tx('tab.indicators.targetLine', { year: ind.targetYear, value: formatNumber(locale, ind.target) })
            : tx('tab.indicators.targetLine.noYear', { value: formatNumber(locale, ind.target) }),
        };
  return {
    id: `ks-indicator-${ind.id.replace(/[^A-Za-z0-9_-]/g, '_')}`,
    title: ind.name,
    description: tx('tab.indicators.chart.desc'),
    labels: ind.values.map((v) => v.period),
    categoryLabel: tx('tab.indicators.period'),
    series: [{ key: ind.id, name: ind.name, tone: 'accent', values: ind.values.map((v) => v.value) }],
    ...(target ? { target } : {}),
    unit: ind.unit,
  };
}

function facts(ind: OverviewIndicator, locale: Locale, tx: Tr): string {
  const rows: [string, string][] = [[tx('tab.indicators.unit'), esc(ind.unit)]];
  rows.push([
    tx('tab.indicators.source'),
    ind.koladaKpi
      ? `<a href="${esc(koladaUrl(ind.koladaKpi))}" target="_blank" rel="noopener noreferrer">${esc(tx('tab.indicators.kolada', { id: ind.koladaKpi }))}</a>`
      : esc(tx('tab.indicators.ownData')),
  ]);
  if (ind.baseline !== undefined) rows.push([tx('tab.indicators.baseline'), esc(formatNumber(locale, ind.baseline))]);
  if (ind.latest)
    rows.push([
      tx('tab.indicators.latest'),
      `${esc(formatNumber(locale, ind.latest.value))} (${esc(ind.latest.period)})`,
    ]);
  if (ind.target !== undefined)
    rows.push([
      tx('tab.indicators.target'),
      `${esc(formatNumber(locale, ind.target))}${ind.targetYear ? ` (${ind.targetYear})` : ''}`,
    ]);
  if (ind.progress !== null) rows.push([tx('tab.indicators.progress'), `${ind.progress} %`]);
  return `<dl class="ks-facts">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

export function renderIndicators(
  overview: Overview,
  _query: Readonly<Record<string, unknown>>,
  locale: Locale,
): string {
  const tx = tr(locale);
  const out = [`<h2 id="view-title">${esc(tx('tab.view.indicators'))}</h2>`];
  if (overview.indicators.length === 0) {
    out.push(`<p>${esc(tx('tab.indicators.none'))}</p>`);
    return out.join('\n');
  }
  out.push('<div class="ks-cards">');
  for (const ind of overview.indicators) {
    const spec = chartOf(ind, locale, tx);
    out.push(
      `<section class="ks-indicator" data-indicator="${esc(ind.id)}" aria-labelledby="${esc(spec.id)}-h"><h3 id="${esc(spec.id)}-h">${esc(ind.name)}</h3>`,
      facts(ind, locale, tx),
      ind.values.length === 0
        ? `<p>${esc(tx('tab.indicators.noValues'))}</p>`
        : figure(lineChart(spec, locale), spec, locale, { caption: false }),
      '</section>',
    );
  }
  out.push('</div>');
  return out.join('\n');
}

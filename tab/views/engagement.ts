/** The Engagemang view: answer rates per week for the whole program, per team, and per team and week. */
import { barChart, lineChart, type BarChartSpec, type LineChartSpec } from '../../domain/charts';
import { formatWeek } from '../../domain/i18n';
import type { Overview } from '../../domain/overview';
import type { Locale } from '../../domain/types';
import { esc, figure, tr } from '../html';

const percent = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 100) : null);

export function renderEngagement(
  overview: Overview,
  _query: Readonly<Record<string, unknown>>,
  locale: Locale,
): string {
  const tx = tr(locale);
  const out = [`<h2 id="view-title">${esc(tx('tab.view.engagement'))}</h2>`];
  const weeks = overview.engagement.filter((w) => w.asked > 0);
  if (weeks.length === 0) {
    out.push(`<p>${esc(tx('tab.engagement.none'))}</p>`);
    return out.join('\n');
  }
  const first = overview.engagement.findIndex((w) => w.asked > 0);
  const span = overview.engagement.slice(first);
  const byWeek: LineChartSpec = {
    id: 'ks-engagement-weeks',
    title: tx('tab.engagement.chart.title'),
    description: tx('tab.engagement.chart.desc'),
    labels: span.map((w) => formatWeek(locale, w.week)),
    categoryLabel: tx('tab.plan.history.week'),
    series: [{ key: 'all', name: tx('tab.engagement.all'), tone: 'accent', values: span.map((w) => w.rate) }],
    unit: '%',
  };
  out.push(figure(lineChart(byWeek, locale), byWeek, locale));

  const perTeam: BarChartSpec = {
    id: 'ks-engagement-teams',
    title: tx('tab.engagement.teams.title', { weeks: span.length }),
    description: tx('tab.engagement.teams.desc'),
    categories: overview.teams.map((team) => team.name),
    categoryLabel: tx('tab.filter.team'),
    series: [
      {
        key: 'rate',
        name: tx('tab.engagement.rate'),
        tone: 'accent',
        values: overview.teams.map((team) => {
          const cells = span.flatMap((w) => w.teams.filter((c) => c.teamKey === team.key));
          return percent(
            cells.reduce((n, c) => n + c.answered, 0),
            cells.reduce((n, c) => n + c.asked, 0),
          );
        }),
      },
    ],
    unit: '%',
    max: 100,
  };
  out.push(figure(barChart(perTeam, locale), perTeam, locale));

  // The whole grid as a table: teams down, weeks across (newest first so the latest is in view).
  const recent = [...span].reverse();
  const head = recent.map((w) => `<th scope="col">${esc(formatWeek(locale, w.week))}</th>`).join('');
  const rows = overview.teams
    .map((team) => {
      const cells = recent
        .map((w) => {
          const c = w.teams.find((x) => x.teamKey === team.key);
          if (!c || c.rate === null) return `<td class="ks-subtle" data-rate="">–</td>`;
          const band = c.rate >= 80 ? 'high' : c.rate >= 50 ? 'mid' : 'low';
          return `<td class="ks-rate ks-rate-${band}" data-rate="${c.rate}" title="${esc(`${c.answered}/${c.asked}`)}">${c.rate} %</td>`;
        })
        .join('');
      return `<tr data-team="${esc(team.key)}"><th scope="row">${esc(team.name)}</th>${cells}</tr>`;
    })
    .join('');
  out.push(
    `<section aria-labelledby="engagement-grid"><h3 id="engagement-grid">${esc(tx('tab.engagement.table.title'))}</h3>`,
    `<div class="ks-scroll" tabindex="0" role="region" aria-labelledby="engagement-grid"><table class="ks-grid-table"><thead><tr><th scope="col">${esc(tx('tab.filter.team'))}</th>${head}</tr></thead><tbody>${rows}</tbody></table></div></section>`,
  );
  return out.join('\n');
}

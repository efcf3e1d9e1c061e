/** One action with its answers week by week: its progress as a line, and every answer in a table. */
import { lineChart, type LineChartSpec } from '../../domain/charts';
import { formatDate, formatWeek } from '../../domain/i18n';
import type { Overview, OverviewAction, OverviewTeam } from '../../domain/overview';
import type { Locale } from '../../domain/types';
import { esc, figure, param, tr } from '../html';
import { statusBadge } from './status';

/** The action with that id and its team, when the overview has it. */
export function findAction(overview: Overview, id: string): { team: OverviewTeam; action: OverviewAction } | undefined {
  for (const team of overview.teams) {
    const action = team.actions.find((a) => a.id === id);
    if (action) return { team, action };
  }
  return undefined;
}

export function renderAction(overview: Overview, query: Readonly<Record<string, unknown>>, locale: Locale): string {
  const tx = tr(locale);
  const found = findAction(overview, param(query, 'id'));
  const team = found?.team;
  const a = found?.action;
  if (!team || !a) return `<p class="ks-message" role="alert">${esc(tx('tab.error.notFound'))}</p>`;
  const facts: [string, string][] = [
    [tx('tab.filter.team'), esc(team.name)],
    [tx('tab.plan.col.owner'), esc(a.owner)],
    [tx('tab.plan.col.status'), statusBadge(a.status, tx)],
    [tx('tab.plan.col.progress'), `${a.progress} %`],
  ];
  if (a.timeline || a.due)
    facts.push([
      tx('tab.plan.col.due'),
      esc([a.timeline, a.due ? formatDate(locale, a.due) : ''].filter(Boolean).join(' · ')),
    ]);
  if (a.goal) facts.push([tx('tab.filter.goal'), esc(a.goal)]);
  if (a.responsibleBody) facts.push([tx('tab.plan.col.body'), esc(a.responsibleBody)]);
  const out = [
    `<p><a href="tab?view=plan&amp;team=${esc(team.key)}" data-view="plan">← ${esc(team.name)}</a></p>`,
    `<h2 id="view-title">${esc(a.planNumber ?? a.id)} ${esc(a.title)}</h2>`,
    `<dl class="ks-facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`,
  ];
  if (a.history.length === 0) {
    out.push(`<p>${esc(tx('tab.plan.history.none'))}</p>`);
    return out.join('\n');
  }
  const spec: LineChartSpec = {
    id: 'ks-action-progress',
    title: tx('tab.action.chart.title'),
    description: tx('tab.action.chart.desc'),
    labels: a.history.map((h) => formatWeek(locale, h.week)),
    categoryLabel: tx('tab.plan.history.week'),
    series: [
      { key: 'progress', name: tx('tab.plan.col.progress'), tone: 'accent', values: a.history.map((h) => h.progress) },
    ],
    unit: '%',
  };
  out.push(figure(lineChart(spec, locale), spec, locale));
  const rows = [...a.history]
    .reverse()
    .map(
      (h) =>
        `<tr data-week="${esc(h.week)}"><th scope="row">${esc(formatWeek(locale, h.week, true))}</th><td>${statusBadge(h.status, tx)}</td><td>${h.progress} %</td><td>${esc(h.comment)}${h.blockers ? ` <em>(${esc(h.blockers)})</em>` : ''}</td><td>${esc(h.by)}</td></tr>`,
    )
    .join('');
  out.push(
    `<h3>${esc(tx('tab.plan.history', { count: a.history.length }))}</h3>`,
    `<table class="ks-history"><thead><tr><th scope="col">${esc(tx('tab.plan.history.week'))}</th><th scope="col">${esc(tx('tab.plan.col.status'))}</th>`,
    `<th scope="col">${esc(tx('tab.plan.col.progress'))}</th><th scope="col">${esc(tx('tab.plan.col.comment'))}</th><th scope="col">${esc(tx('tab.plan.history.by'))}</th></tr></thead>`,
    `<tbody>${rows}</tbody></table>`,
  );
  return out.join('\n');
}

/**
 * The Plan view: every team's actions by status (a stacked bar chart), the overdue and at-risk ones,
 * and each team's actions with their answers week by week, filtered by team, goal, status and owner.
 */
import { barChart, type BarChartSpec } from '../../domain/charts';
import { formatDate } from '../../domain/i18n';
import type { Overview, OverviewAction, OverviewTeam } from '../../domain/overview';
import { ACTION_STATUSES, type Locale } from '../../domain/types';
import { esc, figure, filterForm, param, select, tr, type Tr } from '../html';
import { statusBadge } from './status';

export interface PlanFilter {
  team: string;
  goal: string;
  status: string;
  owner: string;
}

export function planFilter(query: Readonly<Record<string, unknown>>): PlanFilter {
  return {
    team: param(query, 'team'),
    goal: param(query, 'goal'),
    status: param(query, 'status'),
    owner: param(query, 'owner'),
  };
}

function matches(a: OverviewAction, f: PlanFilter): boolean {
  return (
    (!f.team || a.teamKey === f.team) &&
    (!f.goal || a.goal === f.goal) &&
    (!f.status || a.status === f.status) &&
    (!f.owner || a.owner === f.owner)
  );
}

const sorted = (values: Iterable<string>) =>
  [...new Set(values)].filter(Boolean).sort((a, b) => a.localeCompare(b, 'sv'));

function statusChart(teams: OverviewTeam[], tx: Tr): BarChartSpec {
  return {
    id: 'ks-plan-status',
    title: tx('tab.plan.chart.title'),
    description: tx('tab.plan.chart.desc'),
    categories: teams.map((team) => team.name),
    categoryLabel: tx('tab.filter.team'),
    stacked: true,
    series: ACTION_STATUSES.map((status) => ({
      key: status,
      name: tx(`status.${status}`),
      tone: status,
      values: teams.map((team) => team.actions.filter((a) => a.status === status).length),
    })),
  };
}

function due(a: OverviewAction, locale: Locale, tx: Tr): string {
  const parts: string[] = [];
  if (a.timeline) parts.push(esc(a.timeline));
  else if (a.ongoing) parts.push(esc(tx('tab.plan.ongoing')));
  if (a.due && a.due !== a.timeline)
    parts.push(`<time datetime="${esc(a.due)}">${esc(formatDate(locale, a.due))}</time>`);
  if (a.overdue) parts.push(`<strong class="ks-tone-text-off_track">${esc(tx('tab.plan.overdue'))}</strong>`);
  return parts.join(' · ');
}

function history(a: OverviewAction, tx: Tr): string {
  if (a.history.length === 0) return `<div class="ks-subtle">${esc(tx('tab.plan.history.none'))}</div>`;
  return `<div><a href="tab?view=action&amp;id=${esc(encodeURIComponent(a.id))}" data-view="action">${esc(tx('tab.plan.history', { count: a.history.length }))}</a></div>`;
}

function actionRow(a: OverviewAction, locale: Locale, tx: Tr): string {
  const goal = a.goal ? `<div class="ks-subtle">${esc(tx('tab.plan.goal', { goal: a.goal }))}</div>` : '';
  return [
    `<tr id="action-${esc(a.id)}" data-action="${esc(a.id)}" data-status="${esc(a.status)}">`,
    `<td>${esc(a.planNumber ?? a.id)}</td>`,
    `<td><strong>${esc(a.title)}</strong>${goal}${history(a, tx)}</td>`,
    `<td>${esc(a.owner)}${a.responsibleBody ? `<div class="ks-subtle">${esc(a.responsibleBody)}</div>` : ''}</td>`,
    `<td>${statusBadge(a.status, tx)}</td>`,
    `<td><meter min="0" max="100" value="${a.progress}" aria-label="${esc(tx('tab.plan.col.progress'))}"></meter> ${a.progress} %</td>`,
    `<td>${due(a, locale, tx)}</td>`,
    `<td>${esc(a.lastComment ?? '')}</td>`,
    '</tr>',
  ].join('');
}

function actionTable(actions: OverviewAction[], locale: Locale, tx: Tr): string {
  const head = (['number', 'action', 'owner', 'status', 'progress', 'due', 'comment'] as const)
    .map((c) => `<th scope="col">${esc(tx(`tab.plan.col.${c}`))}</th>`)
    .join('');
  return `<table class="ks-actions"><thead><tr>${head}</tr></thead><tbody>${actions.map((a) => actionRow(a, locale, tx)).join('')}</tbody></table>`;
}

export function renderPlan(overview: Overview, query: Readonly<Record<string, unknown>>, locale: Locale): string {
  const tx = tr(locale);
  const f = planFilter(query);
  const all = overview.teams.flatMap((team) => team.actions);
  const form = filterForm(
    'plan',
    [
      select(
        'team',
        tx('tab.filter.team'),
        overview.teams.map((team) => ({ value: team.key, label: team.name })),
        f.team,
        tx('tab.filter.all'),
      ),
      select(
        'goal',
        tx('tab.filter.goal'),
        sorted(all.map((a) => a.goal ?? '')).map((g) => ({ value: g, label: g })),
        f.goal,
        tx('tab.filter.all'),
      ),
      select(
        'status',
        tx('tab.filter.status'),
        ACTION_STATUSES.map((s) => ({ value: s, label: tx(`status.${s}`) })),
        f.status,
        tx('tab.filter.all'),
      ),
      select(
        'owner',
        tx('tab.filter.owner'),
        sorted(all.map((a) => a.owner)).map((o) => ({ value: o, label: o })),
        f.owner,
        tx('tab.filter.all'),
      ),
    ],
    tx,
  );
  const teams = overview.teams
    .map((team) => ({ ...team, actions: team.actions.filter((a) => matches(a, f)) }))
    .filter(
      (team) => team.actions.length > 0 || (!f.goal && !f.status && !f.owner && (!f.team || f.team === team.key)),
    );
  const shown = teams.flatMap((team) => team.actions);
  const attention = shown.filter((a) => a.overdue || a.atRisk);
  const out: string[] = [
    `<h2 id="view-title">${esc(tx('tab.view.plan'))}</h2>`,
    form,
    `<p class="ks-summary" data-count="${shown.length}">${esc(
      tx('tab.plan.summary', {
        count: shown.length,
        teams: teams.length,
        overdue: shown.filter((a) => a.overdue).length,
        atRisk: shown.filter((a) => a.atRisk).length,
      }),
    )}</p>`,
  ];
  if (shown.length === 0 && teams.length === 0) {
    out.push(`<p>${esc(tx('tab.filter.none'))}</p>`);
    return out.join('\n');
  }
  const chart = statusChart(teams, tx);
  out.push(figure(barChart(chart, locale), chart, locale));
  out.push(
    `<section aria-labelledby="attention-title"><h3 id="attention-title">${esc(tx('tab.plan.attention.title', { count: attention.length }))}</h3>`,
  );
  out.push(
    attention.length === 0
      ? `<p>${esc(tx('tab.plan.attention.none'))}</p>`
      : `<ul class="ks-attention">${attention
          .map(
            (a) =>
              `<li><a href="#action-${esc(a.id)}">${esc(a.planNumber ?? a.id)} ${esc(a.title)}</a> – ${statusBadge(a.status, tx)} ${a.overdue ? esc(tx('tab.plan.overdue')) : ''} <span class="ks-subtle">${esc(a.owner)}</span></li>`,
          )
          .join('')}</ul>`,
  );
  out.push('</section>');
  for (const team of teams) {
    out.push(
      `<section class="ks-team" data-team="${esc(team.key)}" aria-labelledby="team-${esc(team.key)}"><h3 id="team-${esc(team.key)}">${esc(team.name)}</h3>`,
      `<p class="ks-subtle">${esc(
        tx('tab.plan.team.summary', {
          count: team.actions.length,
          overdue: team.actions.filter((a) => a.overdue).length,
          atRisk: team.actions.filter((a) => a.atRisk).length,
        }),
      )}</p>`,
      team.actions.length ? actionTable(team.actions, locale, tx) : `<p>${esc(tx('tab.filter.none'))}</p>`,
      '</section>',
    );
  }
  return out.join('\n');
}

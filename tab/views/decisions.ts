/**
 * The Beslut view: the decision log with search and filters (team, year, text), amended and
 * superseded decisions marked, each with a link to its meeting's protocol.
 */
import { formatDate } from '../../domain/i18n';
import type { Overview, OverviewDecision } from '../../domain/overview';
import type { Locale } from '../../domain/types';
import { esc, filterForm, param, select, tr, type Tr } from '../html';

export interface DecisionFilter {
  team: string;
  year: string;
  q: string;
}

export function decisionFilter(query: Readonly<Record<string, unknown>>): DecisionFilter {
  return { team: param(query, 'team'), year: param(query, 'year'), q: param(query, 'q') };
}

const fold = (s: string) => s.normalize('NFKC').toLocaleLowerCase('sv');

function matches(d: OverviewDecision, f: DecisionFilter): boolean {
  if (f.team && !d.affectedTeams.includes(f.team)) return false;
  if (f.year && String(d.year) !== f.year) return false;
  if (f.q) {
    const hay = fold([d.number, d.title, d.text, d.rationale, d.meeting.name, ...d.affectedActions].join(' '));
    return fold(f.q)
      .split(/\s+/)
      .filter(Boolean)
      .every((word) => hay.includes(word));
  }
  return true;
}

function state(d: OverviewDecision, tx: Tr): string {
  const parts: string[] = [];
  if (d.state === 'superseded' && d.supersededBy)
    parts.push(
      `<span class="ks-badge ks-badge-superseded">${esc(tx('tab.decisions.state.superseded', { number: d.supersededBy }))}</span>`,
    );
  else
    parts.push(
      `<span class="ks-badge ks-badge-${esc(d.state)}">${esc(tx(`tab.decisions.state.${d.state === 'superseded' ? 'active' : d.state}`))}</span>`,
    );
  if (d.amended && d.state !== 'amended')
    parts.push(`<span class="ks-subtle">${esc(tx('tab.decisions.wasAmended'))}</span>`);
  if (d.supersedes)
    parts.push(`<span class="ks-subtle">${esc(tx('tab.decisions.supersedes', { number: d.supersedes }))}</span>`);
  return parts.join(' ');
}

function followUp(d: OverviewDecision, locale: Locale, tx: Tr): string {
  const f = d.followUp;
  if (!f) return '';
  const text = f.done
    ? tx('tab.decisions.followUp.done', { owner: f.owner })
    : f.due
      ? tx('tab.decisions.followUp.due', { owner: f.owner, due: formatDate(locale, f.due) })
      : tx('tab.decisions.followUp', { owner: f.owner });
  return `<div class="ks-subtle">${esc(text)}</div>`;
}

export function renderDecisions(overview: Overview, query: Readonly<Record<string, unknown>>, locale: Locale): string {
  const tx = tr(locale);
  const names = new Map(overview.teams.map((team) => [team.key, team.name]));
  const teamName = (key: string) => names.get(key) ?? key;
  const f = decisionFilter(query);
  const years = [...new Set(overview.decisions.map((d) => String(d.year)))].sort().reverse();
  const form = filterForm(
    'decisions',
    [
      `<label class="ks-field"><span>${esc(tx('tab.filter.text'))}</span><input type="search" name="q" value="${esc(f.q)}" maxlength="200"></label>`,
      select(
        'team',
        tx('tab.filter.team'),
        overview.teams.map((team) => ({ value: team.key, label: team.name })),
        f.team,
        tx('tab.filter.all'),
      ),
      select(
        'year',
        tx('tab.filter.year'),
        years.map((y) => ({ value: y, label: y })),
        f.year,
        tx('tab.filter.all'),
      ),
    ],
    tx,
  );
  const shown = overview.decisions.filter((d) => matches(d, f));
  const out = [`<h2 id="view-title">${esc(tx('tab.view.decisions'))}</h2>`, form];
  if (overview.decisions.length === 0) {
    out.push(`<p>${esc(tx('tab.decisions.none'))}</p>`);
    return out.join('\n');
  }
  out.push(
    `<p class="ks-summary" data-count="${shown.length}" role="status">${esc(tx('tab.decisions.count', { count: shown.length }))}</p>`,
  );
  if (shown.length === 0) {
    out.push(`<p>${esc(tx('tab.filter.none'))}</p>`);
    return out.join('\n');
  }
  const head = (['number', 'date', 'decision', 'teams', 'state'] as const)
    .map((c) => `<th scope="col">${esc(tx(`tab.decisions.col.${c}`))}</th>`)
    .join('');
  const rows = shown.map((d) =>
    [
      `<tr id="decision-${esc(d.number)}" data-decision="${esc(d.number)}" data-state="${esc(d.state)}">`,
      `<th scope="row">${esc(d.number)}</th>`,
      `<td><time datetime="${esc(d.meeting.date)}">${esc(formatDate(locale, d.meeting.date))}</time><div class="ks-subtle">${esc(d.meeting.name)}</div>`,
      `<a href="tab?view=protocol&amp;date=${esc(d.meeting.date)}" data-view="protocol">${esc(tx('tab.decisions.protocol'))}</a></td>`,
      `<td><strong>${esc(d.title)}</strong><p>${esc(d.text)}</p>${followUp(d, locale, tx)}</td>`,
      `<td>${esc(d.affectedTeams.map(teamName).join(', '))}</td>`,
      `<td>${state(d, tx)}</td>`,
      '</tr>',
    ].join(''),
  );
  out.push(`<table class="ks-decisions"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`);
  return out.join('\n');
}

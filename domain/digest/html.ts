/**
 * The digest document as standalone HTML (intranet): inline CSS, no scripts, every span escaped.
 * The answer rate per team and the indicators' trends are drawn as SVG charts (./charts.ts, drawn
 * by domain/charts), each under its section's heading with its data as a table beside it.
 */
import { barChart, CHART_CSS, chartTable, type ChartSpec, isBarChart, lineChart } from '../charts';
import { t } from '../i18n';
import type { Locale } from '../types';
import { answerRateChart, indicatorCharts } from './charts';
import { digestDocument, digestTitle, type Span } from './document';
import { escapeHtml, htmlPage } from '../markup';
import type { Digest } from './model';

const CSS = `
body{font-family:"Segoe UI",system-ui,-apple-system,Arial,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1f1f1f;line-height:1.5}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{font-size:1.1rem;margin-bottom:.2rem}
.subtle{color:#616161;font-size:.9rem}.label{font-weight:600;margin:.8rem 0 .2rem}
table{border-collapse:collapse;margin:.4rem 0}td{padding:.15rem 1rem .15rem 0;vertical-align:top}td:first-child{color:#424242}
ul{margin:.2rem 0 .6rem;padding-left:1.3rem}li{margin:.15rem 0}li ul{margin:.1rem 0}
.good{color:#0b6a0b}.warning{color:#8a5300}.attention{color:#c50f1f}.accent{color:#0f548c}
.ks-chart-figure{margin:1rem 0}.ks-chart-figure figcaption{font-weight:600;margin-bottom:.3rem}
.ks-chart-data summary{cursor:pointer;color:#0f548c;font-size:.9rem}
${CHART_CSS}
`.trim();

/** A chart with its title above it and its table in a `<details>` ("Visa som tabell") below. */
function figure(spec: ChartSpec, locale: Locale): string {
  const svg = isBarChart(spec) ? barChart(spec, locale) : lineChart(spec, locale);
  return [
    '<figure class="ks-chart-figure">',
    `<figcaption>${escapeHtml(spec.title)}</figcaption>`,
    svg,
    `<details class="ks-chart-data"><summary>${escapeHtml(t(locale, 'digest.charts.showTable'))}</summary>${chartTable(spec, locale)}</details>`,
    '</figure>',
  ].join('\n');
}

function htmlSpans(spans: Span[]): string {
  return spans
    .map((s) => {
      let html = escapeHtml(s.text).replace(/\r?\n/g, '<br>');
      const classes = [s.subtle ? 'subtle' : '', s.tone ?? ''].filter(Boolean);
      if (classes.length) html = `<span class="${classes.join(' ')}">${html}</span>`;
      return s.strong ? `<strong>${html}</strong>` : html;
    })
    .join('');
}

export function renderHtml(digest: Digest, locale: Locale): string {
  const answers = answerRateChart(digest, locale);
  const charts = new Map<string, ChartSpec[]>([
    ['checkins', answers ? [answers] : []],
    ['indicators', indicatorCharts(digest, locale)],
  ]);
  const body: string[] = [];
  for (const b of digestDocument(digest, locale)) {
    switch (b.kind) {
      case 'title':
        body.push(`<h1>${escapeHtml(b.text)}</h1>`);
        break;
      case 'heading':
        body.push(
          `<h${b.level}${b.section ? ` id="${escapeHtml(b.section.replace(/[^a-z0-9-]/gi, '-'))}"` : ''}>${escapeHtml(b.text)}</h${b.level}>`,
        );
        for (const spec of charts.get(b.section ?? '') ?? []) body.push(figure(spec, locale));
        break;
      case 'paragraph':
        body.push(`<p${b.subtle ? ' class="subtle"' : ''}>${htmlSpans(b.spans)}</p>`);
        break;
      case 'label':
        body.push(`<p class="label">${escapeHtml(b.text)}</p>`);
        break;
      case 'facts':
        body.push(
          `<table>${b.rows.map((r) => `<tr><td>${escapeHtml(r.label)}</td><td>${htmlSpans(r.value)}</td></tr>`).join('')}</table>`,
        );
        break;
      case 'list':
        body.push(
          `<ul>${b.items
            .map(
              (i) =>
                `<li>${htmlSpans(i.line)}${i.sub?.length ? `<ul>${i.sub.map((s) => `<li>${htmlSpans(s)}</li>`).join('')}</ul>` : ''}</li>`,
            )
            .join('')}</ul>`,
        );
        break;
    }
  }
  return htmlPage({ lang: locale === 'en-US' ? 'en' : 'sv', title: digestTitle(digest, locale), css: CSS, body });
}

/**
 * The HTML digest's charts: the answer rate per team and each indicator's trend, read back from
 * the SVG in the page, are the digest's own figures; each chart has its table beside it, the
 * page carries CHART_CSS, and the Markdown digest stays text.
 */
import { CHART_CSS } from '../../../domain/charts';
import {
  answerRateChart,
  deterministicSummary,
  type Digest,
  indicatorCharts,
  INDICATOR_CHART_POINTS,
  renderHtml,
  renderMarkdown,
} from '../../../domain/digest';
import type { Locale } from '../../../domain/types';
import * as scenario from '../../support/digest-scenario';
import { findAll, hasClass, parseXml, readSeries, svgsIn, textOf, type XmlNode, yOnAxis } from '../../support/svg';

const NBSP = '\u00a0';

function digestOf(over: Partial<Digest> = {}, locale: Locale = 'sv-SE'): Digest {
  const d = { ...scenario.assembled(), ...over };
  return { ...d, summary: { text: deterministicSummary(d, locale), source: 'rules' } };
}

const categoriesOf = (svg: XmlNode) =>
  findAll(findAll(svg, (n) => hasClass(n, 'ks-axis-x'))[0]!, (n) => n.name === 'text').map((n) => n.text);

/** Each `<figure>` of the page: its caption, its SVG and the table in its `<details>`. */
function figures(html: string) {
  return [...html.matchAll(/<figure class="ks-chart-figure">([\s\S]*?)<\/figure>/g)].map((m) => {
    const body = m[1]!;
    return {
      caption: /<figcaption>([\s\S]*?)<\/figcaption>/.exec(body)![1],
      svg: svgsIn(body)[0]!,
      summary: /<summary>([\s\S]*?)<\/summary>/.exec(body)?.[1],
      table: parseXml(/<table[\s\S]*<\/table>/.exec(body)![0]),
    };
  });
}

describe('the HTML digest of the scripted week', () => {
  const digest = digestOf();
  const html = renderHtml(digest, 'sv-SE');
  const [answers, ...indicators] = figures(html);

  it('draws the answer rate of each team that had a check-in, in program order, as the digest has it', () => {
    const teams = digest.teams.filter((t) => t.checkIn.rate !== null);
    expect(teams.map((t) => [t.name, t.checkIn.rate])).toEqual([
      ['Industrimark', 50],
      ['Bostäder', 75],
      ['Trygghet', 100],
    ]);
    expect(categoriesOf(answers!.svg)).toEqual(teams.map((t) => t.name));
    expect(readSeries(answers!.svg, categoriesOf(answers!.svg))).toEqual({ 'answer-rate': [50, 75, 100] });
    expect(answers!.svg.attrs.class).toBe('ks-chart ks-chart-bar');
    expect(answers!.caption).toBe('Svarsfrekvens per team, vecka 48 2026');
    // Per cent: the axis runs to 100 and each bar says its rate.
    expect(yOnAxis(answers!.svg, 100)).toBeCloseTo(
      Number(findAll(answers!.svg, (n) => n.attrs['data-value'] === '100' && n.name === 'rect')[0]!.attrs.y),
      1,
    );
    expect(findAll(answers!.svg, (n) => hasClass(n, 'ks-value')).map(textOf)).toEqual(['50 %', '75 %', '100 %']);
  });

  it('sits under the check-ins heading, before their text', () => {
    const heading = html.indexOf('<h2 id="checkins">');
    const figure = html.indexOf('<figure');
    expect(heading).toBeGreaterThan(0);
    expect(figure).toBeGreaterThan(heading);
    expect(html.indexOf('Bostäder</td><td><span class="good">3 av 4 (75 %)')).toBeGreaterThan(figure);
  });

  it('draws each indicator’s values as a line with its target, as the digest has them', () => {
    expect(indicators).toHaveLength(digest.indicators.length);
    digest.indicators.forEach((ind, i) => {
      const f = indicators[i]!;
      const periods = ind.values!.map((v) => v.period);
      expect(f.caption).toBe(ind.name);
      expect(categoriesOf(f.svg)).toEqual(periods);
      expect(readSeries(f.svg, periods)).toEqual({ [ind.id]: ind.values!.map((v) => v.value) });
      const target = findAll(f.svg, (n) => hasClass(n, 'ks-target'))[0]!;
      expect(Number(target.attrs['data-value'])).toBe(ind.target);
      const line = target.children.find((c) => c.name === 'line')!;
      expect(Number(line.attrs.y1)).toBeCloseTo(yOnAxis(f.svg, ind.target!), 1);
    });
    const inv = indicators[digest.indicators.findIndex((x) => x.id === 'INV')]!;
    expect(textOf(findAll(inv.svg, (n) => hasClass(n, 'ks-target'))[0]!)).toBe(`Mål 2030: 30${NBSP}000 st`);
    const arb = indicators[digest.indicators.findIndex((x) => x.id === 'ARB')]!;
    expect(textOf(findAll(arb.svg, (n) => hasClass(n, 'ks-target'))[0]!)).toBe('Mål 2030: 6 %');
  });

  it('puts each chart’s data in a table beside it, behind "Visa som tabell"', () => {
    expect(answers!.summary).toBe('Visa som tabell');
    expect(textOf(answers!.table.children[0]!)).toBe('Svarsfrekvens per team, vecka 48 2026');
    const rows = findAll(answers!.table, (n) => n.name === 'tr').map((tr) => tr.children.map(textOf));
    expect(rows).toEqual([
      ['Team', 'Svarsfrekvens'],
      ['Industrimark', '50 %'],
      ['Bostäder', '75 %'],
      ['Trygghet', '100 %'],
    ]);
    const inv = indicators[digest.indicators.findIndex((x) => x.id === 'INV')]!;
    expect(findAll(inv.table, (n) => n.name === 'tr').map((tr) => tr.children.map(textOf))).toEqual([
      ['Period', 'Invånare'],
      ['2024', `24${NBSP}950 st`],
      ['2025', `25${NBSP}120 st`],
      [`Mål 2030: 30${NBSP}000 st`],
    ]);
  });

  it('carries CHART_CSS in its style, and stays without scripts', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(style).toContain(CHART_CSS);
    expect(html).not.toMatch(/<script/i);
    expect(svgsIn(html)).toHaveLength(1 + digest.indicators.length);
  });

  it('in English too', () => {
    const en = figures(renderHtml(digestOf({}, 'en-US'), 'en-US'));
    expect(en[0]!.caption).toBe('Answer rate per team, week 48 2026');
    expect(en[0]!.summary).toBe('Show as table');
    const inv = en[1 + digest.indicators.findIndex((x) => x.id === 'INV')]!;
    expect(textOf(findAll(inv.svg, (n) => hasClass(n, 'ks-target'))[0]!)).toBe('Target 2030: 30,000 st');
  });

  it('leaves the Markdown digest text', () => {
    const md = renderMarkdown(digest, 'sv-SE');
    expect(md).not.toMatch(/<svg|<figure|<table|Visa som tabell/);
  });
});

describe('which charts a digest gets', () => {
  it('no answer chart without check-ins, no line for an indicator with one value', () => {
    const base = digestOf();
    const quiet = digestOf({
      teams: base.teams.map((t) => ({
        ...t,
        checkIn: { posted: false, asked: 0, answered: 0, rate: null, previousRate: null },
      })),
      indicators: base.indicators.map((i, n) => (n === 0 ? { ...i, values: i.values!.slice(0, 1) } : i)),
    });
    expect(answerRateChart(quiet, 'sv-SE')).toBeNull();
    expect(indicatorCharts(quiet, 'sv-SE').map((c) => c.series[0]!.key)).toEqual(
      base.indicators.slice(1).map((i) => i.id),
    );
    const html = renderHtml(quiet, 'sv-SE');
    expect(svgsIn(html)).toHaveLength(base.indicators.length - 1);
    expect(html).not.toContain('ks-chart-bar');
  });

  it('shows an indicator’s latest values, and one without a target has no target line', () => {
    const base = digestOf();
    const values = Array.from({ length: 20 }, (_, i) => ({ period: String(2000 + i), value: i * 1.5 }));
    const long = digestOf({ indicators: [{ ...base.indicators[0]!, target: null, targetYear: null, values }] });
    const [chart] = indicatorCharts(long, 'sv-SE');
    expect(chart!.labels).toEqual(values.slice(-INDICATOR_CHART_POINTS).map((v) => v.period));
    expect(chart!.target).toBeUndefined();
    const svg = svgsIn(renderHtml(long, 'sv-SE'))[1]!;
    expect(readSeries(svg, chart!.labels)).toEqual({ [base.indicators[0]!.id]: values.slice(-12).map((v) => v.value) });
    expect(findAll(svg, (n) => hasClass(n, 'ks-target'))).toEqual([]);
  });

  it('escapes a team’s and an indicator’s name in the chart and its table', () => {
    const base = digestOf();
    const hostile = digestOf({
      teams: base.teams.map((t) => (t.key === 'bostader' ? { ...t, name: scenario.HOSTILE } : t)),
      indicators: base.indicators.map((i) => ({ ...i, name: scenario.HOSTILE, unit: '<b>' })),
    });
    const html = renderHtml(hostile, 'sv-SE');
    expect(html).not.toMatch(/<script|<b>/i);
    const [answers, ind] = figures(html);
    expect(categoriesOf(answers!.svg)).toContain(scenario.HOSTILE.slice(0, 23) + '…');
    expect(findAll(answers!.svg, (n) => n.attrs['data-category'] === scenario.HOSTILE)).toHaveLength(2);
    expect(ind!.caption).not.toContain('<');
    expect(findAll(ind!.table, (n) => n.name === 'th').map(textOf)).toContain(scenario.HOSTILE);
  });
});

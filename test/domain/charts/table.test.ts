/**
 * The table beside a chart: its caption is the chart's title, its headers are scoped, and every
 * cell says what the chart's element for it says (the same value, the locale's way).
 */
import { barChart, type BarChartSpec, chartTable, lineChart, type LineChartSpec } from '../../../domain/charts';
import { dataElements, findAll, parseXml, textOf, type XmlNode } from '../../support/svg';

const NBSP = '\u00a0';

const bar: BarChartSpec = {
  id: 'b',
  title: 'Åtgärder per team',
  categoryLabel: 'Team',
  categories: ['Bostäder', 'Industrimark'],
  series: [
    { key: 'on_track', name: 'I fas', values: [5, null], tone: 'on_track' },
    { key: 'at_risk', name: 'Risk', values: [1200, 2.5], tone: 'at_risk' },
  ],
  unit: 'st',
};

const line: LineChartSpec = {
  id: 'l',
  title: 'Invånare',
  categoryLabel: 'Period',
  labels: ['2024', '2025'],
  series: [{ key: 'INV', name: 'Invånare', values: [24950, 25120] }],
  target: { value: 30000, label: `Mål 2030: 30${NBSP}000 st` },
  unit: 'st',
};

const rows = (table: XmlNode, part: string) =>
  findAll(findAll(table, (n) => n.name === part)[0]!, (n) => n.name === 'tr').map((tr) =>
    tr.children.map((c) => `${c.name}${c.attrs.scope ? `[${c.attrs.scope}]` : ''}:${textOf(c)}`),
  );

describe('chartTable', () => {
  it('has the title as caption, scoped headers, and each value with its unit, "–" for none', () => {
    const table = parseXml(chartTable(bar, 'sv-SE'));
    expect(table.attrs.class).toBe('ks-chart-table');
    expect(table.children[0]).toMatchObject({ name: 'caption', text: 'Åtgärder per team' });
    expect(rows(table, 'thead')).toEqual([['th[col]:Team', 'th[col]:I fas', 'th[col]:Risk']]);
    expect(rows(table, 'tbody')).toEqual([
      ['th[row]:Bostäder', 'td:5 st', `td:1${NBSP}200 st`],
      ['th[row]:Industrimark', 'td:–', 'td:2,5 st'],
    ]);
    expect(rows(parseXml(chartTable(bar, 'en-US')), 'tbody')[0]).toEqual([
      'th[row]:Bostäder',
      'td:5 st',
      'td:1,200 st',
    ]);
  });

  it('matches the chart: the cell of every bar and point holds that element’s value', () => {
    for (const [svg, table] of [
      [barChart(bar, 'sv-SE'), chartTable(bar, 'sv-SE')],
      [lineChart(line, 'sv-SE'), chartTable(line, 'sv-SE')],
    ] as const) {
      const cells = findAll(parseXml(table), (n) => n.name === 'td' && 'data-series' in n.attrs);
      const elements = dataElements(parseXml(svg));
      expect(elements.length).toBeGreaterThan(1);
      for (const el of elements) {
        const cell = cells.find(
          (c) =>
            c.attrs['data-series'] === el.attrs['data-series'] &&
            c.attrs['data-category'] === el.attrs['data-category'],
        )!;
        const title = el.children.find((c) => c.name === 'title')!.text;
        // "Bostäder, Risk: 1 200 st" in the chart is "1 200 st" in the table.
        expect(title.endsWith(`: ${textOf(cell)}`)).toBe(true);
      }
      // A cell without an element is a value the chart does not draw.
      expect(cells.filter((c) => textOf(c) === '–')).toHaveLength(cells.length - elements.length);
    }
  });

  it('adds the stacks’ totals when named, and the line’s target in the foot', () => {
    const stacked = parseXml(chartTable({ ...bar, stacked: true, totalLabel: 'Totalt' }, 'sv-SE'));
    expect(rows(stacked, 'thead')[0]!.at(-1)).toBe('th[col]:Totalt');
    expect(rows(stacked, 'tbody').map((r) => r.at(-1))).toEqual([`td:1${NBSP}205 st`, 'td:2,5 st']);
    const t = parseXml(chartTable(line, 'sv-SE'));
    expect(rows(t, 'tfoot')).toEqual([[`td:Mål 2030: 30${NBSP}000 st`]]);
    expect(findAll(t, (n) => n.name === 'td' && n.attrs.colspan === '2')).toHaveLength(1);
  });

  it('escapes every text', () => {
    const hostile = '<script>alert(1)</script>&';
    const out = chartTable(
      {
        ...bar,
        title: hostile,
        categoryLabel: hostile,
        categories: [hostile, 'x'],
        series: [{ key: hostile, name: hostile, values: [1, 2] }],
      },
      'sv-SE',
    );
    expect(out).not.toMatch(/<script/);
    const table = parseXml(out);
    expect(table.children[0]!.text).toBe(hostile);
    expect(rows(table, 'thead')).toEqual([[`th[col]:${hostile}`, `th[col]:${hostile}`]]);
    expect(rows(table, 'tbody')[0]![0]).toBe(`th[row]:${hostile}`);
  });

  it('leaves the corner empty without a category label', () => {
    const { categoryLabel: _, ...rest } = bar;
    expect(rows(parseXml(chartTable(rest, 'sv-SE')), 'thead')[0]![0]).toBe('td:');
  });
});

/**
 * Line charts read back from their SVG: the points give the input series again, a missing value
 * breaks the line and draws no point, the dashed target sits where the drawn axis puts its value,
 * and the axis follows a slow trend instead of starting at zero.
 */
import { lineChart, type LineChartSpec } from '../../../domain/charts';
import {
  findAll,
  hasClass,
  parseXml,
  readSeries,
  textOf,
  ticks,
  titleOf,
  type XmlNode,
  yOnAxis,
} from '../../support/svg';

const NBSP = '\u00a0';

const spec = (over: Partial<LineChartSpec> = {}): LineChartSpec => ({
  id: 'inv',
  title: 'Invånare',
  labels: ['2021', '2022', '2023', '2024', '2025'],
  series: [{ key: 'INV', name: 'Invånare', values: [24800, 24900, null, 24950, 25120], tone: 'accent' }],
  target: { value: 30000, label: `Mål 2030: 30${NBSP}000` },
  unit: 'st',
  ...over,
});

const draw = (s: LineChartSpec, locale: 'sv-SE' | 'en-US' = 'sv-SE') => parseXml(lineChart(s, locale));
const points = (svg: XmlNode) => findAll(svg, (n) => n.name === 'circle' && hasClass(n, 'ks-point'));
const paths = (svg: XmlNode) => findAll(svg, (n) => n.name === 'path' && hasClass(n, 'ks-line'));
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(0.02);

/** The path's subpaths as lists of [x, y]. */
function runs(d: string): [number, number][][] {
  return d
    .split('M')
    .filter(Boolean)
    .map((run) => run.split('L').map((p) => p.trim().split(' ').map(Number) as [number, number]));
}

describe('a line with a gap and a target', () => {
  const s = spec();
  const svg = draw(s);

  it('carries the input series in its points; the missing value has none', () => {
    expect(readSeries(svg, s.labels)).toEqual({ INV: [24800, 24900, null, 24950, 25120] });
    expect(points(svg).map((p) => p.attrs['data-category'])).toEqual(['2021', '2022', '2024', '2025']);
  });

  it('breaks the line at the gap, through the points on either side', () => {
    const [path] = paths(svg);
    const parts = runs(path!.attrs.d!);
    expect(parts).toHaveLength(2);
    const xy = points(svg).map((p) => [Number(p.attrs.cx), Number(p.attrs.cy)]);
    expect(parts).toEqual([xy.slice(0, 2), xy.slice(2)]);
    for (const p of points(svg)) close(Number(p.attrs.cy), yOnAxis(svg, Number(p.attrs['data-value'])));
  });

  it('draws the target dashed across the plot, at its value on the axis, with its label', () => {
    const [target] = findAll(svg, (n) => hasClass(n, 'ks-target'));
    expect(target!.attrs['data-value']).toBe('30000');
    const line = target!.children.find((c) => c.name === 'line')!;
    expect(line.attrs['stroke-dasharray']).toBeTruthy();
    expect(line.attrs.y1).toBe(line.attrs.y2);
    close(Number(line.attrs.y1), yOnAxis(svg, 30000));
    expect(textOf(target!)).toBe(`Mål 2030: 30${NBSP}000`);
    // The axis reaches past the target though every value is far below it: nothing sits on the frame.
    expect(ticks(svg).at(-1)!.value).toBeGreaterThan(30000);
    expect(ticks(svg)[0]!.value).toBeLessThan(24800);
  });

  it('starts the axis near the values when zero is far below them', () => {
    const t = ticks(svg).map((x) => x.value);
    expect(t[0]).toBeGreaterThan(20000);
    expect(t[0]).toBeLessThanOrEqual(24800);
    expect(
      ticks(draw(spec({ target: undefined, series: [{ key: 'a', name: 'A', values: [2, 5, 9, 4, 7] }] })))[0]!.value,
    ).toBe(0);
  });

  it('titles each point and describes the chart with its values and target', () => {
    expect(points(svg).map(titleOf)).toEqual([
      `2021, Invånare: 24${NBSP}800 st`,
      `2022, Invånare: 24${NBSP}900 st`,
      `2024, Invånare: 24${NBSP}950 st`,
      `2025, Invånare: 25${NBSP}120 st`,
    ]);
    expect(svg.children.find((c) => c.name === 'desc')!.text).toBe(
      `Invånare: 2021 24${NBSP}800 st, 2022 24${NBSP}900 st, 2023 –, 2024 24${NBSP}950 st, 2025 25${NBSP}120 st; Mål 2030: 30${NBSP}000`,
    );
    for (const p of points(svg)) expect(p.attrs).toMatchObject({ tabindex: '0', focusable: 'true' });
    expect(paths(svg)[0]!.attrs['aria-hidden']).toBe('true');
  });
});

describe('lines in other shapes', () => {
  it('draws several series, each its own line and legend entry', () => {
    const s = spec({
      target: undefined,
      series: [
        { key: 'a', name: 'Alfa', values: [1, 2, 3, 4, 5] },
        { key: 'b', name: 'Beta', values: [5, null, null, 2, 1] },
      ],
    });
    const svg = draw(s);
    expect(readSeries(svg, s.labels)).toEqual({ a: [1, 2, 3, 4, 5], b: [5, null, null, 2, 1] });
    expect(paths(svg).map((p) => [p.attrs['data-line'], runs(p.attrs.d!).length])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    const legend = findAll(svg, (n) => hasClass(n, 'ks-legend'))[0]!;
    expect(findAll(legend, (n) => n.name === 'text').map(textOf)).toEqual(['Alfa', 'Beta']);
    // Series without a tone get different ones.
    const tones = paths(svg).map((p) => p.attrs.class!.match(/ks-tone-(\w+)/)![1]);
    expect(new Set(tones).size).toBe(2);
    expect(findAll(svg, (n) => hasClass(n, 'ks-target'))).toEqual([]);
  });

  it('draws a lone value between gaps as a point without a line, and nothing from no values', () => {
    const lone = draw(
      spec({ target: undefined, series: [{ key: 'x', name: 'X', values: [null, 3, null, null, null] }] }),
    );
    expect(points(lone)).toHaveLength(1);
    expect(runs(paths(lone)[0]!.attrs.d!)).toEqual([
      [[Number(points(lone)[0]!.attrs.cx), Number(points(lone)[0]!.attrs.cy)]],
    ]);
    const empty = draw(
      spec({ target: undefined, series: [{ key: 'x', name: 'X', values: [null, null, null, null, null] }] }),
    );
    expect(points(empty)).toEqual([]);
    expect(paths(empty)).toEqual([]);
    expect(ticks(empty).length).toBeGreaterThan(1);
  });

  it('writes decimals the locale’s way on the axis and in the titles', () => {
    const s = spec({
      target: { value: 6, label: 'Mål 2030: 6 %' },
      unit: '%',
      series: [{ key: 'ARB', name: 'Arbetslöshet', values: [8, 7.5, 7.8, 7.25, 6.5] }],
    });
    const sv = draw(s, 'sv-SE');
    expect(points(sv).map(titleOf)[1]).toBe('2022, Arbetslöshet: 7,5 %');
    expect(points(sv).map(titleOf)[3]).toBe('2024, Arbetslöshet: 7,25 %');
    expect(findAll(sv, (n) => hasClass(n, 'ks-tick')).map(textOf)).toContain('6,5');
    const en = draw(s, 'en-US');
    expect(points(en).map(titleOf)[1]).toBe('2022, Arbetslöshet: 7.5 %');
    expect(findAll(en, (n) => hasClass(n, 'ks-tick')).map(textOf)).toContain('6.5');
  });

  it('escapes the target’s label and the series like every other text', () => {
    const out = lineChart(
      spec({ target: { value: 3, label: '<script>x</script>' }, labels: ['<i>', 'b', 'c', 'd', 'e'] }),
    );
    expect(out).not.toMatch(/<script|<i>/);
    const svg = parseXml(out);
    expect(textOf(findAll(svg, (n) => hasClass(n, 'ks-target'))[0]!)).toBe('<script>x</script>');
    expect(points(svg)[0]!.attrs['data-category']).toBe('<i>');
  });

  it('is the same string for the same spec', () => {
    expect(lineChart(spec())).toBe(lineChart(JSON.parse(JSON.stringify(spec())) as LineChartSpec));
  });
});

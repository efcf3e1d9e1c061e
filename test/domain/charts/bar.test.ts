/**
 * Bar charts read back from their SVG: the data attributes give the input series again, bars stand
 * on the zero line at heights the drawn axis gives their values, stacks add up to their totals,
 * and every text is escaped, numbered the locale's way and the same on every render.
 */
import { barChart, type BarChartSpec, CHART_THEMES, niceStep } from '../../../domain/charts';
import {
  dataElements,
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

const spec = (over: Partial<BarChartSpec> = {}): BarChartSpec => ({
  id: 'status',
  title: 'Åtgärder per status',
  categories: ['Bostäder', 'Industrimark', 'Trygghet'],
  series: [
    { key: 'on_track', name: 'I fas', values: [5, 2, null], tone: 'on_track' },
    { key: 'at_risk', name: 'Risk', values: [1, 0, 4], tone: 'at_risk' },
    { key: 'off_track', name: 'Inte i fas', values: [2, 3, 1], tone: 'off_track' },
  ],
  ...over,
});

const draw = (s: BarChartSpec, locale: 'sv-SE' | 'en-US' = 'sv-SE') => parseXml(barChart(s, locale));
const bars = (svg: XmlNode) => findAll(svg, (n) => n.name === 'rect' && hasClass(n, 'ks-bar'));
const num = (n: XmlNode, a: string) => Number(n.attrs[a]);
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(0.02);

describe('grouped bars', () => {
  const s = spec();
  const svg = draw(s);

  it('carries the input series in its data attributes, a missing value as no bar', () => {
    expect(readSeries(svg, s.categories)).toEqual(Object.fromEntries(s.series.map((x) => [x.key, x.values])));
    expect(bars(svg)).toHaveLength(8);
  });

  it('stands every bar on zero, as tall as the drawn axis makes its value', () => {
    const zero = yOnAxis(svg, 0);
    for (const b of bars(svg)) {
      close(num(b, 'y') + num(b, 'height'), zero);
      close(num(b, 'y'), yOnAxis(svg, num(b, 'data-value')));
    }
  });

  it('puts a category’s bars side by side in series order, inside its band', () => {
    const housing = bars(svg).filter((b) => b.attrs['data-category'] === 'Bostäder');
    expect(housing.map((b) => b.attrs['data-series'])).toEqual(['on_track', 'at_risk', 'off_track']);
    for (let i = 1; i < housing.length; i++)
      close(num(housing[i]!, 'x'), num(housing[i - 1]!, 'x') + num(housing[i - 1]!, 'width'));
  });

  it('makes every bar a focus stop with a title naming category, series and value', () => {
    for (const b of bars(svg)) {
      expect(b.attrs).toMatchObject({ tabindex: '0', focusable: 'true' });
      expect(hasClass(b, `ks-tone-${b.attrs['data-series']}`)).toBe(true);
    }
    expect(bars(svg).map(titleOf)).toContain('Bostäder, I fas: 5');
    expect(bars(svg).map(titleOf)).toContain('Trygghet, Risk: 4');
  });

  it('is an image labelled by its title and description, with a legend as text', () => {
    expect(svg.name).toBe('svg');
    expect(svg.attrs).toMatchObject({
      role: 'img',
      'aria-labelledby': 'status-title status-desc',
      viewBox: expect.stringMatching(/^0 0 \d+ \d+$/),
    });
    const byId = (id: string) => findAll(svg, (n) => n.attrs.id === id)[0];
    expect(byId('status-title')).toMatchObject({ name: 'title', text: 'Åtgärder per status' });
    // Without a description, the values are the description.
    expect(byId('status-desc')).toMatchObject({
      name: 'desc',
      text: 'I fas: Bostäder 5, Industrimark 2, Trygghet –; Risk: Bostäder 1, Industrimark 0, Trygghet 4; Inte i fas: Bostäder 2, Industrimark 3, Trygghet 1',
    });
    const legend = findAll(svg, (n) => hasClass(n, 'ks-legend'))[0]!;
    expect(findAll(legend, (n) => n.name === 'text').map(textOf)).toEqual(['I fas', 'Risk', 'Inte i fas']);
    expect(draw(spec({ description: 'Egen beskrivning' })).children.find((c) => c.name === 'desc')?.text).toBe(
      'Egen beskrivning',
    );
  });

  it('has nice ticks from zero: 1, 2 or 5 × 10^n apart, covering the highest bar', () => {
    const t = ticks(svg).map((x) => x.value);
    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBeGreaterThanOrEqual(5);
    const step = t[1]! - t[0]!;
    expect(niceStep(step)).toBe(step);
    expect(t.every((v, i) => v === i * step)).toBe(true);
    expect(ticks(draw(spec({ max: 100 }))).map((x) => x.value)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('writes the same string for the same spec', () => {
    expect(barChart(spec())).toBe(barChart(JSON.parse(JSON.stringify(spec())) as BarChartSpec));
    expect(barChart(spec())).not.toBe(barChart(spec({ series: [{ ...spec().series[0]!, values: [6, 2, null] }] })));
  });
});

describe('stacked bars', () => {
  const s = spec({ stacked: true });
  const svg = draw(s);
  const totals = [8, 5, 5];

  it('carries the same series, and stacks them in series order without gaps', () => {
    expect(readSeries(svg, s.categories)).toEqual(Object.fromEntries(s.series.map((x) => [x.key, x.values])));
    s.categories.forEach((category, c) => {
      const stack = bars(svg).filter((b) => b.attrs['data-category'] === category);
      let bottom = yOnAxis(svg, 0);
      for (const b of stack) {
        close(num(b, 'y') + num(b, 'height'), bottom);
        bottom = num(b, 'y');
      }
      // The top of the stack is its total on the axis.
      close(bottom, yOnAxis(svg, totals[c]!));
      expect(new Set(stack.map((b) => b.attrs.x)).size).toBe(1);
    });
  });

  it('scales the axis to the highest total, not the highest value', () => {
    expect(ticks(svg).at(-1)!.value).toBeGreaterThanOrEqual(8);
    expect(ticks(draw(spec())).at(-1)!.value).toBeLessThan(8);
  });

  it('stacks negative values down from zero', () => {
    const neg = draw(
      spec({
        stacked: true,
        categories: ['A'],
        series: [
          { key: 'up', name: 'Upp', values: [3] },
          { key: 'down', name: 'Ned', values: [-2] },
          { key: 'down2', name: 'Ned 2', values: [-1] },
        ],
      }),
    );
    const [up, down, down2] = bars(neg);
    close(num(up!, 'y') + num(up!, 'height'), yOnAxis(neg, 0));
    close(num(down!, 'y'), yOnAxis(neg, 0));
    close(num(down2!, 'y'), num(down!, 'y') + num(down!, 'height'));
    close(num(down2!, 'y') + num(down2!, 'height'), yOnAxis(neg, -3));
    expect(ticks(neg)[0]!.value).toBeLessThanOrEqual(-3);
  });
});

describe('text in the chart', () => {
  const hostile = '<script>alert("x")</script> & "citat" \'x\'';
  const s = spec({
    id: 'a b"<',
    title: hostile,
    description: hostile,
    categories: [hostile, 'B'],
    series: [{ key: `k"><script>`, name: hostile, values: [1, 2] }],
    unit: '<b>',
  });
  const out = barChart(s);

  it('is escaped everywhere: no tag of it survives, and read back it is the text itself', () => {
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toContain('<b>');
    const svg = parseXml(out);
    expect(svg.children.find((c) => c.name === 'title')!.text).toBe(hostile);
    expect(svg.children.find((c) => c.name === 'desc')!.text).toBe(hostile);
    expect(readSeries(svg, s.categories)).toEqual({ [`k"><script>`]: [1, 2] });
    expect(titleOf(bars(svg)[0]!)).toBe(`${hostile}, ${hostile}: 1 <b>`);
    // The id is made safe for an XML id and aria-labelledby.
    expect(svg.attrs['aria-labelledby']).toBe('a-b---title a-b---desc');
  });

  it('has no script, event handler, link or style attribute', () => {
    const all = findAll(parseXml(out), () => true);
    expect(all.filter((n) => ['script', 'a', 'foreignObject', 'style', 'image', 'use'].includes(n.name))).toEqual([]);
    expect(all.flatMap((n) => Object.keys(n.attrs)).filter((a) => /^on|href|^style$/i.test(a))).toEqual([]);
  });

  it('writes numbers the locale’s way', () => {
    const big = spec({
      categories: ['Invånare', 'Andel'],
      series: [{ key: 'v', name: 'Värde', values: [30000, 12.5] }],
      unit: 'st',
    });
    const sv = draw(big, 'sv-SE');
    expect(bars(sv).map(titleOf)).toEqual([`Invånare, Värde: 30${NBSP}000 st`, 'Andel, Värde: 12,5 st']);
    expect(ticks(sv).length).toBeGreaterThan(2);
    const svTicks = findAll(sv, (n) => hasClass(n, 'ks-tick')).map(textOf);
    expect(svTicks).toContain(`30${NBSP}000`);
    const en = draw(big, 'en-US');
    expect(bars(en).map(titleOf)).toEqual(['Invånare, Värde: 30,000 st', 'Andel, Värde: 12.5 st']);
    expect(findAll(en, (n) => hasClass(n, 'ks-tick')).map(textOf)).toContain('30,000');
    // The data attributes stay machine-readable whatever the locale.
    expect(dataElements(en).map((n) => n.attrs['data-value'])).toEqual(['30000', '12.5']);
  });

  it('writes the values over the bars when asked', () => {
    const svg = draw(spec({ showValues: true, unit: '%', series: [spec().series[0]!] }));
    expect(findAll(svg, (n) => hasClass(n, 'ks-value')).map(textOf)).toEqual(['5 %', '2 %']);
  });

  it('turns long category names, and keeps the first inside the picture', () => {
    const long = Array.from({ length: 9 }, (_, i) => `Kompetensförsörjning ${i + 1}`);
    const svg = draw(spec({ categories: long, series: [{ key: 'v', name: 'V', values: long.map((_, i) => i) }] }));
    const labels = findAll(findAll(svg, (n) => hasClass(n, 'ks-axis-x'))[0]!, (n) => n.name === 'text');
    expect(labels.map((n) => n.attrs.transform)).toEqual(long.map(() => expect.stringMatching(/^rotate\(-40 /)));
    const first = labels[0]!;
    // The label ends at its category; turned 40°, its start is cos 40° × its width to the left.
    expect(Number(first.attrs.x) - Math.cos((40 * Math.PI) / 180) * 7 * long[0]!.length).toBeGreaterThanOrEqual(0);
    const [, , w, h] = svg.attrs.viewBox!.split(' ').map(Number);
    expect([w, h]).toEqual([Number(svg.attrs.width), Number(svg.attrs.height)]);
  });
});

describe('colours', () => {
  it('are classes, with the light colour as the only attribute, for where CSS did not load', () => {
    const svg = draw(spec());
    const light = CHART_THEMES.light as Record<string, string>;
    for (const n of findAll(svg, () => true)) {
      for (const a of ['fill', 'stroke'] as const) {
        const value = n.attrs[a];
        if (value === undefined || value === 'none') continue;
        expect([n.name, a, Object.values(light).includes(value)]).toEqual([n.name, a, true]);
        const tone = (n.attrs.class ?? '').match(/ks-tone-(\w+)/)?.[1];
        if (tone) expect([tone, value]).toEqual([tone, light[tone]]);
      }
    }
    expect(bars(svg).map((b) => b.attrs.fill)).toContain(CHART_THEMES.light.on_track);
  });
});

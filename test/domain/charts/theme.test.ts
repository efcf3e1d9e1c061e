/**
 * CHART_CSS: every class the charts use is coloured through a custom property with its light
 * colour as fallback; the dark and contrast themes set every property; each colour (the grid, a
 * faint decoration, aside) has a contrast of at least 4.5:1 against its theme's background, read
 * from the CSS itself; and paper gets the light colours.
 */
import {
  barChart,
  CHART_CSS,
  CHART_THEMES,
  CHART_TONES,
  type ChartColor,
  colorVar,
  lineChart,
} from '../../../domain/charts';

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The custom properties a `selector{...}` block of the CSS sets. */
function propertiesOf(selector: string): Record<string, string> {
  const start = CHART_CSS.indexOf(`${selector}{`);
  expect(start).toBeGreaterThanOrEqual(0);
  const body = CHART_CSS.slice(start + selector.length + 1, CHART_CSS.indexOf('}', start));
  return Object.fromEntries(body.split(';').map((d) => d.split(':') as [string, string]));
}

/** The light colours, as the `var()` fallbacks of the rules. */
function fallbacks(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of CHART_CSS.matchAll(/var\((--[\w-]+),(#[0-9a-f]{6})\)/g)) {
    expect([m[1], out[m[1]!] ?? m[2]]).toEqual([m[1], m[2]]);
    out[m[1]!] = m[2]!;
  }
  return out;
}

const COLORS = Object.keys(CHART_THEMES.light) as ChartColor[];

describe('CHART_CSS', () => {
  it('colours each tone through its property, the light colour as fallback', () => {
    expect(CHART_CSS).toContain(
      '.ks-chart .ks-tone-on_track{fill:var(--ks-on-track,#107c10);stroke:var(--ks-on-track,#107c10)}',
    );
    for (const tone of CHART_TONES) expect(CHART_CSS).toContain(`.ks-tone-${tone}{fill:var(${colorVar(tone)},`);
    const light = fallbacks();
    for (const c of COLORS) expect([c, light[colorVar(c)]]).toEqual([c, CHART_THEMES.light[c]]);
  });

  it('styles every class the charts draw with', () => {
    const svg =
      barChart({
        id: 'a',
        title: 'A',
        categories: ['x'],
        series: [{ key: 'k', name: 'K', values: [1] }],
        showValues: true,
        unit: '%',
      }) +
      lineChart({
        id: 'b',
        title: 'B',
        labels: ['1', '2'],
        series: [{ key: 'k', name: 'K', values: [1, 2] }],
        target: { value: 3, label: 'Mål' },
      });
    const classes = new Set([...svg.matchAll(/class="([^"]+)"/g)].flatMap((m) => m[1]!.split(' ')));
    // Layout-only classes need no rule of their own.
    const unstyled = [
      'ks-chart-bar',
      'ks-chart-line',
      'ks-data',
      'ks-category',
      'ks-legend',
      'ks-legend-item',
      'ks-swatch',
      'ks-axis-x',
      'ks-axis-y',
      'ks-tick',
      'ks-unit',
      'ks-value',
    ];
    for (const c of classes) if (!unstyled.includes(c)) expect([c, CHART_CSS.includes(`.${c}`)]).toEqual([c, true]);
  });

  it.each(['light', 'dark', 'contrast'] as const)(
    '%s: every colour but the grid has 4.5:1 against the background',
    (theme) => {
      const set = theme === 'light' ? fallbacks() : propertiesOf(`[data-theme=${theme}]`);
      for (const c of COLORS) expect([c, set[colorVar(c)]]).toEqual([c, CHART_THEMES[theme][c]]);
      const background = set[colorVar('background')]!;
      for (const c of COLORS.filter((x) => x !== 'background' && x !== 'grid')) {
        const ratio = contrast(set[colorVar(c)]!, background);
        expect([theme, c, ratio >= 4.5 ? 'ok' : ratio.toFixed(2)]).toEqual([theme, c, 'ok']);
      }
      // The grid is still seen, only faint.
      expect(contrast(set[colorVar('grid')]!, background)).toBeGreaterThan(1.2);
    },
  );

  it('prints in the light colours, a chart not cut between pages', () => {
    const print = CHART_CSS.slice(CHART_CSS.indexOf('@media print{'));
    expect(print).toContain('.ks-chart-figure{break-inside:avoid}');
    for (const c of COLORS) expect(print).toContain(`${colorVar(c)}:${CHART_THEMES.light[c]}`);
  });

  it('loads nothing and runs nothing', () => {
    expect(CHART_CSS).not.toMatch(/url\(|@import|expression\(|javascript:/i);
  });
});

/**
 * The charts' colours and `CHART_CSS`. Elements carry classes only (`ks-tone-on_track`, `ks-axis`
 * …); the CSS colours them through custom properties (`--ks-on-track`) whose light values are the
 * `var()` fallbacks, so a page sets `data-theme="dark"` or `"contrast"` on any ancestor, or its own
 * properties, to recolour every chart. The light colours are also written as presentation
 * attributes on the elements, where any CSS rule overrides them: a chart shown where the stylesheet
 * did not load (a strict CSP, an SVG copied on its own) still has its colours.
 *
 * Every colour but the grid's has a contrast of at least 4.5:1 against its theme's background (the
 * chart tests compute it). The grid is decoration behind the data: every value is in the data
 * elements' titles and the table beside the chart, so it is kept faint on purpose.
 */
import { CHART_TONES, type ChartTone } from './model';

export type ChartColor = ChartTone | 'background' | 'text' | 'axis' | 'grid' | 'target' | 'focus';

export type ChartTheme = Record<ChartColor, string>;

export const CHART_THEMES: Readonly<Record<'light' | 'dark' | 'contrast', Readonly<ChartTheme>>> = {
  light: {
    background: '#ffffff',
    text: '#242424',
    axis: '#616161',
    grid: '#e0e0e0',
    target: '#424242',
    focus: '#0f548c',
    not_started: '#5b6b7c',
    on_track: '#107c10',
    at_risk: '#8a5300',
    off_track: '#c50f1f',
    done: '#0e6f68',
    paused: '#6b4fa1',
    accent: '#0f6cbd',
    neutral: '#6e6e6e',
  },
  dark: {
    background: '#1f1f1f',
    text: '#ffffff',
    axis: '#adadad',
    grid: '#3d3d3d',
    target: '#d6d6d6',
    focus: '#62abf5',
    not_started: '#a6b5c4',
    on_track: '#54b054',
    at_risk: '#f2c14e',
    off_track: '#ff7b7b',
    done: '#4cc2b7',
    paused: '#b9a3e8',
    accent: '#62abf5',
    neutral: '#b0b0b0',
  },
  contrast: {
    background: '#000000',
    text: '#ffffff',
    axis: '#ffffff',
    grid: '#8a8a8a',
    target: '#ffffff',
    focus: '#ffff00',
    not_started: '#d0d0d0',
    on_track: '#3ff23f',
    at_risk: '#ffff00',
    off_track: '#ff8a8a',
    done: '#00ffff',
    paused: '#e0b0ff',
    accent: '#1aebff',
    neutral: '#a8a8a8',
  },
};

/** `on_track` → `--ks-on-track`, `background` → `--ks-chart-background`. */
export function colorVar(color: ChartColor): string {
  return (CHART_TONES as readonly string[]).includes(color)
    ? `--ks-${color.replace(/_/g, '-')}`
    : `--ks-chart-${color}`;
}

/** `var(--ks-on-track,#107c10)`: the theme's colour, the light one when no theme sets it. */
const v = (color: ChartColor) => `var(${colorVar(color)},${CHART_THEMES.light[color]})`;

function properties(theme: ChartTheme): string {
  return (Object.keys(theme) as ChartColor[]).map((c) => `${colorVar(c)}:${theme[c]}`).join(';');
}

const RULES = [
  `.ks-chart{background:${v('background')};max-width:100%;height:auto;overflow:visible}`,
  `.ks-chart text{font-family:"Segoe UI",system-ui,-apple-system,Arial,sans-serif;font-size:12px;fill:${v('text')}}`,
  `.ks-chart .ks-axis line,.ks-chart .ks-axis path{stroke:${v('axis')}}`,
  `.ks-chart .ks-axis text{fill:${v('axis')}}`,
  `.ks-chart .ks-grid line{stroke:${v('grid')}}`,
  `.ks-chart .ks-target line{stroke:${v('target')};stroke-dasharray:6 4}`,
  `.ks-chart .ks-target text{fill:${v('target')};font-weight:600}`,
  ...CHART_TONES.map((tone) => `.ks-chart .ks-tone-${tone}{fill:${v(tone)};stroke:${v(tone)}}`),
  `.ks-chart .ks-bar{stroke:none}`,
  `.ks-chart .ks-line{fill:none}`,
  `.ks-chart .ks-point{stroke:${v('background')}}`,
  `.ks-chart [tabindex]:focus{outline:none}`,
  `.ks-chart [tabindex]:focus-visible{stroke:${v('focus')};stroke-width:3}`,
  `.ks-chart-table caption{text-align:left;font-weight:600}`,
  `.ks-chart-table th,.ks-chart-table td{padding:.15rem .8rem .15rem 0;text-align:left}`,
  `.ks-chart-table td{font-variant-numeric:tabular-nums;text-align:right}`,
  `[data-theme=dark]{${properties(CHART_THEMES.dark)}}`,
  `[data-theme=contrast]{${properties(CHART_THEMES.contrast)}}`,
  // Paper is white whatever the screen's theme; a chart is not cut between two pages.
  `@media print{.ks-chart{${properties(CHART_THEMES.light)}}.ks-chart{background:none}.ks-chart-figure{break-inside:avoid}}`,
];

/** The stylesheet for the charts (and their tables), for a page's `<style>` or a tab's CSS file. */
export const CHART_CSS: string = RULES.join('\n');

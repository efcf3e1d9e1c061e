/**
 * What a chart is drawn from: plain data (JSON-safe), so a chart can be built anywhere in the domain
 * and drawn the same in the Teams tab, the HTML digest and on paper.
 */

/** The colour family of a series: the action statuses, an accent and a neutral grey (see ./theme.ts). */
export type ChartTone = 'not_started' | 'on_track' | 'at_risk' | 'off_track' | 'done' | 'paused' | 'accent' | 'neutral';

export const CHART_TONES: readonly ChartTone[] = [
  'not_started',
  'on_track',
  'at_risk',
  'off_track',
  'done',
  'paused',
  'accent',
  'neutral',
];

export interface ChartSeries {
  /** Stable key, carried on every data element as `data-series`. */
  key: string;
  /** Shown in the legend, the titles of the data elements and the table's column header. */
  name: string;
  /** One value per category (bars) or label (lines); null is "no value" (no bar, a gap in the line). */
  values: (number | null)[];
  /** Without one, series take the tones of DEFAULT_TONES in turn. */
  tone?: ChartTone;
}

interface ChartBase {
  /** Makes the element ids (`<id>-title`, `<id>-desc`); unique on the page. */
  id: string;
  title: string;
  /** Read by screen readers; without one, the values themselves are the description. */
  description?: string;
  series: ChartSeries[];
  /** After every value ("%", "st"); also above the value axis. */
  unit?: string;
  /** The header of the table's first column (the categories or labels), e.g. "Team". */
  categoryLabel?: string;
  /**
   * The SVG's size in pixels (its viewBox; CSS may scale it). The height is the whole picture's,
   * raised if the labels and the legend would leave the plot less than 80 px.
   */
  width?: number;
  height?: number;
}

export interface BarChartSpec extends ChartBase {
  categories: string[];
  /** Series stacked on each other instead of side by side. */
  stacked?: boolean;
  /** The top of the value axis at least (100 for per cents); the values may raise it. */
  max?: number;
  /** Each bar's value written above it (side-by-side bars only). */
  showValues?: boolean;
  /** For stacked bars: the header of a total column in the table. */
  totalLabel?: string;
}

export interface LineChartSpec extends ChartBase {
  labels: string[];
  /** A dashed horizontal line at `value`, with its label ("Mål 2030: 30 000"). */
  target?: { value: number; label: string };
}

export type ChartSpec = BarChartSpec | LineChartSpec;

export function isBarChart(spec: ChartSpec): spec is BarChartSpec {
  return 'categories' in spec;
}

/** The tones given in turn to series without one, those that read least as a status first. */
export const DEFAULT_TONES: readonly ChartTone[] = ['accent', 'neutral', 'paused', 'done', 'not_started'];

export function toneOf(series: ChartSeries, index: number): ChartTone {
  return series.tone ?? DEFAULT_TONES[index % DEFAULT_TONES.length]!;
}

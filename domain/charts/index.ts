/**
 * Charts as server-rendered SVG: the same picture in the Teams tab, the HTML digest and on paper,
 * with no script at all. Code outside this folder imports the charts from here.
 *
 * Inside: ./model.ts holds the specs (plain data); ./bar.ts and ./line.ts draw them with the frame,
 * axes and legend of ./svg.ts and the ticks and numbers of ./scale.ts; ./table.ts writes the same
 * data as an HTML table for beside the chart; ./theme.ts holds the colours and `CHART_CSS`.
 */
export {
  CHART_TONES,
  DEFAULT_TONES,
  isBarChart,
  type BarChartSpec,
  type ChartSeries,
  type ChartSpec,
  type ChartTone,
  type LineChartSpec,
} from './model';
export { barChart } from './bar';
export { lineChart } from './line';
export { chartTable } from './table';
export { niceScale, niceStep, type Scale } from './scale';
export { CHART_CSS, CHART_THEMES, colorVar, type ChartColor, type ChartTheme } from './theme';

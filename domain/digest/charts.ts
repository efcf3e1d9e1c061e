/**
 * The digest's charts as specs for domain/charts: the answer rate per team this week (bars, per
 * cent) and each indicator's trend against its target (a line, for an indicator with at least two
 * values). The HTML digest draws them as SVG (./html.ts); the card draws the answer rate as an
 * Adaptive Card chart from the same spec (cards/digest/), so both show the same figures.
 */
import type { BarChartSpec, LineChartSpec } from '../charts';
import { formatWeek, t } from '../i18n';
import type { Locale } from '../types';
import { num } from './document-items';
import type { Digest, DigestIndicator } from './model';

/** The latest values an indicator's chart shows (its table and the JSON keep them all). */
export const INDICATOR_CHART_POINTS = 12;

/** The teams that had a check-in with something asked, and their answer rate; null when none had. */
export function answerRateChart(digest: Digest, locale: Locale): BarChartSpec | null {
  const teams = digest.teams.filter((team) => team.checkIn.posted && team.checkIn.rate !== null);
  if (teams.length === 0) return null;
  return {
    id: 'ks-digest-answers',
    title: t(locale, 'digest.charts.answers.title', { week: formatWeek(locale, digest.week, true) }),
    categories: teams.map((team) => team.name),
    series: [
      {
        key: 'answer-rate',
        name: t(locale, 'digest.charts.answers.series'),
        values: teams.map((team) => team.checkIn.rate),
        tone: 'accent',
      },
    ],
    unit: '%',
    max: 100,
    showValues: true,
    categoryLabel: t(locale, 'digest.charts.team'),
  };
}

function targetLabel(i: DigestIndicator, locale: Locale): string | null {
  if (i.target === null) return null;
  const params = { value: num(locale, i.target), unit: i.unit, year: i.targetYear ?? '' };
  const text = t(locale, i.targetYear !== null ? 'digest.charts.targetYear' : 'digest.charts.target', params);
  return text.replace(/ {2,}/g, ' ').trim();
}

/** A line per indicator with two values or more, its target dashed across. */
export function indicatorCharts(digest: Digest, locale: Locale): LineChartSpec[] {
  return digest.indicators.flatMap((i, index): LineChartSpec[] => {
    const values = (i.values ?? []).slice(-INDICATOR_CHART_POINTS);
    if (values.length < 2) return [];
    const label = targetLabel(i, locale);
    return [
      {
        id: `ks-digest-indicator-${index + 1}`,
        title: i.name,
        labels: values.map((v) => v.period),
        series: [{ key: i.id, name: i.name, values: values.map((v) => v.value), tone: 'accent' }],
        ...(i.unit ? { unit: i.unit } : {}),
        ...(label !== null && i.target !== null ? { target: { value: i.target, label } } : {}),
        categoryLabel: t(locale, 'digest.charts.period'),
      },
    ];
  });
}

/**
 * The value axis: "nice" ticks (1, 2 or 5 × 10^n apart) around the values, the mapping from a value
 * to a pixel, and numbers written the locale's way (sv-SE: "30 000", "12,5").
 */
import { formatNumber } from '../i18n';
import type { Locale } from '../types';

export interface Scale {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

/** The smallest of 1, 2, 5 × 10^n that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / power;
  // A tiny tolerance so 0.3 / 3 is read as 0.1, not a hair above it.
  const nice = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
  return nice * power;
}

/** Decimals a step needs (0.25 is not a step here; 0.2 needs 1, 0.05 needs 2). */
function decimalsOf(step: number): number {
  return step >= 1 ? 0 : Math.ceil(-Math.log10(step) - 1e-9);
}

/**
 * Ticks from a multiple of the step at or below `lo` to one at or above `hi`, about `count`
 * intervals apart. A single value gets an axis around it; nothing at all gets 0 to 1.
 */
export function niceScale(lo: number, hi: number, count = 5): Scale {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 10;
    [lo, hi] = lo >= 0 && lo - pad < 0 ? [0, hi + pad] : [lo - pad, hi + pad];
  }
  const step = niceStep((hi - lo) / count);
  const decimals = decimalsOf(step);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(decimals)) || 0);
  return { min: ticks[0]!, max: ticks.at(-1)!, step, ticks };
}

/** The pixel of `value` on an axis drawn from `from` (at scale.min) to `to` (at scale.max). */
export function project(scale: Scale, value: number, from: number, to: number): number {
  return from + ((value - scale.min) / (scale.max - scale.min)) * (to - from);
}

/** A value as the locale writes it, with at most two decimals. */
export function formatValue(locale: Locale, value: number, decimals = 2): string {
  return formatNumber(locale, value, decimals);
}

/** A value with its unit ("75 %", "30 000 st"), as in the titles and the table. */
export function withUnit(locale: Locale, value: number, unit?: string): string {
  const n = formatValue(locale, value);
  return unit ? `${n} ${unit}` : n;
}

/** A coordinate for an attribute: two decimals at most, never "-0". */
/** A value a chart can draw: a finite number (null and NaN draw nothing). */
export const isValue = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function px(n: number): string {
  const r = Math.round(n * 100) / 100;
  return String(r === 0 ? 0 : r);
}

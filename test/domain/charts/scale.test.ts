/** The value axis: ticks 1, 2 or 5 × 10^n apart that cover the values, without float noise. */
import fc from 'fast-check';
import { niceScale, niceStep } from '../../../domain/charts';

describe('niceStep', () => {
  it('rounds up to 1, 2 or 5 × 10^n', () => {
    expect([0.06, 0.1, 0.13, 0.3, 1, 1.5, 2, 2.1, 4, 5, 7, 12, 1010, 30000].map(niceStep)).toEqual([
      0.1, 0.1, 0.2, 0.5, 1, 2, 2, 5, 5, 5, 10, 20, 2000, 50000,
    ]);
  });
});

describe('niceScale', () => {
  it('covers the values from a multiple of the step to one', () => {
    expect(niceScale(0, 7)).toEqual({ min: 0, max: 8, step: 2, ticks: [0, 2, 4, 6, 8] });
    expect(niceScale(24950, 30000).ticks).toEqual([24000, 26000, 28000, 30000]);
    expect(niceScale(0, 100).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceScale(0, 0.3).ticks).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceScale(-3, 3).ticks).toEqual([-4, -2, 0, 2, 4]);
    expect(niceScale(6, 8).ticks).toEqual([6, 6.5, 7, 7.5, 8]);
  });

  it('gives one value or none an axis around it', () => {
    expect(niceScale(0, 0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    const one = niceScale(50, 50);
    expect(one.min).toBeLessThan(50);
    expect(one.max).toBeGreaterThan(50);
    expect(niceScale(NaN, Infinity).ticks.length).toBeGreaterThan(1);
  });

  it('for any range: nice step, ticks that are its multiples, cover the range, 3 to 8 of them', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e7, max: 1e7, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e7, noNaN: true }),
        (lo, span) => {
          const hi = lo + span;
          const s = niceScale(lo, hi);
          expect(niceStep(s.step)).toBeCloseTo(s.step, 10);
          expect(s.min).toBeLessThanOrEqual(lo + s.step * 1e-6);
          expect(s.max).toBeGreaterThanOrEqual(hi - s.step * 1e-6);
          expect(s.ticks.length).toBeGreaterThanOrEqual(3);
          expect(s.ticks.length).toBeLessThanOrEqual(8);
          for (const t of s.ticks)
            expect(Math.abs(t - Math.round(t / s.step) * s.step)).toBeLessThanOrEqual(
              Math.abs(t) * 1e-12 + s.step * 1e-9,
            );
          // Evenly apart.
          s.ticks.slice(1).forEach((t, i) => expect(t - s.ticks[i]!).toBeCloseTo(s.step, 6));
          // No float noise: a tick is written as the decimals of its step allow.
          const decimals = Math.max(0, -Math.floor(Math.log10(s.step) + 1e-9));
          for (const t of s.ticks) expect(Number(t.toFixed(decimals))).toBe(t);
        },
      ),
    );
  });
});

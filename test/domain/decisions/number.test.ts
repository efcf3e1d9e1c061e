/** Decision numbers as people type them. */
import { normaliseDecisionNumber, yearOfNumber } from '../../../domain/decisions/number';

describe('decision numbers', () => {
  it('normalises typed numbers', () => {
    expect(normaliseDecisionNumber('d-2026-4')).toBe('D-2026-004');
    expect(normaliseDecisionNumber('D-2026-0123')).toBe('D-2026-0123');
    expect(normaliseDecisionNumber('D-26-4')).toBeUndefined();
    expect(normaliseDecisionNumber('beslut')).toBeUndefined();
  });

  it('reads the year of a number', () => {
    expect(yearOfNumber('D-2026-004')).toBe(2026);
    expect(yearOfNumber('beslut')).toBeUndefined();
  });
});

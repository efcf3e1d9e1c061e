/** Workbook cells as the strings a person sees in them. */
import { cellToString } from '../../../domain/plan/xlsx';

describe('cell values', () => {
  it('converts exceljs values to what the cell shows', () => {
    expect(cellToString(new Date(Date.UTC(2026, 1, 3)))).toBe('2026-02-03');
    expect(cellToString(new Date(Date.UTC(2026, 1, 3, 14, 30)))).toBe('2026-02-03T14:30:00');
    expect(cellToString(0.1 + 0.2)).toBe('0.3');
    expect(cellToString({ formula: 'A1', result: new Date(Date.UTC(2026, 0, 1)) })).toBe('2026-01-01');
    expect(cellToString({ sharedFormula: 'A1', result: 'x' })).toBe('x');
    expect(cellToString({ error: '#N/A' })).toBe('#N/A');
    expect(cellToString(true)).toBe('TRUE');
    expect(cellToString(null)).toBe('');
  });
});

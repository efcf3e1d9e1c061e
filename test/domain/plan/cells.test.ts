/** Cell text as the importers read it: numbers as Swedes write them, control characters out. */
import { cleanText, parseNumber } from '../../../domain/plan/cells';

describe('cell values', () => {
  it('parses numbers the Swedish way and the English way', () => {
    expect(parseNumber('12,5')).toBe(12.5);
    expect(parseNumber('30 000')).toBe(30000);
    expect(parseNumber('30\u00a0000')).toBe(30000);
    expect(parseNumber('1 234,5')).toBe(1234.5);
    expect(parseNumber('\u22123,2')).toBe(-3.2);
    expect(parseNumber('12.5')).toBe(12.5);
    expect(parseNumber('1,234.5')).toBe(1234.5);
    expect(parseNumber('1.234,5')).toBe(1234.5);
    expect(parseNumber('40 %')).toBe(40);
    expect(parseNumber('12,5,3')).toBeUndefined();
    expect(parseNumber('tolv')).toBeUndefined();
    expect(parseNumber('')).toBeUndefined();
  });

  it('strips control characters; single-line text loses line breaks, multi-line keeps them', () => {
    expect(cleanText('Tit\u0007el\u0000 ')).toBe('Titel');
    expect(cleanText('rad 1\r\nrad 2')).toBe('rad 1 rad 2');
    expect(cleanText('rad 1\r\nrad 2\u0001', true)).toBe('rad 1\nrad 2');
  });
});

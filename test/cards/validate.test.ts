/**
 * The card validator and Teams' charts: the adaptivecards library does not know `Chart.*` and
 * falls back; a chart with a fallback element is accepted and its fallback checked, a chart
 * without one, or with data not in Teams' shape, is refused, and anything else unknown still is.
 */
import { card, type CardElement } from '../../cards/card';
import { validateCard } from '../../cards/validate';

const facts: CardElement = { type: 'FactSet', facts: [{ title: 'Bostäder', value: '75 %' }] };
const bar = (over: Record<string, unknown> = {}): CardElement => ({
  type: 'Chart.VerticalBar',
  title: 'Svarsfrekvens',
  data: [{ x: 'Bostäder', y: 75 }],
  fallback: facts,
  ...over,
});

describe('validateCard with Teams charts', () => {
  it('accepts a chart with a fallback element, nested or not', () => {
    expect(validateCard(card([bar()]))).toEqual([]);
    expect(validateCard(card([{ type: 'Container', items: [bar(), bar()] }]))).toEqual([]);
    expect(
      validateCard(
        card([
          {
            type: 'Chart.Line',
            title: 'Invånare',
            data: [{ legend: 'Invånare', values: [{ x: '2024', y: 24950 }] }],
            fallback: facts,
          },
        ]),
      ),
    ).toEqual([]);
  });

  it('refuses a chart without a fallback element, or with "drop"', () => {
    const { fallback: _, ...bare } = bar();
    expect(validateCard(card([bare as CardElement]))).toEqual(
      expect.arrayContaining([
        'Chart.VerticalBar needs a fallback element for clients that cannot draw charts',
        expect.stringContaining('Unknown element type "Chart.VerticalBar"'),
      ]),
    );
    expect(validateCard(card([bar({ fallback: 'drop' })]))).toContain(
      'Chart.VerticalBar needs a fallback element for clients that cannot draw charts',
    );
  });

  it('checks the fallback as the library parses it', () => {
    expect(validateCard(card([bar({ fallback: { type: 'Nonsense' } })]))).toEqual([
      expect.stringContaining('Unknown element type "Nonsense"'),
    ]);
    expect(validateCard(card([bar({ fallback: { type: 'Input.Text' } })]))).not.toEqual([]);
  });

  it('refuses data that is not in the shape Teams documents', () => {
    for (const data of [[], [{ x: 'a' }], [{ x: 'a', y: '75' }], [{ x: { a: 1 }, y: 1 }], 'x'])
      expect([data, validateCard(card([bar({ data })]))]).toEqual([
        data,
        ['Chart.VerticalBar: data must be a non-empty list of { x: string | number, y: number }'],
      ]);
    expect(validateCard(card([{ type: 'Chart.Line', data: [{ values: [{ x: 1, y: 2 }] }], fallback: facts }]))).toEqual(
      ['Chart.Line: data must be a non-empty list of { legend, values: [{ x, y }] }'],
    );
  });

  it('still refuses an unknown element that is not a Teams chart, even with a fallback', () => {
    expect(validateCard(card([{ type: 'Chart.Fancy', fallback: facts }]))).toEqual([
      expect.stringContaining('Unknown element type "Chart.Fancy"'),
    ]);
  });
});

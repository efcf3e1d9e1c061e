/** Timelines as plans write them, and the due date the rule derives from them. */
import { parseTimeline } from '../../../domain/plan/timeline';

const due = (text: string, today?: string) => parseTimeline(text, { today }).due;

describe('parseTimeline', () => {
  it('keeps the text as written (trimmed, one space) whatever it derives', () => {
    expect(parseTimeline('  Hösten   2026 ')).toEqual({ timeline: 'Hösten 2026', due: '2026-11-30', ongoing: false });
    expect(parseTimeline('Efter upphandlingen')).toEqual({ timeline: 'Efter upphandlingen', ongoing: false });
    expect(parseTimeline('')).toEqual({ timeline: '', ongoing: false });
  });

  it.each([
    ['Löpande'],
    ['löpande under perioden'],
    ['Årligen'],
    ['Två gånger per år'],
    ['2 ggr/år'],
    ['Kontinuerligt'],
    ['Varje månad'],
    ['Återkommande'],
    ['Ongoing'],
    ['Annually'],
    ['two times a year'],
  ])('"%s" is ongoing: no due date', (text) => {
    const t = parseTimeline(text, { today: '2026-12-03' });
    expect(t.ongoing).toBe(true);
    expect(t.due).toBeUndefined();
  });

  it.each([
    ['2026-06-30', '2026-06-30'],
    ['30/6 2026', '2026-06-30'],
    ['30 juni 2026', '2026-06-30'],
    ['Senast 30 juni 2026', '2026-06-30'],
    ['2026-03', '2026-03-31'],
    ['mars 2026', '2026-03-31'],
    ['Februari 2028', '2028-02-29'],
    ['Q2 2026', '2026-06-30'],
    ['2026 Q1', '2026-03-31'],
    ['K3 2026', '2026-09-30'],
    ['2026-K4', '2026-12-31'],
    ['2:a kvartalet 2026', '2026-06-30'],
    ['Andra kvartalet 2026', '2026-06-30'],
    ['T1 2026', '2026-04-30'],
    ['Tertial 2 2026', '2026-08-31'],
    ['H1 2026', '2026-06-30'],
    ['Första halvåret 2026', '2026-06-30'],
    ['Andra halvåret 2027', '2027-12-31'],
    ['VT 2026', '2026-06-30'],
    ['HT 2026', '2026-12-31'],
    ['Våren 2026', '2026-05-31'],
    ['Sommaren 2026', '2026-08-31'],
    ['Hösten 2026', '2026-11-30'],
    ['Under hösten 2026', '2026-11-30'],
    ['Vintern 2026', '2027-02-28'],
    ['2026', '2026-12-31'],
    ['Under 2026', '2026-12-31'],
    ['Slutet av 2026', '2026-12-31'],
    ['Början av 2026', '2026-03-31'],
    ['Mitten av 2026', '2026-06-30'],
    ['v 12 2026', '2026-03-22'],
    ['Vecka 53 2026', '2027-01-03'],
    ['2026–2027', '2027-12-31'],
    ['2026-2027', '2027-12-31'],
    ['2026 - 2028', '2028-12-31'],
    ['2026/27', '2027-12-31'],
    ['mars–juni 2026', '2026-06-30'],
    ['2026 mars–juni', '2026-06-30'],
    ['Hösten 2026 – våren 2027', '2027-05-31'],
    ['Q1–Q3 2026', '2026-09-30'],
    ['Fram till 2027', '2027-12-31'],
    ['2026 till 2027', '2027-12-31'],
    ['Autumn 2026', '2026-11-30'],
    ['Spring 2027', '2027-05-31'],
    ['By June 2026', '2026-06-30'],
  ])('"%s" is due %s', (text, expected) => {
    expect(parseTimeline(text)).toEqual({ timeline: text.trim(), due: expected, ongoing: false });
  });

  it('places a period without a year by today: this year, or next once it has ended', () => {
    expect(due('Hösten', '2026-03-01')).toBe('2026-11-30');
    expect(due('Hösten', '2026-12-03')).toBe('2027-11-30');
    expect(due('Q2', '2026-06-30')).toBe('2026-06-30');
    expect(due('Hösten')).toBeUndefined();
  });

  it('derives nothing from text that names no period, or a period that does not exist', () => {
    for (const text of [
      'Efter beslut i KF',
      'När medel finns',
      'Q5 2026',
      'v 54 2026',
      '31 februari 2026',
      '2026 2027 2028',
      'Hösten 12',
    ]) {
      expect(parseTimeline(text, { today: '2026-12-03' })).toEqual({ timeline: text, ongoing: false });
    }
  });
});

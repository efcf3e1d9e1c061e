/**
 * Every text exists in Swedish and English, and no placeholder is lost in translation. Removing a
 * key from either language fails this test (and the type check).
 */
import { formatDate, formatWeek, resolveLocale, t, TEXTS } from '../../../domain/i18n';
import * as actionTexts from '../../../domain/i18n/actions';
import * as briefTexts from '../../../domain/i18n/brief';
import * as checkinTexts from '../../../domain/i18n/checkin';

describe('texts', () => {
  const sv = Object.keys(TEXTS.sv).sort();
  const en = Object.keys(TEXTS.en).sort();

  it('has the same keys in Swedish and English', () => {
    expect(sv.filter((k) => !(k in TEXTS.en))).toEqual([]);
    expect(en.filter((k) => !(k in TEXTS.sv))).toEqual([]);
    expect(sv.length).toBeGreaterThan(50);
  });

  it('has no empty text and the same placeholders in both languages', () => {
    for (const key of sv) {
      expect([key, TEXTS.sv[key]!.trim().length > 0]).toEqual([key, true]);
      expect([key, TEXTS.en[key]!.trim().length > 0]).toEqual([key, true]);
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect([key, names(TEXTS.en[key]!)]).toEqual([key, names(TEXTS.sv[key]!)]);
    }
  });

  it('fills placeholders and picks the language', () => {
    expect(t('sv-SE', 'link.unknown', { name: 'x', valid: 'a, b' })).toBe(
      'Jag känner inte till "x". Välj något av: a, b.',
    );
    expect(t('en-US', 'status.on_track')).toBe('On track');
    expect(resolveLocale('en-GB', 'sv-SE')).toBe('en-US');
    expect(resolveLocale('sv', 'en-US')).toBe('sv-SE');
    expect(resolveLocale('fi-FI', 'sv-SE')).toBe('sv-SE');
    expect(resolveLocale(undefined, 'sv-SE')).toBe('sv-SE');
  });

  it('formats dates and weeks for the locale', () => {
    expect(formatDate('sv-SE', '2026-12-01')).toBe('1 december 2026');
    expect(formatDate('en-US', '2026-12-01')).toBe('1 December 2026');
    expect(formatWeek('sv-SE', '2026-W48')).toBe('vecka 48');
    expect(formatWeek('en-US', '2026-W48', true)).toBe('week 48 2026');
  });
});

describe.each([
  ['actions', actionTexts, /^(actions|actionEdit)\./],
  ['checkin', checkinTexts, /^checkin\./],
  ['brief', briefTexts, /^brief\./],
] as const)('the %s table', (_name, table, prefix) => {
  it('has the same keys in both languages, each under its own prefix', () => {
    expect(Object.keys(table.en).sort()).toEqual(Object.keys(table.sv).sort());
    expect(Object.keys(table.sv).filter((k) => !prefix.test(k))).toEqual([]);
  });
});

it('the actions and checkin tables share no key (the merge would hide one)', () => {
  expect(Object.keys(actionTexts.sv).filter((k) => k in checkinTexts.sv)).toEqual([]);
});

import fc from 'fast-check';
import { ValidationError } from '../../domain/errors';
import {
  isoWeek,
  localDate,
  localParts,
  mondayOfIsoWeek,
  isoWeekDays,
  parseIsoWeek,
  parseLocalDate,
  shiftIsoWeek,
  weeksInYear,
  zonedTimeToUtc,
} from '../../domain/time';

describe('ISO weeks in Europe/Stockholm', () => {
  it.each([
    ['2026-11-26T12:00:00Z', '2026-W48'],
    ['2026-11-29T22:59:59Z', '2026-W48'], // Sunday 23:59:59 local
    ['2026-11-29T23:00:00Z', '2026-W49'], // Monday 00:00 local
    ['2026-01-01T00:00:00Z', '2026-W01'],
    ['2027-01-01T12:00:00Z', '2026-W53'],
    ['2021-01-03T12:00:00Z', '2020-W53'],
  ])('%s is %s', (at, week) => {
    expect(isoWeek(new Date(at), 'Europe/Stockholm')).toBe(week);
  });

  it('knows 53-week years and rejects weeks that do not exist', () => {
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2027)).toBe(52);
    expect(parseIsoWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
    expect(() => parseIsoWeek('2027-W53')).toThrow(ValidationError);
    expect(() => parseIsoWeek('2026-W00')).toThrow(ValidationError);
    expect(() => parseIsoWeek('vecka 5')).toThrow(ValidationError);
  });

  it('finds Mondays and shifts weeks across years', () => {
    expect(mondayOfIsoWeek(2026, 48)).toBe('2026-11-23');
    expect(mondayOfIsoWeek(2026, 1)).toBe('2025-12-29');
    expect(isoWeekDays(2026, 53)).toEqual({ from: '2026-12-28', to: '2027-01-03' });
    expect(shiftIsoWeek('2027-W01', -1)).toBe('2026-W53');
    expect(shiftIsoWeek('2026-W53', 1)).toBe('2027-W01');
  });

  it('converts local wall time to UTC across daylight saving time', () => {
    expect(zonedTimeToUtc('2026-11-30', 9, 0, 'Europe/Stockholm').toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(zonedTimeToUtc('2026-06-01', 9, 0, 'Europe/Stockholm').toISOString()).toBe('2026-06-01T07:00:00.000Z');
    expect(localDate(new Date('2026-11-29T23:30:00Z'), 'Europe/Stockholm')).toBe('2026-11-30');
  });
});

describe('parseLocalDate', () => {
  it.each([
    ['2026-12-31', '2026-12-31'],
    ['2026-1-5', '2026-01-05'],
    ['20261231', '2026-12-31'],
    ['261231', '2026-12-31'],
    ['31/12 2026', '2026-12-31'],
    ['31/12/2026', '2026-12-31'],
    ['31.12.2026', '2026-12-31'],
    ['2026-12-31T00:00:00.000Z', '2026-12-31'],
    ['2028-02-29', '2028-02-29'],
  ])('%s → %s', (input, expected) => {
    expect(parseLocalDate(input)).toBe(expected);
  });

  it.each(['2026-02-30', '2026-13-01', '2027-02-29', '31/04 2026', 'imorgon', '', '2026/12/31/1'])(
    'rejects %p',
    (input) => {
      expect(() => parseLocalDate(input)).toThrow(ValidationError);
    },
  );
});

describe('localParts', () => {
  /** The wall clock as Intl gives it: what localParts must agree with at every instant. */
  const intlParts = (at: Date, timeZone: string) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        weekday: 'short',
      })
        .formatToParts(at)
        .map((p) => [p.type, p.value]),
    );
    const weekday = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }[parts.weekday as string];
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      hour: Number(parts.hour),
      minute: Number(parts.minute),
      second: Number(parts.second),
      isoWeekday: weekday,
    };
  };
  // Whole hours, half and three-quarter hours, a half-hour summer shift, both hemispheres.
  const ZONES = [
    'Europe/Stockholm',
    'UTC',
    'America/New_York',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/St_Johns',
  ];

  it('agrees with Intl at any instant, however many are asked in the same minute', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 59_999 }),
        (at, zone, later) => {
          expect(localParts(at, zone)).toEqual(intlParts(at, zone));
          // Another millisecond of the same minute, answered from what the first one learnt.
          const sameMinute = new Date(Math.floor(at.getTime() / 60000) * 60000 + later);
          expect(localParts(sameMinute, zone)).toEqual(intlParts(sameMinute, zone));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('is right on both sides of Stockholm’s clock changes and in the years 0–99', () => {
    for (const iso of [
      '2026-03-29T00:59:59.999Z',
      '2026-03-29T01:00:00.000Z',
      '2026-10-25T00:59:59.999Z',
      '2026-10-25T01:00:00.000Z',
      '0050-06-15T12:00:00.000Z',
    ])
      expect(localParts(new Date(iso), 'Europe/Stockholm')).toEqual(intlParts(new Date(iso), 'Europe/Stockholm'));
    expect(localParts(new Date('2026-03-29T01:00:00.000Z'), 'Europe/Stockholm').hour).toBe(3);
  });
});

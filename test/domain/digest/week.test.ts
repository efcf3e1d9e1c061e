/** Which week a request for the digest means, and why a week cannot be summed up. */
import { parseWeekRequest, weekProblem, weekRequestProblem, type WeekRequest } from '../../../domain/digest';
import { t } from '../../../domain/i18n';
import { FRIDAY_1300 } from '../../support/digest-scenario';

describe('which week a request means', () => {
  const now = new Date(FRIDAY_1300);
  const tz = 'Europe/Stockholm';
  it.each([
    ['', '2026-W48'],
    ['vecka 47', '2026-W47'],
    ['week 47', '2026-W47'],
    ['v47', '2026-W47'],
    ['v.47', '2026-W47'],
    ['V 3', '2026-W03'],
    ['47', '2026-W47'],
    ['2026-W47', '2026-W47'],
    ['2026w47', '2026-W47'],
    ['vecka 47 2025', '2025-W47'],
    ['förra veckan', '2026-W47'],
    ['last week', '2026-W47'],
    // Week 49 has not come yet this year: the most recent week 49 is last year's.
    ['vecka 49', '2025-W49'],
    ['week 52', '2025-W52'],
  ])('%j → %s', (args, week) => {
    expect(parseWeekRequest(args, now, tz)).toEqual({ ok: true, week });
  });

  it('refuses weeks that do not exist, future weeks and nonsense, with a clear message', () => {
    const noSuch = parseWeekRequest('2027-W53', now, tz);
    expect(noSuch).toEqual({ ok: false, reason: 'noSuchWeek', value: '2027-W53', week: 53, year: 2027 });
    expect(weekProblem(noSuch as Exclude<typeof noSuch, { ok: true }>, 'sv-SE')).toBe(
      'Vecka 53 finns inte år 2027. Ett år har 52 eller 53 veckor.',
    );
    expect(parseWeekRequest('vecka 54', now, tz)).toEqual({
      ok: false,
      reason: 'noSuchWeek',
      value: 'vecka 54',
      week: 54,
    });
    expect(parseWeekRequest('vecka 0', now, tz)).toMatchObject({ ok: false, reason: 'noSuchWeek' });
    // 2026 has 53 weeks but week 53 is in the future on 27 Nov 2026, and 2025 has 52.
    expect(parseWeekRequest('vecka 53', now, tz)).toMatchObject({ ok: false, reason: 'noSuchWeek', week: 53 });
    const future = parseWeekRequest('2026-W50', now, tz);
    expect(future).toEqual({ ok: false, reason: 'future', value: '2026-W50', week: '2026-W50' });
    expect(weekProblem(future as Exclude<typeof future, { ok: true }>, 'en-US')).toBe(
      'week 50 2026 has not started yet, so there is nothing to sum up.',
    );
    expect(parseWeekRequest('fredag', now, tz)).toEqual({ ok: false, reason: 'format', value: 'fredag' });
  });

  it('a week 53 without a year is the latest one that exists', () => {
    // On 1 Feb 2027, week 53 means 2026-W53 (2026 has 53 ISO weeks).
    expect(parseWeekRequest('v53', new Date('2027-02-01T10:00:00Z'), tz)).toEqual({ ok: true, week: '2026-W53' });
  });
});

describe('why a week cannot be summed up', () => {
  const now = new Date(FRIDAY_1300);
  const tz = 'Europe/Stockholm';
  const refused = (args: string) => parseWeekRequest(args, now, tz) as Exclude<WeekRequest, { ok: true }>;

  it('is a text key with parameters that name no language', () => {
    expect(weekRequestProblem(refused('2027-W53'))).toEqual({
      key: 'digest.noSuchWeekInYear',
      params: { week: 53, year: 2027 },
    });
    expect(weekRequestProblem(refused('vecka 54'))).toEqual({ key: 'digest.noSuchWeek', params: { week: 54 } });
    expect(weekRequestProblem(refused('2026-W50'))).toEqual({
      key: 'digest.future',
      params: { weekNumber: 50, weekYear: 2026 },
    });
    expect(weekRequestProblem(refused('2020-W10'))).toEqual({
      key: 'digest.tooOld',
      params: { weekNumber: 10, weekYear: 2020, years: 3 },
    });
    expect(weekRequestProblem(refused('fredag'))).toEqual({ key: 'digest.badFormat', params: { value: 'fredag' } });
  });

  it('reads the same as the translated key, in Swedish and English', () => {
    for (const args of ['2027-W53', 'vecka 54', '2026-W50', '2020-W10', 'fredag']) {
      const problem = weekRequestProblem(refused(args));
      for (const locale of ['sv-SE', 'en-US'] as const)
        expect(weekProblem(refused(args), locale)).toBe(t(locale, problem.key, problem.params));
    }
    expect(weekProblem(refused('vecka 54'), 'sv-SE')).toBe('Vecka 54 finns inte. Ett år har 52 eller 53 veckor.');
    expect(weekProblem(refused('2027-W53'), 'en-US')).toBe(
      'Week 53 does not exist in 2027. A year has 52 or 53 weeks.',
    );
    expect(weekProblem(refused('2026-W50'), 'sv-SE')).toBe(
      'vecka 50 2026 har inte börjat än, så det finns inget att sammanfatta.',
    );
    expect(weekProblem(refused('2020-W10'), 'en-US')).toBe(
      'Digests cover the last 3 years; week 10 2020 is further back.',
    );
  });
});

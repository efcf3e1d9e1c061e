/**
 * Which week a digest is asked for: what people type after `sammanfattning` / `digest`, checked
 * against the calendar and the bounds of what one request may read. A week that cannot be summed
 * up comes back as a reason; `weekRequestProblem` turns it into a text key with parameters.
 */
import { inert } from '../text';
import { t, type Params, type TextKey } from '../i18n';
import {
  addDays,
  formatIsoWeek,
  isoWeek,
  isoWeekDays,
  mondayOfIsoWeek,
  parseIsoWeek,
  shiftIsoWeek,
  weeksInYear,
  zonedTimeToUtc,
} from '../time';
import type { Locale } from '../types';
import type { DigestGrouping } from './model';

export type WeekRequest =
  | { ok: true; week: string }
  | { ok: false; reason: 'format'; value: string }
  | { ok: false; reason: 'noSuchWeek'; value: string; week: number; year?: number }
  | { ok: false; reason: 'future'; value: string; week: string }
  | { ok: false; reason: 'tooOld'; value: string; week: string };

/**
 * How far back a digest may be asked for: a past week is rebuilt from the log of every week since
 * (domain/plan/history.ts), so this bounds what one request reads (three years of week partitions).
 */
export const MAX_WEEKS_BACK = 156;

const WEEK_WORDS = '(?:veckan|vecka|vk|v|week|wk|w)';

/**
 * What people type after `sammanfattning` / `digest`: nothing (this week), `vecka 47`, `week 47`,
 * `v47`, `v.47`, `47`, `vecka 47 2026`, `2026-W47`, `förra veckan` / `last week`. A week number
 * without a year is the most recent week with that number that is not in the future.
 */
export function parseWeekRequest(args: string, now: Date, timeZone: string): WeekRequest {
  const value = args.trim();
  const current = isoWeek(now, timeZone);
  const s = value.toLowerCase().replace(/\s+/g, ' ');
  if (s === '' || ['denna vecka', 'den här veckan', 'this week', 'nu', 'now'].includes(s))
    return { ok: true, week: current };
  if (['förra veckan', 'forra veckan', 'last week', 'previous week'].includes(s))
    return { ok: true, week: shiftIsoWeek(current, -1) };
  let year: number | undefined;
  let week: number | undefined;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4}) ?-? ?w ?(\d{1,2})$/.exec(s))) {
    year = Number(m[1]);
    week = Number(m[2]);
  } else if ((m = new RegExp(`^${WEEK_WORDS}\\.? ?(\\d{1,2})(?: ?[,/]? ?(\\d{4}))?$`).exec(s))) {
    week = Number(m[1]);
    year = m[2] ? Number(m[2]) : undefined;
  } else if ((m = /^(\d{1,2})(?: (\d{4}))?$/.exec(s))) {
    week = Number(m[1]);
    year = m[2] ? Number(m[2]) : undefined;
  } else {
    return { ok: false, reason: 'format', value };
  }
  if (year !== undefined) {
    if (week < 1 || week > weeksInYear(year)) return { ok: false, reason: 'noSuchWeek', value, week, year };
    const w = formatIsoWeek(year, week);
    if (w > current) return { ok: false, reason: 'future', value, week: w };
    if (w < shiftIsoWeek(current, -MAX_WEEKS_BACK)) return { ok: false, reason: 'tooOld', value, week: w };
    return { ok: true, week: w };
  }
  const currentYear = parseIsoWeek(current).year;
  for (const y of [currentYear, currentYear - 1]) {
    if (week < 1 || week > weeksInYear(y)) continue;
    const w = formatIsoWeek(y, week);
    if (w <= current) return { ok: true, week: w };
  }
  return { ok: false, reason: 'noSuchWeek', value, week };
}

/** "per mål", "efter mål", "by goal" at the start or the end of the arguments. */
const GOAL_WORDS = [
  /^(?:per|efter|by)\s+(?:mål|mal|goals?)(?:\s+|$)/i,
  /(?:^|\s+)(?:per|efter|by)\s+(?:mål|mal|goals?)$/i,
];

/**
 * What people type after `sammanfattning`, with the grouping taken off: `sammanfattning per mål`,
 * `sammanfattning vecka 47 per mål`, `digest by goal` group the actions by the plan's goals.
 */
export function parseDigestArgs(args: string): { week: string; groupBy: DigestGrouping } {
  const value = args.trim();
  const words = GOAL_WORDS.find((re) => re.test(value));
  return words ? { week: value.replace(words, ' ').trim(), groupBy: 'goal' } : { week: value, groupBy: 'team' };
}

/** Why a week cannot be summed up, as a text key with its parameters (the same in every language). */
export interface WeekProblem {
  key: TextKey;
  params: Params;
}

export function weekRequestProblem(request: Exclude<WeekRequest, { ok: true }>): WeekProblem {
  switch (request.reason) {
    case 'format':
      // What was typed goes back in a Markdown-rendered message: inert.
      return { key: 'digest.badFormat', params: { value: inert(request.value, 40) } };
    case 'noSuchWeek':
      return request.year !== undefined
        ? { key: 'digest.noSuchWeekInYear', params: { week: request.week, year: request.year } }
        : { key: 'digest.noSuchWeek', params: { week: request.week } };
    case 'future':
      return { key: 'digest.future', params: weekParams(request.week) };
    case 'tooOld':
      return { key: 'digest.tooOld', params: { ...weekParams(request.week), years: Math.round(MAX_WEEKS_BACK / 52) } };
  }
}

/** `2026-W47` as the number and the year the texts name ("vecka 47 2026"). */
function weekParams(week: string): Params {
  const { year, week: number } = parseIsoWeek(week);
  return { weekNumber: number, weekYear: year };
}

/** Why a week cannot be summed up, in the user's language. */
export function weekProblem(request: Exclude<WeekRequest, { ok: true }>, locale: Locale): string {
  const problem = weekRequestProblem(request);
  return t(locale, problem.key, problem.params);
}

/** The years whose decision partitions can hold a decision taken in the week. */
export function decisionYears(week: string): number[] {
  const { year, week: n } = parseIsoWeek(week);
  const { from, to } = isoWeekDays(year, n);
  return [...new Set([Number(from.slice(0, 4)), Number(to.slice(0, 4))])];
}

/**
 * How long after a week's end its rows may still change: an answer given in the last second is
 * still being written, and another instance's clock may be a little behind (its events then land
 * in the week that just ended). Ten minutes is far more than either.
 */
export const SETTLE_MS = 10 * 60_000;

/** The instant an ISO week ends: the next Monday at 00:00 in the time zone. */
export function weekEnd(week: string, timeZone: string): Date {
  const { year, week: n } = parseIsoWeek(week);
  return zonedTimeToUtc(addDays(mondayOfIsoWeek(year, n), 7), 0, 0, timeZone);
}

/**
 * Whether nothing will be logged in the week any more: it ended at least `SETTLE_MS` before
 * `now`. Its log partition then stays as it is (the log is append-only, and an event goes into
 * the partition of the week it happened in).
 */
export function weekClosed(week: string, now: Date, timeZone: string): boolean {
  return now.getTime() >= weekEnd(week, timeZone).getTime() + SETTLE_MS;
}

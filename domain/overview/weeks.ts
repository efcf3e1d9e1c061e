/**
 * The weeks an overview covers and when a week is over for good. Pure functions of the time and
 * the program's time zone.
 */
import { MAX_WEEKS_BACK } from '../digest';
import { addDays, mondayOfIsoWeek, parseIsoWeek, shiftIsoWeek, zonedTimeToUtc } from '../time';

/** A year of weeks, ending with the current one. */
export const DEFAULT_WEEKS = 52;

/** At most as many weeks as a digest may reach back: the same bound on what one request reads. */
export const MAX_WEEKS = MAX_WEEKS_BACK;

/**
 * How long after a week's end its rows may still change: an answer given in the last second is
 * still being written, and another instance's clock may be a little behind (its events then land
 * in the week that just ended). Ten minutes is far more than either.
 */
export const SETTLE_MS = 10 * 60_000;

/** The `count` weeks ending with `current`, oldest first. Throws RangeError for a count out of bounds. */
export function overviewWeeks(current: string, count: number = DEFAULT_WEEKS): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_WEEKS)
    throw new RangeError(`an overview covers 1 to ${MAX_WEEKS} weeks, not ${count}`);
  return Array.from({ length: count }, (_, i) => shiftIsoWeek(current, i - count + 1));
}

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

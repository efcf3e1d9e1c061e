/**
 * The weeks an overview covers and when a week is over for good. Pure functions of the time and
 * the program's time zone.
 */
import { MAX_WEEKS_BACK } from '../digest';
import { shiftIsoWeek } from '../time';

// When a week is over for good is the digest's rule too (it keeps a closed week's summary).
export { SETTLE_MS, weekClosed, weekEnd } from '../digest';

/** A year of weeks, ending with the current one. */
export const DEFAULT_WEEKS = 52;

/** At most as many weeks as a digest may reach back: the same bound on what one request reads. */
export const MAX_WEEKS = MAX_WEEKS_BACK;

/** The `count` weeks ending with `current`, oldest first. Throws RangeError for a count out of bounds. */
export function overviewWeeks(current: string, count: number = DEFAULT_WEEKS): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_WEEKS)
    throw new RangeError(`an overview covers 1 to ${MAX_WEEKS} weeks, not ${count}`);
  return Array.from({ length: count }, (_, i) => shiftIsoWeek(current, i - count + 1));
}

/**
 * When the brief comes and which check-in it looks at. The schedule is a cron expression in the
 * program's zone (`schedules.brief`) and a choice of ISO weeks (`schedules.briefWeeks`): a
 * steering group that meets every other week gets its brief in the even (or odd) weeks only.
 */
import { latestOccurrence } from '../delivery';
import { isoWeek, parseIsoWeek } from '../time';
import type { BriefWeeks, Program } from '../types';

/** Whether the brief's schedule holds in the ISO week `week` (`2026-W48`). */
export function briefWeekHolds(week: string, weeks: BriefWeeks): boolean {
  if (weeks === 'every') return true;
  const even = parseIsoWeek(week).week % 2 === 0;
  return weeks === 'even' ? even : !even;
}

/**
 * The check-in week the brief looks at: the week of the latest scheduled check-in at or before
 * `now`. A brief early on Monday, before that week's check-in is posted, looks at last week's.
 */
export function briefPeriod(program: Pick<Program, 'schedules' | 'timezone'>, now: Date): string {
  const at = latestOccurrence(program.schedules.checkIn, now, program.timezone);
  return isoWeek(at ?? now, program.timezone);
}

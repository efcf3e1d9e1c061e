/**
 * The weekly digest of one ISO week (Europe/Stockholm by default), read from the repositories and
 * assembled (./assemble.ts), with its "Veckan i korthet" paragraph (./summary.ts). A past week's
 * plan is today's with the later weeks' changes undone (domain/plan/history.ts), so an import
 * changes today's figures, never last month's. It never reads the history before the week, so its
 * cost does not grow with the program's age.
 */
import type {
  ActionRepository,
  CheckInRepository,
  DecisionRepository,
  EventLog,
  IndicatorRepository,
  Logger,
} from '../ports';
import { isoWeek, isoWeekDays, parseIsoWeek, shiftIsoWeek } from '../time';
import type { Locale, Program, WeekStatusSummary } from '../types';
import { eventsAfter, planBefore } from '../plan';
import { assembleDigest } from './assemble';
import type { Digest, DigestGrouping } from './model';
import { type SummaryWriter, writeSummary } from './summary';
import { decisionYears, MAX_WEEKS_BACK, weekClosed } from './week';
import { summarizeWeek } from './figures';

/**
 * The week before in short. Once that week is over its log no longer changes, so its summary is
 * kept beside the log the first time it is made, and later digests read that one row.
 */
async function weekBefore(
  events: DigestSources['events'],
  program: Program,
  week: string,
  now: Date,
): Promise<WeekStatusSummary> {
  const closed = weekClosed(week, now, program.timezone);
  const kept = closed ? await events.weekSummary(program.id, week) : undefined;
  if (kept) return kept;
  const summary = summarizeWeek(await events.listWeek({ programId: program.id, week }), program.id);
  // Keeping it saves the next digest a read; a write that fails leaves that digest to read the log.
  if (closed) await events.keepWeekSummary(program.id, week, summary).catch(() => undefined);
  return summary;
}

/** What the digest reads: the repositories, nothing else. */
export interface DigestSources {
  actions: Pick<ActionRepository, 'list'>;
  events: Pick<EventLog, 'listWeek' | 'weekSummary' | 'keepWeekSummary'>;
  decisions: Pick<DecisionRepository, 'listDuring'>;
  indicators: Pick<IndicatorRepository, 'list'>;
  checkIns: Pick<CheckInRepository, 'listWeek'>;
}

/**
 * Reads what the digest of `week` needs: the week's log partition and the week before in short, the
 * actions, the check-ins of both weeks, the decisions taken or logged in the week and the indicators.
 */
export async function computeDigest(
  sources: DigestSources,
  program: Program,
  week: string,
  now: Date,
  options: { groupBy?: DigestGrouping } = {},
): Promise<Digest> {
  const { year, week: n } = parseIsoWeek(week);
  const days = isoWeekDays(year, n);
  const previous = shiftIsoWeek(week, -1);
  const current = isoWeek(now, program.timezone);
  // Callers check the week with parseWeekRequest; this keeps a direct call just as bounded.
  if (week < shiftIsoWeek(current, -MAX_WEEKS_BACK))
    throw new RangeError(`${week} is more than ${MAX_WEEKS_BACK} weeks back`);
  const [today, later, events, previousWeek, decisionLists, checkIns, previousCheckIns, indicators] = await Promise.all(
    [
      sources.actions.list(program.id),
      // A past week is summed up from the plan as it stood at its end: today's, with later changes undone.
      week < current ? eventsAfter(sources.events, program.id, week, current) : Promise.resolve([]),
      sources.events.listWeek({ programId: program.id, week }),
      weekBefore(sources.events, program, previous, now),
      Promise.all(
        decisionYears(week).map((y) =>
          sources.decisions.listDuring(program.id, y, { ...days, timeZone: program.timezone }),
        ),
      ),
      sources.checkIns.listWeek(program.id, week),
      sources.checkIns.listWeek(program.id, previous),
      sources.indicators.list(program.id),
    ],
  );
  return assembleDigest({
    program,
    week,
    now,
    actions: later.length ? planBefore(today, later) : today,
    groupBy: options.groupBy,
    events,
    previousWeek,
    decisions: decisionLists.flat(),
    checkIns,
    previousCheckIns,
    indicators,
  });
}

export interface BuildDigestOptions {
  week: string;
  now: Date;
  locale: Locale;
  /** Writes "Veckan i korthet" with a language model; without it the deterministic text is used. */
  writer?: SummaryWriter;
  logger?: Logger;
  /** For the model call (default 10 s). */
  summaryTimeoutMs?: number;
  /** The action sections by team (default) or by the plan's goal. */
  groupBy?: DigestGrouping;
}

/** The digest with its "Veckan i korthet" paragraph in `locale`. */
export async function buildDigest(
  sources: DigestSources,
  program: Program,
  options: BuildDigestOptions,
): Promise<Digest> {
  const digest = await computeDigest(sources, program, options.week, options.now, { groupBy: options.groupBy });
  const summary = await writeSummary(digest, options.locale, {
    writer: options.writer,
    logger: options.logger,
    timeoutMs: options.summaryTimeoutMs,
  });
  return { ...digest, summary };
}

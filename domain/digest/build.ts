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
import { isoWeek, parseIsoWeek, shiftIsoWeek } from '../time';
import type { Locale, Program } from '../types';
import { eventsAfter, planBefore } from '../plan';
import { assembleDigest } from './assemble';
import type { Digest, DigestGrouping } from './model';
import { type SummaryWriter, writeSummary } from './summary';
import { decisionYears, MAX_WEEKS_BACK } from './week';

/** What the digest reads: the repositories, nothing else. */
export interface DigestSources {
  actions: Pick<ActionRepository, 'list'>;
  events: Pick<EventLog, 'listWeek'>;
  decisions: Pick<DecisionRepository, 'listYear'>;
  indicators: Pick<IndicatorRepository, 'list'>;
  checkIns: Pick<CheckInRepository, 'listWeek'>;
}

/**
 * Reads what the digest of `week` needs: two log partitions (the week and the one before), the
 * actions, the check-ins of both weeks, the decisions of the week's year(s) and the indicators.
 */
export async function computeDigest(
  sources: DigestSources,
  program: Program,
  week: string,
  now: Date,
  options: { groupBy?: DigestGrouping } = {},
): Promise<Digest> {
  parseIsoWeek(week);
  const previous = shiftIsoWeek(week, -1);
  const current = isoWeek(now, program.timezone);
  // Callers check the week with parseWeekRequest; this keeps a direct call just as bounded.
  if (week < shiftIsoWeek(current, -MAX_WEEKS_BACK))
    throw new RangeError(`${week} is more than ${MAX_WEEKS_BACK} weeks back`);
  const [today, later, events, previousEvents, decisionLists, checkIns, previousCheckIns, indicators] =
    await Promise.all([
      sources.actions.list(program.id),
      // A past week is summed up from the plan as it stood at its end: today's, with later changes undone.
      week < current ? eventsAfter(sources.events, program.id, week, current) : Promise.resolve([]),
      sources.events.listWeek({ programId: program.id, week }),
      sources.events.listWeek({ programId: program.id, week: previous }),
      Promise.all(decisionYears(week).map((y) => sources.decisions.listYear(program.id, y))),
      sources.checkIns.listWeek(program.id, week),
      sources.checkIns.listWeek(program.id, previous),
      sources.indicators.list(program.id),
    ]);
  return assembleDigest({
    program,
    week,
    now,
    actions: later.length ? planBefore(today, later) : today,
    groupBy: options.groupBy,
    events,
    previousEvents,
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

/**
 * The overview read from the repositories: today's actions, the program's teams (the file's and
 * those made at import), the indicators, the decisions of every year the weeks touch, and each
 * week's log partition and check-ins (./reads.ts, a few weeks at a time). Read only: nothing
 * here writes.
 */
import { decisionYears } from '../digest';
import type {
  ActionRepository,
  CheckInRepository,
  DecisionRepository,
  EventLog,
  IndicatorRepository,
  ProgramTeamRepository,
} from '../ports';
import { programWithStoredTeams } from '../program';
import { isoWeek } from '../time';
import type { Program } from '../types';
import { assembleOverview } from './assemble';
import type { Overview } from './model';
import { readWeeks, type WeekCache } from './reads';
import { DEFAULT_WEEKS, overviewWeeks } from './weeks';

/** What the overview reads: the repositories, nothing else (`Repositories` has them all). */
export interface OverviewSources {
  actions: Pick<ActionRepository, 'list'>;
  events: Pick<EventLog, 'listWeek'>;
  checkIns: Pick<CheckInRepository, 'listWeek'>;
  decisions: Pick<DecisionRepository, 'listYear'>;
  indicators: Pick<IndicatorRepository, 'list'>;
  programTeams: Pick<ProgramTeamRepository, 'list'>;
}

export interface OverviewDeps {
  program: Program;
  repos: OverviewSources;
}

export interface OverviewOptions {
  now: Date;
  /** How many weeks the history and engagement cover, ending with the current ISO week (default 52). */
  weeks?: number;
}

/** The overview as of `options.now`, everything read afresh. */
export function buildOverview(deps: OverviewDeps, options: OverviewOptions): Promise<Overview> {
  return readOverview(deps, options);
}

/** The overview, with the closed weeks taken from `cache` where it has them (./service.ts). */
export async function readOverview(deps: OverviewDeps, options: OverviewOptions, cache?: WeekCache): Promise<Overview> {
  const { repos } = deps;
  const { now } = options;
  const weeks = overviewWeeks(isoWeek(now, deps.program.timezone), options.weeks ?? DEFAULT_WEEKS);
  const years = [...new Set(weeks.flatMap(decisionYears))].sort();
  const [program, actions, indicators, decisionLists, reads] = await Promise.all([
    programWithStoredTeams(deps.program, repos.programTeams),
    repos.actions.list(deps.program.id),
    repos.indicators.list(deps.program.id),
    Promise.all(years.map((y) => repos.decisions.listYear(deps.program.id, y))),
    readWeeks(repos, deps.program.id, weeks, now, deps.program.timezone, cache),
  ]);
  return assembleOverview({ program, now, weeks, actions, reads, decisions: decisionLists.flat(), indicators });
}

/**
 * The program overview: the whole plan with each action's answers week by week, the indicators
 * against their targets, the decision log and the answer rates per team and week, for the tab.
 * Code outside this folder imports the overview from here. Read only: nothing in this folder
 * writes to the store.
 *
 * Inside: ./model.ts is its shape; ./weeks.ts the weeks it covers and when a week is over;
 * ./reads.ts reads the weeks (a few at a time) and keeps the closed ones; ./assemble.ts puts the
 * overview together from what was read; ./build.ts reads the repositories; ./service.ts is what
 * the tab asks, with the cache between views.
 */
export type {
  EngagementCell,
  EngagementWeek,
  Overview,
  OverviewAction,
  OverviewAnswer,
  OverviewDecision,
  OverviewIndicator,
  OverviewTeam,
  StatusCounts,
} from './model';
export { DEFAULT_WEEKS, MAX_WEEKS, overviewWeeks, weekClosed } from './weeks';
export { DEFAULT_CACHE_WEEKS, PARALLEL_READS, type WeekRead } from './reads';
export { assembleOverview, type OverviewInput } from './assemble';
export { buildOverview, type OverviewDeps, type OverviewOptions, type OverviewSources } from './build';
export { OverviewService, type OverviewServiceOptions } from './service';

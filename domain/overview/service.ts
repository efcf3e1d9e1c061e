/**
 * The overview for the tab, each view read again but for the weeks that are over: those are kept
 * between views in a small cache (./reads.ts says what is kept and when it is read again), so a
 * second view in the same week reads the current week's log and check-ins and the plan's current
 * state (actions, teams, indicators, decisions), not the whole year of weeks again.
 */
import type { Overview } from './model';
import { readOverview, type OverviewDeps } from './build';
import { DEFAULT_CACHE_WEEKS, WeekCache } from './reads';

export interface OverviewServiceOptions {
  /** The weeks each overview covers, ending with the current one (default 52). */
  weeks?: number;
  /** How many closed weeks are kept (default 60; 0 keeps none). */
  cacheWeeks?: number;
}

export class OverviewService {
  private readonly cache: WeekCache;

  constructor(
    private readonly deps: OverviewDeps,
    private readonly options: OverviewServiceOptions = {},
  ) {
    this.cache = new WeekCache(options.cacheWeeks ?? DEFAULT_CACHE_WEEKS);
  }

  /** The overview as of `now`. */
  get(now: Date): Promise<Overview> {
    return readOverview(this.deps, { now, weeks: this.options.weeks }, this.cache);
  }

  /** How many weeks of log and of check-ins the cache holds now. */
  get cached(): { events: number; checkIns: number } {
    return this.cache.size;
  }
}

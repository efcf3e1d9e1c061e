/**
 * What the cards of one posting run read, read once for many cards: every team's actions and the
 * steering group's open follow-ups, instead of three reads before each card. A run to hundreds of
 * channels lasts a while at Teams' pace, so the reads are shared by the cards built within
 * `maxAgeMs` of them and then made again: a card shows the plan as it stood at most that long
 * before its post. The card's CheckIns row is the one the run claimed (it has no card yet).
 */
import type { Action, CheckIn } from '../types';
import type { CheckInContext } from './context';
import { followUpsOfEveryTeam, type OpenFollowUp } from './follow-ups';
import { buildCheckInView, type CheckInView } from './view';

interface Reads {
  actions: Map<string, Action[]>;
  followUps: (teamKey: string) => OpenFollowUp[];
}

/** How long a run's reads serve its cards before they are made again. */
export const RUN_READS_MAX_AGE_MS = 5_000;

export class RunReads {
  private current: { at: number; reads: Promise<Reads> } | undefined;

  constructor(
    private readonly ctx: CheckInContext,
    private readonly week: string,
    private readonly maxAgeMs = RUN_READS_MAX_AGE_MS,
    /** Real time: how old the reads are, whatever the program's clock says. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts the reads now, beside the run's first claims (a failure is left to the first card). */
  start(): void {
    this.reads().catch(() => undefined);
  }

  async view(teamKey: string, row: CheckIn | undefined): Promise<CheckInView> {
    const { actions, followUps } = await this.reads();
    const { program, clock } = this.ctx.deps;
    return buildCheckInView(
      program,
      teamKey,
      this.week,
      actions.get(teamKey) ?? [],
      row,
      clock.now(),
      followUps(teamKey),
    );
  }

  private reads(): Promise<Reads> {
    const t = this.now();
    if (this.current && t - this.current.at < this.maxAgeMs) return this.current.reads;
    const { repos } = this.ctx.deps;
    const reads = Promise.all([
      repos.actions.list(this.ctx.programId),
      followUpsOfEveryTeam(repos, this.ctx.programId, this.week),
    ]).then(([list, followUps]) => {
      const actions = new Map<string, Action[]>();
      for (const a of list) {
        const team = actions.get(a.teamKey);
        if (team) team.push(a);
        else actions.set(a.teamKey, [a]);
      }
      return { actions, followUps };
    });
    const current = { at: t, reads };
    this.current = current;
    // A failed read is not kept: the next card reads again.
    reads.catch(() => {
      if (this.current === current) this.current = undefined;
    });
    return reads;
  }
}

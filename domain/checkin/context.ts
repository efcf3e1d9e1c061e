/**
 * What the parts of the check-in service share: their dependencies, the team's card view, and
 * the combiners that write the rows they all change (an action's state, a week's CheckIns row).
 * One combiner per table for all parts, so answers and reminders marking the same CheckIns row
 * are written together, in order, rather than racing each other's ETags.
 */
import { RowCombiner } from '../combine';
import type { ChannelTarget, Messenger, RetryPolicy } from '../delivery';
import type { Logger, Repositories } from '../ports';
import { isoWeek, type Clock } from '../time';
import type { Action, ChannelBinding, CheckIn, Program } from '../types';
import { followUpsForWeek } from './follow-ups';
import { buildCheckInView, type CheckInRenderer, type CheckInView } from './view';

export interface CheckInServiceDeps {
  program: Program;
  repos: Repositories;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  render: CheckInRenderer;
  /** Retry policy for posts and updates (tests shorten it). */
  policy?: RetryPolicy;
  fanOut?: { concurrency?: number; minIntervalMs?: number; maxRuns?: number };
  /** Runs work after the request (an answer logged while storage went away is applied later). */
  background?: { run(label: string, fn: () => Promise<void>): void; pause(ms: number): Promise<void> };
}

/** Attempts for an ETag-guarded read-modify-write before giving up with ConcurrencyError. */
export const MAX_ATTEMPTS = 8;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A program team with the channel its check-in goes to. */
export interface TeamChannel {
  teamKey: string;
  binding: ChannelBinding;
  target: ChannelTarget;
}

const combinerOptions = {
  attempts: MAX_ATTEMPTS,
  backoff: (attempt: number) => sleep(5 + Math.floor(Math.random() * 20 * attempt)),
};

export class CheckInContext {
  /** Answers to one action (and first answers to one check-in) are written together, in order. */
  readonly actionWrites: RowCombiner<Action>;
  readonly checkInWrites: RowCombiner<CheckIn>;

  constructor(readonly deps: CheckInServiceDeps) {
    const { repos } = deps;
    this.actionWrites = new RowCombiner<Action>(
      { read: (id) => repos.actions.get(this.programId, id), write: (a) => repos.actions.update(a) },
      combinerOptions,
    );
    this.checkInWrites = new RowCombiner<CheckIn>(
      {
        read: (key) => {
          const [week, teamKey] = key.split('|') as [string, string];
          return repos.checkIns.get(this.programId, week, teamKey);
        },
        write: (row) => repos.checkIns.update(row),
      },
      combinerOptions,
    );
  }

  get programId(): string {
    return this.deps.program.id;
  }

  currentWeek(): string {
    return isoWeek(this.deps.clock.now(), this.deps.program.timezone);
  }

  hasTeam(teamKey: string): boolean {
    return this.deps.program.teams.some((x) => x.key === teamKey);
  }

  /** The card's content; `checkIn`, when the caller has just read the week's row, spares reading it again. */
  async view(teamKey: string, week: string, checkIn?: CheckIn): Promise<CheckInView> {
    const [actions, row, followUps] = await Promise.all([
      this.deps.repos.actions.listByTeam(this.programId, teamKey),
      checkIn ?? this.deps.repos.checkIns.get(this.programId, week, teamKey),
      followUpsForWeek(this.deps.repos, this.programId, teamKey, week),
    ]);
    return buildCheckInView(this.deps.program, teamKey, week, actions, row, this.deps.clock.now(), followUps);
  }
}

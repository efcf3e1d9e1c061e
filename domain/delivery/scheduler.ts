/**
 * The in-process scheduler: weekly jobs (check-in, reminder, digest) from cron expressions in the
 * program's time zone. Several instances may run against the same storage: a lease row (ETag
 * guarded) lets one of them run jobs at a time, and a done-marker per occurrence makes each
 * occurrence run once, across restarts and instances. After downtime a job catches up once: the
 * latest occurrence of the current ISO week that has not run yet runs when the app comes back.
 */
import parser from 'cron-parser';
import type { Logger } from '../ports';
import { isoWeek, type Clock } from '../time';

export interface Occurrence {
  /** When it was due. */
  at: Date;
  /** ISO week of `at` in the program's zone: `2026-W48`. */
  week: string;
  /** Unique per job and occurrence: `checkin|2026-11-30T08:00:00.000Z`. */
  key: string;
}

export interface ScheduledJob {
  name: string;
  cron: string;
  run(occurrence: Occurrence): Promise<void>;
}

export interface LeaseRepository {
  /**
   * Takes or renews the named lease for `holder` until `until`; returns false when another holder
   * has an unexpired lease. Implementations use ETags so two instances cannot both win.
   */
  acquire(name: string, holder: string, now: Date, until: Date): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

export interface JobRunRepository {
  /** Whether the occurrence has completed. */
  isDone(key: string): Promise<boolean>;
  markDone(key: string, at: Date, detail?: Record<string, unknown>): Promise<void>;
}

export interface SchedulerDeps {
  clock: Clock;
  timeZone: string;
  leases: LeaseRepository;
  runs: JobRunRepository;
  logger: Logger;
  /** Identifies this process in the lease. */
  instanceId: string;
  /** Lease length; renewed on every tick. */
  leaseMs?: number;
}

/** The latest occurrence of `cron` at or before `now`, in the zone. */
export function latestOccurrence(cron: string, now: Date, timeZone: string): Date | undefined {
  try {
    const it = parser.parseExpression(cron, { currentDate: new Date(now.getTime() + 1), tz: timeZone });
    return it.prev().toDate();
  } catch {
    return undefined;
  }
}

export function nextOccurrence(cron: string, now: Date, timeZone: string): Date {
  return parser.parseExpression(cron, { currentDate: now, tz: timeZone }).next().toDate();
}

export class Scheduler {
  private readonly jobs: ScheduledJob[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly leaseName = 'scheduler';

  constructor(private readonly deps: SchedulerDeps) {}

  add(job: ScheduledJob): this {
    this.jobs.push(job);
    return this;
  }

  /** The occurrences that are due now and have not run (at most one per job: the latest this week). */
  async due(): Promise<{ job: ScheduledJob; occurrence: Occurrence }[]> {
    const now = this.deps.clock.now();
    const thisWeek = isoWeek(now, this.deps.timeZone);
    const candidates: { job: ScheduledJob; occurrence: Occurrence }[] = [];
    for (const job of this.jobs) {
      const at = latestOccurrence(job.cron, now, this.deps.timeZone);
      if (!at) continue;
      const week = isoWeek(at, this.deps.timeZone);
      // Catch up within the week only: a check-in missed last week is not posted this week.
      if (week !== thisWeek) continue;
      candidates.push({ job, occurrence: { at, week, key: `${job.name}|${at.toISOString()}` } });
    }
    // The done-markers read together, not one after another; the jobs keep their order.
    const done = await Promise.all(candidates.map((c) => this.deps.runs.isDone(c.occurrence.key)));
    return candidates.filter((_, i) => !done[i]);
  }

  /** One pass: take the lease, run what is due, mark each occurrence done when it succeeded. */
  async tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.tickOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async tickOnce(): Promise<void> {
    const now = this.deps.clock.now();
    const leaseMs = this.deps.leaseMs ?? 5 * 60 * 1000;
    let held = false;
    try {
      held = await this.deps.leases.acquire(
        this.leaseName,
        this.deps.instanceId,
        now,
        new Date(now.getTime() + leaseMs),
      );
    } catch (err) {
      this.deps.logger.warn(
        { err: { message: (err as Error).message } },
        'scheduler: could not take the lease; will try again',
      );
      return;
    }
    if (!held) return;
    // Keep the lease while jobs run: a job longer than the lease would otherwise let another
    // instance take it and run the same occurrence a second time.
    const renew = setInterval(
      () => {
        const at = this.deps.clock.now();
        void this.deps.leases
          .acquire(this.leaseName, this.deps.instanceId, at, new Date(at.getTime() + leaseMs))
          .catch(() => false);
      },
      Math.max(1000, Math.floor(leaseMs / 3)),
    );
    renew.unref();
    try {
      await this.runDue();
    } finally {
      clearInterval(renew);
    }
  }

  private async runDue(): Promise<void> {
    for (const { job, occurrence } of await this.due().catch((err: unknown) => {
      this.deps.logger.warn({ err: { message: (err as Error).message } }, 'scheduler: could not read job state');
      return [];
    })) {
      const log = this.deps.logger.child({ job: job.name, occurrence: occurrence.key });
      try {
        log.info({}, 'scheduled job starting');
        await job.run(occurrence);
        await this.deps.runs.markDone(occurrence.key, this.deps.clock.now());
        log.info({}, 'scheduled job done');
      } catch (err) {
        // Not marked done: the next tick tries again (jobs are idempotent per occurrence).
        log.error({ err: { message: (err as Error).message } }, 'scheduled job failed; will retry');
      }
    }
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    const loop = () => {
      void this.tick();
    };
    setImmediate(loop);
    this.timer = setInterval(loop, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.deps.leases.release(this.leaseName, this.deps.instanceId).catch(() => undefined);
  }
}

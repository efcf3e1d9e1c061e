/**
 * The overview's per-week reads: each week's log partition and its CheckIns rows, a few weeks at
 * a time, and the cache that keeps the weeks that are over.
 *
 * What may be kept, and for how long:
 * - A closed week's log (./weeks.ts `weekClosed`) never changes: the log is append-only and an
 *   event goes into the partition of the week it happened in. It is kept as read.
 * - A closed week's CheckIns rows change in one way only: a card of that week answered later (a
 *   card stays in its channel and can be answered any time) adds the action to the row's answered
 *   list, and that answer is logged first, in the week it is given, with the card's week as
 *   `checkInWeek`. So a week's rows are kept with the time they were read, and read again when
 *   any week's log holds an answer to that week's card logged after that time, less `SETTLE_MS`
 *   for the row's write that follows the log entry.
 * - The current week (and one that ended less than `SETTLE_MS` ago) is read every time.
 *
 * The cache holds at most `capacity` weeks of each kind, the least recently used going first.
 * It holds the reads themselves (promises), so views at the same moment share one read; a read
 * that fails is not kept. Nothing here writes to the store.
 */
import type { CheckInRepository, EventLog } from '../ports';
import type { CheckIn, LogEvent } from '../types';
import { SETTLE_MS, weekClosed } from './weeks';

/** At most this many week reads are on the wire at once. */
export const PARALLEL_READS = 6;

/** Closed weeks kept by default: the default year of weeks, and a few more. */
export const DEFAULT_CACHE_WEEKS = 60;

/** What the overview reads week by week. */
export interface WeekSources {
  events: Pick<EventLog, 'listWeek'>;
  checkIns: Pick<CheckInRepository, 'listWeek'>;
}

/** One week as read: its answers and plan changes (the other events are not kept), its check-ins. */
export interface WeekRead {
  events: readonly LogEvent[];
  checkIns: readonly CheckIn[];
}

/** The events the overview uses: answers (the history) and plan changes (the plan of a past week). */
function used(events: readonly LogEvent[]): LogEvent[] {
  return events.filter((e) => e.type === 'status' || e.type === 'action');
}

/** A map that forgets the least recently used entry beyond `capacity`. */
class Lru<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly capacity: number) {}

  get(key: string): T | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    if (this.capacity < 1) return;
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Removes the entry only while it is still `value` (a later read may have replaced it). */
  deleteIf(key: string, value: T): void {
    if (this.entries.get(key) === value) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

interface CheckInEntry {
  rows: Promise<CheckIn[]>;
  /** When the read started, as an ISO instant. */
  readAt: string;
}

/** The reads of closed weeks, kept between views (see the top of this file for the rule). */
export class WeekCache {
  private readonly events: Lru<Promise<LogEvent[]>>;
  private readonly checkIns: Lru<CheckInEntry>;

  /** `capacity`: how many closed weeks of each kind (log, check-ins) are kept; 0 keeps none. */
  constructor(readonly capacity: number = DEFAULT_CACHE_WEEKS) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`not a cache size: ${capacity}`);
    this.events = new Lru(capacity);
    this.checkIns = new Lru(capacity);
  }

  /** How many weeks of log and of check-ins are kept now. */
  get size(): { events: number; checkIns: number } {
    return { events: this.events.size, checkIns: this.checkIns.size };
  }

  /** The kept log under `key` (program and week), or `read` it (and keep it when `keep`). */
  eventsOf(key: string, keep: boolean, read: () => Promise<LogEvent[]>): Promise<LogEvent[]> {
    const hit = this.events.get(key);
    if (hit) return hit;
    const p = read();
    if (keep) {
      this.events.set(key, p);
      p.catch(() => this.events.deleteIf(key, p));
    }
    return p;
  }

  /** The kept check-ins under `key` with when they were read, or `read` them now (kept when `keep`). */
  checkInsOf(key: string, keep: boolean, now: Date, read: () => Promise<CheckIn[]>): CheckInEntry & { kept: boolean } {
    const hit = this.checkIns.get(key);
    if (hit) return { ...hit, kept: true };
    const entry: CheckInEntry = { rows: read(), readAt: now.toISOString() };
    if (keep) {
      this.checkIns.set(key, entry);
      entry.rows.catch(() => this.checkIns.deleteIf(key, entry));
    }
    return { ...entry, kept: false };
  }

  /** Drops the kept check-ins under `key` (a later answer may have changed them). */
  forgetCheckIns(key: string): void {
    this.checkIns.delete(key);
  }
}

/**
 * `fn` over `items` with at most `limit` calls running at once, the results in the items' order.
 * On the first failure no further call starts, and the failure is thrown.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}

/** The latest time an answer to `week`'s card was logged, in the weeks read (ISO instant). */
function lastAnswerTo(reads: ReadonlyMap<string, readonly LogEvent[]>): Map<string, string> {
  const last = new Map<string, string>();
  for (const events of reads.values())
    for (const e of events)
      if (e.type === 'status' && e.checkInWeek && e.at > (last.get(e.checkInWeek) ?? '')) last.set(e.checkInWeek, e.at);
  return last;
}

/**
 * Each week's log and check-ins, `PARALLEL_READS` reads at a time. With a cache, closed weeks
 * come from it where they can (and go into it when read); the current week is always read.
 */
export async function readWeeks(
  sources: WeekSources,
  programId: string,
  weeks: readonly string[],
  now: Date,
  timeZone: string,
  cache?: WeekCache,
): Promise<Map<string, WeekRead>> {
  const closed = new Set(weeks.filter((w) => weekClosed(w, now, timeZone)));
  const readEvents = async (week: string) => used(await sources.events.listWeek({ programId, week }));
  const readCheckIns = (week: string) => sources.checkIns.listWeek(programId, week);
  const key = (week: string) => `${programId}|${week}`;

  type Task = { kind: 'events' | 'checkIns'; week: string };
  const tasks: Task[] = weeks.flatMap((week): Task[] => [
    { kind: 'events', week },
    { kind: 'checkIns', week },
  ]);
  const events = new Map<string, LogEvent[]>();
  const checkIns = new Map<string, CheckIn[]>();
  /** When the kept check-ins that were used were read, by week. */
  const keptSince = new Map<string, string>();
  await mapLimit(tasks, PARALLEL_READS, async ({ kind, week }) => {
    const keep = closed.has(week);
    if (kind === 'events') {
      events.set(week, await (cache ? cache.eventsOf(key(week), keep, () => readEvents(week)) : readEvents(week)));
      return;
    }
    if (!cache) {
      checkIns.set(week, await readCheckIns(week));
      return;
    }
    const entry = cache.checkInsOf(key(week), keep, now, () => readCheckIns(week));
    checkIns.set(week, await entry.rows);
    if (entry.kept) keptSince.set(week, entry.readAt);
  });

  // Kept check-ins of a week whose card was answered since they were read: read them again.
  const answered = lastAnswerTo(events);
  const stale = [...keptSince].filter(([week, readAt]) => {
    const at = answered.get(week);
    return !!at && Date.parse(at) >= Date.parse(readAt) - SETTLE_MS;
  });
  if (cache && stale.length > 0) {
    for (const [week] of stale) cache.forgetCheckIns(key(week));
    await mapLimit(stale, PARALLEL_READS, async ([week]) => {
      checkIns.set(week, await cache.checkInsOf(key(week), closed.has(week), now, () => readCheckIns(week)).rows);
    });
  }
  return new Map(weeks.map((w) => [w, { events: events.get(w) ?? [], checkIns: checkIns.get(w) ?? [] }]));
}

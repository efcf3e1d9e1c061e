/**
 * The scheduler (domain/delivery/scheduler.ts) with its lease and run markers on Azurite
 * (storage/jobs.repository.ts): cron in the program's zone, once per occurrence across restarts
 * and instances, catch-up within the ISO week only, failed runs retried.
 */
import { silentLogger } from '../../../bot/logger';
import { latestOccurrence, nextOccurrence, type Occurrence, Scheduler } from '../../../domain/delivery';
import { fixedClock } from '../../../domain/time';
import { TableJobRunRepository, TableLeaseRepository } from '../../../storage/jobs.repository';
import type { TableStore } from '../../../storage/table-store';
import { useFreshTables } from '../../support/storage';

const TZ = 'Europe/Stockholm';
const MONDAY_0900 = '2026-11-23T08:00:00.000Z'; // CET
let store: TableStore;

useFreshTables((t) => {
  store = t.store;
});

function scheduler(clock: ReturnType<typeof fixedClock>, instanceId: string, leaseMs?: number) {
  return new Scheduler({
    clock,
    timeZone: TZ,
    leases: new TableLeaseRepository(store, 'harnosand'),
    runs: new TableJobRunRepository(store, 'harnosand'),
    logger: silentLogger(),
    instanceId,
    leaseMs,
  });
}

function recorder() {
  const runs: Occurrence[] = [];
  return { runs, run: async (o: Occurrence) => void runs.push(o) };
}

describe('cron in the program time zone', () => {
  it('finds the latest and next occurrence, across daylight saving time', () => {
    expect(latestOccurrence('0 9 * * 1', new Date(MONDAY_0900), TZ)?.toISOString()).toBe(MONDAY_0900);
    expect(latestOccurrence('0 9 * * 1', new Date('2026-11-23T07:59:59.999Z'), TZ)?.toISOString()).toBe(
      '2026-11-16T08:00:00.000Z',
    );
    // Summer time: 09:00 in Stockholm is 07:00 UTC.
    expect(latestOccurrence('0 9 * * 1', new Date('2026-06-03T12:00:00Z'), TZ)?.toISOString()).toBe(
      '2026-06-01T07:00:00.000Z',
    );
    // The Monday after the switch back (25 October 2026).
    expect(nextOccurrence('0 9 * * 1', new Date('2026-10-20T00:00:00Z'), TZ).toISOString()).toBe(
      '2026-10-26T08:00:00.000Z',
    );
    expect(latestOccurrence('not a cron', new Date(), TZ)).toBeUndefined();
  });
});

describe('Scheduler on Azurite', () => {
  it('runs a due job once per occurrence, with the ISO week of the occurrence, also across restarts', async () => {
    const clock = fixedClock('2026-11-23T07:59:00Z');
    const job = recorder();
    const a = scheduler(clock, 'a').add({ name: 'checkin', cron: '0 9 * * 1', ...job });
    await a.tick();
    // Not yet Monday 09:00: the latest occurrence is last week's, which is not caught up.
    expect(job.runs).toEqual([]);
    clock.set(MONDAY_0900);
    await a.tick();
    await a.tick();
    expect(job.runs).toEqual([{ at: new Date(MONDAY_0900), week: '2026-W48', key: `checkin|${MONDAY_0900}` }]);
    await a.stop();

    const restarted = scheduler(clock, 'b').add({ name: 'checkin', cron: '0 9 * * 1', ...job });
    clock.advance(60 * 60 * 1000);
    await restarted.tick();
    expect(job.runs).toHaveLength(1);
    clock.set('2026-11-30T08:00:00Z');
    await restarted.tick();
    expect(job.runs.map((r) => r.week)).toEqual(['2026-W48', '2026-W49']);
    await restarted.stop();
  });

  it('catches up once within the week after downtime, but not a week later', async () => {
    const clock = fixedClock('2026-11-26T15:00:00Z'); // Thursday: Monday's and Wednesday's were missed
    const checkin = recorder();
    const reminder = recorder();
    const s = scheduler(clock, 'a')
      .add({ name: 'checkin', cron: '0 9 * * 1', ...checkin })
      .add({ name: 'reminder', cron: '0 9 * * 3', ...reminder });
    await s.tick();
    await s.tick();
    expect(checkin.runs.map((r) => r.key)).toEqual([`checkin|${MONDAY_0900}`]);
    expect(reminder.runs.map((r) => r.key)).toEqual(['reminder|2026-11-25T08:00:00.000Z']);

    const late = recorder();
    const other = scheduler(fixedClock('2026-11-29T22:59:00Z'), 'b').add({
      name: 'digest',
      cron: '0 13 * * 5',
      ...late,
    });
    await other.tick(); // Sunday night: Friday's digest of this week is caught up
    expect(late.runs.map((r) => r.week)).toEqual(['2026-W48']);
    const afterWeek = recorder();
    await scheduler(fixedClock('2026-11-30T06:00:00Z'), 'c')
      .add({ name: 'digest2', cron: '0 13 * * 5', ...afterWeek })
      .tick();
    expect(afterWeek.runs).toEqual([]); // Monday of the next week: last week's is not posted now
    await s.stop();
  });

  it('a failed run is not marked done and runs again on the next tick', async () => {
    const clock = fixedClock(MONDAY_0900);
    let calls = 0;
    const s = scheduler(clock, 'a').add({
      name: 'checkin',
      cron: '0 9 * * 1',
      run: async () => {
        calls++;
        if (calls < 3) throw new Error('Teams is down');
      },
    });
    await s.tick();
    await s.tick();
    await s.tick();
    await s.tick();
    expect(calls).toBe(3);
    expect(await new TableJobRunRepository(store, 'harnosand').isDone(`checkin|${MONDAY_0900}`)).toBe(true);
    await s.stop();
  });

  it('with several instances on the same storage only one runs a job; another takes over when the lease expires', async () => {
    const clock = fixedClock(MONDAY_0900);
    const job = recorder();
    let release!: () => void;
    const slow = {
      name: 'checkin',
      cron: '0 9 * * 1',
      run: (o: Occurrence) => new Promise<void>((r) => (release = () => r(void job.runs.push(o)))),
    };
    const instances = ['a', 'b', 'c', 'd'].map((id) => scheduler(clock, id, 60_000).add(slow));
    const ticks = instances.map((s) => s.tick());
    // The winner's job has started once `release` is set (after its lease and run checks).
    for (let waited = 0; !release && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    // The others have had time to try for the lease too.
    await new Promise((r) => setTimeout(r, 300));
    release();
    await Promise.all(ticks);
    expect(job.runs).toHaveLength(1);

    // The holder dies (never releases); after its lease runs out another instance runs new work.
    const reminder = recorder();
    const b = scheduler(clock, 'b', 60_000).add({ name: 'reminder', cron: '0 9 * * 3', ...reminder });
    clock.set('2026-11-25T08:00:00Z');
    const holder = await new TableLeaseRepository(store, 'harnosand').acquire(
      'scheduler',
      'dead',
      clock.now(),
      new Date(clock.now().getTime() + 60_000),
    );
    expect(holder).toBe(true);
    await b.tick();
    expect(reminder.runs).toEqual([]);
    clock.advance(61_000);
    await b.tick();
    expect(reminder.runs).toHaveLength(1);
  });

  it('a job that runs longer than the lease keeps it: no second instance runs the same occurrence meanwhile', async () => {
    const clock = fixedClock(MONDAY_0900);
    let runs = 0;
    let finish!: () => void;
    const slow = {
      name: 'checkin',
      cron: '0 9 * * 1',
      run: () => new Promise<void>((r) => ((runs += 1), (finish = r))),
    };
    const a = scheduler(clock, 'a', 3000).add(slow);
    const running = a.tick();
    await new Promise((r) => setTimeout(r, 100));
    clock.advance(5000); // past the first lease's end
    await new Promise((r) => setTimeout(r, 2500)); // the holder renews while it works
    await scheduler(clock, 'b', 3000)
      .add({ ...slow, run: async () => void (runs += 1) })
      .tick();
    expect(runs).toBe(1);
    finish();
    await running;
    await a.stop();
  });

  it('leases: taken, renewed by the holder, refused to others until expired, released only by the holder', async () => {
    const leases = new TableLeaseRepository(store, 'harnosand');
    const t0 = new Date(MONDAY_0900);
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    expect(await leases.acquire('scheduler', 'a', t0, at(60))).toBe(true);
    expect(await leases.acquire('scheduler', 'b', at(30), at(90))).toBe(false);
    expect(await leases.acquire('scheduler', 'a', at(30), at(90))).toBe(true);
    expect(await leases.acquire('scheduler', 'b', at(61), at(120))).toBe(false); // renewed until 90
    await leases.release('scheduler', 'b'); // not b's: nothing happens
    expect(await leases.acquire('scheduler', 'b', at(80), at(140))).toBe(false);
    expect(await leases.acquire('scheduler', 'b', at(91), at(150))).toBe(true);
    await leases.release('scheduler', 'b');
    expect(await leases.acquire('scheduler', 'c', at(92), at(150))).toBe(true);
    // Racing for a free lease: exactly one wins.
    await leases.release('scheduler', 'c');
    const race = await Promise.all(['x', 'y', 'z', 'w'].map((h) => leases.acquire('scheduler', h, at(100), at(200))));
    expect(race.filter(Boolean)).toHaveLength(1);
  });

  it('stop() releases the lease so another instance can run at once', async () => {
    const clock = fixedClock(MONDAY_0900);
    const a = scheduler(clock, 'a');
    await a.tick();
    await a.stop();
    const job = recorder();
    await scheduler(clock, 'b')
      .add({ name: 'checkin', cron: '0 9 * * 1', ...job })
      .tick();
    expect(job.runs).toHaveLength(1);
  });
});

describe('what is due', () => {
  it('reads the done-markers of the jobs together, and keeps the jobs in their order', async () => {
    let reading = 0;
    let most = 0;
    const runs = new TableJobRunRepository(store, 'harnosand');
    await runs.markDone('second|2026-11-23T08:00:00.000Z', new Date(MONDAY_0900));
    const s = new Scheduler({
      clock: fixedClock(MONDAY_0900),
      timeZone: TZ,
      leases: new TableLeaseRepository(store, 'harnosand'),
      runs: {
        isDone: async (key) => {
          most = Math.max(most, ++reading);
          try {
            return await runs.isDone(key);
          } finally {
            reading--;
          }
        },
        markDone: (key, at) => runs.markDone(key, at),
      },
      logger: silentLogger(),
      instanceId: 'a',
    });
    for (const name of ['first', 'second', 'third', 'fourth']) s.add({ name, cron: '0 9 * * 1', ...recorder() });
    expect((await s.due()).map((d) => d.job.name)).toEqual(['first', 'third', 'fourth']);
    expect(most).toBe(4);
  });
});

/**
 * The overview service's cache, against Azurite: the closed weeks are read once, the current
 * week every time; a week that ended minutes ago is still read; a late answer to an old week's
 * card has that week's check-ins read again; the cache stays within its size; and what a view
 * shows is what an uncached read shows.
 */
import { buildOverview, OverviewService } from '../../../domain/overview';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import { FRIDAY_1300, PREVIOUS_WEEK, seed, WEEK } from '../../support/overview-scenario';
import { testStatusEvent } from '../../support/fixtures';
import { startTestStorage, type TestStorage } from '../../support/storage';
import type { Overview } from '../../../domain/overview';
import type { LogEvent } from '../../../domain/types';

const program = loadProgram();
const HOUR = 3_600_000;
const friday = new Date(FRIDAY_1300);
const later = (ms: number) => new Date(friday.getTime() + ms);
let storage: TestStorage;
let repos: Repositories;

/** The weeks each per-week read asked for since the last `take()`. */
interface Reads {
  events: string[];
  checkIns: string[];
  take(): { events: string[]; checkIns: string[] };
}

/** The repositories with their per-week reads counted. */
function counted(inner: Repositories): { repos: Repositories; reads: Reads } {
  const reads: Reads = {
    events: [],
    checkIns: [],
    take() {
      const out = { events: [...this.events].sort(), checkIns: [...this.checkIns].sort() };
      this.events.length = 0;
      this.checkIns.length = 0;
      return out;
    },
  };
  const repos: Repositories = {
    ...inner,
    events: {
      ...inner.events,
      listWeek: (q) => {
        reads.events.push(q.week);
        return inner.events.listWeek(q);
      },
    },
    checkIns: {
      ...inner.checkIns,
      listWeek: (programId, week) => {
        reads.checkIns.push(week);
        return inner.checkIns.listWeek(programId, week);
      },
    },
  };
  return { repos, reads };
}

const withoutTime = (o: Overview) => ({ ...o, generatedAt: '' });

beforeAll(async () => {
  storage = await startTestStorage();
});
afterAll(async () => {
  await storage.stop();
});
beforeEach(async () => {
  repos = (await storage.fresh()).repositories;
  await seed(repos);
});

describe('the overview service', () => {
  it('reads every week the first time, and only the current week again later in the week', async () => {
    const { repos: watched, reads } = counted(repos);
    const service = new OverviewService({ program, repos: watched });

    const first = await service.get(friday);
    const firstReads = reads.take();
    expect(firstReads.events).toEqual([...first.weeks].sort());
    expect(firstReads.checkIns).toEqual([...first.weeks].sort());
    // The 51 closed weeks are kept, the current one is not.
    expect(service.cached).toEqual({ events: 51, checkIns: 51 });

    // An answer given since is in the current week, which is read again.
    await repos.events.append(
      testStatusEvent('ev-late-ind-02', later(HOUR).toISOString(), {
        actionId: 'IND-02',
        teamKey: 'industrimark',
        status: 'at_risk',
        comment: 'Bättre nu',
        checkInWeek: WEEK,
      } as Partial<LogEvent>),
    );
    const second = await service.get(later(2 * HOUR));
    expect(reads.take()).toEqual({ events: [WEEK], checkIns: [WEEK] });
    const ind02 = second.teams.flatMap((x) => x.actions).find((a) => a.id === 'IND-02')!;
    expect(ind02.history.at(-1)).toMatchObject({ week: WEEK, comment: 'Bättre nu' });

    // What the service shows is what a read of everything shows.
    expect(withoutTime(second)).toEqual(withoutTime(await buildOverview({ program, repos }, { now: later(2 * HOUR) })));
    expect(withoutTime(first)).not.toEqual(withoutTime(second));
  });

  it('reads the week that just ended once it has settled, and the new current week', async () => {
    const { repos: watched, reads } = counted(repos);
    const service = new OverviewService({ program, repos: watched });
    await service.get(friday);
    reads.take();

    // Monday 30 November 00:05 in Stockholm (23:05 UTC on Sunday): week 48 ended five minutes ago.
    const monday0005 = new Date('2026-11-29T23:05:00.000Z');
    const justAfter = await service.get(monday0005);
    expect(justAfter.currentWeek).toBe('2026-W49');
    expect(reads.take()).toEqual({ events: [WEEK, '2026-W49'], checkIns: [WEEK, '2026-W49'] });
    // Still read: an answer given in its last second may still be on its way.
    await service.get(new Date(monday0005.getTime() + 60_000));
    expect(reads.take()).toEqual({ events: [WEEK, '2026-W49'], checkIns: [WEEK, '2026-W49'] });

    // A quarter of an hour on, week 48 is read one last time and kept.
    await service.get(new Date(monday0005.getTime() + 15 * 60_000));
    expect(reads.take()).toEqual({ events: [WEEK, '2026-W49'], checkIns: [WEEK, '2026-W49'] });
    await service.get(new Date(monday0005.getTime() + 16 * 60_000));
    expect(reads.take()).toEqual({ events: ['2026-W49'], checkIns: ['2026-W49'] });
    // Week 49 of 2025 left the 52 weeks; the cache may still hold it, but it is not read.
  });

  it("reads an old week's check-ins again when its card was answered after they were read", async () => {
    const { repos: watched, reads } = counted(repos);
    const service = new OverviewService({ program, repos: watched });
    const first = await service.get(friday);
    reads.take();
    const bostader47 = (o: Overview) =>
      o.engagement.find((w) => w.week === PREVIOUS_WEEK)!.teams.find((c) => c.teamKey === 'bostader')!;
    expect(bostader47(first)).toMatchObject({ asked: 4, answered: 1 });

    // Week 47's card answered on Friday of week 48: logged in week 48, then the row marked.
    await repos.events.append(
      testStatusEvent('ev-late-bos-02', later(HOUR).toISOString(), {
        actionId: 'BOS-02',
        status: 'at_risk',
        checkInWeek: PREVIOUS_WEEK,
      } as Partial<LogEvent>),
    );
    const row = (await repos.checkIns.get(program.id, PREVIOUS_WEEK, 'bostader'))!;
    await repos.checkIns.update({ ...row, answeredActionIds: [...row.answeredActionIds, 'BOS-02'] });

    const second = await service.get(later(2 * HOUR));
    expect(reads.take()).toEqual({ events: [WEEK], checkIns: [PREVIOUS_WEEK, WEEK] });
    expect(bostader47(second)).toMatchObject({ asked: 4, answered: 2, rate: 50 });

    // Read after the answer: kept again.
    await service.get(later(3 * HOUR));
    expect(reads.take()).toEqual({ events: [WEEK], checkIns: [WEEK] });
  });

  it('keeps at most the weeks it was given room for, and shows the same as an uncached read', async () => {
    const { repos: watched, reads } = counted(repos);
    const service = new OverviewService({ program, repos: watched }, { cacheWeeks: 10 });
    await service.get(friday);
    expect(service.cached).toEqual({ events: 10, checkIns: 10 });
    reads.take();
    const second = await service.get(later(HOUR));
    expect(service.cached).toEqual({ events: 10, checkIns: 10 });
    // More than the current week was read again (the cache holds 10 of 51 closed weeks).
    expect(reads.take().events.length).toBeGreaterThan(1);
    expect(withoutTime(second)).toEqual(withoutTime(await buildOverview({ program, repos }, { now: later(HOUR) })));

    const none = new OverviewService({ program, repos: watched }, { cacheWeeks: 0 });
    await none.get(friday);
    await none.get(later(HOUR));
    expect(none.cached).toEqual({ events: 0, checkIns: 0 });
    expect(reads.take().events).toHaveLength(104);
    expect(() => new OverviewService({ program, repos }, { cacheWeeks: -1 })).toThrow(RangeError);
  });

  it('covers the weeks it was given', async () => {
    const { repos: watched, reads } = counted(repos);
    const service = new OverviewService({ program, repos: watched }, { weeks: 4 });
    const o = await service.get(friday);
    expect(o.weeks).toEqual(['2026-W45', '2026-W46', PREVIOUS_WEEK, WEEK]);
    expect(reads.take().events).toEqual(['2026-W45', '2026-W46', PREVIOUS_WEEK, WEEK]);
    expect(service.cached).toEqual({ events: 3, checkIns: 3 });
  });

  it('shares a closed week between views at the same moment, and keeps no failed read', async () => {
    const { repos: watched, reads } = counted(repos);
    const service = new OverviewService({ program, repos: watched }, { weeks: 4 });
    await Promise.all([service.get(friday), service.get(friday)]);
    // The three closed weeks once; the current week by each view.
    expect(reads.take().events).toEqual(['2026-W45', '2026-W46', PREVIOUS_WEEK, WEEK, WEEK]);

    let fail = true;
    const flaky: Repositories = {
      ...repos,
      events: {
        ...repos.events,
        listWeek: async (q) => {
          if (fail && q.week === PREVIOUS_WEEK) throw new Error('store away');
          return repos.events.listWeek(q);
        },
      },
    };
    const failing = new OverviewService({ program, repos: flaky }, { weeks: 4 });
    await expect(failing.get(friday)).rejects.toThrow('store away');
    fail = false;
    const o = await failing.get(friday);
    expect(
      o.teams
        .flatMap((x) => x.actions)
        .find((a) => a.id === 'BOS-01')!
        .history.map((h) => h.week),
    ).toEqual([PREVIOUS_WEEK, WEEK]);
  });
});

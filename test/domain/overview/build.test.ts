/**
 * The program overview read from Azurite: the teams with their actions, counts, overdue and at
 * risk; each action's answers week by week; the indicators; the decisions of the years the weeks
 * touch; the check-in figures of every week, against the digest's; and that it only reads.
 */
import { computeDigest } from '../../../domain/digest';
import { buildOverview, MAX_WEEKS, PARALLEL_READS, type Overview, type OverviewTeam } from '../../../domain/overview';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import {
  FIRST_WEEK,
  FRIDAY_1300,
  HOSTILE,
  PREVIOUS_WEEK,
  PROGRAM_ID,
  seed,
  WEEK,
} from '../../support/overview-scenario';
import { startTestStorage, type TestStorage } from '../../support/storage';

const program = loadProgram();
const now = new Date(FRIDAY_1300);
let storage: TestStorage;
let repos: Repositories;

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

const team = (o: Overview, key: string): OverviewTeam => {
  const found = o.teams.find((x) => x.key === key);
  if (!found) throw new Error(`no team ${key}`);
  return found;
};
const counts = (over: Partial<OverviewTeam['counts']>): OverviewTeam['counts'] => ({
  not_started: 0,
  on_track: 0,
  at_risk: 0,
  off_track: 0,
  done: 0,
  paused: 0,
  ...over,
});

describe('the program overview', () => {
  it('covers the 52 weeks ending with the current one', async () => {
    const o = await buildOverview({ program, repos }, { now });
    expect(o).toMatchObject({
      programId: PROGRAM_ID,
      programName: 'Kraftsamling Härnösand',
      generatedAt: FRIDAY_1300,
      currentWeek: WEEK,
    });
    expect(o.weeks).toHaveLength(52);
    expect(o.weeks[0]).toBe(FIRST_WEEK);
    expect(o.weeks.at(-1)).toBe(WEEK);
    // Consecutive: 2025 has 52 ISO weeks, so week 1 of 2026 follows week 52.
    expect(o.weeks.slice(2, 5)).toEqual(['2025-W51', '2025-W52', '2026-W01']);
    expect(o.engagement.map((w) => w.week)).toEqual(o.weeks);

    const short = await buildOverview({ program, repos }, { now, weeks: 2 });
    expect(short.weeks).toEqual([PREVIOUS_WEEK, WEEK]);
    for (const bad of [0, -1, 1.5, MAX_WEEKS + 1])
      await expect(buildOverview({ program, repos }, { now, weeks: bad })).rejects.toThrow(RangeError);
  });

  it('lists the program teams (the file’s, then those made at import) with their actions, counts, overdue and at risk', async () => {
    const o = await buildOverview({ program, repos }, { now });
    expect(o.teams.map((x) => x.key)).toEqual([...program.teams.map((x) => x.key), 'turism']);
    expect(team(o, 'turism').name).toBe('Turism');

    // Today is 2026-11-27. BOS-02 is past its due date; BOS-03 is past its date but done.
    const bostader = team(o, 'bostader');
    expect(bostader).toMatchObject({
      name: 'Bostäder',
      counts: counts({ not_started: 1, on_track: 1, at_risk: 1, done: 1 }),
      total: 4,
      overdue: 1,
      atRisk: 1,
    });
    // Retired BOS-09 is left out; the list is by due date.
    expect(bostader.actions.map((a) => [a.id, a.overdue, a.atRisk])).toEqual([
      ['BOS-02', true, true],
      ['BOS-03', false, false],
      ['BOS-04', false, false],
      ['BOS-01', false, false],
    ]);
    expect(o.teams.flatMap((x) => x.actions).some((a) => a.id === 'BOS-09')).toBe(false);

    expect(team(o, 'industrimark')).toMatchObject({
      counts: counts({ on_track: 1, off_track: 1 }),
      total: 2,
      overdue: 0,
      atRisk: 1,
    });
    expect(team(o, 'trygghet')).toMatchObject({ total: 1, overdue: 0, atRisk: 1 });
    expect(team(o, 'finansiering')).toMatchObject({ counts: counts({}), total: 0, overdue: 0, atRisk: 0, actions: [] });

    // The ongoing action has a date long gone and is never overdue; done is not overdue either.
    const turism = team(o, 'turism');
    expect(turism).toMatchObject({ counts: counts({ on_track: 1, done: 1, not_started: 1 }), overdue: 1, atRisk: 0 });
    expect(turism.actions.map((a) => [a.id, a.overdue])).toEqual([
      ['TUR-01', false],
      ['TUR-02', false],
      ['TUR-03', true],
    ]);
    expect(turism.actions[0]).toEqual({
      id: 'TUR-01',
      teamKey: 'turism',
      title: 'Besöksnäringens råd',
      owner: 'Anna Ström',
      responsibleBody: 'KS',
      goal: 'Fler besökare',
      status: 'on_track',
      progress: 20,
      due: '2026-01-01',
      timeline: 'Löpande',
      ongoing: true,
      overdue: false,
      atRisk: false,
      history: [],
    });
  });

  it("gives each action the last answer of each week it was answered in, skipping the others, and only the overview's weeks", async () => {
    const o = await buildOverview({ program, repos }, { now });
    const byId = new Map(o.teams.flatMap((x) => x.actions).map((a) => [a.id, a]));

    // Week 23, week 47, and of week 48's two answers the Wednesday one.
    const bos01 = byId.get('BOS-01')!;
    expect(bos01.history).toEqual([
      {
        week: '2026-W23',
        status: 'on_track',
        progress: 5,
        comment: 'Gammal',
        blockers: '',
        by: 'Anna Ström',
        at: '2026-06-01T09:00:00.000Z',
      },
      {
        week: PREVIOUS_WEEK,
        status: 'at_risk',
        progress: 40,
        comment: 'Bygglovet dröjer',
        blockers: '',
        by: 'Anna Ström',
        at: '2026-11-16T09:10:00.000Z',
      },
      {
        week: WEEK,
        status: 'on_track',
        progress: 60,
        comment: 'Bygglovet beviljat',
        blockers: '',
        by: 'Anna Ström',
        at: '2026-11-25T13:00:00.000Z',
      },
    ]);
    expect(bos01.lastComment).toBe('Bygglovet beviljat');

    // Tuesday's answer of week 11, then week 12's; the answer from before the 52 weeks is not read.
    const tur03 = byId.get('TUR-03')!;
    expect(tur03.history.map((h) => [h.week, h.status, h.progress, h.comment, h.blockers])).toEqual([
      ['2026-W11', 'at_risk', 15, 'Upphandlingen överklagad', 'Överklagande'],
      ['2026-W12', 'not_started', 0, '  ', ''],
    ]);
    // The latest answer said nothing: no last comment (an earlier one's is not shown as the latest).
    expect(tur03.lastComment).toBeUndefined();
    expect(tur03.lastUpdateAt).toBe('2026-03-17T09:00:00.000Z');
    expect(tur03.planNumber).toBe('3.1');

    // User text comes back as it was written: it is escaped where it is shown.
    expect(byId.get('TRY-01')!.history).toEqual([expect.objectContaining({ week: WEEK, comment: HOSTILE })]);
    expect(byId.get('TRY-01')!.lastComment).toBe(HOSTILE.trim());
    expect(byId.get('UTB-01')!.history).toEqual([]);

    // Two weeks back: week 23's answer is outside.
    const short = await buildOverview({ program, repos }, { now, weeks: 2 });
    const bos01Short = short.teams.flatMap((x) => x.actions).find((a) => a.id === 'BOS-01')!;
    expect(bos01Short.history.map((h) => h.week)).toEqual([PREVIOUS_WEEK, WEEK]);
  });

  it('gives every indicator its values by period, the latest and the progress from baseline to target', async () => {
    const o = await buildOverview({ program, repos }, { now });
    expect(o.indicators).toEqual([
      {
        id: 'ARB',
        name: 'Arbetslöshet',
        unit: '%',
        baseline: 8,
        target: 6,
        targetYear: 2030,
        values: [
          { period: '2025', value: 7.5 },
          { period: '2026', value: 7.8 },
        ],
        latest: { period: '2026', value: 7.8 },
        // From 8 toward 6, at 7.8: a tenth of the way.
        progress: 10,
      },
      {
        id: 'INV',
        name: 'Invånare',
        unit: 'st',
        baseline: 25000,
        target: 30000,
        targetYear: 2030,
        values: [
          { period: '2024', value: 24950 },
          { period: '2025', value: 25120 },
        ],
        latest: { period: '2025', value: 25120 },
        progress: 2,
      },
      {
        id: 'NYF',
        name: 'Nya företag',
        unit: 'st',
        values: [
          { period: '2025', value: 120 },
          { period: '2026', value: 90 },
        ],
        latest: { period: '2026', value: 90 },
        progress: null,
      },
      {
        id: 'SYSS',
        name: 'Sysselsättningsgrad 20–64 år',
        unit: '%',
        baseline: 78.5,
        target: 82,
        targetYear: 2030,
        values: [
          { period: '2024', value: 79.1 },
          { period: '2025-K1', value: 79.4 },
        ],
        latest: { period: '2025-K1', value: 79.4 },
        progress: 26,
      },
    ]);
  });

  it('lists every decision of the years the weeks touch, newest first, the amended and superseded ones marked', async () => {
    const o = await buildOverview({ program, repos }, { now });
    // 2025-W49 … 2026-W48 touch 2025 and 2026; the 2024 decision is left out.
    expect(o.decisions.map((d) => [d.number, d.state, d.amended])).toEqual([
      ['D-2026-004', 'active', false],
      ['D-2026-003', 'active', false],
      ['D-2026-002', 'active', false],
      ['D-2026-001', 'active', false],
      ['D-2025-002', 'superseded', false],
      ['D-2025-001', 'amended', true],
    ]);
    const byNumber = new Map(o.decisions.map((d) => [d.number, d]));
    expect(byNumber.get('D-2026-004')).toMatchObject({ supersedes: 'D-2025-002', year: 2026, title: 'Nytt beslut' });
    expect(byNumber.get('D-2025-002')).toMatchObject({ supersededBy: 'D-2026-004' });
    expect(byNumber.get('D-2025-002')).not.toHaveProperty('supersedes');
    expect(byNumber.get('D-2025-001')).toEqual({
      number: 'D-2025-001',
      year: 2025,
      title: 'Ändrat beslut',
      text: 'Beslut: Ändrat beslut.',
      rationale: 'Skäl',
      meeting: { name: 'KLG', date: '2025-06-10' },
      affectedTeams: ['bostader'],
      affectedActions: [],
      state: 'amended',
      amended: true,
      loggedBy: 'Anna Styrgren',
      loggedAt: '2025-06-10T12:00:00.000Z',
      followUp: { owner: 'Bo Berg', due: '2025-12-01', done: true },
    });
    expect(byNumber.get('D-2026-002')!.followUp).toEqual({ owner: 'Eva Ek', due: '2026-12-15', done: false });

    // Two weeks in 2026 touch only 2026.
    const short = await buildOverview({ program, repos }, { now, weeks: 2 });
    expect(short.decisions.map((d) => d.number)).toEqual(['D-2026-004', 'D-2026-003', 'D-2026-002', 'D-2026-001']);
  });

  it("gives each team's check-in figures of every week from that week's rows, as the digest of that week counts them", async () => {
    const o = await buildOverview({ program, repos }, { now });
    const week = (w: string) => o.engagement.find((x) => x.week === w)!;
    const cell = (w: string, key: string) => week(w).teams.find((c) => c.teamKey === key)!;

    // Every week has a cell for every team, in the teams' order.
    for (const w of o.engagement) expect(w.teams.map((c) => c.teamKey)).toEqual(o.teams.map((x) => x.key));

    // Week 48: bostader was asked about its three open actions and BOS-03 (answered done that
    // week) and answered three; industrimark 1 of 2; trygghet 1 of 1; the others had no check-in.
    expect(cell(WEEK, 'bostader')).toEqual({ teamKey: 'bostader', asked: 4, answered: 3, rate: 75 });
    expect(cell(WEEK, 'industrimark')).toEqual({ teamKey: 'industrimark', asked: 2, answered: 1, rate: 50 });
    expect(cell(WEEK, 'trygghet')).toEqual({ teamKey: 'trygghet', asked: 1, answered: 1, rate: 100 });
    expect(cell(WEEK, 'turism')).toEqual({ teamKey: 'turism', asked: 0, answered: 0, rate: null });
    expect(week(WEEK)).toMatchObject({ asked: 7, answered: 5, rate: 71 });

    // Week 47 in the plan as it stood then: BOS-03 was not done yet, so four were asked.
    expect(cell(PREVIOUS_WEEK, 'bostader')).toEqual({ teamKey: 'bostader', asked: 4, answered: 1, rate: 25 });
    expect(week(PREVIOUS_WEEK)).toMatchObject({ asked: 4, answered: 1, rate: 25 });

    // A week without check-ins.
    expect(week('2026-W30')).toMatchObject({ asked: 0, answered: 0, rate: null });
    expect(week('2026-W30').teams.every((c) => c.rate === null && c.asked === 0)).toBe(true);

    // The digest of each week says the same.
    for (const w of [WEEK, PREVIOUS_WEEK]) {
      const d = await computeDigest(repos, program, w, now);
      for (const t of d.teams) {
        const c = cell(w, t.key);
        expect([t.key, c.asked, c.answered, c.rate]).toEqual([
          t.key,
          t.checkIn.asked,
          t.checkIn.answered,
          t.checkIn.rate,
        ]);
      }
      expect([week(w).asked, week(w).answered, week(w).rate]).toEqual([
        d.overview.answers.asked,
        d.overview.answers.answered,
        d.overview.answers.rate,
      ]);
    }
  });

  it('only reads, each week partition once, at most a few at a time', async () => {
    const calls: string[] = [];
    let inFlight = 0;
    let most = 0;
    const watched = new Proxy(repos, {
      get(target, name: string) {
        const repo = target[name as keyof Repositories];
        if (typeof repo !== 'object' || repo === null) return repo;
        return new Proxy(repo, {
          get(r, method: string) {
            const fn = (r as unknown as Record<string, unknown>)[method];
            if (typeof fn !== 'function') return fn;
            return async (...args: unknown[]) => {
              calls.push(`${name}.${method}`);
              const weekly = method === 'listWeek';
              if (weekly) most = Math.max(most, ++inFlight);
              try {
                // A slow store, so the reads overlap when they are allowed to.
                if (weekly) await new Promise((resolve) => setTimeout(resolve, 5));
                return await (fn as (...a: unknown[]) => Promise<unknown>).apply(r, args);
              } finally {
                if (weekly) inFlight--;
              }
            };
          },
        });
      },
    });
    const o = await buildOverview({ program, repos: watched }, { now });
    expect(o.teams).toHaveLength(10);
    expect(new Set(calls)).toEqual(
      new Set([
        'actions.list',
        'programTeams.list',
        'indicators.list',
        'decisions.listYear',
        'events.listWeek',
        'checkIns.listWeek',
      ]),
    );
    expect(calls.filter((c) => c === 'events.listWeek')).toHaveLength(52);
    expect(calls.filter((c) => c === 'checkIns.listWeek')).toHaveLength(52);
    expect(calls.filter((c) => c === 'decisions.listYear')).toHaveLength(2);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(PARALLEL_READS);
  });
});

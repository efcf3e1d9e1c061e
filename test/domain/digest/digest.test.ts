/**
 * The digest's figures from a scripted week written to Azurite through the repositories, and the
 * partitions it reads.
 */
import {
  buildDigest,
  computeDigest,
  decisionYears,
  deterministicSummary,
  type Digest,
  type DigestSources,
} from '../../../domain/digest';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import { startTestStorage, type TestStorage } from '../../support/storage';
import { EXPECTED, FRIDAY_1300, HOSTILE, PREVIOUS_WEEK, seed, WEEK } from '../../support/digest-scenario';

const program = loadProgram();
let storage: TestStorage;
let repos: Repositories;
let digest: Digest;

beforeAll(async () => {
  storage = await startTestStorage();
  repos = (await storage.fresh()).repositories;
  await seed(repos);
  digest = await buildDigest(repos, program, { week: WEEK, now: new Date(FRIDAY_1300), locale: 'sv-SE' });
});

afterAll(async () => {
  await storage?.stop();
});

const team = (key: string) => digest.teams.find((t) => t.key === key)!;

describe('the digest of a scripted week', () => {
  it('names the week and its dates', () => {
    expect(digest).toMatchObject({
      schema: 'kraftsamla.digest/1',
      programId: 'harnosand',
      week: WEEK,
      weekStart: '2026-11-23',
      weekEnd: '2026-11-29',
      asOf: EXPECTED.asOf,
      generatedAt: FRIDAY_1300,
    });
  });

  it('counts the overview: statuses now, the week before, and the change', () => {
    expect(digest.overview).toEqual(EXPECTED.overview);
  });

  it('lists the teams in program order, quiet ones included', () => {
    expect(digest.teams.map((t) => t.key)).toEqual(program.teams.map((t) => t.key));
    expect(digest.teams.filter((t) => t.nothingNew).map((t) => t.key)).toEqual([
      'utbildningar',
      'platsvarumarke',
      'kompetensforsorjning',
      'affarsstod',
      'infrastruktur',
      'finansiering',
    ]);
    expect(digest.teams.map((t) => [t.key, t.actions])).toEqual([
      ['industrimark', 2],
      ['bostader', 4],
      ['utbildningar', 1],
      ['platsvarumarke', 0],
      ['kompetensforsorjning', 1],
      ['affarsstod', 0],
      ['infrastruktur', 0],
      ['finansiering', 0],
      ['trygghet', 1],
    ]);
  });

  it('gives each updated action once, with the net change and the latest comment', () => {
    expect(team('bostader').updates).toEqual([
      {
        actionId: 'BOS-01',
        title: 'Nya hyresrätter vid Kanaludden',
        from: 'at_risk',
        to: 'on_track',
        changed: true,
        progress: 60,
        comment: 'Bygglovet beviljat',
        nextStep: 'Upphandla entreprenör',
        count: 2,
        by: 'Anna Ström',
        at: '2026-11-25T13:00:00.000Z',
      },
      {
        actionId: 'BOS-02',
        title: 'Markanvisning Saltvik',
        from: 'on_track',
        to: 'at_risk',
        changed: true,
        progress: 30,
        comment: 'Överklagande inkommet',
        nextStep: '',
        count: 1,
        by: 'Bo Berg',
        at: '2026-11-23T09:00:00.000Z',
      },
      {
        actionId: 'BOS-03',
        title: 'Bostadsförsörjningsprogram',
        from: 'on_track',
        to: 'done',
        changed: true,
        progress: 100,
        comment: 'Antaget',
        nextStep: '',
        count: 1,
        by: 'Anna Ström',
        at: '2026-11-24T07:45:00.000Z',
      },
    ]);
    expect(team('industrimark').updates).toEqual([
      expect.objectContaining({
        actionId: 'IND-01',
        from: 'on_track',
        to: 'on_track',
        changed: false,
        progress: 55,
        comment: 'Samråd klart',
        count: 1,
        by: 'Dan Ek',
      }),
    ]);
    expect(team('trygghet').updates).toEqual([
      expect.objectContaining({
        actionId: 'TRY-01',
        from: 'not_started',
        to: 'at_risk',
        changed: true,
        comment: HOSTILE,
      }),
    ]);
    expect(team('kompetensforsorjning').updates).toEqual([]);
  });

  it('collects highlights for comms and blockers', () => {
    expect(team('bostader').highlights).toEqual([
      {
        actionId: 'BOS-03',
        title: 'Bostadsförsörjningsprogram',
        text: 'Bostadsförsörjningsprogrammet antogs av fullmäktige!',
        by: 'Anna Ström',
        at: '2026-11-24T07:45:00.000Z',
      },
    ]);
    expect(team('trygghet').highlights.map((h) => h.text)).toEqual([HOSTILE.trim()]);
    expect(team('bostader').blockers).toEqual([
      {
        actionId: 'BOS-02',
        title: 'Markanvisning Saltvik',
        text: 'Detaljplanen är överklagad',
        by: 'Bo Berg',
        at: '2026-11-23T09:00:00.000Z',
      },
    ]);
    expect(digest.teams.flatMap((t) => t.blockers)).toHaveLength(1);
  });

  it('finds overdue actions and deadlines in the next 14 days (done ones excluded)', () => {
    expect(team('bostader').overdue).toEqual([
      {
        actionId: 'BOS-02',
        title: 'Markanvisning Saltvik',
        owner: 'Bo Berg',
        due: '2026-11-20',
        timeline: null,
        status: 'at_risk',
        daysLate: 7,
      },
    ]);
    expect(team('bostader').upcoming).toEqual([
      {
        actionId: 'BOS-04',
        title: 'Studentbostäder',
        owner: 'Cecilia Dahl',
        due: '2026-12-05',
        timeline: null,
        status: 'not_started',
      },
    ]);
    expect(team('industrimark').upcoming.map((d) => d.actionId)).toEqual(['IND-02']);
    expect(team('trygghet').upcoming.map((d) => [d.actionId, d.due])).toEqual([['TRY-01', '2026-12-01']]);
    expect(digest.teams.flatMap((t) => t.overdue.map((d) => d.actionId))).toEqual(['BOS-02']);
  });

  it('takes the decisions of the week by meeting or logging date, with numbers and follow-ups', () => {
    expect(digest.decisions).toEqual([
      {
        number: 'D-2026-002',
        title: 'Prioritera Saltvik',
        text: 'Beslut: Prioritera Saltvik.',
        meeting: { name: 'KLG', date: '2026-11-24' },
        loggedAt: '2026-11-24T13:30:00.000Z',
        loggedBy: 'Anna Styrgren',
        state: 'active',
        affectedTeams: [{ key: 'bostader', name: 'Bostäder' }],
        affectedActions: ['BOS-02'],
        retiredActions: [],
        followUp: { owner: 'Eva Ek', due: '2026-12-15', done: false },
        supersedes: null,
      },
      expect.objectContaining({
        number: 'D-2026-003',
        meeting: { name: 'KLG', date: '2026-11-20' },
        followUp: null,
        affectedTeams: [{ key: 'trygghet', name: 'Trygghet' }],
      }),
    ]);
    expect(team('bostader').decisions).toEqual(['D-2026-002']);
    expect(team('trygghet').decisions).toEqual(['D-2026-003']);
    expect(team('industrimark').decisions).toEqual([]);
  });

  it('computes the check-in answer rate per team, and says which teams had none', () => {
    expect(digest.teams.map((t) => [t.key, t.checkIn])).toEqual([
      ['industrimark', { posted: true, asked: 2, answered: 1, rate: 50, previousRate: null }],
      ['bostader', { posted: true, asked: 4, answered: 3, rate: 75, previousRate: 33 }],
      ['utbildningar', { posted: false, asked: 0, answered: 0, rate: null, previousRate: null }],
      ['platsvarumarke', { posted: false, asked: 0, answered: 0, rate: null, previousRate: null }],
      ['kompetensforsorjning', { posted: false, asked: 0, answered: 0, rate: null, previousRate: null }],
      ['affarsstod', { posted: false, asked: 0, answered: 0, rate: null, previousRate: null }],
      ['infrastruktur', { posted: false, asked: 0, answered: 0, rate: null, previousRate: null }],
      ['finansiering', { posted: false, asked: 0, answered: 0, rate: null, previousRate: null }],
      ['trygghet', { posted: true, asked: 1, answered: 1, rate: 100, previousRate: null }],
    ]);
  });

  it('shows indicators against baseline and target, with the trend and every value in period order', () => {
    expect(digest.indicators).toEqual([
      {
        id: 'ARB',
        name: 'Arbetslöshet',
        unit: '%',
        baseline: 8,
        target: 6,
        targetYear: 2030,
        latest: { period: '2026', value: 7.8 },
        previous: { period: '2025', value: 7.5 },
        progressPercent: 10,
        trend: 'up',
        towardTarget: false,
        targetStatus: 'off_track',
        values: [
          { period: '2025', value: 7.5 },
          { period: '2026', value: 7.8 },
        ],
      },
      {
        id: 'INV',
        name: 'Invånare',
        unit: 'st',
        baseline: 25000,
        target: 30000,
        targetYear: 2030,
        latest: { period: '2025', value: 25120 },
        previous: { period: '2024', value: 24950 },
        progressPercent: 2,
        trend: 'up',
        towardTarget: true,
        targetStatus: 'on_track',
        values: [
          { period: '2024', value: 24950 },
          { period: '2025', value: 25120 },
        ],
      },
      {
        id: 'SYSS',
        name: 'Sysselsättningsgrad 20–64 år',
        unit: '%',
        baseline: 78.5,
        target: 82,
        targetYear: 2030,
        latest: { period: '2025-K1', value: 79.4 },
        previous: { period: '2024', value: 79.1 },
        progressPercent: 26,
        trend: 'up',
        towardTarget: true,
        targetStatus: 'on_track',
        values: [
          { period: '2024', value: 79.1 },
          { period: '2025-K1', value: 79.4 },
        ],
      },
    ]);
  });

  it('writes "Veckan i korthet" from the figures, in Swedish and English', () => {
    expect(digest.summary).toEqual({
      source: 'rules',
      text:
        'Vecka 48 rapporterade 3 av 9 team 6 uppdateringar (2 veckan innan). 4 åtgärder bytte status: 1 till enligt plan, 2 till risk, 1 till klar. ' +
        'Styrgruppen fattade 2 beslut (D-2026-002, D-2026-003). 2 saker är markerade att lyfta för kommunikation. Ett hinder rapporterades. ' +
        'Försenade åtgärder: 1; slutdatum inom 14 dagar: 3. Svarsfrekvensen i incheckningarna var 71 % (5 av 7).',
    });
    expect(deterministicSummary(digest, 'en-US')).toBe(
      'In week 48, 3 of 9 teams reported 6 updates (2 the week before). 4 actions changed status: 1 to on track, 2 to at risk, 1 to done. ' +
        'The steering group took 2 decisions (D-2026-002, D-2026-003). 2 items are marked as highlights for comms. One blocker was reported. ' +
        'Overdue actions: 1; due within 14 days: 3. The check-in answer rate was 71 % (5 of 7).',
    );
  });

  it('the week before has its own figures (and no future leaks in)', async () => {
    const previous = await computeDigest(repos, program, PREVIOUS_WEEK, new Date(FRIDAY_1300));
    expect(previous.asOf).toBe('2026-11-23');
    expect(previous.overview).toMatchObject({
      updates: 2,
      actionsUpdated: 2,
      statusChanges: 1,
      teamsReporting: 2,
      newActions: 0,
    });
    // Taken at the meeting of 20 November (week 47), logged on the 23rd: in both weeks.
    expect(previous.decisions.map((d) => d.number)).toEqual(['D-2026-003']);
    expect(previous.teams.find((t) => t.key === 'bostader')!.updates.map((u) => [u.actionId, u.from, u.to])).toEqual([
      ['BOS-01', 'on_track', 'at_risk'],
    ]);
    // BOS-02 (due 20 Nov) was overdue by the end of week 47; BOS-03 (due 25 Nov) is done.
    expect(previous.teams.flatMap((t) => t.overdue.map((d) => [d.actionId, d.daysLate]))).toEqual([['BOS-02', 3]]);
  });
});

describe('cost: what the digest reads', () => {
  let fresh: Repositories;
  beforeAll(async () => {
    fresh = (await storage.fresh()).repositories;
    await seed(fresh);
  });

  /** The sources, noting the log weeks and the decision ranges read. */
  const spying = (r: Repositories) => {
    const weeks: string[] = [];
    const ranges: unknown[] = [];
    const sources: DigestSources = {
      actions: r.actions,
      checkIns: r.checkIns,
      indicators: r.indicators,
      events: {
        listWeek: (q) => (weeks.push(q.week), r.events.listWeek(q)),
        weekSummary: (p, w) => r.events.weekSummary(p, w),
        keepWeekSummary: (p, w, s) => r.events.keepWeekSummary(p, w, s),
      },
      decisions: {
        listDuring: (p, y, range) => (ranges.push({ year: y, ...range }), r.decisions.listDuring(p, y, range)),
      },
    };
    return { sources, weeks, ranges };
  };

  it('reads the week’s log and the week before’s, then that closed week’s kept summary instead', async () => {
    const first = spying(fresh);
    const d1 = await computeDigest(first.sources, program, WEEK, new Date(FRIDAY_1300));
    expect(first.weeks.sort()).toEqual([PREVIOUS_WEEK, WEEK]);
    // Only the decisions taken or logged in the week, from the week's year.
    expect(first.ranges).toEqual([{ year: 2026, from: '2026-11-23', to: '2026-11-29', timeZone: program.timezone }]);
    expect(await fresh.events.weekSummary(program.id, PREVIOUS_WEEK)).toBeDefined();

    const second = spying(fresh);
    const d2 = await computeDigest(second.sources, program, WEEK, new Date(FRIDAY_1300));
    expect(second.weeks).toEqual([WEEK]);
    // The same digest from the summary as from the log: the week before's figures and start statuses.
    expect(d2).toEqual(d1);
    expect(d2.overview.previousWeek).toEqual(EXPECTED.overview.previousWeek);
    // The June event is in the store but not in the digest.
    expect(JSON.stringify(d1)).not.toContain('Gammal');
    expect(decisionYears('2026-W53')).toEqual([2026, 2027]);
    expect(decisionYears('2027-W01')).toEqual([2027]);
  });

  it('keeps no summary of a week until ten minutes after it ended', async () => {
    const r = (await storage.fresh()).repositories;
    await seed(r);
    // Week 48 ends on Monday 30 November 00:00 in Stockholm (29 November 23:00 UTC).
    await computeDigest(r, program, '2026-W49', new Date('2026-11-29T23:05:00.000Z'));
    expect(await r.events.weekSummary(program.id, WEEK)).toBeUndefined();
    const next = await computeDigest(r, program, '2026-W49', new Date('2026-11-29T23:15:00.000Z'));
    const { updates, actionsUpdated, statusChanges, teamsReporting } = EXPECTED.overview;
    const week48 = { updates, actionsUpdated, statusChanges, teamsReporting };
    expect(next.overview.previousWeek).toEqual(week48);
    expect((await r.events.weekSummary(program.id, WEEK))?.activity).toEqual(week48);
  });
});

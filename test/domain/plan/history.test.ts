/**
 * Past weeks stay as they were: the digest of a past week is computed from the plan as it stood at
 * the end of that week, rebuilt from today's plan and the log of the weeks after it. An import
 * (status, title, timeline, a retired and an added action, each with its log events) changes this
 * week's digest and leaves last week's exactly as it was. On Azurite.
 */
import {
  computeDigest,
  type Digest,
  type DigestSources,
  parseWeekRequest,
  renderMarkdown,
  weekProblem,
} from '../../../domain/digest';
import { planBefore, weeksAfter } from '../../../domain/plan/history';
import { importFile } from '../../../domain/plan/import';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import type { Action, LogEvent } from '../../../domain/types';
import { startTestStorage, type TestStorage } from '../../support/storage';
import { PREVIOUS_WEEK, seed, WEEK } from '../../support/digest-scenario';

const program = loadProgram();
/** Friday of week 49, 13:00 in Stockholm: week 48 is last week. */
const NOW_W49 = new Date('2026-12-04T12:00:00.000Z');
const IMPORT_AT = '2026-12-03T10:00:00.000Z';
let storage: TestStorage;
let repos: Repositories;

beforeAll(async () => {
  storage = await startTestStorage();
});

afterAll(async () => {
  await storage?.stop();
});

beforeEach(async () => {
  repos = (await storage.fresh()).repositories;
  await seed(repos);
});

let seq = 0;
const base = { programId: program.id, at: IMPORT_AT, by: 'import', source: 'import' as const };

/** What the plan import writes for a revised plan: the actions, and one log event per change (with the values replaced). */
async function importRevision(): Promise<void> {
  const stored = new Map((await repos.actions.list(program.id)).map((a) => [a.id, a]));
  const bos01 = stored.get('BOS-01')!;
  const ind01 = stored.get('IND-01')!;
  const bos04 = stored.get('BOS-04')!;
  const try01 = stored.get('TRY-01')!;
  const added: Action = {
    programId: program.id,
    id: 'BOS-05',
    teamKey: 'bostader',
    title: 'Trygghetsboende i Älandsbro',
    description: '',
    owner: { name: 'Fia Gran' },
    responsibleBody: 'Socialnämnden',
    timeline: 'Våren 2027',
    due: '2027-05-31',
    financing: '',
    status: 'not_started',
    progress: 0,
    indicatorIds: [],
  };
  await repos.actions.saveAll([
    { ...bos01, status: 'off_track', lastUpdate: { at: IMPORT_AT, by: 'import' } },
    { ...ind01, title: 'Detaljplan Vägland, etapp 2' },
    { ...bos04, retiredAt: IMPORT_AT },
    { ...try01, timeline: 'Hösten 2027', due: '2027-11-30', goal: 'Trygg kommun' },
    added,
  ]);
  const events: LogEvent[] = [
    {
      ...base,
      type: 'action',
      actionId: 'BOS-01',
      teamKey: 'bostader',
      change: 'updated',
      fields: { status: 'off_track' },
      previous: { status: 'on_track' },
      eventId: `imp-${++seq}`,
    },
    {
      ...base,
      type: 'status',
      actionId: 'BOS-01',
      teamKey: 'bostader',
      status: 'off_track',
      previousStatus: 'on_track',
      progress: 60,
      comment: '',
      blockers: '',
      nextStep: '',
      forComms: '',
      eventId: `imp-${++seq}`,
    },
    {
      ...base,
      type: 'action',
      actionId: 'IND-01',
      teamKey: 'industrimark',
      change: 'updated',
      fields: { title: 'Detaljplan Vägland, etapp 2' },
      previous: { title: 'Detaljplan Vägland' },
      eventId: `imp-${++seq}`,
    },
    {
      ...base,
      type: 'action',
      actionId: 'BOS-04',
      teamKey: 'bostader',
      change: 'updated',
      fields: { retiredAt: IMPORT_AT },
      previous: { retiredAt: null },
      eventId: `imp-${++seq}`,
    },
    {
      ...base,
      type: 'action',
      actionId: 'TRY-01',
      teamKey: 'trygghet',
      change: 'updated',
      fields: { timeline: 'Hösten 2027', due: '2027-11-30', goal: 'Trygg kommun' },
      previous: { timeline: null, due: '2026-12-01', goal: null },
      eventId: `imp-${++seq}`,
    },
    {
      ...base,
      type: 'action',
      actionId: 'BOS-05',
      teamKey: 'bostader',
      change: 'created',
      fields: { title: added.title, teamKey: 'bostader', timeline: 'Våren 2027', due: '2027-05-31' },
      eventId: `imp-${++seq}`,
    },
  ];
  await repos.events.appendAll(events);
}

describe('past weeks stay as they were', () => {
  it('last week’s digest is identical after an import that changes, retires and adds actions', async () => {
    const before: Digest = await computeDigest(repos, program, WEEK, NOW_W49);
    await importRevision();
    const after = await computeDigest(repos, program, WEEK, NOW_W49);
    expect(after).toEqual(before);
    expect(renderMarkdown(after, 'sv-SE')).toBe(renderMarkdown(before, 'sv-SE'));
    // What week 48 said, as it stood: nine actions, BOS-04 among them, the old title and due date.
    expect(after.overview.total).toBe(9);
    expect(after.teams.find((t) => t.key === 'bostader')!.upcoming.map((d) => d.actionId)).toEqual(['BOS-04']);
    expect(JSON.stringify(after)).toContain('Detaljplan Vägland"');
    expect(JSON.stringify(after)).not.toContain('etapp 2');
    expect(JSON.stringify(after)).not.toContain('BOS-05');
  });

  it('the week before the past week too (two weeks back)', async () => {
    const before = await computeDigest(repos, program, PREVIOUS_WEEK, NOW_W49);
    await importRevision();
    expect(await computeDigest(repos, program, PREVIOUS_WEEK, NOW_W49)).toEqual(before);
  });

  it('this week’s digest shows the revised plan: the retired action gone, the new one counted, the new timeline', async () => {
    await importRevision();
    const now = await computeDigest(repos, program, '2026-W49', NOW_W49);
    expect(now.overview.total).toBe(9);
    expect(now.overview.newActions).toBe(1);
    const bostader = now.teams.find((t) => t.key === 'bostader')!;
    expect(bostader.actions).toBe(4);
    expect(JSON.stringify(now)).not.toContain('BOS-04');
    expect(now.teams.find((t) => t.key === 'trygghet')!.upcoming).toEqual([]);
    expect(now.overview.byStatus.off_track).toBe(2);
  });

  it('reads only the weeks from the one before to today, never older history', async () => {
    const weeks: string[] = [];
    const spy: DigestSources = {
      ...repos,
      events: {
        listWeek: (q) => (weeks.push(q.week), repos.events.listWeek(q)),
        weekSummary: (p, w) => repos.events.weekSummary(p, w),
        keepWeekSummary: (p, w, s) => repos.events.keepWeekSummary(p, w, s),
      },
    };
    await computeDigest(spy, program, WEEK, NOW_W49);
    expect(weeks.sort()).toEqual([PREVIOUS_WEEK, WEEK, '2026-W49']);
    expect(weeksAfter('2026-W52', '2027-W02')).toEqual(['2026-W53', '2027-W01', '2027-W02']);
    expect(weeksAfter('2026-W49', '2026-W49')).toEqual([]);
  });
});

describe('rebuilding the plan from the log', () => {
  const a: Action = {
    programId: program.id,
    id: 'BOS-01',
    teamKey: 'bostader',
    title: 'Ny titel',
    description: '',
    owner: { name: 'Ny Ägare', email: 'ny@harnosand.se' },
    responsibleBody: '',
    financing: '',
    status: 'done',
    progress: 100,
    indicatorIds: [],
    retiredAt: '2026-12-03T10:00:00.000Z',
  };
  const ev = (e: Partial<LogEvent> & Pick<LogEvent, 'type'>, at: string): LogEvent =>
    ({ ...base, at, eventId: `x-${++seq}`, ...e }) as LogEvent;

  it('undoes later changes newest first, and leaves the input alone', () => {
    const later = [
      ev(
        {
          type: 'action',
          actionId: 'BOS-01',
          teamKey: 'bostader',
          change: 'updated',
          fields: { title: 'Mellantitel' },
          previous: { title: 'Första titeln' },
        },
        '2026-12-01T08:00:00.000Z',
      ),
      ev(
        {
          type: 'action',
          actionId: 'BOS-01',
          teamKey: 'bostader',
          change: 'updated',
          fields: { title: 'Ny titel', owner: { name: 'Ny Ägare', email: 'ny@harnosand.se' } },
          previous: { title: 'Mellantitel', owner: { name: 'Gammal Ägare', email: null } },
        },
        '2026-12-02T08:00:00.000Z',
      ),
      ev(
        {
          type: 'status',
          actionId: 'BOS-01',
          teamKey: 'bostader',
          status: 'done',
          previousStatus: 'at_risk',
          progress: 100,
          comment: '',
          blockers: '',
          nextStep: '',
          forComms: '',
        },
        '2026-12-02T09:00:00.000Z',
      ),
      // Logged without the values it replaced: retiredAt is still undone (it was not retired before).
      ev(
        {
          type: 'action',
          actionId: 'BOS-01',
          teamKey: 'bostader',
          change: 'updated',
          fields: { retiredAt: '2026-12-03T10:00:00.000Z' },
        },
        '2026-12-03T10:00:00.000Z',
      ),
    ];
    const [past] = planBefore([a], later);
    expect(past).toMatchObject({ title: 'Första titeln', status: 'at_risk', owner: { name: 'Gammal Ägare' } });
    expect(past!.owner).not.toHaveProperty('email');
    expect(past).not.toHaveProperty('retiredAt');
    expect(a.title).toBe('Ny titel');
  });

  it('an action created later did not exist', () => {
    expect(
      planBefore(
        [a],
        [
          ev(
            {
              type: 'action',
              actionId: 'BOS-01',
              teamKey: 'bostader',
              change: 'created',
              fields: { title: 'Ny titel' },
            },
            '2026-12-01T08:00:00.000Z',
          ),
        ],
      ),
    ).toEqual([]);
  });
});

describe('how far back', () => {
  it('refuses a week more than three years back, in the user’s language, before reading anything', async () => {
    const now = new Date('2026-11-27T12:00:00.000Z');
    const request = parseWeekRequest('2023-W47', now, program.timezone);
    expect(request).toEqual({ ok: false, reason: 'tooOld', value: '2023-W47', week: '2023-W47' });
    expect(weekProblem(request as Exclude<typeof request, { ok: true }>, 'sv-SE')).toBe(
      'Sammanfattningar finns för de senaste 3 åren; vecka 47 2023 ligger längre tillbaka.',
    );
    expect(parseWeekRequest('2023-W49', now, program.timezone)).toEqual({ ok: true, week: '2023-W49' });
    const weeks: string[] = [];
    const spy: DigestSources = {
      ...repos,
      events: {
        listWeek: (q) => (weeks.push(q.week), repos.events.listWeek(q)),
        weekSummary: (p, w) => repos.events.weekSummary(p, w),
        keepWeekSummary: (p, w, s) => repos.events.keepWeekSummary(p, w, s),
      },
    };
    await expect(computeDigest(spy, program, '1999-W01', now)).rejects.toThrow(RangeError);
    expect(weeks).toEqual([]);
  });
});

describe('through the real plan import', () => {
  const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(';')).join('\r\n'), 'utf8');
  const HEADER = ['Id', 'Team', 'Insats', 'Ansvarig', 'Status', 'Tidplan'];
  const clockAt = (iso: string) => ({ now: () => new Date(iso) });
  const run = (content: Buffer, at: string, retireMissing = false) =>
    importFile({
      fileName: 'handlingsplan.csv',
      content,
      program,
      repositories: repos,
      clock: clockAt(at),
      retireMissing,
    });

  it('a revision imported this week (renamed, status changed, retired, added) leaves last week’s digest as it was', async () => {
    const fresh = (await storage.fresh()).repositories;
    repos = fresh;
    const v1 = csv([
      HEADER,
      ['BOS-11', 'bostader', 'Fler hyresrätter', 'Anna Ström', 'Pågår', '2026-12-05'],
      ['BOS-12', 'bostader', 'Tomter i Saltvik', 'Bo Ek', 'Ej påbörjad', 'Löpande'],
    ]);
    expect((await run(v1, '2026-11-16T09:00:00Z')).errors).toEqual([]);
    const lastWeek = await computeDigest(repos, program, WEEK, NOW_W49);
    // Due within a week of week 48: listed under its title then; the revision renames it and moves it to 2028.
    expect(lastWeek.teams.find((t) => t.key === 'bostader')!.upcoming.map((d) => d.actionId)).toEqual(['BOS-11']);
    expect(JSON.stringify(lastWeek)).toContain('Fler hyresrätter');
    const v2 = csv([
      HEADER,
      ['BOS-11', 'bostader', 'Fler hyresrätter i centrum', 'Anna Ström', 'Försenad', 'Våren 2028'],
      ['BOS-13', 'bostader', 'Studentbostäder', 'Cia Lo', 'Ej påbörjad', '2027'],
    ]);
    const revised = await run(v2, IMPORT_AT, true);
    expect(revised.errors).toEqual([]);
    expect((await repos.actions.get(program.id, 'BOS-12'))?.retiredAt).toBeTruthy();
    const again = await computeDigest(repos, program, WEEK, NOW_W49);
    expect(again).toEqual(lastWeek);
    expect(JSON.stringify(again)).not.toContain('i centrum');
    expect(JSON.stringify(again)).not.toContain('BOS-13');
    const now = JSON.stringify(await computeDigest(repos, program, '2026-W49', NOW_W49));
    expect(now).toContain('i centrum');
    expect(now).not.toContain('BOS-12');
  });
});

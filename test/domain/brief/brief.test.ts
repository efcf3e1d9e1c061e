/**
 * The brief before the steering meeting, read from Azurite: which actions, follow-ups, indicators
 * and teams it names (and which not), the latest comment of each action, the check-in it looks
 * at, and its schedule's weeks.
 */
import { briefPeriod, briefWeekHolds, buildBrief } from '../../../domain/brief';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import type { Program } from '../../../domain/types';
import { CARD_ID, HOSTILE_COMMENT, MONDAY_0730, PERIOD, seed } from '../../support/brief-scenario';
import { startTestStorage, type TestStorage } from '../../support/storage';

const program = loadProgram();
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
});

describe('the brief', () => {
  it('names the actions at risk, off track or overdue with owner and latest comment, the follow-ups due, the indicators off target and the silent teams', async () => {
    await seed(repos);
    const brief = await buildBrief(repos, program, new Date(MONDAY_0730));
    expect(brief).toMatchObject({
      programId: 'harnosand',
      programName: 'Kraftsamling Härnösand',
      date: '2026-11-23',
      period: PERIOD,
      allClear: false,
    });

    // Off track first, then at risk, then only overdue; done, retired and ongoing actions never.
    expect(brief.actions).toEqual([
      {
        id: 'IND-02',
        title: 'Ny industrimark Hemsta',
        teamKey: 'industrimark',
        teamName: 'Industrimark',
        owner: 'Dan Ek',
        status: 'off_track',
        flags: ['off_track'],
        due: '2026-12-10',
      },
      {
        id: 'BOS-02',
        title: 'Markanvisning Saltvik',
        teamKey: 'bostader',
        teamName: 'Bostäder',
        owner: 'Bo Berg',
        status: 'at_risk',
        flags: ['at_risk', 'overdue'],
        due: '2026-11-20',
        daysLate: 3,
        comment: { text: `Överklagande inkommet ${HOSTILE_COMMENT}`, by: 'Bo Berg', date: '2026-11-17' },
      },
      {
        id: 'TRY-01',
        title: 'Trygghetsvandringar',
        teamKey: 'trygghet',
        teamName: 'Trygghet',
        owner: 'Eva Fors',
        status: 'on_track',
        flags: ['overdue'],
        due: '2026-11-01',
        daysLate: 22,
      },
    ]);

    // Due today or earlier, not done, not revoked; last year's too. Soonest due first.
    expect(brief.followUps).toEqual([
      {
        number: 'D-2025-001',
        title: 'Utred industrispår',
        owner: 'Dan Ek',
        due: '2025-12-01',
        daysLate: 357,
        teams: [
          { key: 'industrimark', name: 'Industrimark' },
          { key: 'infrastruktur', name: 'Infrastruktur' },
        ],
        state: 'active',
      },
      {
        number: 'D-2026-001',
        title: 'Prioritera Saltvik',
        owner: 'Eva Ek',
        due: '2026-11-20',
        daysLate: 3,
        teams: [{ key: 'bostader', name: 'Bostäder' }],
        state: 'active',
      },
      {
        number: 'D-2026-002',
        title: 'Rapport om studentbostäder',
        owner: 'Cecilia Dahl',
        due: '2026-11-23',
        daysLate: 0,
        teams: [],
        state: 'active',
      },
    ]);

    expect(brief.indicators).toEqual([
      {
        id: 'ARB',
        name: 'Arbetslöshet',
        unit: '%',
        latest: { period: '2026', value: 7.8 },
        target: 6,
        targetYear: 2030,
      },
    ]);

    // Week 47's cards that asked and got no answer; not the one that asked nothing, not one never posted.
    expect(brief.silentTeams).toEqual([
      { key: 'industrimark', name: 'Industrimark', asked: 1 },
      { key: 'trygghet', name: 'Trygghet', asked: 1 },
    ]);

    // The cards the items link to: the period's, of the teams named.
    expect(brief.checkIns).toEqual({
      industrimark: {
        teamKey: 'industrimark',
        week: PERIOD,
        channelId: '19:industrimark@thread.tacv2',
        messageId: CARD_ID.industrimark,
      },
      bostader: {
        teamKey: 'bostader',
        week: PERIOD,
        channelId: '19:bostader@thread.tacv2',
        messageId: CARD_ID.bostader,
      },
      trygghet: {
        teamKey: 'trygghet',
        week: PERIOD,
        channelId: '19:trygghet@thread.tacv2',
        messageId: CARD_ID.trygghet,
      },
    });
  });

  it('is all clear when nothing needs the group: every section empty', async () => {
    await repos.actions.saveAll([]);
    const brief = await buildBrief(repos, program, new Date(MONDAY_0730));
    expect(brief).toMatchObject({
      actions: [],
      followUps: [],
      indicators: [],
      silentTeams: [],
      checkIns: {},
      allClear: true,
    });
  });

  it('looks at the latest check-in at or before it: last week early on Monday, this week once it is posted', () => {
    expect(briefPeriod(program, new Date(MONDAY_0730))).toBe('2026-W47');
    expect(briefPeriod(program, new Date('2026-11-23T08:00:00.000Z'))).toBe('2026-W48'); // 09:00 in Stockholm
    expect(briefPeriod(program, new Date('2026-11-26T12:00:00.000Z'))).toBe('2026-W48');
    const daily: Program = { ...program, schedules: { ...program.schedules, checkIn: '0 9 * * *' } };
    expect(briefPeriod(daily, new Date(MONDAY_0730))).toBe('2026-W47'); // Sunday's
  });

  it('comes in the weeks its schedule names', () => {
    expect(['2026-W47', '2026-W48', '2026-W53', '2027-W01'].map((w) => briefWeekHolds(w, 'even'))).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(['2026-W47', '2026-W48', '2026-W53', '2027-W01'].map((w) => briefWeekHolds(w, 'odd'))).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect(['2026-W47', '2026-W48'].map((w) => briefWeekHolds(w, 'every'))).toEqual([true, true]);
  });
});

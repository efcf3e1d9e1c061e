/** Contract tests: the repositories against a real Azurite table service. */
import * as net from 'node:net';
import { ConcurrencyError, StorageUnavailableError } from '../../domain/errors';
import type { Repositories } from '../../domain/ports';
import type { Action, Decision } from '../../domain/types';
import { startAzurite } from '../../storage/azurite';
import { createRepositories } from '../../storage';
import { TableStore } from '../../storage/table-store';
import { useFreshTables } from '../support/storage';
import { testStatusEvent } from '../support/fixtures';

let repos: Repositories;
let store: TableStore;

useFreshTables((t) => {
  repos = t.repositories;
  store = t.store;
});

const action = (id: string, teamKey = 'bostader', extra: Partial<Action> = {}): Action => ({
  programId: 'harnosand',
  id,
  teamKey,
  title: `Åtgärd ${id} – bostäder för 1 900 nya jobb`,
  description: 'Beskrivning med å, ä, ö',
  owner: { name: 'Anna Ström', email: 'anna.strom@harnosand.se' },
  responsibleBody: 'Samhällsbyggnadsnämnden',
  start: '2026-01-01',
  due: '2026-12-31',
  financing: 'Budget 2026',
  status: 'not_started',
  progress: 0,
  indicatorIds: [],
  ...extra,
});

const event = testStatusEvent;

describe('actions', () => {
  it('creates, reads, lists by team and updates with etag', async () => {
    const created = await repos.actions.create(action('BOS-01'));
    expect(created.etag).toBeTruthy();
    await repos.actions.create(action('IND-01', 'industrimark'));
    const read = await repos.actions.get('harnosand', 'BOS-01');
    expect(read?.title).toBe('Åtgärd BOS-01 – bostäder för 1 900 nya jobb');
    expect((await repos.actions.listByTeam('harnosand', 'bostader')).map((a) => a.id)).toEqual(['BOS-01']);
    expect((await repos.actions.list('harnosand')).map((a) => a.id).sort()).toEqual(['BOS-01', 'IND-01']);
    const updated = await repos.actions.update({ ...read!, status: 'on_track', progress: 40 });
    expect(updated.etag).not.toBe(read!.etag);
    expect((await repos.actions.get('harnosand', 'BOS-01'))?.progress).toBe(40);
  });

  it('rejects a stale etag with ConcurrencyError and keeps the newer write', async () => {
    const a = await repos.actions.create(action('BOS-02'));
    await repos.actions.update({ ...a, progress: 50 });
    await expect(repos.actions.update({ ...a, progress: 10 })).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await repos.actions.get('harnosand', 'BOS-02'))?.progress).toBe(50);
  });

  it('rejects a duplicate create', async () => {
    await repos.actions.create(action('BOS-03'));
    await expect(repos.actions.create(action('BOS-03'))).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('saves more than one transaction worth of actions', async () => {
    const many = Array.from({ length: 230 }, (_, i) => action(`BOS-${String(i).padStart(3, '0')}`));
    await repos.actions.saveAll(many);
    expect(await repos.actions.list('harnosand')).toHaveLength(230);
  });

  it('returns undefined for an unknown id and keeps keys with forbidden characters', async () => {
    expect(await repos.actions.get('harnosand', 'NOPE')).toBeUndefined();
    await repos.actions.create(action('X/1#?'));
    expect((await repos.actions.get('harnosand', 'X/1#?'))?.id).toBe('X/1#?');
  });

  it('stores a large description across property chunks', async () => {
    const long = 'å'.repeat(70000);
    await repos.actions.create(action('BOS-99', 'bostader', { description: long }));
    const read = (await repos.actions.get('harnosand', 'BOS-99'))?.description ?? '';
    // Compare lengths and content separately: printing a 70 000-character diff helps nobody.
    expect(read.length).toBe(long.length);
    expect(read === long).toBe(true);
  });
});

describe('event log', () => {
  it('partitions by ISO week in Stockholm time and reads a week in order', async () => {
    // Sunday 2026-11-29 23:30 in Stockholm is still week 48; 23:30 UTC that day is Monday in Stockholm (week 49).
    await repos.events.append(event('e2', '2026-11-29T22:30:00.000Z'));
    await repos.events.append(event('e1', '2026-11-23T08:00:00.000Z'));
    await repos.events.append(event('e3', '2026-11-29T23:30:00.000Z'));
    const w48 = await repos.events.listWeek({ programId: 'harnosand', week: '2026-W48' });
    expect(w48.map((e) => e.eventId)).toEqual(['e1', 'e2']);
    const w49 = await repos.events.listWeek({ programId: 'harnosand', week: '2026-W49' });
    expect(w49.map((e) => e.eventId)).toEqual(['e3']);
  });

  it('logs a redelivered event once', async () => {
    expect(await repos.events.append(event('dup', '2026-11-24T10:00:00.000Z'))).toBe(true);
    expect(await repos.events.append(event('dup', '2026-11-24T10:00:00.000Z'))).toBe(false);
    expect(await repos.events.has('harnosand', '2026-W48', 'dup')).toBe(true);
    expect(await repos.events.listWeek({ programId: 'harnosand', week: '2026-W48' })).toHaveLength(1);
  });

  it('finds one event by its id in its week, with point reads (the redelivery path)', async () => {
    await repos.events.append(event('wanted', '2026-11-24T10:00:00.000Z'));
    // A redelivery days later carries another time: the marker still leads to the first row.
    expect(await repos.events.append(event('wanted', '2026-11-26T08:00:00.000Z'))).toBe(false);
    await repos.events.append(event('other', '2026-11-24T11:00:00.000Z'));
    expect(await repos.events.get('harnosand', '2026-W48', 'wanted')).toEqual(
      event('wanted', '2026-11-24T10:00:00.000Z'),
    );
    expect(await repos.events.get('harnosand', '2026-W48', 'missing')).toBeUndefined();
    expect(await repos.events.get('harnosand', '2026-W49', 'wanted')).toBeUndefined();
  });

  it('appends many events in batches', async () => {
    const events = Array.from({ length: 120 }, (_, i) =>
      event(`b${i}`, new Date(Date.UTC(2026, 10, 24, 10, 0, i)).toISOString()),
    );
    expect(await repos.events.appendAll(events)).toBe(120);
    const read = await repos.events.listWeek({ programId: 'harnosand', week: '2026-W48' });
    expect(read.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it('appends many events leaving out those already logged, also beside new ones in one transaction', async () => {
    const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 10, 0, s)).toISOString();
    await repos.events.append(event('m3', at(3)));
    expect(await repos.events.appendAll([event('m1', at(1)), event('m2', at(2))])).toBe(2);
    // A re-run, later: m1 to m3 are logged (at their first time), m0 and m4 are new; two weeks.
    const again = ['m0', 'm1', 'm2', 'm3', 'm4'].map((id) => event(id, '2026-11-26T08:00:00.000Z'));
    const nextWeek = event('m5', '2026-12-01T08:00:00.000Z');
    expect(await repos.events.appendAll([...again, nextWeek])).toBe(3);
    const w48 = await repos.events.listWeek({ programId: 'harnosand', week: '2026-W48' });
    expect(w48.map((e) => [e.eventId, e.at])).toEqual([
      ['m1', at(1)],
      ['m2', at(2)],
      ['m3', at(3)],
      ['m0', '2026-11-26T08:00:00.000Z'],
      ['m4', '2026-11-26T08:00:00.000Z'],
    ]);
    expect((await repos.events.listWeek({ programId: 'harnosand', week: '2026-W49' })).map((e) => e.eventId)).toEqual([
      'm5',
    ]);
    expect(await repos.events.appendAll([...again, nextWeek])).toBe(0);
    expect(await repos.events.appendAll([])).toBe(0);
  });
});

describe('decisions', () => {
  const draft = (title: string): Omit<Decision, 'number' | 'sequence' | 'etag'> => ({
    programId: 'harnosand',
    year: 2026,
    title,
    text: 'Styrgruppen beslutar att …',
    rationale: 'Därför',
    meeting: { name: 'Styrgrupp', date: '2026-11-26' },
    affectedTeams: ['bostader'],
    affectedActions: [],
    loggedBy: 'Per',
    loggedAt: '2026-11-26T10:00:00.000Z',
    state: 'active',
    history: [],
  });

  it('numbers 20 concurrent decisions gap-free and unique', async () => {
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) => repos.decisions.createNumbered(draft(`Beslut ${i}`))),
    );
    const numbers = made.map((d) => d.sequence).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const listed = await repos.decisions.listYear('harnosand', 2026);
    expect(listed.map((d) => d.number)).toEqual(
      Array.from({ length: 20 }, (_, i) => `D-2026-${String(20 - i).padStart(3, '0')}`),
    );
  });

  it('updates with etag and refuses a stale one', async () => {
    const d = await repos.decisions.createNumbered(draft('Ett'));
    const got = await repos.decisions.get('harnosand', d.number);
    expect(got?.title).toBe('Ett');
    await repos.decisions.update({ ...got!, state: 'amended' });
    await expect(repos.decisions.update({ ...got!, state: 'revoked' })).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await repos.decisions.get('harnosand', d.number))?.state).toBe('amended');
    expect(await repos.decisions.get('harnosand', 'D-2026-999')).toBeUndefined();
  });
});

/** A decision to number, the steering group's of 26 November unless told otherwise. */
const decisionDraft = (extra: Partial<Decision>): Omit<Decision, 'number' | 'sequence' | 'etag'> => ({
  programId: 'harnosand',
  year: 2026,
  title: 'Beslut',
  text: 'Styrgruppen beslutar',
  rationale: '',
  meeting: { name: 'Styrgrupp', date: '2026-11-26' },
  affectedTeams: [],
  affectedActions: [],
  loggedBy: 'Per',
  loggedAt: '2026-11-26T10:00:00.000Z',
  state: 'active',
  history: [],
  ...extra,
});

describe('decisions of a week (listDuring)', () => {
  const week = { from: '2026-11-23', to: '2026-11-29', timeZone: 'Europe/Stockholm' };
  const decision = (title: string, date: string, loggedAt: string) =>
    decisionDraft({ title, meeting: { name: 'Styrgrupp', date }, loggedAt });
  // Stockholm is UTC+1 in November: the week runs from 22 Nov 23:00 UTC to 29 Nov 23:00 UTC.
  const cases = [
    decision('Möte i veckan', '2026-11-26', '2026-12-10T09:00:00.000Z'),
    decision('Loggat måndag 00:30', '2026-11-12', '2026-11-22T23:30:00.000Z'),
    decision('Loggat söndag 23:59', '2026-11-12', '2026-11-29T22:59:00.000Z'),
    decision('Loggat måndag efter', '2026-11-12', '2026-11-29T23:00:00.000Z'),
    decision('Loggat söndag före', '2026-11-12', '2026-11-22T22:59:59.999Z'),
    decision('Möte veckan efter', '2026-11-30', '2026-12-01T10:00:00.000Z'),
  ];
  const inWeek = ['Loggat söndag 23:59', 'Loggat måndag 00:30', 'Möte i veckan'];

  it('finds the decisions taken or logged in the week (the zone’s days), newest first', async () => {
    for (const d of cases) await repos.decisions.createNumbered(d);
    const found = await repos.decisions.listDuring('harnosand', 2026, week);
    expect(found.map((d) => d.title)).toEqual(inWeek);
    expect(await repos.decisions.listDuring('harnosand', 2025, week)).toEqual([]);
  });

  it('gives a year written before the search columns its columns once, then reads it by them', async () => {
    for (const d of cases) await repos.decisions.createNumbered(d);
    // Take the columns and the counter's mark away, as rows written by an earlier version have none.
    const table = store.client('decisions');
    for await (const row of table.listEntities<Record<string, unknown>>()) {
      const { etag: _e, timestamp: _t, meetingDate: _m, loggedAt: _l, followUpOpen: _f, columns: _c, ...rest } = row;
      await table.upsertEntity(rest as { partitionKey: string; rowKey: string }, 'Replace');
    }
    const bare = await table.getEntity<Record<string, unknown>>('harnosand|2026', 'counter');
    expect(bare.columns).toBeUndefined();

    expect((await repos.decisions.listDuring('harnosand', 2026, week)).map((d) => d.title)).toEqual(inWeek);
    expect((await table.getEntity<Record<string, unknown>>('harnosand|2026', 'counter')).columns).toBe(1);
    const first = await table.getEntity<Record<string, unknown>>('harnosand|2026', 'D|D-2026-001');
    expect([first.meetingDate, first.loggedAt, first.followUpOpen]).toEqual([
      '2026-11-26',
      '2026-12-10T09:00:00.000Z',
      false,
    ]);
    // Read by the columns now, and a decision numbered later has them from the start.
    await repos.decisions.createNumbered(decision('Nytt', '2026-11-27', '2026-11-27T10:00:00.000Z'));
    expect((await repos.decisions.listDuring('harnosand', 2026, week)).map((d) => d.title)).toEqual([
      'Nytt',
      ...inWeek,
    ]);
    expect((await table.getEntity<Record<string, unknown>>('harnosand|2026', 'counter')).columns).toBe(1);
    // Nothing else about a decision changed.
    expect((await repos.decisions.listYear('harnosand', 2026)).map((d) => d.number)).toHaveLength(7);
  });
});

describe('decisions with an open follow-up (listOpenFollowUps)', () => {
  const withFollowUp = (title: string, followUp?: Decision['followUp']) =>
    decisionDraft({ title, affectedTeams: ['bostader'], ...(followUp ? { followUp } : {}) });

  it('lists the open ones only, and follows each change of a decision', async () => {
    const open = await repos.decisions.createNumbered(
      withFollowUp('Öppen', { owner: 'Anna', due: '2026-12-15', done: false }),
    );
    await repos.decisions.createNumbered(withFollowUp('Klar', { owner: 'Anna', due: '2026-12-15', done: true }));
    await repos.decisions.createNumbered(withFollowUp('Utan datum', { owner: 'Anna', done: false }));
    await repos.decisions.createNumbered(withFollowUp('Utan uppföljning'));
    const revoked = await repos.decisions.createNumbered(
      withFollowUp('Återkallad', { owner: 'Bo', due: '2026-12-20', done: false }),
    );
    await repos.decisions.update({ ...revoked, state: 'revoked' });
    const later = await repos.decisions.createNumbered(
      withFollowUp('Senare', { owner: 'Bo', due: '2027-01-10', done: false }),
    );
    expect((await repos.decisions.listOpenFollowUps('harnosand', 2026)).map((d) => d.title)).toEqual([
      'Senare',
      'Öppen',
    ]);

    await repos.decisions.update({ ...open, followUp: { ...open.followUp!, done: true } });
    await repos.decisions.update({ ...later, state: 'superseded' });
    expect(await repos.decisions.listOpenFollowUps('harnosand', 2026)).toEqual([]);
    expect(await repos.decisions.listOpenFollowUps('harnosand', 2025)).toEqual([]);
  });
});

describe('a closed week’s summary beside its log', () => {
  it('is kept once and read back; a second keep leaves the first', async () => {
    const summary = {
      activity: { updates: 3, actionsUpdated: 2, statusChanges: 1, teamsReporting: 1 },
      lastStatus: [
        ['BOS-01', 'at_risk'],
        ['__proto__', 'done'],
      ] as [string, 'at_risk' | 'done'][],
    };
    expect(await repos.events.weekSummary('harnosand', '2026-W47')).toBeUndefined();
    await repos.events.keepWeekSummary('harnosand', '2026-W47', summary);
    await repos.events.keepWeekSummary('harnosand', '2026-W47', { ...summary, lastStatus: [] });
    expect(await repos.events.weekSummary('harnosand', '2026-W47')).toEqual(summary);
    // The week's events are still the events alone.
    expect(await repos.events.listWeek({ programId: 'harnosand', week: '2026-W47' })).toEqual([]);
  });
});

describe('teams, bindings, indicators, check-ins', () => {
  it('keeps installed teams and marks them inactive without losing data', async () => {
    await repos.teams.upsert({
      teamsTeamId: '19:team@thread.tacv2',
      name: 'Kraftsamling',
      tenantId: 't1',
      active: true,
      reference: { conversation: { id: '19:team@thread.tacv2' } },
      channels: [{ id: '19:team@thread.tacv2', name: 'General' }],
      installedAt: '2026-11-26T09:00:00.000Z',
    });
    expect(
      await repos.teams.insertIfAbsent({
        teamsTeamId: '19:team@thread.tacv2',
        name: 'x',
        tenantId: 't1',
        active: true,
        reference: {},
        channels: [],
        installedAt: '2026-11-26T09:00:00.000Z',
      }),
    ).toBe(false);
    expect(
      await repos.teams.insertIfAbsent({
        teamsTeamId: '19:new@thread.tacv2',
        name: 'y',
        tenantId: 't1',
        active: true,
        reference: {},
        channels: [],
        installedAt: '2026-11-26T09:00:00.000Z',
      }),
    ).toBe(true);
    await repos.teams.markInactive('19:team@thread.tacv2', '2026-11-27T09:00:00.000Z');
    const team = await repos.teams.get('19:team@thread.tacv2');
    expect(team).toMatchObject({
      active: false,
      removedAt: '2026-11-27T09:00:00.000Z',
      channels: [{ name: 'General' }],
    });
    expect(await repos.teams.list()).toHaveLength(2);
    expect((await repos.teams.get('19:team@thread.tacv2'))?.name).toBe('Kraftsamling');
  });

  it('binds channels by role and rebinds', async () => {
    const base = {
      programId: 'harnosand',
      teamsTeamId: 'T',
      channelName: 'Bostäder',
      reference: {},
      boundBy: 'Anna',
      boundAt: '2026-11-26T09:00:00Z',
    };
    await repos.bindings.put({ ...base, channelId: '19:a@thread.tacv2', role: { kind: 'team', teamKey: 'bostader' } });
    await repos.bindings.put({ ...base, channelId: '19:b@thread.tacv2', role: { kind: 'comms' } });
    expect(
      (await repos.bindings.findByRole('harnosand', { kind: 'team', teamKey: 'bostader' })).map((b) => b.channelId),
    ).toEqual(['19:a@thread.tacv2']);
    await repos.bindings.put({ ...base, channelId: '19:a@thread.tacv2', role: { kind: 'steering' } });
    expect(await repos.bindings.findByRole('harnosand', { kind: 'team', teamKey: 'bostader' })).toEqual([]);
    expect((await repos.bindings.get('harnosand', '19:a@thread.tacv2'))?.role).toEqual({ kind: 'steering' });
    expect(await repos.bindings.list('harnosand')).toHaveLength(2);
  });

  it('saves indicators and check-ins with concurrency', async () => {
    const ind = await repos.indicators.save({
      programId: 'harnosand',
      id: 'INV',
      name: 'Invånare',
      unit: 'st',
      baseline: 25000,
      target: 30000,
      targetYear: 2030,
      values: [{ period: '2026', value: 25300 }],
    });
    await repos.indicators.save({ ...ind, values: [...ind.values, { period: '2027', value: 25900 }] });
    await expect(repos.indicators.save({ ...ind, name: 'stale' })).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await repos.indicators.list('harnosand'))[0]?.values).toHaveLength(2);

    const c = await repos.checkIns.create({
      programId: 'harnosand',
      teamKey: 'bostader',
      week: '2026-W48',
      channelId: 'C',
      answeredActionIds: [],
    });
    await expect(repos.checkIns.create({ ...c, etag: undefined })).rejects.toBeInstanceOf(ConcurrencyError);
    await repos.checkIns.update({ ...c, answeredActionIds: ['BOS-01'] });
    expect((await repos.checkIns.listWeek('harnosand', '2026-W48'))[0]?.answeredActionIds).toEqual(['BOS-01']);
  });
});

describe('outage', () => {
  it('reports a stopped store as StorageUnavailableError and ping false, then recovers', async () => {
    const own = await startAzurite({ inMemory: true });
    const store = new TableStore({ connectionString: own.connectionString, tablePrefix: 'outage' });
    await store.ensureTables();
    const r = createRepositories(store, 'Europe/Stockholm');
    expect(await r.ping()).toBe(true);
    await own.stop();
    // Hold the freed port, so that another test's Azurite starting meanwhile cannot take it and answer.
    const holder = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => holder.once('error', reject).listen(own.port, '127.0.0.1', resolve));
    try {
      expect(await r.ping()).toBe(false);
      await expect(r.actions.list('harnosand')).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});

/**
 * How the plan import writes (domain/plan/plan-import.ts), counted at the store: a large plan in
 * full transactions, a few at once, with no reads beyond the stored plan; a re-import sends
 * nothing; a write that fails part-way leaves the file's first chunks stored, every stored action
 * beside its log entries, and a re-run completes it with the same ids, logging nothing twice.
 */
import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';
import { StorageUnavailableError } from '../../../domain/errors';
import { importPlan } from '../../../domain/plan/plan-import';
import type { ActionRepository, Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import { fixedClock } from '../../../domain/time';
import type { ImportInput } from '../../../domain/plan/import-result';
import type { LogEvent } from '../../../domain/types';
import { createRepositories } from '../../../storage';
import { TableStore } from '../../../storage/table-store';
import { useFreshTables } from '../../support/storage';

const program = loadProgram();
// Tuesday of week 48 in Stockholm.
const AT = '2026-11-24T10:00:00.000Z';
const WEEK = '2026-W48';

let repos: Repositories;
let store: TableStore;
let prefix: string;
const storage = useFreshTables((t) => {
  ({ repositories: repos, store, prefix } = t);
});

/** 250 new actions of one team; every other row sets a status (so it logs a StatusUpdate too). */
const plan = Buffer.from(
  [
    'Team;Insats;Status',
    ...Array.from({ length: 250 }, (_, i) => `Bostäder;Insats ${i + 1};${i % 2 ? '' : 'Enligt plan'}`),
  ].join('\n'),
);

const run = (repositories: Repositories, at = AT, extra: Partial<ImportInput> = {}) =>
  importPlan({ fileName: 'stor.csv', content: plan, program, repositories, clock: fixedClock(at), ...extra });

interface Request {
  method: string;
  /** The table a request is for: from the URL, or for a transaction from its first operation. */
  table: string;
  batch: boolean;
}

/**
 * Repositories on the same tables through a store that records every request it sends (and how
 * many were on the wire at once), and fails those `fail` picks as an unavailable store would.
 */
function counted(fail: (body: string) => boolean = () => false) {
  const requests: Request[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const policy: PipelinePolicy = {
    name: 'countRequests',
    sendRequest: async (request, next) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const batch = request.url.endsWith('/$batch');
      const url = batch ? (/^(?:POST|PUT|MERGE|PATCH|DELETE) (\S+)/m.exec(body)?.[1] ?? '') : request.url;
      const table = new URL(url, request.url).pathname.split('/').pop()!.split('(')[0]!.slice(prefix.length);
      requests.push({ method: request.method, table, batch });
      if (fail(body)) throw new RestError('injected failure', { statusCode: 503 });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await next(request);
      } finally {
        inFlight--;
      }
    },
  };
  const countingStore = new TableStore({
    connectionString: storage().connectionString,
    tablePrefix: prefix,
    additionalPolicies: [{ policy, position: 'perCall' }],
  });
  return {
    repositories: createRepositories(countingStore, 'Europe/Stockholm'),
    requests,
    maxInFlight: () => maxInFlight,
    close: () => countingStore.close(),
  };
}

/** Requests by kind and table; the store's health probe (it reads Teams when a request is slow) left out. */
const tally = (requests: Request[]) => {
  const out: Record<string, number> = {};
  for (const r of requests.filter((q) => q.table !== 'Teams')) {
    const k = `${r.batch ? 'transaction' : r.method} ${r.table}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
};

const logged = () => repos.events.listWeek({ programId: program.id, week: WEEK });

/** Every row of the tables the import writes: equal snapshots mean nothing was written. */
async function snapshot(): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (const table of ['actions', 'events', 'indicators', 'programTeams'] as const)
    for await (const e of store.client(table).listEntities()) rows.push(e);
  return rows;
}

/** Each stored action has its ActionChanged created event, and no event id is logged twice. */
function expectLogFor(actionIds: string[], events: LogEvent[]) {
  expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  const created = new Set(events.flatMap((e) => (e.type === 'action' && e.change === 'created' ? [e.actionId] : [])));
  for (const id of actionIds) expect(created.has(id)).toBe(true);
}

const actionIds = async () => (await repos.actions.list(program.id)).map((a) => a.id).sort();
const bos = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `BOS-${String(from + i).padStart(2, '0')}`).sort();

describe('plan import: how it writes', () => {
  it('writes 250 actions and their 375 events in 11 full transactions, up to four at once, reading only the stored plan', async () => {
    const c = counted();
    const r = await run(c.repositories);
    c.close();
    expect([r.added, r.events, r.errors]).toEqual([250, 375, []]);
    // Per 100 actions: 150 events (each with its marker: 50 to a transaction), then the actions.
    expect(tally(c.requests)).toEqual({
      'GET ProgramTeams': 1,
      'GET Actions': 1,
      'GET Indicators': 1,
      'transaction Events': 3 + 3 + 2,
      'transaction Actions': 3,
    });
    expect(c.maxInFlight()).toBeGreaterThanOrEqual(2);
    expect(c.maxInFlight()).toBeLessThanOrEqual(4);
    expect(await actionIds()).toEqual(bos(1, 250));
    const events = await logged();
    expectLogFor(bos(1, 250), events);
    expect(events).toHaveLength(375);
    // New actions have no values before: their entries carry no previous values at all.
    expect(events.filter((e) => 'previous' in e || 'previousStatus' in e)).toEqual([]);
  });

  it('re-importing the same file sends nothing but the reads of the stored plan, and logs nothing', async () => {
    await run(repos);
    const before = await snapshot();
    const c = counted();
    const again = await run(c.repositories, '2026-11-24T10:05:00.000Z');
    c.close();
    expect([again.added, again.updated, again.unchanged, again.events, again.errors]).toEqual([0, 0, 250, 0, []]);
    expect(tally(c.requests)).toEqual({ 'GET ProgramTeams': 1, 'GET Actions': 1, 'GET Indicators': 1 });
    expect(await snapshot()).toEqual(before);
  });

  it('a chunk whose actions fail stops the import there; a re-run stores the rest with the same ids and logs nothing twice', async () => {
    const failing: ActionRepository = {
      get: (p, id) => repos.actions.get(p, id),
      list: (p) => repos.actions.list(p),
      listByTeam: (p, t) => repos.actions.listByTeam(p, t),
      create: (a) => repos.actions.create(a),
      update: (a) => repos.actions.update(a),
      saveAll: async (actions) => {
        if (actions.some((a) => a.id === 'BOS-150'))
          throw new StorageUnavailableError('save actions: storage unavailable');
        return repos.actions.saveAll(actions);
      },
    };
    const first = await run({ ...repos, actions: failing });
    expect(first.errors.map((e) => [e.code, e.params.written, e.params.total])).toEqual([['write.failed', 100, 250]]);
    expect([first.added, first.events]).toEqual([100, 150]);
    // What is stored is the file's first chunk, as the report says; the third chunk, written
    // beside the second, stored no actions. The log got the events of all three (events first).
    expect(first.changes.map((c) => c.id).sort()).toEqual(bos(1, 100));
    expect(await actionIds()).toEqual(bos(1, 100));
    expect(await logged()).toHaveLength(375);
    expectLogFor(bos(1, 100), await logged());

    const second = await run(repos, '2026-11-24T10:05:00.000Z');
    expect([second.added, second.unchanged, second.events, second.errors]).toEqual([150, 100, 0, []]);
    // The same ids as a run without the failure: BOS-101 is still "Insats 101".
    expect(await actionIds()).toEqual(bos(1, 250));
    expect((await repos.actions.get(program.id, 'BOS-101'))!.title).toBe('Insats 101');
    expect(await logged()).toHaveLength(375);
    expectLogFor(bos(1, 250), await logged());
    const third = await run(repos, '2026-11-24T10:10:00.000Z');
    expect([third.added, third.updated, third.events]).toEqual([0, 0, 0]);
  });

  it('a log transaction that fails midway: its chunk and those after store no actions, and a re-run logs only what is missing', async () => {
    // The second of the three log transactions of BOS-101…200 (BOS-150 is in its middle).
    const c = counted((body) => body.includes('actionId\\":\\"BOS-150\\"'));
    const first = await run(c.repositories);
    c.close();
    expect(first.errors.map((e) => [e.code, e.params.written])).toEqual([['write.failed', 100]]);
    expect(await actionIds()).toEqual(bos(1, 100));
    const partly = await logged();
    // Chunks one and three whole (150 + 75), of the second its first transaction only.
    expect(partly).toHaveLength(150 + 50 + 75);

    const second = await run(repos, '2026-11-24T10:05:00.000Z');
    expect([second.added, second.events, second.errors]).toEqual([150, 100, []]);
    const events = await logged();
    expect(events).toHaveLength(375);
    expectLogFor(bos(1, 250), events);
    // The entries of the first run stay as they were logged, at the first run's time.
    expect(events.filter((e) => e.at === AT)).toHaveLength(partly.length);
  });

  it('a retirement on revision is written and logged like any change, and a re-run retires nothing more', async () => {
    await run(repos);
    const revision = Buffer.from(
      ['Team;Insats', ...Array.from({ length: 200 }, (_, i) => `Bostäder;Insats ${i + 1}`)].join('\n'),
    );
    const c = counted();
    const r = await importPlan({
      fileName: 'stor-2027.csv',
      content: revision,
      program,
      repositories: c.repositories,
      clock: fixedClock('2026-11-25T09:00:00.000Z'),
      retireMissing: true,
    });
    c.close();
    expect([r.retired.length, r.events, r.errors]).toEqual([50, 50, []]);
    expect(tally(c.requests)['transaction Actions']).toBe(1);
    const retired = (await repos.actions.list(program.id)).filter((a) => a.retiredAt);
    expect(retired.map((a) => a.id).sort()).toEqual(bos(201, 250));
    const changes = (await logged()).filter((e) => e.type === 'action' && e.change === 'updated');
    expect(changes.map((e) => (e.type === 'action' ? e.actionId : '')).sort()).toEqual(bos(201, 250));
    // With what each changed field was before, so last week's plan still has them.
    for (const e of changes)
      expect(e).toMatchObject({ fields: { retiredAt: '2026-11-25T09:00:00.000Z' }, previous: { retiredAt: null } });
    const again = await importPlan({
      fileName: 'stor-2027.csv',
      content: revision,
      program,
      repositories: repos,
      clock: fixedClock('2026-11-25T09:05:00.000Z'),
      retireMissing: true,
    });
    expect([again.retired.length, again.events]).toEqual([0, 0]);
  });
});

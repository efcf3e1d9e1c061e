/**
 * Superseding on Azurite: a decision replacing an earlier one, the checks, once per form however
 * often it is delivered, and a marking that storage interrupted finished later.
 */
import type { DecisionDraft } from '../../../domain/decisions/form';
import { amendDecision } from '../../../domain/decisions/history';
import { listDecisions } from '../../../domain/decisions/log';
import { logDecision } from '../../../domain/decisions/record';
import { resumeSupersessions, withSupersessions } from '../../../domain/decisions/supersede';
import { StorageUnavailableError, ValidationError } from '../../../domain/errors';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import { fixedClock } from '../../../domain/time';
import type { Decision } from '../../../domain/types';
import { silentLogger } from '../../../bot/logger';
import { startTestStorage, type TestStorage } from '../../support/storage';

const program = loadProgram();

const draft = (over: Partial<DecisionDraft> = {}): DecisionDraft => ({
  title: 'Rubrik',
  text: 'Text',
  rationale: '',
  meeting: { name: 'Styrgruppsmöte', date: '2026-03-10' },
  affectedTeams: [],
  affectedActions: [],
  ...over,
});

function problemsOf(err: unknown): { key: string; params?: unknown }[] {
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).details.problems as { key: string; params?: unknown }[];
}

describe('superseding on Azurite', () => {
  let storage: TestStorage;
  let repos: Repositories;
  const clock = fixedClock('2026-03-10T10:00:00Z');
  const deps = () => ({ program, repos, clock, logger: silentLogger() });
  const log = (requestId: string, over: Partial<DecisionDraft> = {}) =>
    logDecision(deps(), { draft: draft(over), by: 'Anna Styrgren', requestId });

  beforeAll(async () => {
    storage = await startTestStorage();
  });
  afterAll(async () => {
    await storage?.stop();
  });
  beforeEach(async () => {
    repos = (await storage.fresh()).repositories;
  });

  it('marks the earlier decision superseded by the new one: numbers kept, each pointing to the other, a revision in its history', async () => {
    const first = (await log('form-1', { title: 'Först' })).decision;
    clock.advance(60_000);
    const second = (await log('form-2', { title: 'Sedan', supersedes: first.number })).decision;
    expect([first.number, second.number]).toEqual(['D-2026-001', 'D-2026-002']);
    expect(second.supersedes).toBe('D-2026-001');
    const earlier = await repos.decisions.get(program.id, 'D-2026-001');
    expect(earlier).toMatchObject({ state: 'superseded', supersededBy: 'D-2026-002', title: 'Först' });
    expect(earlier!.history).toEqual([
      {
        at: '2026-03-10T10:01:00.000Z',
        by: 'Anna Styrgren',
        change: 'superseded',
        previous: { title: 'Först', text: 'Text', rationale: '' },
        reason: '',
        supersededBy: 'D-2026-002',
      },
    ]);
    // A superseded decision is no longer in force: it is not amended any more.
    const amend = amendDecision(deps(), {
      number: 'D-2026-001',
      reason: 'x',
      by: 'Anna',
      requestId: 'amend-1',
      draft: draft(),
    });
    expect(problemsOf(await amend.catch((e: unknown) => e))).toEqual([
      { key: 'decision.error.superseded', params: { number: 'D-2026-001', by: 'D-2026-002' } },
    ]);
  });

  it('refuses to replace a decision that does not exist, is revoked or was replaced already; nothing is numbered', async () => {
    await log('a');
    await log('b', { supersedes: 'D-2026-001' });
    const revoked = await repos.decisions.get(program.id, 'D-2026-002');
    await repos.decisions.update({ ...revoked!, state: 'revoked' });
    const cases: [string, string, object][] = [
      ['D-2026-099', 'decision.supersedes.notFound', { number: 'D-2026-099' }],
      ['D-2026-002', 'decision.supersedes.revoked', { number: 'D-2026-002' }],
      ['D-2026-001', 'decision.supersedes.superseded', { number: 'D-2026-001', by: 'D-2026-002' }],
    ];
    for (const [number, key, params] of cases) {
      expect(problemsOf(await log(`c-${number}`, { supersedes: number }).catch((e: unknown) => e))).toEqual([
        { key, params },
      ]);
    }
    expect(await repos.decisions.listYear(program.id, 2026)).toHaveLength(2);
  });

  it('supersedes once per form, however often it is delivered', async () => {
    await log('a');
    const one = await log('b', { supersedes: 'D-2026-001' });
    const two = await log('b', { supersedes: 'D-2026-001' });
    expect([one.duplicate, two.duplicate, two.decision.number]).toEqual([false, true, 'D-2026-002']);
    expect((await repos.decisions.get(program.id, 'D-2026-001'))!.history).toHaveLength(1);
  });

  it('finishes a marking that storage interrupted: the log reads it superseded at once, a redelivery or the resume writes it', async () => {
    await log('a');
    const real = repos.decisions.updateForRequest.bind(repos.decisions);
    let failures = 1;
    repos.decisions.updateForRequest = async (...args) => {
      if (failures-- > 0) throw new StorageUnavailableError('table storage unreachable');
      return real(...args);
    };
    const logged = await log('b', { supersedes: 'D-2026-001' });
    expect(logged).toMatchObject({ duplicate: false, decision: { number: 'D-2026-002', supersedes: 'D-2026-001' } });
    expect(await repos.decisions.get(program.id, 'D-2026-001')).toMatchObject({ state: 'active' });
    // Until it is written, the log and the exports read the earlier one as superseded.
    const listed = await listDecisions(repos, program.id, { from: '2026-01-01', to: '2026-12-31' });
    expect(listed.map((d) => [d.number, d.state, d.supersededBy])).toEqual([
      ['D-2026-002', 'active', undefined],
      ['D-2026-001', 'superseded', 'D-2026-002'],
    ]);
    // The scheduled resume writes it, once.
    expect(await resumeSupersessions(deps())).toBe(1);
    expect(await resumeSupersessions(deps())).toBe(1);
    expect(await repos.decisions.get(program.id, 'D-2026-001')).toMatchObject({
      state: 'superseded',
      supersededBy: 'D-2026-002',
      history: [expect.objectContaining({ change: 'superseded' })],
    });
  });

  it('a redelivered form marks what the first delivery could not', async () => {
    await log('a');
    const real = repos.decisions.updateForRequest.bind(repos.decisions);
    repos.decisions.updateForRequest = async () => {
      throw new StorageUnavailableError('table storage unreachable');
    };
    await log('b', { supersedes: 'D-2026-001' });
    repos.decisions.updateForRequest = real;
    expect(await log('b', { supersedes: 'D-2026-001' })).toMatchObject({ duplicate: true });
    expect(await repos.decisions.get(program.id, 'D-2026-001')).toMatchObject({
      state: 'superseded',
      supersededBy: 'D-2026-002',
    });
  });
});

describe('withSupersessions', () => {
  const d = (number: string, over: Partial<Decision> = {}): Decision => ({
    programId: 'p',
    number,
    year: 2026,
    sequence: Number(number.slice(-3)),
    title: number,
    text: '',
    rationale: '',
    meeting: { name: 'M', date: '2026-03-10' },
    affectedTeams: [],
    affectedActions: [],
    loggedBy: 'Anna',
    loggedAt: '2026-03-10T10:00:00.000Z',
    state: 'active',
    history: [],
    ...over,
  });

  it('reads a replaced decision as superseded, but never a revoked one or one replaced by another', () => {
    const out = withSupersessions([
      d('D-2026-004', { supersedes: 'D-2026-001' }),
      d('D-2026-003', { supersedes: 'D-2026-002' }),
      d('D-2026-002', { state: 'revoked' }),
      d('D-2026-001'),
    ]);
    expect(out.map((x) => [x.number, x.state, x.supersededBy ?? null])).toEqual([
      ['D-2026-004', 'active', null],
      ['D-2026-003', 'active', null],
      ['D-2026-002', 'revoked', null],
      ['D-2026-001', 'superseded', 'D-2026-004'],
    ]);
  });
});

/** Logging a decision on Azurite: numbered once per request, its event written even after a crash. */
import { clock, decisionsOnAzurite, draft, program } from './on-azurite';
import { logDecision, loggedEventId } from '../../../domain/decisions/record';

describe('logging on Azurite', () => {
  const store = decisionsOnAzurite();
  const { deps } = store;

  it('a submit that died after numbering (no event) is found again by its request id, not numbered twice', async () => {
    // The crash: the decision was stored, the event was not.
    const { decision: stored } = await store.repos().decisions.createForRequest(
      {
        ...draft,
        programId: program.id,
        year: 2026,
        loggedBy: 'Anna',
        loggedAt: '2026-03-10T09:59:00.000Z',
        state: 'active',
        history: [],
        requestId: 'form-1',
      },
      loggedEventId('form-1'),
    );
    expect(await store.repos().events.has(program.id, '2026-W11', loggedEventId('form-1'))).toBe(false);
    const again = await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-1' });
    expect(again).toMatchObject({ duplicate: true, decision: { number: stored.number } });
    expect(await store.repos().events.has(program.id, '2026-W11', loggedEventId('form-1'))).toBe(true);
    expect(await store.repos().decisions.listYear(program.id, 2026)).toHaveLength(1);

    // A retry in a later week (a different event partition) still finds it.
    clock.set('2026-03-20T10:00:00Z');
    try {
      expect(await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-1' })).toMatchObject({
        duplicate: true,
        decision: { number: 'D-2026-001' },
      });
      expect(await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-2' })).toMatchObject({
        duplicate: false,
        decision: { number: 'D-2026-002' },
      });
    } finally {
      clock.set('2026-03-10T10:00:00Z');
    }
  });

  it('the same request at once numbers one decision with one event; the others answer with it and leave the notices to it', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        logDecision(deps(), { draft: { ...draft, title: 'Samtidigt' }, by: 'Anna', requestId: 'form-at-once' }),
      ),
    );
    expect(new Set(results.map((r) => r.decision.number))).toEqual(new Set(['D-2026-001']));
    expect(results.map((r) => [r.duplicate, r.notify]).sort()).toEqual([
      [false, true],
      ...Array.from({ length: 5 }, () => [true, false]),
    ]);
    expect(await store.repos().decisions.listYear(program.id, 2026)).toHaveLength(1);
    const events = (await store.repos().events.listWeek({ programId: program.id, week: '2026-W11' })).filter(
      (e) => e.type === 'decision',
    );
    expect(events).toHaveLength(1);
    // The counter was not moved by the refused transactions: the next form gets the next number.
    expect((await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-next' })).decision.number).toBe(
      'D-2026-002',
    );
    // Long after, a redelivery takes the notices on (the first run is not posting them any more).
    clock.advance(10 * 60 * 1000);
    try {
      expect(await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-at-once' })).toMatchObject({
        duplicate: true,
        notify: true,
        decision: { number: 'D-2026-001' },
      });
    } finally {
      clock.set('2026-03-10T10:00:00Z');
    }
  });
});

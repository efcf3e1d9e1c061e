/** Amending and revoking on Azurite: one revision and one event per request, however often it is delivered. */
import { decisionsOnAzurite, draft, program } from './on-azurite';
import { amendDecision, revokeDecision } from '../../../domain/decisions/history';
import { logDecision } from '../../../domain/decisions/record';

describe('amending and revoking on Azurite', () => {
  const store = decisionsOnAzurite();
  const { deps } = store;

  it('an amend or revoke delivered twice at once makes one revision and one event; a redelivery after a crash writes the missing event', async () => {
    const { decision } = await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-change' });
    const amend = (requestId: string, title: string) =>
      amendDecision(deps(), {
        number: decision.number,
        etag: decision.etag,
        draft: { ...draft, title, affectedTeams: ['trygghet'] },
        reason: 'Skäl',
        by: 'Bo',
        requestId,
      });
    const amended = await Promise.all([
      amend('act-amend', 'Ny rubrik'),
      amend('act-amend', 'Ny rubrik'),
      amend('act-amend', 'Ny rubrik'),
    ]);
    expect(amended.map((r) => r.duplicate).sort()).toEqual([false, true, true]);
    let stored = (await store.repos().decisions.get(program.id, decision.number))!;
    expect(stored.history.map((h) => h.change)).toEqual(['amended']);
    expect(amended.every((r) => r.decision.etag === stored.etag)).toBe(true);

    const revoke = () =>
      revokeDecision(deps(), {
        number: decision.number,
        etag: stored.etag,
        reason: 'Upphävs',
        by: 'Bo',
        requestId: 'act-revoke',
      });
    const revoked = await Promise.all([revoke(), revoke()]);
    expect(revoked.map((r) => r.duplicate).sort()).toEqual([false, true]);
    stored = (await store.repos().decisions.get(program.id, decision.number))!;
    expect(stored.history.map((h) => h.change)).toEqual(['amended', 'revoked']);
    const changes = (await store.repos().events.listWeek({ programId: program.id, week: '2026-W11' })).filter(
      (e) => e.type === 'decision' && e.number === decision.number,
    );
    // One clock instant for all three: the log orders them by event id, so compare as a set.
    expect(changes.map((e) => (e.type === 'decision' ? [e.change, e.affectedTeams] : [])).sort()).toEqual([
      ['amended', ['bostader', 'trygghet']],
      ['logged', ['bostader']],
      ['revoked', ['trygghet']],
    ]);

    // The crash: an amendment stored with its marker, but its event not written.
    const other = (await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-crash' })).decision;
    const revision = {
      at: '2026-03-10T10:00:00.000Z',
      by: 'Bo',
      change: 'amended' as const,
      previous: { title: other.title, text: other.text, rationale: '', affectedTeams: ['bostader'] },
      reason: 'Skäl',
    };
    await store
      .repos()
      .decisions.updateForRequest(
        { ...other, title: 'Efter kraschen', state: 'amended', history: [revision] },
        'decision-amended|act-crash',
        { number: other.number, change: 'amended', revision: 1 },
      );
    const again = await amendDecision(deps(), {
      number: other.number,
      etag: other.etag,
      draft: { ...draft, title: 'Efter kraschen' },
      reason: 'Skäl',
      by: 'Bo',
      requestId: 'act-crash',
    });
    expect(again).toMatchObject({
      duplicate: true,
      decision: { title: 'Efter kraschen', history: [expect.objectContaining({ change: 'amended' })] },
    });
    expect(await store.repos().events.has(program.id, '2026-W11', 'decision-amended|act-crash')).toBe(true);
  });
});

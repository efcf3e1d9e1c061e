/** Amending and revoking on Azurite: one revision and one event per request, however often it is delivered. */
import type { DecisionDraft } from '../../../domain/decisions/form';
import { amendDecision, revokeDecision } from '../../../domain/decisions/history';
import { logDecision } from '../../../domain/decisions/record';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import { fixedClock } from '../../../domain/time';
import { silentLogger } from '../../../bot/logger';
import { startTestStorage, type TestStorage } from '../../support/storage';

const program = loadProgram();

describe('amending and revoking on Azurite', () => {
  let storage: TestStorage;
  let repos: Repositories;
  const clock = fixedClock('2026-03-10T10:00:00Z');
  const deps = () => ({ program, repos, clock, logger: silentLogger() });
  const draft: DecisionDraft = {
    title: 'Rubrik',
    text: 'Text',
    rationale: '',
    meeting: { name: 'Styrgruppsmöte', date: '2026-03-10' },
    affectedTeams: ['bostader'],
    affectedActions: [],
  };

  beforeAll(async () => {
    storage = await startTestStorage();
  });
  afterAll(async () => {
    await storage?.stop();
  });
  beforeEach(async () => {
    repos = (await storage.fresh()).repositories;
  });

  it('an amend or revoke delivered twice at once makes one revision and one event; a redelivery after a crash writes the missing event', async () => {
    const { decision } = await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-change' });
    const amend = (requestId: string, title: string) =>
      amendDecision(deps(), { number: decision.number, etag: decision.etag, draft: { ...draft, title, affectedTeams: ['trygghet'] }, reason: 'Skäl', by: 'Bo', requestId });
    const amended = await Promise.all([amend('act-amend', 'Ny rubrik'), amend('act-amend', 'Ny rubrik'), amend('act-amend', 'Ny rubrik')]);
    expect(amended.map((r) => r.duplicate).sort()).toEqual([false, true, true]);
    let stored = (await repos.decisions.get(program.id, decision.number))!;
    expect(stored.history.map((h) => h.change)).toEqual(['amended']);
    expect(amended.every((r) => r.decision.etag === stored.etag)).toBe(true);

    const revoke = () => revokeDecision(deps(), { number: decision.number, etag: stored.etag, reason: 'Upphävs', by: 'Bo', requestId: 'act-revoke' });
    const revoked = await Promise.all([revoke(), revoke()]);
    expect(revoked.map((r) => r.duplicate).sort()).toEqual([false, true]);
    stored = (await repos.decisions.get(program.id, decision.number))!;
    expect(stored.history.map((h) => h.change)).toEqual(['amended', 'revoked']);
    const changes = (await repos.events.listWeek({ programId: program.id, week: '2026-W11' })).filter((e) => e.type === 'decision' && e.number === decision.number);
    // One clock instant for all three: the log orders them by event id, so compare as a set.
    expect(changes.map((e) => (e.type === 'decision' ? [e.change, e.affectedTeams] : [])).sort()).toEqual([
      ['amended', ['bostader', 'trygghet']],
      ['logged', ['bostader']],
      ['revoked', ['trygghet']],
    ]);

    // The crash: an amendment stored with its marker, but its event not written.
    const other = (await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-crash' })).decision;
    const revision = { at: '2026-03-10T10:00:00.000Z', by: 'Bo', change: 'amended' as const, previous: { title: other.title, text: other.text, rationale: '', affectedTeams: ['bostader'] }, reason: 'Skäl' };
    await repos.decisions.updateForRequest({ ...other, title: 'Efter kraschen', state: 'amended', history: [revision] }, 'decision-amended|act-crash', { number: other.number, change: 'amended', revision: 1 });
    const again = await amendDecision(deps(), { number: other.number, etag: other.etag, draft: { ...draft, title: 'Efter kraschen' }, reason: 'Skäl', by: 'Bo', requestId: 'act-crash' });
    expect(again).toMatchObject({ duplicate: true, decision: { title: 'Efter kraschen', history: [expect.objectContaining({ change: 'amended' })] } });
    expect(await repos.events.has(program.id, '2026-W11', 'decision-amended|act-crash')).toBe(true);
  });
});

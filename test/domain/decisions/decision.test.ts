/** The decision service on its own: validation, the steering check, filters, idempotency and notices (Azurite). */
import { decisionNoticeMessage } from '../../../cards/decisions/notice.card';
import type { ChannelTarget, Messenger, OutgoingMessage } from '../../../domain/delivery/delivery';
import {
  amendDecision,
  logDecision,
  loggedEventId,
  normaliseDecisionNumber,
  notifyDecision,
  parseDecisionFilter,
  prefillFromText,
  resumeDecisionNotices,
  revokeDecision,
  validateDraft,
  type DecisionDraft,
} from '../../../domain/decisions/decision';
import { ValidationError } from '../../../domain/errors';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import { fixedClock } from '../../../domain/time';
import type { Action } from '../../../domain/types';
import { silentLogger } from '../../../bot/logger';
import { startTestStorage, type TestStorage } from '../../support/storage';

const program = loadProgram();

const actionsRepo = (ids: string[]): Pick<Repositories, 'actions'> => ({
  actions: {
    get: async (_p: string, id: string) => (ids.includes(id) ? ({ id } as Action) : undefined),
  } as unknown as Repositories['actions'],
});

async function problemOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ValidationError) return String(err.details.problem);
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('prefill from `beslut: <text>`', () => {
  it('takes the first sentence as the title, at most 120 characters', () => {
    expect(prefillFromText('Bostäder prioriteras. Detaljplanen tas fram.')).toEqual({ title: 'Bostäder prioriteras.', text: 'Bostäder prioriteras. Detaljplanen tas fram.' });
    expect(prefillFromText('Ingen punkt här\nandra raden')).toEqual({ title: 'Ingen punkt här', text: 'Ingen punkt här\nandra raden' });
    const long = prefillFromText(`${'ord '.repeat(60)}slut.`);
    expect(long.title.length).toBeLessThanOrEqual(120);
    expect(long.title.endsWith('…')).toBe(true);
    expect(prefillFromText('Utbetalning\u0007 beviljas 3.5 mkr!  Mer.').title).toBe('Utbetalning beviljas 3.5 mkr!');
  });
});

describe('validating a draft', () => {
  const base = { title: ' Rubrik\u0000 ', text: 'Text\r\nrad två', meetingDate: '10/3 2026', teams: 'bostader, Trygghet, housing', actions: 'bos-03 IND-01' };

  it('cleans text, parses Swedish dates, resolves team names and action ids', async () => {
    const draft = await validateDraft({ ...base, followUpDue: '2026-04-01' }, program, actionsRepo(['BOS-03', 'IND-01']), 'sv-SE');
    expect(draft).toEqual<DecisionDraft>({
      title: 'Rubrik',
      text: 'Text\nrad två',
      rationale: '',
      meeting: { name: 'Styrgruppsmöte', date: '2026-03-10' },
      affectedTeams: ['bostader', 'trygghet'],
      affectedActions: ['BOS-03', 'IND-01'],
      followUp: { owner: '', due: '2026-04-01', done: false },
    });
    const noFollowUp = await validateDraft(base, program, actionsRepo(['BOS-03', 'IND-01']), 'sv-SE');
    expect(noFollowUp.followUp).toBeUndefined();
  });

  it('names every field at fault, in the user’s language', async () => {
    const sv = await problemOf(validateDraft({ title: 'x'.repeat(201), text: 'y'.repeat(4001), rationale: 'z'.repeat(2001), meetingDate: '2026-02-29', teams: 'fotboll', followUpDue: 'imorgon' }, program, actionsRepo([]), 'sv-SE'));
    expect(sv).toBe(
      [
        'Rubrik får vara högst 200 tecken (nu 201).',
        'Beslut får vara högst 4000 tecken (nu 4001).',
        'Motivering får vara högst 2000 tecken (nu 2001).',
        'Mötesdatum: "2026-02-29" är inget datum. Skriv till exempel 2026-03-17.',
        'Okänt team: "fotboll".',
        'Uppföljning senast: "imorgon" är inget datum. Skriv till exempel 2026-03-17.',
      ].join(' '),
    );
    const en = await problemOf(validateDraft({ text: 'x', meetingDate: '2026-03-10' }, program, actionsRepo([]), 'en-US'));
    expect(en).toBe('Title is required.');
    expect(await problemOf(validateDraft({ ...base, actions: 'BOS-03 BOS-77' }, program, actionsRepo(['BOS-03']), 'sv-SE'))).toContain('finns inte: BOS-77');
  });
});

describe('decision numbers and filters', () => {
  it('normalises typed numbers', () => {
    expect(normaliseDecisionNumber('d-2026-4')).toBe('D-2026-004');
    expect(normaliseDecisionNumber('D-2026-0123')).toBe('D-2026-0123');
    expect(normaliseDecisionNumber('D-26-4')).toBeUndefined();
    expect(normaliseDecisionNumber('beslut')).toBeUndefined();
  });

  const parse = (args: string) => parseDecisionFilter(args, program, '2026-03-10', 'sv-SE');

  it('reads a team and a period in any order', () => {
    expect(parse('')).toEqual({ from: '2025-01-01', to: '2026-12-31', period: { kind: 'default' } });
    expect(parse('bostäder')).toMatchObject({ from: '2025-01-01', to: '2026-12-31', teamKey: 'bostader' });
    expect(parse('2024')).toEqual({ from: '2024-01-01', to: '2024-12-31', period: { kind: 'year', year: 2024 } });
    expect(parse('vecka 47')).toEqual({ from: '2026-11-16', to: '2026-11-22', period: { kind: 'week', week: '2026-W47' } });
    expect(parse('v. 1 2027 trygghet')).toMatchObject({ from: '2027-01-04', to: '2027-01-10', teamKey: 'trygghet' });
    expect(parse('2026-W53')).toMatchObject({ from: '2026-12-28', to: '2027-01-03' });
    expect(parse('housing 2026-06-30..2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-06-30', teamKey: 'bostader', period: { kind: 'range' } });
    expect(parse('1/1/2026..31/3/2026')).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
  });

  it('refuses what it cannot read', () => {
    expect(() => parse('vecka 53 2025')).toThrow(ValidationError);
    expect(() => parse('2026-02-30..2026-03-01')).toThrow(ValidationError);
    expect(() => parse('fotboll')).toThrow(ValidationError);
    try {
      parse('fotboll');
    } catch (err) {
      expect((err as ValidationError).details.problem).toContain('Jag känner inte till "fotboll"');
    }
    expect(() => parse('2000-01-01..2026-01-01')).toThrow(ValidationError);
  });
});

describe('on Azurite', () => {
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

  it('a submit that died after numbering (no event) is found again by its request id, not numbered twice', async () => {
    // The crash: the decision was stored, the event was not.
    const { decision: stored } = await repos.decisions.createForRequest(
      { ...draft, programId: program.id, year: 2026, loggedBy: 'Anna', loggedAt: '2026-03-10T09:59:00.000Z', state: 'active', history: [], requestId: 'form-1' },
      loggedEventId('form-1'),
    );
    expect(await repos.events.has(program.id, '2026-W11', loggedEventId('form-1'))).toBe(false);
    const again = await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-1' });
    expect(again).toMatchObject({ duplicate: true, decision: { number: stored.number } });
    expect(await repos.events.has(program.id, '2026-W11', loggedEventId('form-1'))).toBe(true);
    expect(await repos.decisions.listYear(program.id, 2026)).toHaveLength(1);

    // A retry in a later week (a different event partition) still finds it.
    clock.set('2026-03-20T10:00:00Z');
    try {
      expect(await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-1' })).toMatchObject({ duplicate: true, decision: { number: 'D-2026-001' } });
      expect(await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-2' })).toMatchObject({ duplicate: false, decision: { number: 'D-2026-002' } });
    } finally {
      clock.set('2026-03-10T10:00:00Z');
    }
  });

  it('the same request at once numbers one decision with one event; the others answer with it and leave the notices to it', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => logDecision(deps(), { draft: { ...draft, title: 'Samtidigt' }, by: 'Anna', requestId: 'form-at-once' })));
    expect(new Set(results.map((r) => r.decision.number))).toEqual(new Set(['D-2026-001']));
    expect(results.map((r) => [r.duplicate, r.notify]).sort()).toEqual([[false, true], ...Array.from({ length: 5 }, () => [true, false])]);
    expect(await repos.decisions.listYear(program.id, 2026)).toHaveLength(1);
    const events = (await repos.events.listWeek({ programId: program.id, week: '2026-W11' })).filter((e) => e.type === 'decision');
    expect(events).toHaveLength(1);
    // The counter was not moved by the refused transactions: the next form gets the next number.
    expect((await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-next' })).decision.number).toBe('D-2026-002');
    // Long after, a redelivery takes the notices on (the first run is not posting them any more).
    clock.advance(10 * 60 * 1000);
    try {
      expect(await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-at-once' })).toMatchObject({ duplicate: true, notify: true, decision: { number: 'D-2026-001' } });
    } finally {
      clock.set('2026-03-10T10:00:00Z');
    }
  });

  it('an amend or revoke delivered twice at once makes one revision and one event; a redelivery after a crash writes the missing event', async () => {
    const { decision } = await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-change' });
    const amend = (requestId: string, title: string) =>
      amendDecision(deps(), { number: decision.number, etag: decision.etag, draft: { ...draft, title, affectedTeams: ['trygghet'] }, reason: 'Skäl', by: 'Bo', requestId, locale: 'sv-SE' });
    const amended = await Promise.all([amend('act-amend', 'Ny rubrik'), amend('act-amend', 'Ny rubrik'), amend('act-amend', 'Ny rubrik')]);
    expect(amended.map((r) => r.duplicate).sort()).toEqual([false, true, true]);
    let stored = (await repos.decisions.get(program.id, decision.number))!;
    expect(stored.history.map((h) => h.change)).toEqual(['amended']);
    expect(amended.every((r) => r.decision.etag === stored.etag)).toBe(true);

    const revoke = () => revokeDecision(deps(), { number: decision.number, etag: stored.etag, reason: 'Upphävs', by: 'Bo', requestId: 'act-revoke', locale: 'sv-SE' });
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
    const again = await amendDecision(deps(), { number: other.number, etag: other.etag, draft: { ...draft, title: 'Efter kraschen' }, reason: 'Skäl', by: 'Bo', requestId: 'act-crash', locale: 'sv-SE' });
    expect(again).toMatchObject({ duplicate: true, decision: { title: 'Efter kraschen', history: [expect.objectContaining({ change: 'amended' })] } });
    expect(await repos.events.has(program.id, '2026-W11', 'decision-amended|act-crash')).toBe(true);
  });

  it('notices go once per bound channel; a later run finishes what an outage left', async () => {
    const posted: { channelId: string; message: OutgoingMessage }[] = [];
    let failFor: string | undefined = 'ch-housing-2';
    const messenger: Messenger = {
      post: async (target: ChannelTarget, message: OutgoingMessage) => {
        if (target.channelId === failFor) throw new Error('connector down');
        posted.push({ channelId: target.channelId, message });
        return { messageId: `m${posted.length}`, threadId: `${target.channelId};messageid=m${posted.length}` };
      },
      reply: async () => ({ messageId: 'x' }),
      update: async () => undefined,
      members: async () => [],
    };
    const bind = (channelId: string, teamKey: string) =>
      repos.bindings.put({ programId: program.id, channelId, teamsTeamId: 'team', channelName: channelId, role: { kind: 'team', teamKey }, reference: {}, boundBy: 'x', boundAt: '2026-01-01T00:00:00Z' });
    await bind('ch-housing-1', 'bostader');
    await bind('ch-housing-2', 'bostader');
    await bind('ch-safety', 'trygghet');
    const { decision } = await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-n' });

    const first = await notifyDecision({ ...deps(), messenger }, decision, decisionNoticeMessage);
    expect(first).toMatchObject({ sent: 1, failed: 1 });
    expect(posted.map((p) => p.channelId)).toEqual(['ch-housing-1']);
    expect(JSON.stringify(posted[0]!.message.card)).toContain('D-2026-001 · Rubrik');

    // Too early for the resume job (the first run may still be posting), then it finishes.
    failFor = undefined;
    expect(await resumeDecisionNotices({ ...deps(), messenger }, decisionNoticeMessage)).toBe(0);
    clock.advance(10 * 60 * 1000);
    try {
      expect(await resumeDecisionNotices({ ...deps(), messenger }, decisionNoticeMessage)).toBe(1);
      expect(await resumeDecisionNotices({ ...deps(), messenger }, decisionNoticeMessage)).toBe(0);
    } finally {
      clock.set('2026-03-10T10:00:00Z');
    }
    expect(posted.map((p) => p.channelId)).toEqual(['ch-housing-1', 'ch-housing-2']);
    const cards = (await repos.events.listWeek({ programId: program.id, week: '2026-W11' })).filter((e) => e.type === 'card');
    expect(cards.map((e) => (e.type === 'card' ? [e.kind, e.channelId, e.teamKey] : [])).sort()).toEqual([
      ['decision', 'ch-housing-1', 'bostader'],
      ['decision', 'ch-housing-2', 'bostader'],
    ]);
  });
});

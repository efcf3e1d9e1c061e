/** The add/edit action form: checking what it sends back, and the id a new action gets. */
import { nextActionId, parseActionForm } from '../../../domain/actions';
import { problemsText } from '../../../domain/card-input';

describe('pure parts', () => {
  it('validates the action form; dates as people type them, impossible dates named', () => {
    expect(
      parseActionForm({
        title: '  Ny  åtgärd ',
        ownerName: 'Bo',
        ownerEmail: 'Bo@Harnosand.se',
        due: '31/12 2026',
        description: 'd',
      }),
    ).toEqual({
      ok: true,
      value: {
        title: 'Ny åtgärd',
        owner: { name: 'Bo', email: 'Bo@Harnosand.se' },
        due: '2026-12-31',
        description: 'd',
      },
    });
    const missing = parseActionForm({ title: 'x', due: '2026-02-30' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(problemsText('sv-SE', missing.problems)).toBe('datumet 2026-02-30 finns inte i kalendern');
    const words = parseActionForm({ title: '', ownerEmail: 'inte en adress', due: 'nästa vecka' });
    if (!words.ok) {
      expect(problemsText('sv-SE', words.problems)).toBe(
        'titeln behövs och får vara högst 200 tecken; "inte en adress" ser inte ut som en e-postadress; "nästa vecka" är inget datum – skriv som ÅÅÅÅ-MM-DD',
      );
    } else throw new Error('expected a refusal');
  });

  it('finds the next free action id for a prefix', () => {
    expect(nextActionId('BOS', ['BOS-01', 'BOS-09', 'IND-20', 'bos-11x'])).toBe('BOS-10');
    expect(nextActionId('TRY', [])).toBe('TRY-01');
    expect(nextActionId('BOS', ['BOS-99'], 1)).toBe('BOS-101');
  });
});

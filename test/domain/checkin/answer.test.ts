/** Checking one action's answer from the check-in card, and the refusal in words. */
import { problemsText } from '../../../domain/card-input';
import { parseAnswer } from '../../../domain/checkin';

describe('pure parts', () => {
  it('validates answers: status from the list, progress 0–100, length limits, control characters stripped', () => {
    const current = { status: 'on_track' as const, progress: 20, title: 'T' };
    expect(
      parseAnswer({ status: 'at_risk', progress: '55', comment: ' Bra\u0007 vecka\r\n', highlight: 'true' }, current),
    ).toEqual({
      ok: true,
      value: {
        status: 'at_risk',
        progress: 55,
        comment: 'Bra vecka',
        blockers: '',
        nextStep: '',
        forComms: 'Bra vecka',
      },
    });
    expect(parseAnswer({}, current)).toMatchObject({
      ok: true,
      value: { status: 'on_track', progress: 20, forComms: '' },
    });
    expect(parseAnswer({ highlight: true }, current)).toMatchObject({ ok: true, value: { forComms: 'T' } });
    for (const bad of [
      { status: 'klar' },
      { progress: '101' },
      { progress: '12.5' },
      { progress: 'mycket' },
      { progress: -1 },
      { comment: 'x'.repeat(1001) },
      { comms: 'x'.repeat(301) },
    ]) {
      expect([bad, parseAnswer(bad, current).ok]).toEqual([bad, false]);
    }
    const refused = parseAnswer({ status: 'klar', progress: '200', blockers: 'x'.repeat(1001) }, current);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(problemsText('sv-SE', refused.problems)).toBe(
        'välj en status i listan; framdriften ska vara ett heltal mellan 0 och 100; Hinder får vara högst 1000 tecken',
      );
      expect(problemsText('en-US', refused.problems)).toContain('progress must be a whole number from 0 to 100');
    }
  });
});

it('reads a status with an invisible character in it as the status it shows, and refuses a look-alike', () => {
  const current = { status: 'on_track' as const, progress: 10, title: 'Åtgärd' };
  const invisible = parseAnswer({ status: 'done\u200b' }, current);
  expect(invisible).toMatchObject({ ok: true, value: { status: 'done' } });
  const accented = parseAnswer({ status: 'done\u0301' }, current);
  expect(accented).toMatchObject({ ok: false, problems: [{ key: 'checkin.invalid.status' }] });
});

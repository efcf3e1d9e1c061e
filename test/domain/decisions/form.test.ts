/** The decision form on its own: pre-filling from `beslut: <text>`, and validating what it sends. */
import { problemText } from '../../../bot/errors';
import { prefillFromText, validateDraft, type DecisionDraft } from '../../../domain/decisions/form';
import { ValidationError } from '../../../domain/errors';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import type { Action, Locale } from '../../../domain/types';

const program = loadProgram();

const actionsRepo = (ids: string[]): Pick<Repositories, 'actions'> => ({
  actions: {
    get: async (_p: string, id: string) => (ids.includes(id) ? ({ id } as Action) : undefined),
  } as unknown as Repositories['actions'],
});

/** A refused draft's problems in words, as the form shows them in `locale`. */
async function problemOf(p: Promise<unknown>, locale: Locale): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ValidationError) return problemText(err, locale);
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('prefill from `beslut: <text>`', () => {
  it('takes the first sentence as the title, at most 120 characters', () => {
    expect(prefillFromText('Bostäder prioriteras. Detaljplanen tas fram.')).toEqual({
      title: 'Bostäder prioriteras.',
      text: 'Bostäder prioriteras. Detaljplanen tas fram.',
    });
    expect(prefillFromText('Ingen punkt här\nandra raden')).toEqual({
      title: 'Ingen punkt här',
      text: 'Ingen punkt här\nandra raden',
    });
    const long = prefillFromText(`${'ord '.repeat(60)}slut.`);
    expect(long.title.length).toBeLessThanOrEqual(120);
    expect(long.title.endsWith('…')).toBe(true);
    expect(prefillFromText('Utbetalning\u0007 beviljas 3.5 mkr!  Mer.').title).toBe('Utbetalning beviljas 3.5 mkr!');
  });
});

describe('validating a draft', () => {
  const base = {
    title: ' Rubrik\u0000 ',
    text: 'Text\r\nrad två',
    meetingDate: '10/3 2026',
    teams: 'bostader, Trygghet, housing',
    actions: 'bos-03 IND-01',
  };

  it('cleans text, parses Swedish dates, resolves team names and action ids', async () => {
    const draft = await validateDraft(
      { ...base, followUpDue: '2026-04-01' },
      program,
      actionsRepo(['BOS-03', 'IND-01']),
    );
    expect(draft).toEqual<DecisionDraft>({
      title: 'Rubrik',
      text: 'Text\nrad två',
      rationale: '',
      meeting: { name: 'Styrgruppsmöte', date: '2026-03-10' },
      affectedTeams: ['bostader', 'trygghet'],
      affectedActions: ['BOS-03', 'IND-01'],
      followUp: { owner: '', due: '2026-04-01', done: false },
    });
    const noFollowUp = await validateDraft(base, program, actionsRepo(['BOS-03', 'IND-01']));
    expect(noFollowUp.followUp).toBeUndefined();
  });

  it('names every field at fault, in the user’s language', async () => {
    const sv = await problemOf(
      validateDraft(
        {
          title: 'x'.repeat(201),
          text: 'y'.repeat(4001),
          rationale: 'z'.repeat(2001),
          meetingDate: '2026-02-29',
          teams: 'fotboll',
          followUpDue: 'imorgon',
        },
        program,
        actionsRepo([]),
      ),
      'sv-SE',
    );
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
    const en = await problemOf(
      validateDraft({ text: 'x', meetingDate: '2026-03-10' }, program, actionsRepo([])),
      'en-US',
    );
    expect(en).toBe('Title is required.');
    expect(
      await problemOf(validateDraft({ ...base, actions: 'BOS-03 BOS-77' }, program, actionsRepo(['BOS-03'])), 'sv-SE'),
    ).toContain('finns inte: BOS-77');
  });
});

describe('the problems a refused draft reports', () => {
  it('are text keys with their parameters, the field at fault named by its key', async () => {
    const err = await validateDraft(
      { text: 'x'.repeat(4001), meetingDate: '2026-03-10' },
      program,
      actionsRepo([]),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details.problems).toEqual([
      { key: 'decision.invalid.required', fieldKey: 'decision.field.title' },
      { key: 'decision.invalid.tooLong', fieldKey: 'decision.field.text', params: { max: 4000, length: 4001 } },
    ]);
  });
});

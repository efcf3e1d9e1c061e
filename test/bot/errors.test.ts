/** Refusals in words: problems the domain gives as text keys, and the plain texts other refusals carry. */
import { describeError, problemText } from '../../bot/errors';
import { NotFoundError, ValidationError } from '../../domain/errors';

describe('a refusal in the user’s language', () => {
  it('puts keyed problems into words, one after another, the field named by its key', () => {
    const err = new ValidationError('invalid decision: 2 problem(s)', {
      problems: [
        { key: 'decision.invalid.required', fieldKey: 'decision.field.title' },
        { key: 'decision.invalid.tooLong', fieldKey: 'decision.field.text', params: { max: 4000, length: 4001 } },
      ],
    });
    expect(problemText(err, 'sv-SE')).toBe('Rubrik måste fyllas i. Beslut får vara högst 4000 tecken (nu 4001).');
    expect(problemText(err, 'en-US')).toBe('Title is required. Decision can be at most 4000 characters (now 4001).');
    expect(describeError(err, 'en-US')).toContain(
      'Title is required. Decision can be at most 4000 characters (now 4001).',
    );
  });

  it('keeps a plain problem text, and ignores what is not a text key', () => {
    expect(
      problemText(new ValidationError('x', { problem: 'Redan i ord.', problems: ['Redan i ord.'] }), 'sv-SE'),
    ).toBe('Redan i ord.');
    expect(
      problemText(new ValidationError('x', { problem: 'Redan i ord.', problems: [{ key: 'toString' }] }), 'sv-SE'),
    ).toBe('Redan i ord.');
    expect(problemText(new ValidationError('the message'), 'sv-SE')).toBe('the message');
  });

  it('names what was not found from a text key or a plain text', () => {
    expect(
      describeError(
        new NotFoundError('decision D-2026-999', {
          what: { key: 'decision.notFound', params: { number: 'D-2026-999' } },
        }),
        'sv-SE',
      ),
    ).toBe('Det hittade jag inte: beslut D-2026-999.');
    expect(describeError(new NotFoundError('team x', { what: 'x' }), 'en-US')).toBe('I could not find that: x.');
  });
});

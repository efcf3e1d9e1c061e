/** The add/edit action form and the card after saving validate as Adaptive Cards 1.5 in both languages, also at maximum sizes. */
import { actionEditCard, actionSavedCard } from '../../../cards/actions/edit.card';
import { cardBytes, MAX_CARD_BYTES } from '../../../cards/card';
import { validateCard } from '../../../cards/validate';
import { ACTION_EDIT_LIMITS } from '../../../domain/actions';
import type { Locale } from '../../../domain/types';

const locales: Locale[] = ['sv-SE', 'en-US'];

describe.each(locales)('action edit cards in %s', (locale) => {
  it('action edit cards validate', () => {
    const max = 'Ö'.repeat(3000);
    const form = actionEditCard(
      {
        teamKey: 'bostader',
        teamName: 'Bostäder',
        actionId: 'BOS-01',
        etag: 'W/"datetime\'2026\'"',
        values: {
          title: max.slice(0, ACTION_EDIT_LIMITS.title),
          ownerName: max.slice(0, 100),
          ownerEmail: 'a@b.se',
          due: '2026-12-31',
          description: max.slice(0, 2000),
        },
        notice: { tone: 'attention', text: 'fel' },
      },
      locale,
    );
    expect(validateCard(form)).toEqual([]);
    expect(cardBytes(form)).toBeLessThan(MAX_CARD_BYTES);
    expect(
      validateCard(
        actionEditCard(
          {
            teamKey: 'bostader',
            teamName: 'Bostäder',
            values: { title: '', ownerName: '', ownerEmail: '', due: '', description: '' },
          },
          locale,
        ),
      ),
    ).toEqual([]);
    expect(
      validateCard(
        actionSavedCard(
          {
            teamKey: 'bostader',
            teamName: 'Bostäder',
            actionId: 'BOS-01',
            message: 'ok',
            title: 't',
            owner: '*x*',
            due: '2026-12-31',
          },
          locale,
        ),
      ),
    ).toEqual([]);
  });
});

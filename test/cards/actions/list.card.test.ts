/** The action list validates as an Adaptive Card 1.5 in both languages with its add and edit buttons. */
import { actionEditButtons } from '../../../cards/actions/edit.card';
import { actionListCard } from '../../../cards/actions/list.card';
import { cardBytes, MAX_CARD_BYTES } from '../../../cards/card';
import { validateCard } from '../../../cards/validate';
import type { Locale } from '../../../domain/types';

const locales: Locale[] = ['sv-SE', 'en-US'];

describe.each(locales)('action list card in %s', (locale) => {
  it('the action list carries add and edit buttons and still validates', () => {
    const items = Array.from({ length: 15 }, (_, i) => ({
      id: `BOS-${i}`,
      title: 'Planera '.repeat(40),
      owner: 'Anna',
      status: 'on_track' as const,
      progress: 1,
      overdue: false,
    }));
    const c = actionListCard({ teamKey: 'bostader', teamName: 'Bostäder', actions: items }, locale);
    expect(validateCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(MAX_CARD_BYTES);
    const json = JSON.stringify(c);
    expect(json).toContain('"verb":"actionEdit.open","data":{"teamKey":"bostader","verb":"actionEdit.open"}');
    expect(json).toContain('"id":"actionEdit.actionId"');
    expect(
      validateCard({ type: 'AdaptiveCard', version: '1.5', body: [actionEditButtons('bostader', [], locale)] }),
    ).toEqual([]);
  });
});

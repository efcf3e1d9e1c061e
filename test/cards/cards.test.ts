/** Every foundation card validates as Adaptive Card 1.5 with the `adaptivecards` library, in both languages. */
import { actionListCard, ACTIONS_PER_PAGE, type ActionListItem } from '../../cards/actions/list.card';
import { cardBytes, MAX_CARD_BYTES } from '../../cards/card';
import { helpCard } from '../../cards/help.card';
import { noticeCard } from '../../cards/notice.card';
import { validateCard } from '../../cards/validate';
import { welcomeCard } from '../../cards/welcome.card';
import type { Locale } from '../../domain/types';

const locales: Locale[] = ['sv-SE', 'en-US'];

const item = (i: number, extra: Partial<ActionListItem> = {}): ActionListItem => ({
  id: `BOS-${String(i).padStart(2, '0')}`,
  title: `Planera ${i * 10} nya bostäder vid Saltvik – ${'detaljplan '.repeat(15)}`,
  owner: 'Anna Ström',
  due: '2026-12-31',
  status: 'on_track',
  progress: 40,
  overdue: false,
  ...extra,
});

describe('the validator itself', () => {
  it('rejects a broken card', () => {
    expect(
      validateCard({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'Bogus' }, { type: 'Input.Text', id: 'a' }, { type: 'Input.Text', id: 'a' }],
      }).length,
    ).toBeGreaterThan(0);
    expect(validateCard({ type: 'AdaptiveCard', version: '1.2', body: [] })).toContain('version must be 1.5, got 1.2');
  });
});

describe.each(locales)('cards in %s', (locale) => {
  it('help', () => {
    const c = helpCard(
      { boundTo: 'teamet Bostäder', teams: ['Bostäder', 'Trygghet'], admins: 'Anna Ström (installerade Kraftsamla)' },
      locale,
      'notice',
    );
    expect(validateCard(c)).toEqual([]);
    expect(JSON.stringify(c)).not.toMatch(/help\.cmd|\{\w+\}/);
  });

  it('welcome and notice', () => {
    expect(validateCard(welcomeCard({ channels: ['General', 'Bostäder'] }, locale))).toEqual([]);
    expect(validateCard(noticeCard('x', locale, 'attention'))).toEqual([]);
  });

  it('action list: empty, one page, many pages under the size limit', () => {
    const empty = actionListCard({ teamKey: 'bostader', teamName: 'Bostäder', actions: [] }, locale);
    expect(validateCard(empty)).toEqual([]);
    const many = Array.from({ length: 40 }, (_, i) =>
      item(i, { overdue: i % 3 === 0, status: i % 2 ? 'at_risk' : 'done' }),
    );
    const first = actionListCard({ teamKey: 'bostader', teamName: 'Bostäder', actions: many }, locale, 0);
    const last = actionListCard({ teamKey: 'bostader', teamName: 'Bostäder', actions: many }, locale, 2);
    for (const c of [first, last]) {
      expect(validateCard(c)).toEqual([]);
      expect(cardBytes(c)).toBeLessThan(MAX_CARD_BYTES);
    }
    expect(JSON.stringify(first).match(/"BOS-\d\d · /g)).toHaveLength(ACTIONS_PER_PAGE);
    expect(first.actions?.map((a) => a.data)).toEqual([{ verb: 'actions.page', teamKey: 'bostader', page: 1 }]);
    expect(last.actions?.map((a) => (a.data as { page: number }).page)).toEqual([1]);
  });

  it('shows user text literally, not as Markdown', () => {
    const c = actionListCard(
      { teamKey: 'bostader', teamName: 'Bostäder', actions: [item(1, { title: '**fet** [länk](http://x) ${evil}' })] },
      locale,
    );
    const runs = JSON.stringify(c);
    expect(runs).toContain('"type":"TextRun","text":"BOS-01 · **fet** [länk](http://x) ${evil}"');
  });
});

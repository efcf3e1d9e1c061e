/**
 * The plan as written on the cards: the timeline beside (or instead of) the due date, ongoing
 * actions never overdue, the goal in the action list, and retired actions left out of the list and
 * the check-in card. Every card is validated with `adaptivecards`.
 */
import { dueText, goalText } from '../../cards/actions/action-text';
import { actionSavedCard } from '../../cards/actions/edit.card';
import { actionListCard } from '../../cards/actions/list.card';
import { cardBytes, TEAMS_MESSAGE_MAX_BYTES } from '../../cards/card';
import { checkInCard } from '../../cards/checkin/checkin.card';
import { validateCard } from '../../cards/validate';
import { actionRowView, isOverdue } from '../../domain/actions';
import { actionsOnCard, buildCheckInView } from '../../domain/checkin';
import { loadProgram } from '../../domain/program';
import type { Action, Locale } from '../../domain/types';

const program = loadProgram();
const NOW = new Date('2026-11-27T12:00:00Z');
const TODAY = '2026-11-27';

const action = (id: string, extra: Partial<Action> = {}): Action => ({
  programId: program.id,
  id,
  teamKey: 'bostader',
  title: `Åtgärd ${id}`,
  description: '',
  owner: { name: 'Anna Ström' },
  responsibleBody: 'Samhällsbyggnadsnämnden',
  financing: '',
  status: 'on_track',
  progress: 40,
  indicatorIds: [],
  ...extra,
});

const plan: Action[] = [
  action('BOS-01', {
    timeline: 'Hösten 2026',
    due: '2026-11-30',
    goal: 'Fler bostäder',
    subGoal: 'Hyresrätter i centrum',
  }),
  // "Löpande" with a stale date from an older plan: still never overdue.
  action('BOS-02', { timeline: 'Löpande', ongoing: true, due: '2026-01-31' }),
  action('BOS-03', { due: '2026-10-01' }),
  action('BOS-04', { timeline: 'Hösten 2026', due: '2026-11-30', retiredAt: '2026-11-25T09:00:00.000Z' }),
  action('BOS-05', { timeline: '2026–2027', due: '2027-12-31', goal: 'Fler bostäder' }),
];

/** All the text a card shows, in reading order. */
function cardText(node: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if ((o.type === 'TextRun' || o.type === 'TextBlock') && typeof o.text === 'string') out.push(o.text);
    for (const [k, v] of Object.entries(o)) if (k !== 'data') walk(v);
  };
  walk(node);
  return out.join('\n');
}

describe('timeline and goal texts', () => {
  it.each<[Locale, Partial<Action>, string]>([
    ['sv-SE', { timeline: 'Hösten 2026', due: '2026-11-30' }, 'Tidplan: Hösten 2026 (senast 30 november 2026)'],
    ['en-US', { timeline: 'Hösten 2026', due: '2026-11-30' }, 'Timeline: Hösten 2026 (by 30 November 2026)'],
    ['sv-SE', { timeline: 'Löpande', ongoing: true }, 'Tidplan: Löpande'],
    ['sv-SE', { timeline: 'Löpande', ongoing: true, due: '2026-01-31' }, 'Tidplan: Löpande'],
    ['sv-SE', { timeline: 'Enligt plan' }, 'Tidplan: Enligt plan'],
    ['sv-SE', { ongoing: true }, 'Tidplan: löpande'],
    ['sv-SE', { due: '2026-10-01' }, 'Slutdatum: 1 oktober 2026'],
    ['sv-SE', {}, 'Slutdatum: inget slutdatum'],
    ['en-US', {}, 'Due: no due date'],
  ])('%s %j → %s', (locale, fields, expected) => {
    expect(dueText(locale, fields)).toBe(expected);
  });

  it('the goal line has the goal and the sub-goal, and nothing without them', () => {
    expect(goalText('sv-SE', { goal: 'Fler bostäder', subGoal: 'Hyresrätter' })).toBe(
      'Mål: Fler bostäder · Delmål: Hyresrätter',
    );
    expect(goalText('en-US', { goal: 'More homes' })).toBe('Goal: More homes');
    expect(goalText('sv-SE', { goal: '  ' })).toBeUndefined();
  });

  it('an ongoing action is never overdue; a dated one past its date is', () => {
    expect(isOverdue({ ongoing: true, due: '2026-01-31', status: 'on_track' }, TODAY)).toBe(false);
    expect(isOverdue({ due: '2026-01-31', status: 'on_track' }, TODAY)).toBe(true);
    expect(actionRowView(plan[1]!, TODAY)).toMatchObject({ timeline: 'Löpande', ongoing: true, overdue: false });
  });
});

describe.each<Locale>(['sv-SE', 'en-US'])('the action list in %s', (locale) => {
  const rows = plan.filter((a) => !a.retiredAt).map((a) => actionRowView(a, TODAY));
  const c = actionListCard({ teamKey: 'bostader', teamName: 'Bostäder', actions: rows }, locale);
  const text = cardText(c.body);

  it('validates and shows each timeline as written, with the derived date', () => {
    expect(validateCard(c)).toEqual([]);
    if (locale === 'sv-SE') {
      expect(text).toContain('Tidplan: Hösten 2026 (senast 30 november 2026)');
      expect(text).toContain('Tidplan: Löpande');
      expect(text).toContain('Tidplan: 2026–2027 (senast 31 december 2027)');
      expect(text).toContain('Slutdatum: 1 oktober 2026');
      expect(text).toContain('Mål: Fler bostäder · Delmål: Hyresrätter i centrum');
    } else {
      expect(text).toContain('Timeline: Hösten 2026 (by 30 November 2026)');
      expect(text).toContain('Goal: Fler bostäder · Sub-goal: Hyresrätter i centrum');
    }
  });

  it('marks only the dated action past its date as overdue, not the ongoing one', () => {
    const overdueWord = locale === 'sv-SE' ? 'försenad' : 'overdue';
    expect(text.split('\n').filter((l) => l === overdueWord)).toHaveLength(1);
  });

  it('stays under the size limit with the longest timeline and goal', () => {
    const long = Array.from({ length: 15 }, (_, i) =>
      actionRowView(
        action(`BOS-${i}`, {
          title: 'Å'.repeat(200),
          timeline: 'Ö'.repeat(500),
          due: '2026-11-30',
          goal: 'Ä'.repeat(500),
          subGoal: 'Ä'.repeat(500),
        }),
        TODAY,
      ),
    );
    const big = actionListCard({ teamKey: 'bostader', teamName: 'Bostäder', actions: long }, locale);
    expect(validateCard(big)).toEqual([]);
    // The list pages by count, not bytes (test/cards/size.test.ts): room is left for the activity around it.
    expect(cardBytes(big)).toBeLessThan(TEAMS_MESSAGE_MAX_BYTES - 8 * 1024);
  });
});

describe.each<Locale>(['sv-SE', 'en-US'])('the check-in card in %s', (locale) => {
  it('shows the timeline where the due date was, and leaves a retired action out', () => {
    const view = buildCheckInView(program, 'bostader', '2026-W48', plan, undefined, NOW);
    expect(view.actions.map((a) => a.id)).not.toContain('BOS-04');
    expect(view.total).toBe(4);
    const c = checkInCard(view, locale);
    expect(validateCard(c)).toEqual([]);
    const text = cardText(c.body);
    expect(text).toContain(
      locale === 'sv-SE'
        ? 'Tidplan: Hösten 2026 (senast 30 november 2026)'
        : 'Timeline: Hösten 2026 (by 30 November 2026)',
    );
    expect(text).toContain(locale === 'sv-SE' ? 'Tidplan: Löpande' : 'Timeline: Löpande');
    expect(text).not.toContain('BOS-04');
    expect(view.actions.find((a) => a.id === 'BOS-02')!.overdue).toBe(false);
    expect(view.actions.find((a) => a.id === 'BOS-03')!.overdue).toBe(true);
  });
});

it('a retired action is not on any week’s card, even one it was answered in', () => {
  const retired = action('BOS-09', {
    retiredAt: '2026-11-25T09:00:00.000Z',
    lastUpdate: { at: '2026-11-24T09:00:00.000Z', by: 'Anna', checkInWeek: '2026-W48' },
  });
  expect(actionsOnCard([retired], '2026-W48', program.timezone)).toEqual([]);
});

describe.each<Locale>(['sv-SE', 'en-US'])('the action saved card in %s', (locale) => {
  it('shows the timeline as written where it showed the due date, and validates', () => {
    const c = actionSavedCard(
      {
        teamKey: 'bostader',
        teamName: 'Bostäder',
        actionId: 'BOS-01',
        message: 'Sparat',
        title: 'Titel',
        owner: 'Anna',
        due: '2026-11-30',
        timeline: 'Hösten 2026',
      },
      locale,
    );
    expect(validateCard(c)).toEqual([]);
    expect(cardText(c.body)).toContain(
      locale === 'sv-SE'
        ? 'Tidplan: Hösten 2026 (senast 30 november 2026)'
        : 'Timeline: Hösten 2026 (by 30 November 2026)',
    );
    const plain = actionSavedCard(
      {
        teamKey: 'bostader',
        teamName: 'Bostäder',
        actionId: 'BOS-01',
        message: 'Sparat',
        title: 'Titel',
        owner: 'Anna',
        due: '2026-11-30',
      },
      locale,
    );
    expect(cardText(plain.body)).toContain(
      locale === 'sv-SE' ? 'Slutdatum: 30 november 2026' : 'Due: 30 November 2026',
    );
  });
});

/** The check-in card's view of a team's actions: which actions it shows, overdue, and who answered this week. */
import { buildCheckInView } from '../../../domain/checkin';
import { loadProgram } from '../../../domain/program';
import type { Action } from '../../../domain/types';
import { testAction } from '../../support/fixtures';

const program = loadProgram();
const MONDAY = '2026-11-23T08:00:00.000Z'; // 09:00 in Stockholm, week 48
const WEEK = '2026-W48';

const action = (id: string, extra: Partial<Action> = {}): Action =>
  testAction(id, { owner: { name: `Ägare ${id}`, email: `${id.toLowerCase()}@harnosand.se` }, ...extra });

describe('pure parts', () => {
  it('the view shows open actions and those done this week, with overdue and who answered', () => {
    const actions = [
      action('BOS-01', { due: '2026-11-01', status: 'at_risk' }),
      action('BOS-02', { status: 'done', lastUpdate: { at: '2026-10-01T10:00:00Z', by: 'x' } }),
      action('BOS-03', {
        status: 'done',
        due: '2026-11-01',
        lastUpdate: { at: '2026-11-24T09:15:00Z', by: 'Bo Ek', checkInWeek: WEEK },
      }),
      action('BOS-04', { due: undefined, status: 'paused' }),
    ];
    const view = buildCheckInView(program, 'bostader', WEEK, actions, undefined, new Date(MONDAY));
    expect(view.actions.map((a) => a.id)).toEqual(['BOS-01', 'BOS-03', 'BOS-04']);
    expect(view.actions.map((a) => a.overdue)).toEqual([true, false, false]);
    expect(view.actions[1]!.answered).toEqual({ by: 'Bo Ek', date: '2026-11-24', time: '10:15' });
    expect([view.answered, view.total, view.teamName]).toEqual([1, 3, 'Bostäder']);
  });
});

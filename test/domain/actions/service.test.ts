/** Adding and editing an action from a card, on Azurite: the next free id, the ActionChanged log, redeliveries and conflicts. */
import { ActionService } from '../../../domain/actions';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import { fixedClock } from '../../../domain/time';
import type { Action } from '../../../domain/types';
import { startTestStorage, type TestStorage } from '../../support/storage';
import { testAction } from '../../support/fixtures';

const program = loadProgram();
const MONDAY = '2026-11-23T08:00:00.000Z'; // 09:00 in Stockholm, week 48
const WEEK = '2026-W48';

const action = (id: string, extra: Partial<Action> = {}): Action =>
  testAction(id, { owner: { name: `Ägare ${id}`, email: `${id.toLowerCase()}@harnosand.se` }, ...extra });

let storage: TestStorage;
let repos: Repositories;
let clock: ReturnType<typeof fixedClock>;

function service(): ActionService {
  return new ActionService({ program, repos, clock });
}

const anna = { id: 'aad-anna', name: 'Anna Styrgren' };

beforeAll(async () => {
  storage = await startTestStorage();
});
afterAll(async () => {
  await storage.stop();
});
beforeEach(async () => {
  repos = (await storage.fresh()).repositories;
  clock = fixedClock(MONDAY);
});

describe('adding and editing actions', () => {
  beforeEach(async () => {
    await repos.actions.saveAll([action('BOS-01'), action('BOS-07'), action('IND-01', { teamKey: 'industrimark' })]);
  });

  it('adds with the next free id, logs ActionChanged, and a redelivery creates nothing more', async () => {
    const values = {
      title: 'Ny åtgärd',
      ownerName: 'Bo Ek',
      ownerEmail: 'bo@harnosand.se',
      due: '2027-03-31',
      description: 'Beskrivning',
    };
    const out = await service().saveAction({ teamKey: 'bostader', values }, anna, 'req-new');
    expect(out.kind).toBe('created');
    expect(await repos.actions.get('harnosand', 'BOS-08')).toMatchObject({
      title: 'Ny åtgärd',
      owner: { name: 'Bo Ek', email: 'bo@harnosand.se' },
      due: '2027-03-31',
      status: 'not_started',
      teamKey: 'bostader',
    });
    const again = await service().saveAction({ teamKey: 'bostader', values }, anna, 'req-new');
    expect(again).toMatchObject({ kind: 'duplicate', action: { id: 'BOS-08' } });
    expect((await repos.actions.listByTeam('harnosand', 'bostader')).map((a) => a.id).sort()).toEqual([
      'BOS-01',
      'BOS-07',
      'BOS-08',
    ]);
    const events = (await repos.events.listWeek({ programId: 'harnosand', week: WEEK })).filter(
      (e) => e.type === 'action',
    );
    expect(events).toEqual([
      expect.objectContaining({
        actionId: 'BOS-08',
        change: 'created',
        by: 'Anna Styrgren',
        eventId: 'action|req-new|new',
      }),
    ]);
  });

  it('edits with the etag the form was opened with; a change in between is a conflict', async () => {
    const opened = await repos.actions.get('harnosand', 'BOS-01');
    const out = await service().saveAction(
      {
        teamKey: 'bostader',
        actionId: 'BOS-01',
        etag: opened!.etag,
        values: {
          title: 'Nytt namn',
          ownerName: 'Ägare BOS-01',
          ownerEmail: 'bos-01@harnosand.se',
          due: '2027-01-15',
          description: '',
        },
      },
      anna,
      'req-e1',
    );
    expect(out).toMatchObject({ kind: 'updated', fields: ['title', 'due'] });
    const stale = await service().saveAction(
      {
        teamKey: 'bostader',
        actionId: 'BOS-01',
        etag: opened!.etag,
        values: { title: 'Annat', ownerName: '', ownerEmail: '', due: '', description: '' },
      },
      anna,
      'req-e2',
    );
    expect(stale).toMatchObject({ kind: 'conflict', action: { title: 'Nytt namn' } });
    expect(
      await service().saveAction({ teamKey: 'bostader', actionId: 'IND-01', values: { title: 'x' } }, anna, 'req-e3'),
    ).toEqual({ kind: 'unknownAction' });
    const bad = await service().saveAction(
      { teamKey: 'bostader', actionId: 'BOS-07', values: { title: 'x', due: '2026-02-30' } },
      anna,
      'req-e4',
    );
    expect(bad.kind).toBe('invalid');
    expect((await repos.actions.get('harnosand', 'BOS-07'))?.title).toBe('Titel BOS-07');
    const events = (await repos.events.listWeek({ programId: 'harnosand', week: WEEK })).filter(
      (e) => e.type === 'action',
    );
    expect(events).toEqual([
      expect.objectContaining({
        actionId: 'BOS-01',
        change: 'updated',
        fields: { title: 'Nytt namn', due: '2027-01-15' },
      }),
    ]);
  });
});

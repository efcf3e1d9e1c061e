/**
 * A steering group follow-up with a due date shows on the affected team's check-in card until it
 * is marked done from that card (in the team's channel only).
 */
import { fixedClock } from '../../../domain/time';
import type { Action, Decision } from '../../../domain/types';
import { actionExecuteInvoke, channelMessage, DEFAULT_CHANNEL, postActivity } from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../../support/connector-double';
import { testAction } from '../../support/fixtures';

const P = 'harnosand';
const WEEK = '2026-W48';
const IND = '19:industrimark0000000000000000000@thread.tacv2';

let double: ConnectorDouble;
let bot: TestBot;

const action: Action = testAction('BOS-01', { programId: P, title: 'Detaljplan Saltvik' });

const draft = (
  title: string,
  teams: string[],
  followUp?: Decision['followUp'],
): Omit<Decision, 'number' | 'sequence' | 'etag'> => ({
  programId: P,
  year: 2026,
  title,
  text: 'Styrgruppen beslutar …',
  rationale: '',
  meeting: { name: 'Styrgrupp', date: '2026-11-19' },
  affectedTeams: teams,
  affectedActions: [],
  followUp,
  loggedBy: 'Per',
  loggedAt: '2026-11-19T10:00:00.000Z',
  state: 'active',
  history: [],
});

async function invoke(channelId: string, data: Record<string, unknown>) {
  const res = await postActivity(
    bot.url,
    actionExecuteInvoke({ verb: 'checkin.followup.done', data, channelId, serviceUrl: double.url }),
  );
  expect(res.status).toBe(200);
  return JSON.stringify(res.body);
}

beforeAll(async () => {
  double = await startConnectorDouble();
  bot = await startTestBot({}, { clock: fixedClock('2026-11-23T08:00:00.000Z') });
  await postActivity(
    bot.url,
    channelMessage({ text: 'koppla bostäder', channelId: DEFAULT_CHANNEL.id, serviceUrl: double.url }),
  );
  await postActivity(bot.url, channelMessage({ text: 'koppla industrimark', channelId: IND, serviceUrl: double.url }));
  const repos = bot.storage.repositories;
  await repos.actions.saveAll([action]);
  await repos.decisions.createNumbered(
    draft('Markanvisning batterifabriken', ['bostader', 'industrimark'], {
      owner: 'Anna Ström',
      due: '2026-11-20',
      done: false,
    }),
  );
  await repos.decisions.createNumbered(draft('Utan uppföljning', ['bostader']));
  await repos.decisions.createNumbered(
    draft('Annat team', ['trygghet'], { owner: 'Bo', due: '2026-12-01', done: false }),
  );
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

it('shows the open follow-up on the team card, refuses it from another team’s channel, and hides it once done', async () => {
  await postActivity(
    bot.url,
    channelMessage({ text: 'incheckning', channelId: DEFAULT_CHANNEL.id, serviceUrl: double.url }),
  );
  const posted = double.sent().find((s) => s.kind === 'create');
  const card = JSON.stringify(posted?.activity);
  expect(card).toContain('Uppföljningar från styrgruppen');
  expect(card).toContain('D-2026-001 Markanvisning batterifabriken – Anna Ström, senast 20 november 2026');
  expect(card).toContain('försenad');
  expect(card).not.toContain('D-2026-002');
  expect(card).not.toContain('D-2026-003');

  const refused = await invoke(IND, { teamKey: 'bostader', week: WEEK, number: 'D-2026-001' });
  expect(refused).toContain('Uppföljningar markeras klara i det berörda teamets kanal.');
  expect((await bot.storage.repositories.decisions.get(P, 'D-2026-001'))?.followUp?.done).toBe(false);

  const forged = await invoke(DEFAULT_CHANNEL.id, { teamKey: 'bostader', week: WEEK, number: 'D-2026-003' });
  expect(forged).toContain('Uppföljningar markeras klara');
  expect((await bot.storage.repositories.decisions.get(P, 'D-2026-003'))?.followUp?.done).toBe(false);

  const done = await invoke(DEFAULT_CHANNEL.id, { teamKey: 'bostader', week: WEEK, number: 'D-2026-001' });
  expect(done).toContain('Uppföljningen av D-2026-001 är markerad som klar.');
  expect(done).not.toContain('checkin.followup.done');
  const decision = await bot.storage.repositories.decisions.get(P, 'D-2026-001');
  expect(decision?.followUp).toMatchObject({ done: true, doneBy: 'Anna Styrgren' });

  await bot.deps.background.drain();
  const updated = JSON.stringify(double.message(posted!.id));
  expect(updated).not.toContain('D-2026-001 Markanvisning');
});

/**
 * A team that removed the bot is no longer posted to, by any proactive flow: the weekly check-in,
 * the weekly digest to a comms channel, and decision notices to an affected team's channel.
 * Teams says so in two ways, and both are tested through the real endpoint, the scheduler and the
 * connector double: the removal event (the team is marked inactive), and, when that event was
 * missed, 403 `MessageWritesBlocked` on a post (the team must then be marked inactive too).
 *
 * All three go through `fanOut` with the installed teams, which skips inactive teams and marks a
 * team inactive on its 403.
 */
import { fixedClock } from '../../domain/time';
import {
  DEFAULT_CHANNEL,
  DEFAULT_TEAM,
  DEFAULT_USER,
  actionExecuteInvoke,
  botRemovedFromTeam,
  channelMessage,
  postActivity,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { faults, startConnectorDouble, type ConnectorDouble } from '../support/connector-double';

const STEERING = '19:removed-steering@thread.tacv2';
/** A team the bot was removed from (the removal event arrived). */
const GONE = {
  team: '19:gone-team@thread.tacv2',
  comms: '19:gone-comms@thread.tacv2',
  industrimark: '19:gone-industrimark@thread.tacv2',
};
/** A team that blocks the bot's writes (403 MessageWritesBlocked; the removal event was missed). */
const BLOCKING = {
  team: '19:blocking-team@thread.tacv2',
  comms: '19:blocking-comms@thread.tacv2',
  trygghet: '19:blocking-trygghet@thread.tacv2',
};
/** Channels in the still-active DEFAULT_TEAM: the positive control that the digest and the notices did run. */
const ACTIVE = { comms: '19:active-comms@thread.tacv2', industrimark: '19:active-industrimark@thread.tacv2' };

const clock = fixedClock('2026-11-23T08:00:00.000Z'); // Monday 09:00, week 48
let double: ConnectorDouble;
let bot: TestBot;
const json = (x: unknown) => JSON.stringify(x);
const postsTo = (channelId: string) =>
  double.calls.filter((c) => c.route === 'createConversation' && json(c.body).includes(channelId));
const accepted = (channelId: string) =>
  postsTo(channelId).filter((c) => (c.status ?? 0) >= 200 && (c.status ?? 0) < 300);
/** The weekly digest cards accepted by a channel. */
const digestsTo = (channelId: string) =>
  accepted(channelId).filter((c) => json(c.body).includes('Veckosammanfattning'));
/** The decision notices (for the decisions "Första" and "Andra") accepted by a channel, by title. */
const noticeTitlesTo = (channelId: string) =>
  accepted(channelId)
    .filter((c) => !json(c.body).includes('Incheckning'))
    .map((c) => ['Första', 'Andra'].filter((title) => json(c.body).includes(`· ${title}`)).join('+'));

async function say(text: string, channelId: string, teamId = DEFAULT_TEAM.id): Promise<void> {
  expect(
    (await postActivity(bot.url, channelMessage({ text, channelId, teamId, serviceUrl: double.url }))).status,
  ).toBe(200);
}

async function logDecision(title: string, teams: string): Promise<void> {
  const res = await postActivity(
    bot.url,
    actionExecuteInvoke({
      verb: 'decision.submit',
      data: { formId: `removed-${title}-form`, title, text: 'Text', meetingDate: '2026-11-23', teams, actions: '' },
      channelId: STEERING,
      serviceUrl: double.url,
    }),
  );
  expect(json(res.body)).toContain('Beslutet är loggat som');
  await bot.deps.background.drain();
}

beforeAll(async () => {
  double = await startConnectorDouble();
  bot = await startTestBot({ STEERING_MEMBERS: DEFAULT_USER.aadObjectId! }, { clock });
  await say('koppla bostäder', DEFAULT_CHANNEL.id);
  await say('koppla styrgrupp', STEERING);
  await say('koppla kommunikation', ACTIVE.comms);
  await say('koppla industrimark', ACTIVE.industrimark);
  await say('koppla kommunikation', GONE.comms, GONE.team);
  await say('koppla industrimark', GONE.industrimark, GONE.team);
  await say('koppla kommunikation', BLOCKING.comms, BLOCKING.team);
  await say('koppla trygghet', BLOCKING.trygghet, BLOCKING.team);
  // The bot is removed from one team; Teams tells it.
  expect((await postActivity(bot.url, botRemovedFromTeam({ teamId: GONE.team, serviceUrl: double.url }))).status).toBe(
    200,
  );
  expect((await bot.storage.repositories.teams.get(GONE.team))?.active).toBe(false);
  double.reset();
  // The blocking team answers every post with 403 MessageWritesBlocked.
  double.faultFor((c) =>
    c.route === 'createConversation' && [BLOCKING.comms, BLOCKING.trygghet].some((ch) => json(c.body).includes(ch))
      ? faults.messageWritesBlocked()
      : undefined,
  );

  // Week 48: check-ins on Monday, a decision for industrimark and trygghet, the digest on Friday.
  await bot.scheduler.tick();
  await logDecision('Första', 'industrimark, trygghet');
  clock.set('2026-11-27T12:00:00.000Z');
  await bot.scheduler.tick();
  // Week 49: the same again.
  clock.set('2026-11-30T08:00:00.000Z');
  await bot.scheduler.tick();
  await logDecision('Andra', 'industrimark, trygghet');
  clock.set('2026-12-04T12:00:00.000Z');
  await bot.scheduler.tick();
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

it('the control: the active team got its check-in each week; the removed team’s comms channel is still bound (so the digest had it to skip)', async () => {
  expect(accepted(DEFAULT_CHANNEL.id).filter((c) => json(c.body).includes('Incheckning'))).toHaveLength(2);
  expect((await bot.storage.repositories.bindings.get('harnosand', GONE.comms))?.role).toEqual({ kind: 'comms' });
});

it('the check-in: no card for a team that removed the bot; after one 403 MessageWritesBlocked the team is inactive and gets no card the next week', async () => {
  expect(postsTo(GONE.industrimark).filter((c) => json(c.body).includes('Incheckning'))).toEqual([]);
  expect(
    postsTo(BLOCKING.trygghet)
      .filter((c) => json(c.body).includes('Incheckning'))
      .map((c) => c.status),
  ).toEqual([403]);
  expect((await bot.storage.repositories.teams.get(BLOCKING.team))?.active).toBe(false);
});

it('the weekly digest is not posted to the comms channel of a team that removed the bot (while the active team’s comms channel got it each week)', () => {
  expect(digestsTo(ACTIVE.comms)).toHaveLength(2);
  expect(postsTo(ACTIVE.comms).map((c) => c.status)).toHaveLength(2);
  expect(postsTo(GONE.comms).map((c) => c.status)).toEqual([]);
});

it('decision notices are not posted to a team that removed the bot (while the active team’s industrimark channel got both)', () => {
  expect(noticeTitlesTo(ACTIVE.industrimark)).toEqual(['Första', 'Andra']);
  expect(postsTo(GONE.industrimark).map((c) => c.status)).toEqual([]);
});

it('a team marked inactive after 403 MessageWritesBlocked gets no digest and no decision notice (while the active team got both)', () => {
  expect({ digests: digestsTo(ACTIVE.comms).length, notices: noticeTitlesTo(ACTIVE.industrimark) }).toEqual({
    digests: 2,
    notices: ['Första', 'Andra'],
  });
  const notices = postsTo(BLOCKING.trygghet).filter((c) => !json(c.body).includes('Incheckning'));
  expect({ digest: postsTo(BLOCKING.comms).map((c) => c.status), notices: notices.map((c) => c.status) }).toEqual({
    digest: [],
    notices: [],
  });
});

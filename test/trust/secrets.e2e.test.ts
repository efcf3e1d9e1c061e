/**
 * Secrets and privacy in logs: the bot runs with LOG_LEVEL=debug, an app id and password, Bot
 * Framework authentication against the local issuer, and storage through a connection string
 * with an account key. Everything it logs (its pino logger, captured) and everything botbuilder
 * prints to the console is searched afterwards for: inbound tokens (valid and refused), the
 * bot's outgoing token, the app password, the storage account key, and comment text people
 * typed — none may appear. Ids must (logs are useful without content).
 *
 * Later flows are covered by construction: every card verb in cards/verbs gets a payload whose
 * free-text fields carry the marker text. The flows that keep text are also run for real, with
 * the marker in what people type: a check-in answer, a decision logged, amended and revoked by a
 * steering member, the decision log, the digest asked for and paged, and the scheduled jobs
 * (check-in, reminder, weekly digest to the comms channel) on a fixed clock.
 */
import { VERBS } from '../../cards/verbs';
import type { Action } from '../../domain/types';
import { fixedClock, isoWeek } from '../../domain/time';
import {
  DEFAULT_BOT_APP_ID,
  DEFAULT_CHANNEL,
  DEFAULT_USER,
  actionExecuteInvoke,
  actionSubmitMessage,
  botAddedToTeam,
  channelMessage,
  personalMessage,
  postActivity,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { nowSeconds, startJwtIssuer, type JwtIssuer } from '../support/jwt-issuer';
import { startTestStorage, type TestStorage } from '../support/storage';
import { captureLogs, seedOutgoingToken, type LogCapture } from './helpers';
import { testAction } from '../support/fixtures';

const APP_ID = DEFAULT_BOT_APP_ID;
const APP_PASSWORD = 'Sup3r-S3cret-App-Passw0rd~for~tests';
const OUTGOING_TOKEN = 'outgoing-token-SECRET-5f4e3d2c1b';
/** Text a person typed: must reach storage where a flow keeps it, never the logs. */
const COMMENT = 'Kommentar-MARKÖR-7731 om Anna Andersson 19800101-1234';
/** Friday 13:00 in Stockholm, week 48: every scheduled job of the week is due. */
const clock = fixedClock('2026-11-27T12:00:00.000Z');
const STEERING = '19:secrets-steering@thread.tacv2';
const COMMS = '19:secrets-comms@thread.tacv2';

let issuer: JwtIssuer;
let double: ConnectorDouble;
let storage: TestStorage;
let bot: TestBot;
let logs: LogCapture;
const consoleOutput: string[] = [];
const spies: jest.SpyInstance[] = [];
const inboundTokens: string[] = [];

function token(claims: Record<string, unknown> = {}): string {
  const t = issuer.channelToken(APP_ID, double.url, claims);
  inboundTokens.push(t);
  return t;
}

const action = (id: string): Action =>
  testAction(id, { owner: { name: 'Anna Ström', email: 'anna@harnosand.se' }, progress: 25 });

/** A payload for any verb: the ids it may need, and the marker in every free-text field a form may have. */
function payloadFor(verb: string): Record<string, unknown> {
  return {
    verb,
    teamKey: 'bostader',
    week: isoWeek(clock.now(), 'Europe/Stockholm'),
    actionId: 'BOS-01',
    page: 0,
    'BOS-01.status': 'at_risk',
    'BOS-01.progress': '40',
    'BOS-01.comment': COMMENT,
    'BOS-01.blockers': COMMENT,
    'BOS-01.next': COMMENT,
    'BOS-01.highlight': COMMENT,
    comment: COMMENT,
    text: COMMENT,
    title: COMMENT,
    rationale: COMMENT,
    description: COMMENT,
  };
}

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    spies.push(
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleOutput.push(
          args
            .map((a) =>
              a instanceof Error
                ? `${a.stack ?? a.message} ${JSON.stringify(a)}`
                : typeof a === 'string'
                  ? a
                  : JSON.stringify(a),
            )
            .join(' '),
        );
      }),
    );
  }
  issuer = await startJwtIssuer();
  double = await startConnectorDouble();
  storage = await startTestStorage();
  logs = captureLogs('debug');
  bot = await startTestBot(
    {
      LOG_LEVEL: 'debug',
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: APP_PASSWORD,
      BOT_OPENID_METADATA: issuer.metadataUrl,
      BOT_TOKEN_ISSUER: issuer.issuer,
      AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
      TABLE_PREFIX: 'secrets',
      STEERING_MEMBERS: DEFAULT_USER.aadObjectId!,
    },
    { logger: logs.logger, clock },
  );
  seedOutgoingToken(APP_ID, OUTGOING_TOKEN);
});

afterAll(async () => {
  await bot?.stop();
  await storage?.stop();
  await double?.close();
  await issuer?.close();
  for (const spy of spies) spy.mockRestore();
});

it('logs carry ids and reasons, never tokens, the password, the account key or what people wrote', async () => {
  expect(bot.deps.config.logLevel).toBe('debug');
  // Normal work, authenticated.
  expect((await postActivity(bot.url, botAddedToTeam({ serviceUrl: double.url }), { token: token() })).status).toBe(
    200,
  );
  expect(
    (
      await postActivity(bot.url, channelMessage({ text: 'koppla bostäder', serviceUrl: double.url }), {
        token: token(),
      })
    ).status,
  ).toBe(200);
  await bot.storage.repositories.actions.saveAll([action('BOS-01'), action('BOS-02')]);
  await postActivity(bot.url, channelMessage({ text: `åtgärder ${COMMENT}`, serviceUrl: double.url }), {
    token: token(),
  });
  await postActivity(bot.url, channelMessage({ text: COMMENT, serviceUrl: double.url }), { token: token() });
  await postActivity(bot.url, personalMessage({ text: `beslut ${COMMENT}`, serviceUrl: double.url }), {
    token: token(),
  });

  // Every card verb, both ways, with the comment in every free-text field.
  for (const verb of Object.values(VERBS)) {
    await postActivity(bot.url, actionExecuteInvoke({ verb, data: payloadFor(verb), serviceUrl: double.url }), {
      token: token(),
    });
    await postActivity(
      bot.url,
      actionSubmitMessage({ verb, data: payloadFor(verb), cardActivityId: '1700000000077', serviceUrl: double.url }),
      { token: token() },
    );
  }

  // The flows that keep what people type, for real.
  const invoke = async (verb: string, data: Record<string, unknown>, channelId = DEFAULT_CHANNEL.id) => {
    const res = await postActivity(bot.url, actionExecuteInvoke({ verb, data, channelId, serviceUrl: double.url }), {
      token: token(),
    });
    expect(res.status).toBe(200);
    return JSON.stringify(res.body);
  };
  for (const [text, channelId] of [
    ['koppla styrgrupp', STEERING],
    ['koppla kommunikation', COMMS],
    ['incheckning', DEFAULT_CHANNEL.id],
  ] as const) {
    expect(
      (await postActivity(bot.url, channelMessage({ text, channelId, serviceUrl: double.url }), { token: token() }))
        .status,
    ).toBe(200);
  }
  const week = isoWeek(clock.now(), 'Europe/Stockholm');
  expect(
    await invoke('checkin.answer', {
      teamKey: 'bostader',
      week,
      actionId: 'BOS-02',
      'BOS-02.status': 'at_risk',
      'BOS-02.comment': COMMENT,
      'BOS-02.blockers': COMMENT,
      'BOS-02.highlight': 'true',
    }),
  ).toContain('BOS-02 är uppdaterad');
  const form = {
    formId: 'secrets-form-0001',
    title: `Beslut ${COMMENT}`.slice(0, 200),
    text: COMMENT,
    rationale: COMMENT,
    meetingDate: '2026-11-27',
    teams: 'bostäder',
    actions: 'BOS-01',
    followUpOwner: 'Anna Andersson',
    followUpDue: '2026-12-31',
  };
  expect(await invoke('decision.submit', form, STEERING)).toContain('Beslutet är loggat som D-2026-001.');
  await postActivity(
    bot.url,
    channelMessage({ text: 'beslut D-2026-001', channelId: STEERING, serviceUrl: double.url }),
    { token: token() },
  );
  await postActivity(
    bot.url,
    channelMessage({ text: `beslutslogg ${COMMENT}`, channelId: STEERING, serviceUrl: double.url }),
    { token: token() },
  );
  await postActivity(
    bot.url,
    channelMessage({ text: 'beslutslogg 2026', channelId: STEERING, serviceUrl: double.url }),
    { token: token() },
  );
  expect(
    await invoke(
      'decision.amend.save',
      { ...form, formId: undefined, number: 'D-2026-001', reason: COMMENT, text: `${COMMENT} (ändrad)` },
      STEERING,
    ),
  ).toContain('Ändringen av D-2026-001 är sparad.');
  expect(await invoke('decision.followup.done', { number: 'D-2026-001' })).toContain('D-2026-001');
  expect(await invoke('decision.revoke.save', { number: 'D-2026-001', reason: COMMENT }, STEERING)).toContain(
    'D-2026-001 är upphävt.',
  );
  await postActivity(
    bot.url,
    channelMessage({ text: `sammanfattning ${week}`, channelId: COMMS, serviceUrl: double.url }),
    { token: token() },
  );
  await invoke('digest.page', { week, page: 1 }, COMMS);
  await bot.deps.background.drain();
  await bot.scheduler.tick();
  // The comment reached storage and Teams (so its absence from the logs below means something).
  const stored = JSON.stringify(await bot.storage.repositories.events.listWeek({ programId: 'harnosand', week }));
  const decisionStored = JSON.stringify(await bot.storage.repositories.decisions.get('harnosand', 'D-2026-001'));
  const digestPosted = double
    .sent()
    .filter((s) => s.kind === 'create' && s.conversationId.startsWith(COMMS))
    .map((s) => JSON.stringify(s.activity));
  expect({
    inLog: stored.includes('MARKÖR-7731'),
    inDecision: decisionStored.includes('MARKÖR-7731'),
    inTeams: JSON.stringify(double.sent().map((s) => s.activity)).includes('MARKÖR-7731'),
  }).toEqual({ inLog: true, inDecision: true, inTeams: true });
  expect({
    weeklyDigestPosted: digestPosted.length,
    carriesTheComment: digestPosted.some((a) => a.includes('MARKÖR-7731')),
  }).toEqual({ weeklyDigestPosted: 1, carriesTheComment: true });

  // Refused tokens (each is logged as a refusal).
  expect(
    (
      await postActivity(bot.url, channelMessage({ text: COMMENT, serviceUrl: double.url }), {
        token: token({ exp: nowSeconds() - 900, nbf: nowSeconds() - 4000 }),
      })
    ).status,
  ).toBe(401);
  expect(
    (
      await postActivity(bot.url, channelMessage({ text: COMMENT, serviceUrl: double.url }), {
        token: token({ aud: 'another-app' }),
      })
    ).status,
  ).toBe(401);
  const tampered = token().replace(/\.[^.]+$/, '.AAAA');
  inboundTokens.push(tampered);
  expect(
    (await postActivity(bot.url, channelMessage({ text: COMMENT, serviceUrl: double.url }), { token: tampered }))
      .status,
  ).toBe(401);

  // Errors while answering: the Bot Connector refuses (the failed request carried our outgoing token).
  double.failNext(
    1,
    { status: 400, body: { error: { code: 'BadArgument', message: 'nope' } } },
    (c) => c.route === 'replyToActivity' || c.route === 'sendToConversation',
  );
  await postActivity(bot.url, channelMessage({ text: `hjälp ${COMMENT}`, serviceUrl: double.url }), { token: token() });
  double.failNext(
    1,
    { status: 403, body: { error: { code: 'Forbidden', message: 'no' } } },
    (c) => c.route === 'fetchChannelList',
  );
  await postActivity(bot.url, botAddedToTeam({ teamId: '19:second-team@thread.tacv2', serviceUrl: double.url }), {
    token: token(),
  });

  // A malformed request.
  await postActivity(
    bot.url,
    { ...channelMessage({ text: COMMENT, serviceUrl: double.url }), serviceUrl: 42 },
    { token: token() },
  );

  // The bot really used the secrets (so their absence below means something).
  expect(double.calls.some((c) => c.headers.authorization === `Bearer ${OUTGOING_TOKEN}`)).toBe(true);
  expect(logs.records().some((r) => r.msg === 'request refused: not authenticated')).toBe(true);
  expect(logs.lines.length).toBeGreaterThan(10);
  bot.deps.logger.debug({ probe: true }, 'debug level is on');
  expect(logs.records().some((r) => r.level === 20 && r.probe === true)).toBe(true);

  const everything = `${logs.text()}\n${consoleOutput.join('\n')}`;
  const secrets: Record<string, string> = {
    'app password': APP_PASSWORD,
    'outgoing token': OUTGOING_TOKEN,
    'storage account key': storage.connectionString.match(/AccountKey=([^;]+)/)![1]!,
    'comment text': 'MARKÖR-7731',
    'comment text (escaped)': 'MARK\\u00d6R-7731',
    'personal identity number': '19800101-1234',
  };
  inboundTokens.forEach((t, i) => {
    secrets[`inbound token ${i + 1}`] = t;
    secrets[`inbound token ${i + 1} signature`] = t.split('.')[2] || t;
  });
  const found = Object.entries(secrets)
    .filter(([, value]) => everything.includes(value))
    .map(([name]) => name);
  expect(found).toEqual([]);

  // Ids are there.
  expect(logs.text()).toContain(DEFAULT_CHANNEL.id);
  expect(logs.records().some((r) => typeof r.activityId === 'string' || typeof r.teamId === 'string')).toBe(true);
});

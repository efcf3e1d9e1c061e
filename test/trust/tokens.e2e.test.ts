/**
 * Inbound authentication, for real: the bot runs with an app id and password, and botbuilder
 * validates every request against OpenID metadata and a JWKS served on loopback by
 * test/support/jwt-issuer.ts (BOT_OPENID_METADATA, BOT_TOKEN_ISSUER). A valid channel token
 * passes and the handler runs; every forged, stale or misdirected token gets 401 and reaches no
 * handler: nothing stored, nothing sent to the Bot Connector double.
 *
 * What botframework-connector 4.23 checks for a channel token (lib/auth/
 * parameterizedBotFrameworkAuthentication.js, jwtTokenExtractor.js): scheme `Bearer`; `iss`
 * equal to the configured issuer (else "No valid identity"); a signing key with the token's
 * `kid` in the metadata's `jwks_uri` (RSA n/e); RS256/384/512 signature; `exp`/`nbf` with 5 min
 * clock tolerance; the key's `endorsements` include `activity.channelId`; `aud` equal to the
 * app id; the `serviceurl` claim equal to `activity.serviceUrl`.
 *
 * The same checks hold for a bot that is a user-assigned managed identity (UserAssignedMSI, as
 * infra/azure.bicep deploys it): its replies carry the identity's token, and it allows only its
 * own tenant unless ALLOWED_TENANTS says otherwise.
 */
import { JwtTokenProviderFactory, ManagedIdentityServiceClientCredentialsFactory } from 'botframework-connector';
import { createAdapter } from '../../bot/adapter';
import { loadConfig } from '../../config/config';
import {
  DEFAULT_BOT_APP_ID,
  DEFAULT_TENANT_ID,
  actionExecuteInvoke,
  channelMessage,
  installationUpdateAdd,
  postActivity,
  type TeamsActivity,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { nowSeconds, startJwtIssuer, tamperPayload, type JwtIssuer } from '../support/jwt-issuer';
import { captureLogs, seedOutgoingToken, type LogCapture } from './helpers';

const APP_ID = DEFAULT_BOT_APP_ID;
const APP_PASSWORD = 'app-password-for-tests-9f8e7d';
const OUTGOING_TOKEN = 'outgoing-bot-token-for-tests-1a2b3c';

let issuer: JwtIssuer;
let double: ConnectorDouble;
let bot: TestBot;
let logs: LogCapture;
let consoleError: jest.SpyInstance;

function botEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: APP_PASSWORD,
    BOT_OPENID_METADATA: issuer.metadataUrl,
    BOT_TOKEN_ISSUER: issuer.issuer,
    ...extra,
  };
}

/** A `koppla bostäder` in a channel (and team) of its own, so a refusal can be checked by absence. */
function linkMessage(
  name: string,
  extra: { tenantId?: string; channelIdOfActivity?: string } = {},
): { activity: TeamsActivity; channelId: string; teamId: string } {
  const channelId = `19:tok-${name}@thread.tacv2`;
  const teamId = `19:team-${name}@thread.tacv2`;
  const activity = channelMessage({
    text: 'koppla bostäder',
    channelId,
    teamId,
    serviceUrl: double.url,
    tenantId: extra.tenantId,
  });
  if (extra.channelIdOfActivity) (activity as { channelId: string }).channelId = extra.channelIdOfActivity;
  return { activity, channelId, teamId };
}

async function expectNothingHappened(b: TestBot, channelId: string, teamId: string): Promise<void> {
  expect(await b.storage.repositories.bindings.get('harnosand', channelId)).toBeUndefined();
  expect(await b.storage.repositories.teams.get(teamId)).toBeUndefined();
  expect(double.calls).toHaveLength(0);
}

beforeAll(async () => {
  issuer = await startJwtIssuer();
  double = await startConnectorDouble();
  logs = captureLogs('debug');
  bot = await startTestBot(botEnv(), { logger: logs.logger });
  seedOutgoingToken(APP_ID, OUTGOING_TOKEN);
  // botbuilder's CloudAdapter prints every refused request with console.error; keep the output readable.
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterAll(async () => {
  consoleError?.mockRestore();
  await bot?.stop();
  await double?.close();
  await issuer?.close();
});

beforeEach(() => double.reset());

describe('a valid channel token', () => {
  it('passes: the handler runs, stores the binding and answers with the bot’s own outgoing token', async () => {
    const { activity, channelId } = linkMessage('valid');
    const res = await postActivity(bot.url, activity, { token: issuer.channelToken(APP_ID, double.url) });
    expect(res.status).toBe(200);
    expect((await bot.storage.repositories.bindings.get('harnosand', channelId))?.role).toEqual({
      kind: 'team',
      teamKey: 'bostader',
    });
    const [reply] = double.sent();
    expect(JSON.stringify(reply?.activity)).toContain('Klart! Den här kanalen hör nu till teamet Bostäder');
    expect(reply?.call.headers.authorization).toBe(`Bearer ${OUTGOING_TOKEN}`);
    expect(issuer.fetches.keys).toBeGreaterThanOrEqual(1);
  });

  it('passes for an invoke (Action.Execute) too, answered in the invoke response', async () => {
    const res = await postActivity(
      bot.url,
      actionExecuteInvoke({ verb: 'actions.page', data: { teamKey: 'bostader', page: 0 }, serviceUrl: double.url }),
      { token: issuer.channelToken(APP_ID, double.url) },
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('Åtgärder – Bostäder');
  });

  it('is accepted up to botbuilder’s 5 minute clock tolerance after it expired', async () => {
    const { activity, channelId } = linkMessage('tolerance');
    const token = issuer.channelToken(APP_ID, double.url, { exp: nowSeconds() - 120, nbf: nowSeconds() - 3600 });
    expect((await postActivity(bot.url, activity, { token })).status).toBe(200);
    expect(await bot.storage.repositories.bindings.get('harnosand', channelId)).toBeDefined();
  });
});

describe('refused tokens: 401 and no handler runs', () => {
  const cases: Array<[string, () => { token?: string; channelIdOfActivity?: string; rawAuthorization?: string }]> = [
    ['missing', () => ({})],
    [
      'expired',
      () => ({
        token: issuer.channelToken(APP_ID, double.url, {
          exp: nowSeconds() - 600,
          nbf: nowSeconds() - 4000,
          iat: nowSeconds() - 4000,
        }),
      }),
    ],
    [
      'not yet valid',
      () => ({ token: issuer.channelToken(APP_ID, double.url, { nbf: nowSeconds() + 600, iat: nowSeconds() + 600 }) }),
    ],
    ['wrong audience', () => ({ token: issuer.channelToken('00000000-0000-0000-0000-000000000bad', double.url) })],
    [
      'wrong issuer',
      () => ({ token: issuer.channelToken(APP_ID, double.url, { iss: 'https://api.botframework.com' }) }),
    ],
    ['unknown key id', () => ({ token: issuer.channelToken(APP_ID, double.url, {}, { kid: 'not-published' }) })],
    [
      'signed with a key the issuer does not publish (same kid)',
      () => ({ token: issuer.channelToken(APP_ID, double.url, {}, { privateKey: issuer.foreignKey() }) }),
    ],
    [
      'tampered (payload changed after signing)',
      () => ({ token: tamperPayload(issuer.channelToken('someone-else', double.url), { aud: APP_ID }) }),
    ],
    ['alg none', () => ({ token: issuer.channelToken(APP_ID, double.url, {}, { alg: 'none' }) })],
    [
      'HS256 signed with the public key (algorithm confusion)',
      () => ({ token: issuer.channelToken(APP_ID, double.url, {}, { alg: 'HS256' }) }),
    ],
    [
      'serviceurl claim for another service URL',
      () => ({ token: issuer.channelToken(APP_ID, 'https://smba.attacker.example/amer/') }),
    ],
    [
      'key not endorsed for the activity’s channel',
      () => ({ token: issuer.channelToken(APP_ID, double.url), channelIdOfActivity: 'webchat' }),
    ],
    ['not a JWT', () => ({ token: 'this-is-not-a-jwt' })],
    [
      'Basic scheme',
      () => ({ rawAuthorization: `Basic ${Buffer.from(`${APP_ID}:${APP_PASSWORD}`).toString('base64')}` }),
    ],
  ];

  it.each(cases)('%s', async (name, make) => {
    const { token, channelIdOfActivity, rawAuthorization } = make();
    const { activity, channelId, teamId } = linkMessage(name.replace(/\W+/g, '-'), { channelIdOfActivity });
    let status: number;
    if (rawAuthorization) {
      const res = await fetch(bot.messagesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: rawAuthorization },
        body: JSON.stringify(activity),
      });
      status = res.status;
    } else {
      status = (await postActivity(bot.url, activity, { token })).status;
    }
    expect(status).toBe(401);
    await expectNothingHappened(bot, channelId, teamId);
  });

  it('an invoke without a token: 401, no card', async () => {
    const res = await postActivity(
      bot.url,
      actionExecuteInvoke({ verb: 'actions.page', data: { teamKey: 'bostader', page: 0 }, serviceUrl: double.url }),
    );
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body ?? '')).not.toContain('adaptive');
    expect(double.calls).toHaveLength(0);
  });

  it('an install event with a token for another app: 401, no team recorded, no welcome', async () => {
    const teamId = '19:team-install-forged@thread.tacv2';
    const res = await postActivity(bot.url, installationUpdateAdd({ teamId, serviceUrl: double.url }), {
      token: issuer.channelToken('another-app', double.url),
    });
    expect(res.status).toBe(401);
    expect(await bot.storage.repositories.teams.get(teamId)).toBeUndefined();
    expect(double.calls).toHaveLength(0);
  });

  it('a valid token replayed with a different activity serviceUrl: 401 (the bot never calls an attacker’s URL)', async () => {
    const token = issuer.channelToken(APP_ID, double.url);
    const { activity, channelId, teamId } = linkMessage('replayed');
    const res = await postActivity(bot.url, { ...activity, serviceUrl: 'http://127.0.0.1:9/evil/' }, { token });
    expect(res.status).toBe(401);
    await expectNothingHappened(bot, channelId, teamId);
  });

  it('refusals are logged with the reason’s context, never the token', async () => {
    const token = issuer.channelToken('wrong-app-for-log-test', double.url);
    const before = logs.lines.length;
    const { activity } = linkMessage('logged');
    expect((await postActivity(bot.url, activity, { token })).status).toBe(401);
    const refusals = logs
      .records()
      .slice(before)
      .filter((r) => r.msg === 'request refused: not authenticated');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ status: 401, activityType: 'message', path: '/api/messages' });
    expect(logs.text()).not.toContain(token.split('.')[2]!);
  });
});

describe('single-tenant app registration', () => {
  it('config: SingleTenant needs the tenant id, and ALLOWED_TENANTS defaults to that tenant', () => {
    expect(() =>
      loadConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'SingleTenant' }),
    ).toThrow(/MICROSOFT_APP_TENANT_ID/);
    const single = loadConfig({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'x',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_TENANT_ID: DEFAULT_TENANT_ID,
    });
    expect(single.auth).toMatchObject({
      appType: 'SingleTenant',
      tenantId: DEFAULT_TENANT_ID,
      allowedTenants: [DEFAULT_TENANT_ID],
    });
    const explicit = loadConfig({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'x',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_TENANT_ID: DEFAULT_TENANT_ID,
      ALLOWED_TENANTS: 'a,b',
    });
    expect(explicit.auth.allowedTenants).toEqual(['a', 'b']);
    // Multi-tenant with no list: every tenant (documented in SECURITY.md: set ALLOWED_TENANTS in production).
    expect(loadConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x' }).auth.allowedTenants).toEqual([]);
  });

  it('runs: a valid token from its own tenant passes; one from another tenant is refused and stores nothing', async () => {
    const single = await startTestBot(
      botEnv({ MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: DEFAULT_TENANT_ID }),
      { logger: logs.logger },
    );
    try {
      expect(single.deps.config.auth.allowedTenants).toEqual([DEFAULT_TENANT_ID]);
      const own = linkMessage('single-own');
      expect(
        (await postActivity(single.url, own.activity, { token: issuer.channelToken(APP_ID, double.url) })).status,
      ).toBe(200);
      expect((await single.storage.repositories.bindings.get('harnosand', own.channelId))?.role).toEqual({
        kind: 'team',
        teamKey: 'bostader',
      });
      expect(double.sent()[0]?.call.headers.authorization).toBe(`Bearer ${OUTGOING_TOKEN}`);

      double.reset();
      const other = linkMessage('single-other', { tenantId: '99999999-9999-4999-8999-999999999999' });
      const res = await postActivity(single.url, other.activity, { token: issuer.channelToken(APP_ID, double.url) });
      expect(res.status).toBe(200);
      expect(await single.storage.repositories.bindings.get('harnosand', other.channelId)).toBeUndefined();
      expect(await single.storage.repositories.teams.get(other.teamId)).toBeUndefined();
      const replies = double.sent();
      expect(replies).toHaveLength(1);
      expect(JSON.stringify(replies[0]?.activity)).toContain(
        'Den här organisationen har inte tillgång till Kraftsamla',
      );
    } finally {
      await single.stop();
    }
  });
});

describe('user-assigned managed identity (UserAssignedMSI)', () => {
  // Its own client id: the outgoing token cache (keyed by app id) holds nothing for it.
  const MSI_CLIENT_ID = '3c9d7e21-5a4b-4c8d-9e0f-1a2b3c4d5e6f';
  const MSI_TOKEN = 'managed-identity-token-for-tests-7c6b5a';
  const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';

  function msiEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      MICROSOFT_APP_TYPE: 'UserAssignedMSI',
      MICROSOFT_APP_ID: MSI_CLIENT_ID,
      MICROSOFT_APP_TENANT_ID: DEFAULT_TENANT_ID,
      BOT_OPENID_METADATA: issuer.metadataUrl,
      BOT_TOKEN_ISSUER: issuer.issuer,
      ...extra,
    };
  }

  it('config: the tenant id is required, no password is taken, and only its own tenant is allowed by default', () => {
    expect(() => loadConfig({ MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_ID: MSI_CLIENT_ID })).toThrow(
      /MICROSOFT_APP_TENANT_ID/,
    );
    expect(() => loadConfig(msiEnv({ MICROSOFT_APP_PASSWORD: 'x' }))).toThrow(/MICROSOFT_APP_PASSWORD/);
    expect(loadConfig(msiEnv()).auth).toMatchObject({
      appType: 'UserAssignedMSI',
      appId: MSI_CLIENT_ID,
      allowedTenants: [DEFAULT_TENANT_ID],
    });
  });

  /**
   * The identity's token comes from botbuilder's token provider factory (JwtTokenProviderFactory:
   * a DefaultAzureCredential for the client id), which would ask Azure's identity endpoint; the
   * test gives the factory a credential of its own and records the scopes asked for.
   */
  function fakeIdentity(): { asked: string[]; factory: jest.SpyInstance } {
    const asked: string[] = [];
    const credential = {
      getToken: async (scope: string | string[]) => {
        asked.push(...[scope].flat());
        return { token: MSI_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const factory = jest
      .spyOn(JwtTokenProviderFactory.prototype, 'createAzureServiceTokenProvider')
      .mockImplementation(() => credential as never);
    return { asked, factory };
  }

  it('runs: signs its replies with the identity’s token, refuses another tenant and another app’s token', async () => {
    const { asked, factory } = fakeIdentity();
    const msi = await startTestBot(msiEnv(), { logger: logs.logger });
    try {
      expect(msi.deps.config.auth.allowedTenants).toEqual([DEFAULT_TENANT_ID]);
      const own = linkMessage('msi-own');
      expect(
        (await postActivity(msi.url, own.activity, { token: issuer.channelToken(MSI_CLIENT_ID, double.url) })).status,
      ).toBe(200);
      expect((await msi.storage.repositories.bindings.get('harnosand', own.channelId))?.role).toEqual({
        kind: 'team',
        teamKey: 'bostader',
      });
      const [reply] = double.sent();
      expect(JSON.stringify(reply?.activity)).toContain('Klart! Den här kanalen hör nu till teamet Bostäder');
      expect(reply?.call.headers.authorization).toBe(`Bearer ${MSI_TOKEN}`);
      expect(factory).toHaveBeenCalledWith(MSI_CLIENT_ID);
      expect(new Set(asked)).toEqual(new Set(['https://api.botframework.com/.default']));

      double.reset();
      const other = linkMessage('msi-other', { tenantId: OTHER_TENANT });
      expect(
        (await postActivity(msi.url, other.activity, { token: issuer.channelToken(MSI_CLIENT_ID, double.url) })).status,
      ).toBe(200);
      expect(await msi.storage.repositories.bindings.get('harnosand', other.channelId)).toBeUndefined();
      expect(await msi.storage.repositories.teams.get(other.teamId)).toBeUndefined();
      const replies = double.sent();
      expect(replies).toHaveLength(1);
      expect(JSON.stringify(replies[0]?.activity)).toContain(
        'Den här organisationen har inte tillgång till Kraftsamla',
      );

      double.reset();
      const foreign = linkMessage('msi-foreign-app');
      expect(
        (await postActivity(msi.url, foreign.activity, { token: issuer.channelToken(APP_ID, double.url) })).status,
      ).toBe(401);
      await expectNothingHappened(msi, foreign.channelId, foreign.teamId);
    } finally {
      factory.mockRestore();
      await msi.stop();
    }
  });

  it('the adapter is built with botbuilder’s managed identity credentials factory; its token provider can be given', async () => {
    const tokenProviderFactory = {
      createAzureServiceTokenProvider: (clientId: string) =>
        ({
          getToken: async () => ({ token: `given-${clientId}`, expiresOnTimestamp: Date.now() + 3_600_000 }),
        }) as never,
    };
    const adapter = createAdapter(loadConfig(msiEnv()), { tokenProviderFactory });
    const factory = (adapter as unknown as { credentialsFactory: unknown }).credentialsFactory;
    expect(factory).toBeInstanceOf(ManagedIdentityServiceClientCredentialsFactory);
    const credentials = await (factory as ManagedIdentityServiceClientCredentialsFactory).createCredentials(
      MSI_CLIENT_ID,
      'https://api.botframework.com/given-scope',
    );
    expect(await (credentials as unknown as { getToken(): Promise<string> }).getToken()).toBe(`given-${MSI_CLIENT_ID}`);
    // A password app keeps botbuilder's configuration factory.
    const password = createAdapter(loadConfig(botEnv()));
    expect((password as unknown as { credentialsFactory: unknown }).credentialsFactory).not.toBeInstanceOf(
      ManagedIdentityServiceClientCredentialsFactory,
    );
  });

  it('accepts another tenant when ALLOWED_TENANTS lists it', async () => {
    const { factory } = fakeIdentity();
    const msi = await startTestBot(msiEnv({ ALLOWED_TENANTS: `${DEFAULT_TENANT_ID},${OTHER_TENANT}` }), {
      logger: logs.logger,
    });
    try {
      const other = linkMessage('msi-listed', { tenantId: OTHER_TENANT });
      expect(
        (await postActivity(msi.url, other.activity, { token: issuer.channelToken(MSI_CLIENT_ID, double.url) })).status,
      ).toBe(200);
      expect((await msi.storage.repositories.bindings.get('harnosand', other.channelId))?.role).toEqual({
        kind: 'team',
        teamKey: 'bostader',
      });
      expect(double.sent()[0]?.call.headers.authorization).toBe(`Bearer ${MSI_TOKEN}`);
    } finally {
      factory.mockRestore();
      await msi.stop();
    }
  });
});

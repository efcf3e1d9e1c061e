/**
 * Tenants: with ALLOWED_TENANTS set, activities from any other tenant are refused before any flow
 * runs (bot/app.ts beforeTurn): messages get a polite refusal, card actions a 403 invoke
 * response, install and membership events nothing at all. Each refusal is logged with the tenant
 * id, and no stored record changes (full table snapshot, ETags included).
 */
import { VERBS } from '../../cards/verbs';
import { isoWeek } from '../../domain/time';
import {
  DEFAULT_CHANNEL,
  DEFAULT_TEAM,
  DEFAULT_TENANT_ID,
  actionExecuteInvoke,
  actionSubmitMessage,
  botAddedToTeam,
  botRemovedFromTeam,
  channelMessage,
  installationUpdateAdd,
  installationUpdateRemove,
  personalMessage,
  postActivity,
  type TeamsActivity,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { diffSnapshots, rowCount, snapshotTables } from './table-snapshot';
import { captureLogs, type LogCapture } from './helpers';

const OTHER_TENANT = '0badc0de-0000-4000-8000-00000000beef';
const SECOND_ALLOWED = '11111111-2222-4333-8444-555555555555';

let double: ConnectorDouble;
let bot: TestBot;
let logs: LogCapture;

const snapshot = () => snapshotTables(bot.storage.azurite!.connectionString, bot.deps.config.storage.tablePrefix);

/** Posts a refused activity and checks: answered as expected, logged, nothing stored. */
async function expectRefused(activity: TeamsActivity | Record<string, unknown>, expectedTenant: string | undefined) {
  const before = await snapshot();
  // The snapshot really holds the setup (the installed team and the linked channel): an empty or unreadable one would compare equal to anything.
  expect(rowCount(before)).toBeGreaterThanOrEqual(2);
  const logStart = logs.lines.length;
  const res = await postActivity(bot.url, activity);
  const after = await snapshot();
  expect(diffSnapshots(before, after)).toEqual([]);
  const refusals = logs
    .records()
    .slice(logStart)
    .filter((r) => r.msg === 'activity from a tenant that is not allowed; refused');
  expect(refusals).toHaveLength(1);
  expect(refusals[0]?.tenantId).toBe(expectedTenant);
  return res;
}

beforeAll(async () => {
  double = await startConnectorDouble();
  logs = captureLogs('debug');
  bot = await startTestBot({ ALLOWED_TENANTS: `${DEFAULT_TENANT_ID},${SECOND_ALLOWED}` }, { logger: logs.logger });
  // The allowed tenant's team is installed and its channel linked.
  expect((await postActivity(bot.url, botAddedToTeam({ serviceUrl: double.url }))).status).toBe(200);
  expect(
    (await postActivity(bot.url, channelMessage({ text: 'koppla bostäder', serviceUrl: double.url }))).status,
  ).toBe(200);
  expect(await bot.storage.repositories.bindings.get('harnosand', DEFAULT_CHANNEL.id)).toBeDefined();
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

beforeEach(() => double.reset());

describe('another tenant', () => {
  it('a channel message: refused with a polite answer in the user’s language, nothing stored', async () => {
    const channelId = '19:other-tenant-channel@thread.tacv2';
    const res = await expectRefused(
      channelMessage({
        text: 'koppla bostäder',
        channelId,
        teamId: '19:other-team@thread.tacv2',
        tenantId: OTHER_TENANT,
        serviceUrl: double.url,
      }),
      OTHER_TENANT,
    );
    expect(res.status).toBe(200);
    expect(double.sent()).toHaveLength(1);
    expect(JSON.stringify(double.sent()[0]?.activity)).toContain(
      'Den här organisationen har inte tillgång till Kraftsamla',
    );
    expect(await bot.storage.repositories.bindings.get('harnosand', channelId)).toBeUndefined();

    double.reset();
    await expectRefused(
      channelMessage({ text: 'help', tenantId: OTHER_TENANT, locale: 'en-US', serviceUrl: double.url }),
      OTHER_TENANT,
    );
    expect(JSON.stringify(double.sent()[0]?.activity)).toContain(
      'Your organisation does not have access to Kraftsamla',
    );
    expect(JSON.stringify(double.sent()[0]?.activity)).not.toContain('What Kraftsamla can do');
  });

  it('a message in a channel already linked (same ids, other tenant) does not relink or read it', async () => {
    const res = await expectRefused(
      channelMessage({ text: 'koppla trygghet', tenantId: OTHER_TENANT, serviceUrl: double.url }),
      OTHER_TENANT,
    );
    expect(res.status).toBe(200);
    expect((await bot.storage.repositories.bindings.get('harnosand', DEFAULT_CHANNEL.id))?.role).toEqual({
      kind: 'team',
      teamKey: 'bostader',
    });
    expect(JSON.stringify(double.sent())).not.toContain('Trygghet');
  });

  it('a personal chat message: refused', async () => {
    await expectRefused(
      personalMessage({ text: 'hjälp', tenantId: OTHER_TENANT, serviceUrl: double.url }),
      OTHER_TENANT,
    );
    expect(JSON.stringify(double.sent()[0]?.activity)).toContain('inte tillgång');
  });

  it('an Action.Execute invoke: 403 with the reason, no card, no data', async () => {
    const res = await expectRefused(
      actionExecuteInvoke({
        verb: 'actions.page',
        data: { teamKey: 'bostader', page: 0 },
        tenantId: OTHER_TENANT,
        serviceUrl: double.url,
      }),
      OTHER_TENANT,
    );
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'Den här organisationen har inte tillgång till Kraftsamla.' });
    expect(double.calls).toHaveLength(0);
  });

  it('every card verb (of every flow, current and future) gets the same 403', async () => {
    for (const verb of Object.values(VERBS)) {
      const res = await expectRefused(
        actionExecuteInvoke({
          verb,
          data: { teamKey: 'bostader', page: 0 },
          tenantId: OTHER_TENANT,
          serviceUrl: double.url,
        }),
        OTHER_TENANT,
      );
      expect({ verb, status: res.status }).toEqual({ verb, status: 403 });
    }
    expect(double.calls).toHaveLength(0);
  });

  it('the check-in, decision and digest commands: refused; no check-in posted in the linked channel, nothing read or stored', async () => {
    for (const text of ['incheckning', 'incheckning ny', 'beslut Nytt beslut', 'beslutslogg', 'sammanfattning']) {
      double.reset();
      await expectRefused(channelMessage({ text, tenantId: OTHER_TENANT, serviceUrl: double.url }), OTHER_TENANT);
      expect({
        text,
        sent: double.sent().map((x) => x.kind),
        refusal: JSON.stringify(double.sent()[0]?.activity ?? '').includes('inte tillgång'),
      }).toEqual({ text, sent: ['reply'], refusal: true });
    }
    expect(
      await bot.storage.repositories.checkIns.listWeek('harnosand', isoWeek(new Date(), 'Europe/Stockholm')),
    ).toEqual([]);
  });

  it('an Action.Submit: refused, the card is not updated', async () => {
    await expectRefused(
      actionSubmitMessage({
        verb: 'actions.page',
        data: { teamKey: 'bostader', page: 0 },
        cardActivityId: '1700000000009',
        tenantId: OTHER_TENANT,
        serviceUrl: double.url,
      }),
      OTHER_TENANT,
    );
    expect(double.updates()).toHaveLength(0);
    expect(JSON.stringify(double.sent())).not.toContain('BOS-');
  });

  it('install and membership events: no team recorded, no welcome, nothing sent', async () => {
    const teamId = '19:foreign-team@thread.tacv2';
    for (const activity of [
      installationUpdateAdd({ teamId, tenantId: OTHER_TENANT, serviceUrl: double.url }),
      botAddedToTeam({ teamId, tenantId: OTHER_TENANT, serviceUrl: double.url }),
    ]) {
      expect((await expectRefused(activity, OTHER_TENANT)).status).toBe(200);
    }
    expect(await bot.storage.repositories.teams.get(teamId)).toBeUndefined();
    expect(double.calls).toHaveLength(0);
  });

  it('removal events naming an allowed team’s id cannot deactivate it', async () => {
    for (const activity of [
      installationUpdateRemove({ tenantId: OTHER_TENANT, serviceUrl: double.url }),
      botRemovedFromTeam({ tenantId: OTHER_TENANT, serviceUrl: double.url }),
    ]) {
      await expectRefused(activity, OTHER_TENANT);
    }
    expect((await bot.storage.repositories.teams.get(DEFAULT_TEAM.id))?.active).toBe(true);
  });

  it('no tenant at all: refused', async () => {
    const a = channelMessage({ text: 'åtgärder', serviceUrl: double.url }) as unknown as {
      channelData: Record<string, unknown>;
      conversation: Record<string, unknown>;
    };
    delete a.channelData.tenant;
    delete a.conversation.tenantId;
    await expectRefused(a as unknown as Record<string, unknown>, undefined);
    expect(JSON.stringify(double.sent())).not.toContain('BOS-');
  });

  it('an allowed tenant in channelData but another in conversation.tenantId: refused', async () => {
    const a = channelMessage({ text: 'koppla trygghet', serviceUrl: double.url }) as unknown as {
      conversation: Record<string, unknown>;
    };
    a.conversation.tenantId = OTHER_TENANT;
    await expectRefused(a as unknown as Record<string, unknown>, DEFAULT_TENANT_ID);
    expect((await bot.storage.repositories.bindings.get('harnosand', DEFAULT_CHANNEL.id))?.role).toEqual({
      kind: 'team',
      teamKey: 'bostader',
    });
  });
});

describe('allowed tenants (the control)', () => {
  it('every tenant in ALLOWED_TENANTS is served', async () => {
    const channelId = '19:second-tenant@thread.tacv2';
    const res = await postActivity(
      bot.url,
      channelMessage({
        text: 'koppla trygghet',
        channelId,
        teamId: '19:second-team@thread.tacv2',
        tenantId: SECOND_ALLOWED,
        serviceUrl: double.url,
      }),
    );
    expect(res.status).toBe(200);
    expect((await bot.storage.repositories.bindings.get('harnosand', channelId))?.role).toEqual({
      kind: 'team',
      teamKey: 'trygghet',
    });
    const invoke = await postActivity(
      bot.url,
      actionExecuteInvoke({ verb: 'actions.page', data: { teamKey: 'bostader', page: 0 }, serviceUrl: double.url }),
    );
    expect(invoke.status).toBe(200);
    expect(JSON.stringify(invoke.body)).toContain('Åtgärder – Bostäder');
  });
});

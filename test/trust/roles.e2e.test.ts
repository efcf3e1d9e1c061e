/**
 * Taking a role one must not have, through the real HTTP endpoint as Teams calls it. Only program
 * admins bind channels (the first installer, PROGRAM_ADMINS, or admins they add in Teams), so an
 * outsider who adds the bot to a team of his own, or a program member who is no admin, cannot make
 * a channel the steering group's or a program team's, nor move a binding. Every binding and admin
 * change is logged. Steering membership is the steering channel's own roster.
 */
import type { AccessChanged, LogEvent } from '../../domain/types';
import {
  actionExecuteInvoke,
  botAddedToTeam,
  channelMessage,
  DEFAULT_TEAM,
  installationUpdateAdd,
  personalMessage,
  postActivity,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble, type RosterMember } from '../support/connector-double';
import { testAction } from '../support/fixtures';
import { diffSnapshots, rowCount, snapshotTables } from './table-snapshot';

const P = 'harnosand';
const WEEK = '2026-W48';
const INSTALLER = {
  id: '29:ines-installer',
  name: 'Ines Installerare',
  aadObjectId: '1a1a1a1a-0000-4000-8000-000000000001',
};
const MEMBER = { id: '29:mats-member', name: 'Mats Medlem', aadObjectId: '2b2b2b2b-0000-4000-8000-000000000002' };
const OUTSIDER = {
  id: '29:otto-outsider',
  name: 'Otto Utomstående',
  aadObjectId: '3c3c3c3c-0000-4000-8000-000000000003',
};
const NEW_ADMIN = { id: '29:nora-new', name: 'Nora Ny', aadObjectId: '4d4d4d4d-0000-4000-8000-000000000004' };
const NEW_ADMIN_UPN = 'nora.ny@harnosand.se';
const OWNER = { id: '29:olga-owner', name: 'Olga Ägare', aadObjectId: '5e5e5e5e-0000-4000-8000-000000000005' };

const STEERING = '19:steering-private@thread.tacv2';
const HOUSING = '19:housing@thread.tacv2';
const GENERAL = DEFAULT_TEAM.id;
const EVIL_TEAM = '19:evilteam0000000000000000000000@thread.tacv2';
const EVIL_CHANNEL = '19:evilchannel000000000000000000000@thread.tacv2';

/** The steering channel is private: its roster is the installer only, not the whole team. */
const TEAM_ROSTER: RosterMember[] = [INSTALLER, MEMBER, NEW_ADMIN, OWNER].map((m) => ({
  ...m,
  userPrincipalName: `${m.name.split(' ')[0]!.toLowerCase()}@harnosand.se`,
}));
TEAM_ROSTER[2]!.userPrincipalName = NEW_ADMIN_UPN;

let double: ConnectorDouble;
let bot: TestBot;
const repos = () => bot.storage.repositories;
const snapshot = () => snapshotTables(bot.storage.azurite!.connectionString, bot.deps.config.storage.tablePrefix);

async function say(
  text: string,
  channelId: string,
  from: object,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const before = double.sent().length;
  const res = await postActivity(bot.url, channelMessage({ text, channelId, serviceUrl: double.url, from, ...extra }));
  expect(res.status).toBe(200);
  return JSON.stringify(
    double
      .sent()
      .slice(before)
      .map((s) => s.activity),
  );
}

async function accessEvents(): Promise<(LogEvent & AccessChanged)[]> {
  const events = await repos().events.listWeek({ programId: P, week: WEEK });
  return events.filter((e): e is LogEvent & AccessChanged => e.type === 'access');
}

beforeAll(async () => {
  double = await startConnectorDouble({
    teams: { [DEFAULT_TEAM.id]: { name: 'Programkontoret' }, [EVIL_TEAM]: { name: 'Ottos team' } },
    members: (conversationId) => {
      if (conversationId === STEERING) return [TEAM_ROSTER[0]!];
      if (conversationId === EVIL_TEAM || conversationId === EVIL_CHANNEL) return [OUTSIDER];
      return TEAM_ROSTER;
    },
  });
  // A clock that moves a second per reading, so the log's entries sort in the order they were made.
  let tick = 0;
  bot = await startTestBot(
    { SCHEDULER_ENABLED: 'false' },
    { clock: { now: () => new Date(Date.parse('2026-11-24T09:00:00Z') + 1000 * tick++) } },
  );
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

beforeEach(() => double.reset());

describe('program admins', () => {
  it('the first install makes its installer an admin, said in the welcome and shown by hjälp', async () => {
    expect((await postActivity(bot.url, botAddedToTeam({ serviceUrl: double.url, from: INSTALLER }))).status).toBe(200);
    const welcome = JSON.stringify(double.sent().map((s) => s.activity));
    expect(welcome).toContain('du installerade Kraftsamla först och är nu programadministratör');
    expect((await repos().admins.list(P)).map((a) => [a.id, a.source])).toEqual([[INSTALLER.aadObjectId, 'installer']]);
    expect(await say('hjälp', GENERAL, MEMBER)).toContain(
      'Programadministratörer: Ines Installerare (installerade Kraftsamla)',
    );
    expect((await accessEvents()).map((e) => [e.change, e.subject, e.by])).toEqual([
      ['installer', INSTALLER.aadObjectId, INSTALLER.name],
    ]);
  });

  it('a later install, in a team of someone else’s, makes nobody an admin', async () => {
    expect(
      (
        await postActivity(
          bot.url,
          botAddedToTeam({ serviceUrl: double.url, from: OUTSIDER, teamId: EVIL_TEAM, teamName: 'Ottos team' }),
        )
      ).status,
    ).toBe(200);
    expect(JSON.stringify(double.sent().map((s) => s.activity))).not.toContain('programadministratör');
    await postActivity(bot.url, installationUpdateAdd({ serviceUrl: double.url, from: OUTSIDER, scope: 'personal' }));
    expect((await repos().admins.list(P)).map((a) => a.id)).toEqual([INSTALLER.aadObjectId]);
  });

  it('only an admin binds: the installer binds steering, housing; each binding is logged with who and what it was', async () => {
    expect(await say('koppla styrgrupp', STEERING, INSTALLER)).toContain('Den här kanalen är nu styrgruppens');
    expect(await say('koppla bostäder', HOUSING, INSTALLER)).toContain('hör nu till teamet Bostäder');
    expect(await say('koppla kommunikation', HOUSING, INSTALLER)).toContain(
      'Kanalen var tidigare kopplad till teamet Bostäder',
    );
    expect(await say('koppla bostäder', HOUSING, INSTALLER)).toContain('hör nu till teamet Bostäder');
    const bound = (await accessEvents()).filter((e) => e.change === 'bound');
    expect(bound.map((e) => [e.channelId, e.role?.kind, e.previousRole?.kind, e.by])).toEqual([
      [STEERING, 'steering', undefined, INSTALLER.aadObjectId],
      [HOUSING, 'team', undefined, INSTALLER.aadObjectId],
      [HOUSING, 'comms', 'team', INSTALLER.aadObjectId],
      [HOUSING, 'team', 'comms', INSTALLER.aadObjectId],
    ]);
  });

  it('a program member who is no admin cannot bind or move a binding: the steering binding stays', async () => {
    const before = await snapshot();
    expect(rowCount(before)).toBeGreaterThan(5);
    const sv = await say('koppla bostäder', STEERING, MEMBER);
    expect(sv).toContain(
      'Bara en programadministratör kan koppla kanaler. Programadministratörer: Ines Installerare (installerade Kraftsamla).',
    );
    expect(await say('link steering', GENERAL, MEMBER, { locale: 'en-US' })).toContain(
      'Only a program admin can link channels.',
    );
    expect(await say('koppla fotboll', HOUSING, MEMBER)).toContain('Bara en programadministratör');
    expect(diffSnapshots(before, await snapshot())).toEqual([]);
    expect((await repos().bindings.get(P, STEERING))?.role).toEqual({ kind: 'steering' });
  });

  it('an outsider who added the bot to his own team cannot make it the steering group or a program team', async () => {
    const before = await snapshot();
    for (const text of ['koppla styrgrupp', 'koppla bostäder', 'koppla kommunikation']) {
      expect(await say(text, EVIL_CHANNEL, OUTSIDER, { teamId: EVIL_TEAM, teamName: 'Ottos team' })).toContain(
        'Bara en programadministratör',
      );
    }
    // He cannot log a decision from there either: he is not on the steering channel's roster.
    const form = await say('beslut', EVIL_CHANNEL, OUTSIDER, { teamId: EVIL_TEAM });
    expect(form).toContain('Beslut loggas i styrgruppens kanal');
    expect(form).not.toContain('Input.Text');
    const res = await postActivity(
      bot.url,
      actionExecuteInvoke({
        verb: 'decision.submit',
        data: {
          formId: 'evil-form',
          title: 'Otto bestämmer',
          text: 'Allt',
          rationale: '',
          meetingName: '',
          meetingDate: '2026-11-24',
          teams: '',
          actions: '',
          followUpOwner: '',
          followUpDue: '',
        },
        channelId: EVIL_CHANNEL,
        teamId: EVIL_TEAM,
        from: OUTSIDER,
        serviceUrl: double.url,
      }),
    );
    expect(JSON.stringify(res.body)).toContain('det kräver rollen styrgrupp');
    // Nor answer the housing team's check-in from his team.
    await repos().actions.saveAll([
      testAction('BOS-01', {
        programId: P,
        teamKey: 'bostader',
        owner: { name: 'Olga Ägare', email: 'olga@harnosand.se' },
      }),
    ]);
    const mid = await snapshot();
    const answer = await postActivity(
      bot.url,
      actionExecuteInvoke({
        verb: 'checkin.answer',
        data: { teamKey: 'bostader', week: WEEK, actionId: 'BOS-01', page: 0, 'BOS-01.status': 'done' },
        channelId: EVIL_CHANNEL,
        teamId: EVIL_TEAM,
        from: OUTSIDER,
        serviceUrl: double.url,
      }),
    );
    expect(JSON.stringify(answer.body)).toContain('det kräver rollen medlem i teamet Bostäders kanal');
    expect(diffSnapshots(mid, await snapshot())).toEqual([]);
    const decisions = await repos().decisions.listYear(P, 2026);
    expect(decisions).toHaveLength(0);
    expect((await repos().bindings.list(P)).every((b) => b.teamsTeamId === DEFAULT_TEAM.id)).toBe(true);
    expect(rowCount(before)).toBeGreaterThan(0);
  });

  it('steering is the private steering channel’s roster: a team member outside it may not log, the installer on it may', async () => {
    expect(await say('beslut', STEERING, MEMBER)).toContain('Bara styrgruppens ledamöter');
    expect(await say('beslut', STEERING, INSTALLER)).toContain('Input.Text');
    // The steering channel's own roster was asked, never the team's.
    expect(double.callsTo('getConversationMember').map((c) => c.params.conversationId)).toEqual([STEERING, STEERING]);
  });

  it('an admin adds an admin by UPN, who can then bind; a non-admin cannot add; the last admin stays', async () => {
    expect(await say(`admin lägg till ${NEW_ADMIN_UPN}`, GENERAL, MEMBER)).toContain(
      'det kräver rollen programadministratör',
    );
    expect(await say('koppla bostäder', HOUSING, NEW_ADMIN)).toContain('Bara en programadministratör');
    expect(await say(`admin lägg till ${NEW_ADMIN_UPN.toUpperCase()}`, GENERAL, INSTALLER)).toContain(
      `${NEW_ADMIN_UPN} är nu programadministratör.`,
    );
    expect(await say(`admin add ${NEW_ADMIN_UPN}`, GENERAL, INSTALLER, { locale: 'en-US' })).toContain(
      'is already a program admin',
    );
    // The new admin is named by UPN: the roster tells who they are.
    expect(await say('koppla bostäder', HOUSING, NEW_ADMIN)).toContain('hör nu till teamet Bostäder');
    expect(await say('admin', GENERAL, MEMBER)).toContain(NEW_ADMIN_UPN);
    expect(await say(`admin ta bort ${INSTALLER.aadObjectId}`, GENERAL, MEMBER)).toContain(
      'det kräver rollen programadministratör',
    );
    expect(await say(`admin ta bort ${NEW_ADMIN_UPN}`, GENERAL, INSTALLER)).toContain(
      'är inte längre programadministratör',
    );
    expect(await say(`admin ta bort ${INSTALLER.aadObjectId}`, GENERAL, INSTALLER)).toContain(
      'är den sista programadministratören',
    );
    expect(await say('koppla styrgrupp', HOUSING, NEW_ADMIN)).toContain('Bara en programadministratör');
    expect(await say('admin lägg till [Klicka](https://evil.example)', GENERAL, INSTALLER)).toContain(
      'är varken en e-postadress',
    );
    const changes = (await accessEvents()).filter((e) => e.change === 'adminAdded' || e.change === 'adminRemoved');
    expect(changes.map((e) => [e.change, e.subject, e.by])).toEqual([
      ['adminAdded', NEW_ADMIN_UPN, INSTALLER.aadObjectId],
      ['adminRemoved', NEW_ADMIN_UPN, INSTALLER.aadObjectId],
    ]);
  });

  it('an action’s owner answers it from a personal chat; another person there is refused', async () => {
    await repos().actions.saveAll([
      testAction('BOS-02', {
        programId: P,
        teamKey: 'bostader',
        owner: { name: OWNER.name, email: 'olga@harnosand.se' },
      }),
    ]);
    const press = (from: object) =>
      postActivity(
        bot.url,
        actionExecuteInvoke({
          verb: 'checkin.answer',
          data: { teamKey: 'bostader', week: WEEK, actionId: 'BOS-02', page: 0, 'BOS-02.status': 'at_risk' },
          scope: 'personal',
          from,
          serviceUrl: double.url,
        }),
      );
    expect(JSON.stringify((await press(MEMBER)).body)).toContain('det kräver rollen medlem i teamet Bostäders kanal');
    expect((await repos().actions.get(P, 'BOS-02'))?.status).not.toBe('at_risk');
    expect(JSON.stringify((await press(OWNER)).body)).toContain('BOS-02 är uppdaterad');
    expect((await repos().actions.get(P, 'BOS-02'))?.status).toBe('at_risk');
  });
});

describe('a program set up before installers were recorded', () => {
  it('has no admin until one is configured: a new install does not make one, and koppla says where admins come from', async () => {
    const legacy = await startTestBot({ SCHEDULER_ENABLED: 'false' });
    try {
      await legacy.storage.repositories.teams.upsert({
        teamsTeamId: '19:old@thread.tacv2',
        name: 'Gammalt',
        tenantId: 't',
        active: true,
        reference: {},
        channels: [],
        installedAt: '2025-01-01T00:00:00Z',
      });
      await postActivity(legacy.url, botAddedToTeam({ serviceUrl: double.url, from: OUTSIDER, teamId: EVIL_TEAM }));
      expect(await legacy.storage.repositories.admins.list(P)).toEqual([]);
      const before = double.sent().length;
      await postActivity(
        legacy.url,
        channelMessage({
          text: 'koppla styrgrupp',
          channelId: EVIL_CHANNEL,
          teamId: EVIL_TEAM,
          from: OUTSIDER,
          serviceUrl: double.url,
        }),
      );
      expect(JSON.stringify(double.sent().slice(before))).toContain(
        'ingen ännu – ange PROGRAM_ADMINS i konfigurationen',
      );
      expect(await legacy.storage.repositories.bindings.list(P)).toEqual([]);
      await postActivity(legacy.url, personalMessage({ text: 'hjälp', serviceUrl: double.url, from: OUTSIDER }));
    } finally {
      await legacy.stop();
    }
  });
});

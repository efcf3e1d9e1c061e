/**
 * The foundation through the real HTTP endpoint: activities in the shapes Teams sends are POSTed to
 * /api/messages; the bot answers through a local Bot Connector double; storage is Azurite.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Action } from '../../domain/types';
import {
  actionExecuteInvoke,
  actionSubmitMessage,
  botAddedToTeam,
  botRemovedFromTeam,
  channelMessage,
  DEFAULT_CHANNEL,
  DEFAULT_TEAM,
  installationUpdateAdd,
  installationUpdateRemove,
  personalMessage,
  postActivity,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { testAction } from '../support/fixtures';
import { processAlive as alive } from '../support/storage';
import { spawn } from 'node:child_process';

/** A process id that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

const CHANNELS = [
  { id: DEFAULT_TEAM.id, name: null },
  { id: DEFAULT_CHANNEL.id, name: 'Bostäder' },
  { id: '19:comms0000000000000000000000000@thread.tacv2', name: 'Kommunikation' },
];

let double: ConnectorDouble;
let bot: TestBot;

function textOf(activity: Record<string, unknown>): string {
  return JSON.stringify(activity);
}

async function say(text: string, channelId = DEFAULT_CHANNEL.id, extra: Record<string, unknown> = {}) {
  const before = double.sent().length;
  const res = await postActivity(bot.url, channelMessage({ text, channelId, serviceUrl: double.url, ...extra }));
  expect(res.status).toBeLessThan(300);
  const replies = double.sent().slice(before);
  expect(replies.length).toBeGreaterThan(0);
  return replies;
}

const action = (id: string, teamKey: string, extra: Partial<Action> = {}): Action =>
  testAction(id, { teamKey, owner: { name: 'Anna Ström', email: 'anna@harnosand.se' }, progress: 25, ...extra });

beforeAll(async () => {
  double = await startConnectorDouble({
    channels: { [DEFAULT_TEAM.id]: CHANNELS },
    teams: { [DEFAULT_TEAM.id]: { name: 'Programkontoret' } },
  });
  bot = await startTestBot();
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

beforeEach(() => double.reset());

describe('install and removal', () => {
  it('stores the team, its channels and reference, and welcomes once', async () => {
    const res = await postActivity(bot.url, botAddedToTeam({ serviceUrl: double.url }));
    expect(res.status).toBe(200);
    const team = await bot.storage.repositories.teams.get(DEFAULT_TEAM.id);
    expect(team).toMatchObject({ active: true, teamsTeamId: DEFAULT_TEAM.id });
    expect(team?.channels.map((c) => c.name)).toEqual(['General', 'Bostäder', 'Kommunikation']);
    expect((team?.reference as { serviceUrl: string }).serviceUrl).toBe(double.url);
    expect(double.callsTo('fetchChannelList')).toHaveLength(1);
    const welcome = double.sent();
    expect(welcome).toHaveLength(1);
    expect(textOf(welcome[0]!.activity)).toContain('Kraftsamla');
    expect(textOf(welcome[0]!.activity)).toContain('application/vnd.microsoft.card.adaptive');

    // The installationUpdate that Teams sends alongside does not welcome twice.
    await postActivity(bot.url, installationUpdateAdd({ serviceUrl: double.url }));
    expect(double.sent()).toHaveLength(1);
  });

  it('welcomes once when Teams delivers both install events at the same moment', async () => {
    const teamId = '19:simultaneous@thread.tacv2';
    const results = await Promise.all([
      postActivity(bot.url, botAddedToTeam({ serviceUrl: double.url, teamId })),
      postActivity(bot.url, installationUpdateAdd({ serviceUrl: double.url, teamId })),
      postActivity(bot.url, botAddedToTeam({ serviceUrl: double.url, teamId })),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(double.sent().filter((s) => textOf(s.activity).includes('Hej! Jag är Kraftsamla'))).toHaveLength(1);
    expect((await bot.storage.repositories.teams.get(teamId))?.active).toBe(true);
  });

  it('an installationUpdate with no or an unknown action leaves a stored team as it is', async () => {
    await postActivity(bot.url, botAddedToTeam({ serviceUrl: double.url }));
    const stored = await bot.storage.repositories.teams.get(DEFAULT_TEAM.id);
    expect(stored?.active).toBe(true);
    const elsewhere = 'http://127.0.0.1:9/';
    const noAction = { ...channelMessage({ text: 'hjälp', serviceUrl: elsewhere }), type: 'installationUpdate' };
    const unknown = { ...installationUpdateAdd({ serviceUrl: elsewhere }), action: 'frobnicate' };
    for (const activity of [noAction, unknown]) expect((await postActivity(bot.url, activity)).status).toBe(200);
    expect(await bot.storage.repositories.teams.get(DEFAULT_TEAM.id)).toEqual(stored);
    // An app upgrade's add-upgrade is an install event: it refreshes the team and does not welcome again.
    double.reset();
    expect(
      (await postActivity(bot.url, { ...installationUpdateAdd({ serviceUrl: double.url }), action: 'add-upgrade' }))
        .status,
    ).toBe(200);
    expect(double.callsTo('fetchChannelList')).toHaveLength(1);
    expect(double.sent()).toHaveLength(0);
  });

  it('marks a team inactive on removal and keeps its data', async () => {
    await postActivity(bot.url, botAddedToTeam({ serviceUrl: double.url, teamId: '19:removed@thread.tacv2' }));
    const res = await postActivity(
      bot.url,
      botRemovedFromTeam({ serviceUrl: double.url, teamId: '19:removed@thread.tacv2' }),
    );
    expect(res.status).toBe(200);
    const team = await bot.storage.repositories.teams.get('19:removed@thread.tacv2');
    expect(team?.active).toBe(false);
    expect(team?.removedAt).toBeTruthy();
    expect(team?.reference).toBeTruthy();
    // An app upgrade that drops the bot (remove-upgrade) is a removal too.
    await postActivity(bot.url, botAddedToTeam({ serviceUrl: double.url, teamId: '19:upgraded@thread.tacv2' }));
    await postActivity(bot.url, {
      ...installationUpdateRemove({ serviceUrl: double.url, teamId: '19:upgraded@thread.tacv2' }),
      action: 'remove-upgrade',
    });
    expect((await bot.storage.repositories.teams.get('19:upgraded@thread.tacv2'))?.active).toBe(false);
  });
});

describe('commands in a channel', () => {
  it('hjälp answers with the help card in the same thread', async () => {
    const msg = channelMessage({ text: 'hjälp', channelId: DEFAULT_CHANNEL.id, serviceUrl: double.url });
    await postActivity(bot.url, msg);
    const [reply] = double.sent();
    expect(reply!.conversationId).toBe((msg.conversation as { id: string }).id);
    expect(textOf(reply!.activity)).toContain('Det här kan Kraftsamla');
  });

  it('help in English for an English client', async () => {
    const [reply] = await say('help', DEFAULT_CHANNEL.id, { locale: 'en-US' });
    expect(textOf(reply!.activity)).toContain('What Kraftsamla can do');
  });

  it('koppla binds the channel to a team; unknown names get the list', async () => {
    const [bad] = await say('koppla fotboll');
    expect(textOf(bad!.activity)).toContain('Jag känner inte till \\"fotboll\\"');
    expect(textOf(bad!.activity)).toContain('Bostäder');
    expect(await bot.storage.repositories.bindings.get('harnosand', DEFAULT_CHANNEL.id)).toBeUndefined();

    const [ok] = await say('koppla Bostäder');
    expect(textOf(ok!.activity)).toContain('Klart! Den här kanalen hör nu till teamet Bostäder');
    const binding = await bot.storage.repositories.bindings.get('harnosand', DEFAULT_CHANNEL.id);
    expect(binding?.role).toEqual({ kind: 'team', teamKey: 'bostader' });
    expect((binding?.reference as { conversation: { id: string } }).conversation.id).toBe(DEFAULT_CHANNEL.id);

    const [comms] = await say('link comms', CHANNELS[2]!.id);
    expect(textOf(comms!.activity)).toContain('kommunikationsteamets');
    expect((await bot.storage.repositories.bindings.get('harnosand', CHANNELS[2]!.id))?.role).toEqual({
      kind: 'comms',
    });
  });

  it('åtgärder lists the bound team’s actions, pages with Action.Execute and Action.Submit', async () => {
    await say('koppla bostäder');
    await bot.storage.repositories.actions.saveAll([
      ...Array.from({ length: 20 }, (_, i) => action(`BOS-${String(i + 1).padStart(2, '0')}`, 'bostader')),
      action('IND-01', 'industrimark'),
    ]);
    const [list] = await say('åtgärder');
    const card = textOf(list!.activity);
    expect(card).toContain('Åtgärder – Bostäder');
    expect(card).toContain('BOS-01');
    expect(card).not.toContain('IND-01');
    expect(card).toContain('20 åtgärder');

    const invoke = await postActivity(
      bot.url,
      actionExecuteInvoke({
        verb: 'actions.page',
        data: { teamKey: 'bostader', page: 1 },
        channelId: DEFAULT_CHANNEL.id,
        serviceUrl: double.url,
      }),
    );
    expect(invoke.status).toBe(200);
    const body = JSON.stringify(invoke.body);
    expect(body).toContain('application/vnd.microsoft.card.adaptive');
    expect(body).toContain('BOS-20');
    expect(body).toContain('Sida 2 av 2');

    const submit = actionSubmitMessage({
      data: { teamKey: 'bostader', page: 1 },
      verb: 'actions.page',
      cardActivityId: '1700000000001',
      channelId: DEFAULT_CHANNEL.id,
      serviceUrl: double.url,
    });
    await postActivity(bot.url, submit);
    const updates = double.updates();
    expect(updates).toHaveLength(1);
    expect(updates[0]!.activityId).toBe('1700000000001');
    expect(JSON.stringify(updates[0]!.activity)).toContain('BOS-20');
  });

  it('a forged page payload gets a clear card, not a crash', async () => {
    const invoke = await postActivity(
      bot.url,
      actionExecuteInvoke({
        verb: 'actions.page',
        data: { teamKey: 'bostader', page: 'två' },
        channelId: DEFAULT_CHANNEL.id,
        serviceUrl: double.url,
      }),
    );
    expect(invoke.status).toBe(200);
    expect(JSON.stringify(invoke.body)).toContain('Det gick inte att spara');
  });

  it('åtgärder in an unlinked channel explains how to link', async () => {
    const [reply] = await say('åtgärder', '19:unlinked@thread.tacv2');
    expect(textOf(reply!.activity)).toContain('inte kopplad');
  });

  it('anything else gets "did not understand" with the help, never silence', async () => {
    const [reply] = await say('fika kl 15?');
    expect(textOf(reply!.activity)).toContain('Det förstod jag inte');
    expect(textOf(reply!.activity)).toContain('Det här kan Kraftsamla');
  });

  it('koppla in a personal chat says where linking happens', async () => {
    await postActivity(bot.url, personalMessage({ text: 'koppla bostäder', serviceUrl: double.url }));
    const [reply] = double.sent();
    expect(textOf(reply!.activity)).toContain('Kanaler kopplas i ett teams kanal');
  });
});

describe('HTTP endpoint', () => {
  it('answers /healthz with the storage state', async () => {
    const res = await fetch(`${bot.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', storage: 'up', storageMode: 'embedded' });
  });

  it('rejects malformed bodies with 400 and keeps serving', async () => {
    for (const body of ['not json', '[]', '{"no":"type"}', 'null']) {
      const res = await fetch(bot.messagesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect([400, 415]).toContain(res.status);
    }
    const big = await fetch(bot.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(400 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });
});

describe('restart', () => {
  it('keeps data in DATA_DIR across a restart of the app', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-data-'));
    const first = await startTestBot({ AZURITE_IN_MEMORY: 'false', DATA_DIR: dataDir });
    await postActivity(
      first.url,
      channelMessage({ text: 'koppla trygghet', channelId: '19:safety@thread.tacv2', serviceUrl: double.url }),
    );
    expect(fs.existsSync(path.join(dataDir, 'azurite.json'))).toBe(true);
    await first.stop();
    expect(fs.existsSync(path.join(dataDir, 'azurite.json'))).toBe(false);

    const second = await startTestBot({ AZURITE_IN_MEMORY: 'false', DATA_DIR: dataDir });
    try {
      expect((await second.storage.repositories.bindings.get('harnosand', '19:safety@thread.tacv2'))?.role).toEqual({
        kind: 'team',
        teamKey: 'trygghet',
      });
    } finally {
      await second.stop();
    }
  });

  it('after a bot died without its shutdown (kill -9), the next start stops the Azurite it left, which saves, and the data is there', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-data-'));
    const first = await startTestBot({ AZURITE_IN_MEMORY: 'false', DATA_DIR: dataDir });
    const orphan = first.storage.azurite!.pid!;
    await postActivity(
      first.url,
      channelMessage({ text: 'koppla trygghet', channelId: '19:killed@thread.tacv2', serviceUrl: double.url }),
    );
    // It "dies": no shutdown, so its Azurite keeps running with the binding maybe not yet saved
    // (Azurite saves every 5 s), and azurite.json and the lock still name it. Both bots run in
    // this test process, so the dead bot's id is put in both files as a real death leaves them.
    await new Promise<void>((resolve) => first.server.close(() => resolve()));
    const dead = await deadPid();
    for (const file of ['azurite.json', 'kraftsamla.lock']) {
      const content = JSON.parse(fs.readFileSync(path.join(dataDir, file), 'utf8')) as Record<string, unknown>;
      fs.writeFileSync(path.join(dataDir, file), JSON.stringify({ ...content, pid: dead }));
    }
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'azurite.json'), 'utf8'))).toMatchObject({
      azuritePid: orphan,
    });
    expect(alive(orphan)).toBe(true);

    const second = await startTestBot({ AZURITE_IN_MEMORY: 'false', DATA_DIR: dataDir });
    try {
      expect(alive(orphan)).toBe(false);
      expect(second.storage.azurite!.pid).not.toBe(orphan);
      expect((await second.storage.repositories.bindings.get('harnosand', '19:killed@thread.tacv2'))?.role).toEqual({
        kind: 'team',
        teamKey: 'trygghet',
      });
    } finally {
      await second.stop();
      if (alive(orphan)) first.storage.azurite!.kill(); // only when the test failed: leave nothing running
      first.storage.store.close();
    }
  });
});

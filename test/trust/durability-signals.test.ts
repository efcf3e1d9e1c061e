/**
 * An acknowledged write survives the ways a bot on the embedded store is stopped: the real bot
 * runs as a child process (as `npm start` runs it) on a data folder, gets `koppla styrgrupp` and
 * a decision through /api/messages, and right after the decision's card came back it is sent
 * SIGTERM, SIGINT twice, or SIGHUP to its whole process group (systemd's stop, Ctrl+C pressed
 * twice, a closed terminal), SIGTERM to the bot alone, or SIGKILL to the bot alone. Started
 * again on the same folder, it has every binding and decision acknowledged before.
 *
 * Azurite writes its database to disk every 5 s and when it is closed, so an answer written
 * just before the signal exists only in Azurite's memory: it survives only if Azurite is closed
 * properly. The remaining window, SIGKILL of the Azurite process itself or power loss, is
 * measured by bench/durability-window.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../storage/azurite';
import { actionExecuteInvoke, channelMessage, DEFAULT_USER, postActivity } from '../support/activities';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { processAlive } from '../support/storage';
import { buildBot, processesWith, reposOfRunningBot, startBotProcess, type BotProcess } from './durability-support';

jest.setTimeout(120_000);

let build: string;
let dataDir: string;
let double: ConnectorDouble;
let port: number;
let bot: BotProcess | undefined;

const env = () => ({ PORT: String(port), DATA_DIR: dataDir, STEERING_MEMBERS: DEFAULT_USER.aadObjectId! });

beforeAll(async () => {
  [build, double, port] = await Promise.all([buildBot(), startConnectorDouble(), freePort()]);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-durable-'));
});

afterAll(async () => {
  if (bot && bot.child.exitCode === null && bot.child.signalCode === null) {
    process.kill(bot.pid, 'SIGTERM');
    await bot.exited;
  }
  // Only when a case failed: leave no Azurite of this folder running.
  for (const pid of processesWith(dataDir)) process.kill(pid, 'SIGKILL');
  await double?.close();
  fs.rmSync(build, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Stop = (pid: number) => void;

const CASES: [string, Stop][] = [
  ['SIGTERM to the process group', (pid) => process.kill(-pid, 'SIGTERM')],
  [
    'SIGINT twice to the process group',
    (pid) => {
      process.kill(-pid, 'SIGINT');
      process.kill(-pid, 'SIGINT');
    },
  ],
  ['SIGHUP to the process group', (pid) => process.kill(-pid, 'SIGHUP')],
  ['SIGTERM to the bot alone', (pid) => process.kill(pid, 'SIGTERM')],
  ['SIGKILL to the bot alone', (pid) => process.kill(pid, 'SIGKILL')],
];

/** What each case acknowledged: the steering channel it bound and the decision it logged. */
const acknowledged: { channel: string; number: string; title: string }[] = [];

async function running(): Promise<BotProcess> {
  if (!bot || bot.child.exitCode !== null || bot.child.signalCode !== null) {
    bot = await startBotProcess(build, env());
    if (bot.child.exitCode !== null) throw new Error(`the bot did not start: ${bot.output()}`);
  }
  return bot;
}

it.each(CASES)('a decision acknowledged just before %s is there after the next start', async (name, stop) => {
  const b = await running();
  const channel = `19:durable-${acknowledged.length}@thread.tacv2`;
  const linked = await postActivity(
    b.url,
    channelMessage({ text: 'koppla styrgrupp', channelId: channel, serviceUrl: double.url }),
  );
  expect(linked.status).toBe(200);
  const title = `Beslut före ${name}`;
  const form = {
    formId: `durable-form-${acknowledged.length}`,
    title,
    text: 'Styrgruppen beslutar.',
    meetingDate: '2026-11-23',
    teams: '',
    actions: '',
  };
  const submitted = await postActivity(
    b.url,
    actionExecuteInvoke({ verb: 'decision.submit', data: form, channelId: channel, serviceUrl: double.url }),
  );
  expect(submitted.status).toBe(200);
  const number = /Beslutet är loggat som (D-\d{4}-\d{3})/.exec(JSON.stringify(submitted.body))?.[1];
  expect(number).toBeDefined();

  stop(b.pid);
  acknowledged.push({ channel, number: number!, title });
  await b.exited;

  const next = await running();
  expect(next.output()).toContain('Kraftsamla is listening');
  const { repos } = reposOfRunningBot(dataDir);
  for (const before of acknowledged) {
    expect({ channel: before.channel, role: (await repos.bindings.get('harnosand', before.channel))?.role }).toEqual({
      channel: before.channel,
      role: { kind: 'steering' },
    });
    const year = Number(before.number.slice(2, 6));
    const logged = (await repos.decisions.listYear('harnosand', year)).map((d) => `${d.number} ${d.title}`);
    expect(logged).toContain(`${before.number} ${before.title}`);
  }
  // Exactly one Azurite of this folder: the new bot's (the old one saved and stopped).
  const { azuritePid } = reposOfRunningBot(dataDir);
  expect(processesWith(dataDir)).toEqual([azuritePid]);
  expect(processAlive(azuritePid)).toBe(true);
});

/**
 * One bot per DATA_DIR. A second start on a data folder a running bot holds (the bot on another
 * port, `npm run dev`) refuses in Swedish and English, naming the running process, and starts
 * nothing: the first bot's Azurite keeps running, azurite.json is unchanged, the first bot still
 * serves with its data, and a CLI still works beside it through azurite.json. A start that fails
 * on a taken port stops the Azurite it had started and leaves the folder's lock free.
 *
 * Before the lock, the second bot started its own Azurite on the same folder and repointed
 * azurite.json to it: each bot answered from its own copy and overwrote the other's saves.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { main as digestMain } from '../../cli/digest';
import { startDev } from '../../scripts/dev';
import { freePort } from '../../storage/azurite';
import { acquireDataDirLock } from '../../storage/data-dir-lock';
import { channelMessage, postActivity } from '../support/activities';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { processAlive } from '../support/storage';
import { sink } from '../cli/support';
import { buildBot, processesWith, reposOfRunningBot, startBotProcess, type BotProcess } from './durability-support';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..');
let build: string;
let double: ConnectorDouble;
const dirs: string[] = [];
const bots: BotProcess[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-lock-'));
  dirs.push(dir);
  return dir;
}

async function start(env: Record<string, string>): Promise<BotProcess> {
  const bot = await startBotProcess(build, env);
  bots.push(bot);
  return bot;
}

async function stop(bot: BotProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (bot.child.exitCode === null && bot.child.signalCode === null) process.kill(bot.pid, 'SIGTERM');
  return bot.exited;
}

beforeAll(async () => {
  [build, double] = await Promise.all([buildBot(), startConnectorDouble()]);
});

afterAll(async () => {
  for (const bot of bots) await stop(bot);
  for (const dir of dirs) {
    for (const pid of processesWith(dir)) process.kill(pid, 'SIGKILL'); // only when a case failed
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await double?.close();
  fs.rmSync(build, { recursive: true, force: true });
});

it('a second start on the same DATA_DIR refuses, naming the running bot; the first keeps serving with its store and data', async () => {
  const dataDir = tempDir();
  const first = await start({ PORT: String(await freePort()), DATA_DIR: dataDir });
  expect(first.child.exitCode).toBeNull();
  const linked = await postActivity(
    first.url,
    channelMessage({ text: 'koppla bostäder', channelId: '19:lock-first@thread.tacv2', serviceUrl: double.url }),
  );
  expect(linked.status).toBe(200);
  const announced = fs.readFileSync(path.join(dataDir, 'azurite.json'), 'utf8');
  const { azuritePid } = reposOfRunningBot(dataDir);

  // The bot again, on another port (the port alone would have stopped it before it touched anything).
  const second = await start({ PORT: String(await freePort()), DATA_DIR: dataDir });
  const exit = await second.exited;
  expect({ exit, output: second.output() }).toEqual({
    exit: { code: 1, signal: null },
    output: expect.stringContaining(`Kraftsamla körs redan på datamappen ${dataDir}: process ${first.pid} (`),
  });
  expect(second.output()).toContain(
    `Kraftsamla is already running on the data folder ${dataDir}: process ${first.pid} (`,
  );
  expect(second.output()).toContain('bot/index.js');

  // npm run dev refuses before it compiles or starts anything.
  const devLog: string[] = [];
  await expect(
    startDev({
      cwd: ROOT,
      env: { DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: 'silent' },
      log: (l) => devLog.push(l),
    }),
  ).rejects.toThrow(
    new RegExp(`Kraftsamla körs redan på datamappen .*process ${first.pid}[^]*Kraftsamla is already running`),
  );
  expect(devLog).toEqual([]);

  // Untouched: the same Azurite, the same azurite.json, the first bot serves with its data.
  expect(fs.readFileSync(path.join(dataDir, 'azurite.json'), 'utf8')).toBe(announced);
  expect(processesWith(dataDir)).toEqual([azuritePid]);
  expect(processAlive(azuritePid)).toBe(true);
  expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
  const again = await postActivity(
    first.url,
    channelMessage({ text: 'koppla trygghet', channelId: '19:lock-again@thread.tacv2', serviceUrl: double.url }),
  );
  expect(again.status).toBe(200);
  const { repos } = reposOfRunningBot(dataDir);
  expect((await repos.bindings.get('harnosand', '19:lock-first@thread.tacv2'))?.role).toEqual({
    kind: 'team',
    teamKey: 'bostader',
  });
  expect((await repos.bindings.get('harnosand', '19:lock-again@thread.tacv2'))?.role).toEqual({
    kind: 'team',
    teamKey: 'trygghet',
  });

  // A CLI beside the running bot uses its store (azurite.json), as before.
  const stdout = sink(false);
  const stderr = sink(false);
  const code = await digestMain(['--week', '2026-W48', '--format', 'json'], {
    env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    stdout,
    stderr,
    cwd: dataDir,
  });
  expect({ code, err: stderr.text }).toEqual({ code: 0, err: expect.stringContaining('Använder botens lagring') });
  expect(processesWith(dataDir)).toEqual([azuritePid]);

  expect(await stop(first)).toEqual({ code: 0, signal: null });
  expect(processesWith(dataDir)).toEqual([]);
  expect(fs.existsSync(path.join(dataDir, 'kraftsamla.lock'))).toBe(false);
});

it('a CLI refuses a data folder that a process holds without sharing its store', async () => {
  const dataDir = tempDir();
  const lock = acquireDataDirLock(dataDir);
  try {
    const stdout = sink(false);
    const stderr = sink(false);
    const code = await digestMain(['--week', '2026-W48', '--format', 'json', '--lang', 'en'], {
      env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      stdout,
      stderr,
      cwd: dataDir,
    });
    expect({ code, err: stderr.text }).toEqual({
      code: 1,
      err: expect.stringContaining(`The data folder ${dataDir} is in use by process ${process.pid} (`),
    });
    expect(processesWith(dataDir)).toEqual([]);
  } finally {
    lock.release();
  }
});

it('a start that fails on a taken port stops the Azurite it started and leaves the lock free', async () => {
  const dataDir = tempDir();
  // Someone else's server on the port; it hangs up on whoever calls.
  const taken = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as net.AddressInfo).port;
  try {
    const failed = await start({ PORT: String(port), DATA_DIR: dataDir });
    expect(await failed.exited).toEqual({ code: 1, signal: null });
    expect(failed.output()).toContain('could not start');
    expect(processesWith(dataDir)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'kraftsamla.lock'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'azurite.json'))).toBe(false);
  } finally {
    await new Promise((r) => taken.close(r));
  }
  // The folder is free: the next start on it serves.
  const next = await start({ PORT: String(await freePort()), DATA_DIR: dataDir });
  expect(next.child.exitCode).toBeNull();
  expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
  expect(await stop(next)).toEqual({ code: 0, signal: null });
});

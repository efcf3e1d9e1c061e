/**
 * stopOrphanedAzurite (storage/azurite.ts): DATA_DIR/azurite.json names the Azurite of a bot that
 * died without its shutdown. The next start stops that Azurite (so it saves), and nothing else:
 * not one whose bot is still running, and not a process that has the recorded id by now (after
 * a reboot ids are handed out again).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startAzurite, stopOrphanedAzurite, type AzuriteHandle } from '../../storage/azurite';
import { processAlive as alive } from '../support/storage';

/** A process id that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

let dataDir: string;
let infoFile: string;
let started: AzuriteHandle[] = [];
let others: ChildProcess[] = [];

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-orphan-'));
  infoFile = path.join(dataDir, 'azurite.json');
});

afterEach(async () => {
  for (const a of started) await a.stop();
  for (const p of others) p.kill('SIGKILL');
  started = [];
  others = [];
});

it('stops the Azurite of a bot that died, and it saves what it held', async () => {
  const azurite = await startAzurite({ dataDir });
  started.push(azurite);
  fs.writeFileSync(infoFile, JSON.stringify({ port: azurite.port, pid: await deadPid(), azuritePid: azurite.pid }));
  expect(await stopOrphanedAzurite(infoFile)).toBe(true);
  expect(alive(azurite.pid!)).toBe(false);
  expect(fs.existsSync(path.join(dataDir, 'azurite', '__azurite_db_table__.json'))).toBe(true);
});

it('leaves an Azurite whose bot is still running', async () => {
  const azurite = await startAzurite({ dataDir });
  started.push(azurite);
  const bot = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  others.push(bot);
  fs.writeFileSync(infoFile, JSON.stringify({ port: azurite.port, pid: bot.pid, azuritePid: azurite.pid }));
  expect(await stopOrphanedAzurite(infoFile)).toBe(false);
  expect(alive(azurite.pid!)).toBe(true);
});

it('leaves a process that is not that Azurite, though it has the recorded id', async () => {
  // Another program with the id, and an Azurite of another folder: neither is this folder's.
  const stranger = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  others.push(stranger);
  const elsewhere = await startAzurite({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'ks-orphan-other-')) });
  started.push(elsewhere);
  for (const pid of [stranger.pid!, elsewhere.pid!]) {
    fs.writeFileSync(infoFile, JSON.stringify({ port: elsewhere.port, pid: await deadPid(), azuritePid: pid }));
    expect(await stopOrphanedAzurite(infoFile)).toBe(false);
    expect(alive(pid)).toBe(true);
  }
});

/**
 * The data folder's lock (storage/data-dir-lock.ts): exclusive while its holder lives, taken over
 * when the holder is gone or its id belongs to a process started later, and released only by
 * its owner.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireDataDirLock, DataDirLockedError, lockFile, lockHolder } from '../../storage/data-dir-lock';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-lockfile-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

it('is exclusive while its holder runs, names it, and is free again once released', () => {
  const lock = acquireDataDirLock(dir);
  expect(lockHolder(dir)).toMatchObject({ pid: process.pid });
  let refused: unknown;
  try {
    acquireDataDirLock(dir);
  } catch (err) {
    refused = err;
  }
  expect(refused).toBeInstanceOf(DataDirLockedError);
  expect((refused as DataDirLockedError).holder.pid).toBe(process.pid);
  expect(lock.held()).toBe(true);
  lock.release();
  expect(fs.existsSync(lockFile(dir))).toBe(false);
  acquireDataDirLock(dir).release();
});

it('takes over the lock of a process that is gone', async () => {
  fs.writeFileSync(
    lockFile(dir),
    JSON.stringify({ pid: await deadPid(), startedAt: '2026-01-01T00:00:00.000Z', command: 'node dist/bot/index.js' }),
  );
  expect(lockHolder(dir)).toBeUndefined();
  const lock = acquireDataDirLock(dir);
  expect(lockHolder(dir)).toMatchObject({ pid: process.pid });
  lock.release();
});

it('takes over a lock whose id now belongs to a process started later (a reboot hands ids out again)', () => {
  fs.writeFileSync(
    lockFile(dir),
    JSON.stringify({
      pid: process.pid,
      startedAt: '2026-01-01T00:00:00.000Z',
      command: 'node dist/bot/index.js',
      startTicks: 1,
    }),
  );
  const lock = acquireDataDirLock(dir);
  expect(lock.held()).toBe(true);
  lock.release();
});

it('never removes a lock another process took over', async () => {
  const lock = acquireDataDirLock(dir);
  const other = JSON.stringify({ pid: await deadPid(), startedAt: '2026-02-02T00:00:00.000Z', command: 'other' });
  fs.writeFileSync(lockFile(dir), other);
  expect(lock.held()).toBe(false);
  lock.release();
  expect(fs.readFileSync(lockFile(dir), 'utf8')).toBe(other);
});

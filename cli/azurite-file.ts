/**
 * The bot's embedded Azurite announces itself in `DATA_DIR/azurite.json` while it runs; the CLIs
 * use that store instead of starting a second Azurite on the same data folder.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** The bot's embedded Azurite, if `DATA_DIR/azurite.json` names a live process. */
export interface RunningAzurite {
  port: number;
  pid: number;
  /** Whether something answers on the port. */
  reachable: boolean;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function findRunningAzurite(dataDir: string): Promise<RunningAzurite | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dataDir, 'azurite.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const { port, pid } = (raw ?? {}) as { port?: unknown; pid?: unknown };
  if (typeof port !== 'number' || !Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  // A file left behind by a bot that has stopped (pid gone) means nothing.
  if (!processAlive(pid)) return undefined;
  return { port, pid, reachable: await portAnswers(port) };
}

/**
 * The embedded default store: Azurite's table service as a child process on a free loopback
 * port. Never loaded into the restify process (DESIGN.md §3: restify patches
 * `http.IncomingMessage.prototype` and Azurite then ignores `$filter` and continuation tokens).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** Azurite's well-known development account (public, documented; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Folder for Azurite's data; ignored when `inMemory`. */
  dataDir?: string;
  inMemory?: boolean;
  /** Fixed port; by default a free one is picked. */
  port?: number;
  startTimeoutMs?: number;
}

export interface AzuriteHandle {
  port: number;
  connectionString: string;
  pid: number | undefined;
  stop(): Promise<void>;
  /** Kills the process without waiting (tests of a store outage). */
  kill(signal?: NodeJS.Signals): void;
}

export function azuriteConnectionString(port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `TableEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Where Azurite keeps its data inside `dataDir` (DATA_DIR). */
function azuriteLocation(dataDir: string): string {
  return path.resolve(dataDir, 'azurite');
}

function azuriteTableMain(): string {
  return path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'table', 'main.js');
}

async function waitForPort(port: number, deadline: number, child: ChildProcess): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('Azurite did not start in time');
}

async function startOnce(port: number, options: AzuriteOptions): Promise<AzuriteHandle> {
  const args = [
    azuriteTableMain(),
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(port),
    '--silent',
    '--skipApiVersionCheck',
    '--disableProductStyleUrl',
    '--disableTelemetry',
  ];
  if (options.inMemory) {
    args.push('--inMemoryPersistence');
  } else {
    const location = azuriteLocation(options.dataDir ?? './.data');
    fs.mkdirSync(location, { recursive: true });
    args.push('--location', location);
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  try {
    await waitForPort(port, Date.now() + (options.startTimeoutMs ?? 20000), child);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}: ${output.trim()}`);
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    port,
    pid: child.pid,
    connectionString: azuriteConnectionString(port),
    kill: (signal = 'SIGKILL') => {
      child.kill(signal);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGINT, not SIGTERM: only SIGINT makes Azurite close its database and save it to disk.
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether process `pid` is an Azurite using the folder `location`: its command line where the
 * system shows it (Linux), else whether `port` still answers as Azurite.
 */
async function isAzuriteOf(pid: number, port: number | undefined, location: string): Promise<boolean> {
  if (fs.existsSync('/proc/self/cmdline')) {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const at = args.indexOf('--location');
      return args.some((a) => a.includes('azurite')) && at >= 0 && path.resolve(args[at + 1] ?? '') === location;
    } catch {
      return false;
    }
  }
  if (!port) return false;
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return (res.headers.get('server') ?? '').startsWith('Azurite');
  } catch {
    return false;
  }
}

/**
 * An Azurite left running by a bot that was killed (kill -9 skips our shutdown) still holds the
 * data folder. Ask it to save and stop before a new one opens the same folder.
 */
export async function stopOrphanedAzurite(infoFile: string): Promise<boolean> {
  if (!fs.existsSync(infoFile)) return false;
  let info: { pid?: number; azuritePid?: number; port?: number };
  try {
    info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as typeof info;
  } catch {
    return false;
  }
  const owner = info.pid;
  const orphan = info.azuritePid;
  if (!orphan || (owner && owner !== process.pid && alive(owner)) || !alive(orphan)) return false;
  // After a reboot the id may belong to another program by now: stop it only if it is the
  // Azurite that used this folder.
  if (!(await isAzuriteOf(orphan, info.port, azuriteLocation(path.dirname(infoFile))))) return false;
  process.kill(orphan, 'SIGINT');
  for (let i = 0; i < 100 && alive(orphan); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(orphan)) process.kill(orphan, 'SIGKILL');
  return true;
}

/** Starts Azurite's table service; retries on another port if the picked one was taken. */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnce(port, options);
    } catch (err) {
      lastError = err;
      if (options.port) break;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

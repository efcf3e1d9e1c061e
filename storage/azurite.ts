/**
 * The embedded default store: Azurite's table service as a child process on a free loopback
 * port, in its own process group, run by the launcher in azurite-launcher.ts (which saves on any
 * stop signal and when the bot is gone). Never loaded into the restify process: restify patches
 * `http.IncomingMessage.prototype` and Azurite then ignores `$filter` and continuation tokens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { launcherSource } from './azurite-launcher';

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
  /** Start it again (same port, same folder) when it dies unexpectedly; these hear about it. */
  restart?: {
    /** Asked before each start again; false gives up (the data folder is no longer ours). */
    allowed?(): boolean;
    onExit(info: { code: number | null; signal: NodeJS.Signals | null; pid: number | undefined }): void;
    onRestarted(info: { pid: number | undefined }): void;
    onFailed(info: { attempt: number; reason: string }): void;
  };
}

export interface AzuriteHandle {
  port: number;
  connectionString: string;
  /** The running Azurite's process id (a new one after a restart). */
  readonly pid: number | undefined;
  /** Stops it (it saves) and waits for it; no restart after this. */
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

/**
 * Azurite is a development dependency: a production install (`npm ci --omit=dev`) has none, and
 * must then be given a store of its own (AZURE_TABLES_CONNECTION_STRING). Starting the embedded
 * store there fails with this, before anything is started or written.
 */
export class AzuriteNotInstalledError extends Error {
  readonly code = 'AZURITE_NOT_INSTALLED';
  constructor() {
    super('Azurite (the embedded development store) is not installed; configure AZURE_TABLES_CONNECTION_STRING');
    this.name = 'AzuriteNotInstalledError';
  }
}

/**
 * Where Azurite's table service is installed. Only looked up when the embedded store is started,
 * never when this module is loaded, so the bot runs without Azurite against Azure Table Storage.
 */
function azuriteTableDir(): string {
  let manifest: string;
  try {
    manifest = require.resolve('azurite/package.json');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw new AzuriteNotInstalledError();
    throw err;
  }
  return path.join(path.dirname(manifest), 'dist', 'src', 'table');
}

/** Whether the embedded store can be started here (Azurite is installed); throws if it cannot. */
export function assertAzuriteInstalled(): void {
  azuriteTableDir();
}

/** One Azurite process, started by the launcher (azurite-launcher.ts) and ready on `port`. */
interface AzuriteProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

async function spawnAzurite(port: number, options: AzuriteOptions): Promise<AzuriteProcess> {
  const args = ['-e', launcherSource(azuriteTableDir()), '--', '--tablePort', String(port)];
  if (options.inMemory) {
    args.push('--inMemoryPersistence');
  } else {
    const location = azuriteLocation(options.dataDir ?? './.data');
    fs.mkdirSync(location, { recursive: true });
    args.push('--location', location);
  }
  // Its own process group (detached): a signal to the bot's group (Ctrl+C, a closed terminal,
  // systemd or a container stopping the service) never reaches it; the bot stops it once it has
  // drained, and it stops by itself when the bot is gone (the IPC channel closes).
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timeoutMs = options.startTimeoutMs ?? 20000;
  const started = await new Promise<{ ok: true } | { ok: false; reason: string }>((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, reason: 'Azurite did not start in time' }), timeoutMs);
    child.on('message', (message: { ready?: number; error?: string }) => {
      // Only the launcher's own messages count: under `node --watch` (npm run dev) every child
      // process also reports the modules it loads (`{"watch:require": …}`) on the same channel.
      if (typeof message?.ready !== 'number' && typeof message?.error !== 'string') return;
      clearTimeout(timer);
      resolve(message.ready ? { ok: true } : { ok: false, reason: message.error ?? 'Azurite did not start' });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `Azurite exited with ${signal ?? `code ${code}`}` });
    });
  });
  if (!started.ok) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${started.reason}: ${output.trim()}`);
  }
  // The bot's own lifetime is not tied to its store's: neither handle keeps it running.
  child.unref();
  child.channel?.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  return { child, exited };
}

async function stopProcess(p: AzuriteProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  // SIGINT makes the launcher close the server, which saves; it ignores any signal after that
  // until the save is done. SIGKILL only when it has not finished in 30 s.
  p.child.kill('SIGINT');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 30000);
  await p.exited;
  clearTimeout(timer);
}

async function startOnce(port: number, options: AzuriteOptions): Promise<AzuriteHandle> {
  let current = await spawnAzurite(port, options);
  let stopping = false;
  let restarting: Promise<void> | undefined;

  // An Azurite that dies while we still need it is started again, on the same port and with the
  // same data folder, so the TableStore's connection string stays right.
  const watch = (p: AzuriteProcess): void => {
    if (!options.restart) return;
    p.child.once('exit', (code, signal) => {
      if (stopping) return;
      options.restart?.onExit({ code, signal, pid: p.child.pid });
      restarting = (async () => {
        for (let attempt = 0; !stopping; attempt++) {
          await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 5000)));
          if (stopping) return;
          if (options.restart?.allowed && !options.restart.allowed()) {
            options.restart.onFailed({
              attempt: attempt + 1,
              reason: 'the data folder is no longer locked by this process; not restarted',
            });
            return;
          }
          try {
            current = await spawnAzurite(port, options);
          } catch (err) {
            options.restart?.onFailed({ attempt: attempt + 1, reason: (err as Error).message.split('\n')[0] ?? '' });
            continue;
          }
          if (stopping) {
            await stopProcess(current);
            return;
          }
          watch(current);
          options.restart?.onRestarted({ pid: current.child.pid });
          return;
        }
      })().finally(() => (restarting = undefined));
    });
  };
  watch(current);

  return {
    port,
    get pid() {
      return current.child.pid;
    },
    connectionString: azuriteConnectionString(port),
    kill: (signal = 'SIGKILL') => {
      current.child.kill(signal);
    },
    stop: async () => {
      stopping = true;
      await restarting;
      await stopProcess(current);
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
  // It may be saving already (its launcher closes when its bot's IPC channel goes): wait for it.
  process.kill(orphan, 'SIGINT');
  for (let i = 0; i < 300 && alive(orphan); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(orphan)) process.kill(orphan, 'SIGKILL');
  return true;
}

/** Starts Azurite's table service; retries on another port if the picked one was taken. */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  // Not installed is not a port problem: no retries, and the caller can explain it.
  assertAzuriteInstalled();
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

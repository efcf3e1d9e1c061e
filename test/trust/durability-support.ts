/**
 * The real bot as a child process, as `npm start` runs it: compiled once per test file into a
 * temporary folder (no type check: `npm test` type-checks), started with `node bot/index.js`
 * in its own process group so a test can signal the group as a terminal, systemd or a container
 * would, and read back through the store it left on disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRepositories } from '../../storage';
import { azuriteConnectionString } from '../../storage/azurite';
import { TableStore } from '../../storage/table-store';
import type { Repositories } from '../../domain/ports';

const ROOT = path.resolve(__dirname, '..', '..');

/** Compiles the bot (tsconfig.build.json) into a temporary folder; returns it. */
export async function buildBot(): Promise<string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-build-'));
  const tsc = spawn(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      out,
      '--noCheck',
      '--sourceMap',
      'false',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  tsc.stdout.on('data', (d: Buffer) => (output += d.toString()));
  tsc.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => tsc.once('close', resolve));
  if (code !== 0) throw new Error(`tsc failed (${code}): ${output}`);
  // Packages and the default program as the repository has them.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(out, 'package.json'));
  // The tab's files, read at run time from beside the build.
  fs.cpSync(path.join(ROOT, 'tab', 'public'), path.join(out, 'tab', 'public'), { recursive: true });
  return out;
}

export interface BotProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Starts `node <build>/bot/index.js`; resolves when /healthz answers or the process has exited. */
export async function startBotProcess(build: string, env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--no-deprecation', path.join(build, 'bot', 'index.js')], {
    cwd: build,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SCHEDULER_ENABLED: 'false',
      PROGRAM_FILE: path.join(ROOT, 'config', 'program.default.json'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as a shell gives a job: the test signals the group.
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${env.PORT}`;
  for (;;) {
    if (gone) break;
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await Promise.race([new Promise((r) => setTimeout(r, 100)), exited]);
  }
  return { child, pid: child.pid!, url, exited, output: () => output };
}

/** The repositories on the Azurite a running bot announced in DATA_DIR/azurite.json. */
export function reposOfRunningBot(dataDir: string): { repos: Repositories; azuritePid: number; store: TableStore } {
  const info = JSON.parse(fs.readFileSync(path.join(dataDir, 'azurite.json'), 'utf8')) as {
    port: number;
    azuritePid: number;
  };
  const store = new TableStore({ connectionString: azuriteConnectionString(info.port), tablePrefix: 'ks' });
  return { repos: createRepositories(store, 'Europe/Stockholm'), azuritePid: info.azuritePid, store };
}

/** Ids of running processes whose command line names `needle` (Linux /proc). */
export function processesWith(needle: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Child processes for the benchmarks: the real bot and the bare baseline server, with their memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from '../storage/azurite';
import type { RequestCounts } from './count-requests';

export interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Resident memory of a process in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer from ${url}/healthz`);
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; 100 ticks a second). */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ") ": utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Starts `script` (under dist/) as a server on a free port and waits for its /healthz.
 * `BENCH_BOT_FLAGS` (space-separated Node/V8 flags) go to the bot only, to try flags `npm start`
 * might use (section 1 of docs/PERFORMANCE.md says which were tried).
 */
export async function startChild(
  script: string,
  env: Record<string, string>,
  options: { countRequestsTo?: string } = {},
): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
      ...(options.countRequestsTo ? ['--require', path.join(__dirname, 'count-requests.js')] : []),
      '--no-deprecation',
      ...(script === 'bot/index.js' && process.env.BENCH_BOT_FLAGS ? process.env.BENCH_BOT_FLAGS.split(' ') : []),
      path.join(__dirname, '..', script),
    ],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        SCHEDULER_ENABLED: 'false',
        ...(options.countRequestsTo ? { BENCH_REQUEST_COUNT_FILE: options.countRequestsTo } : {}),
        ...env,
      },
      stdio: ['ignore', process.env.BENCH_CHILD_LOGS ? 'inherit' : 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** The HTTP requests a child started with `countRequestsTo` has made so far (count-requests.ts). */
export async function requestCounts(child: { pid: number }, file: string): Promise<RequestCounts> {
  fs.rmSync(file, { force: true });
  process.kill(child.pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as RequestCounts;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error(`no request counts from process ${child.pid}`);
}

/**
 * Child processes for the development scripts and the tests: a process with its recent output,
 * waiting for a line, and a stop by signal (of its whole process group when asked) with a hard
 * deadline, so that nothing outlives a stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** A child process with its recent output, stopped by signal with a hard deadline. */
export interface Child {
  process: ChildProcess;
  /** The last ~20 KB of stdout and stderr. */
  output(): string;
  /** Resolves with the first regex match in the output; rejects if the process exits or on timeout. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /**
   * Sends the signal, waits for the exit (of the whole process group with `group`) and kills
   * with SIGKILL after `graceMs`. Closes the pipes, so nothing of the child keeps a test runner
   * waiting.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
  /**
   * Run in a process group of its own and signal the whole group: for a child that has children
   * (`node --watch` → the bot → its Azurite), so none of them outlives a stop.
   */
  group?: boolean;
}

export function spawnChild(command: string, args: string[], options: SpawnOptions): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.group === true,
  });
  let output = '';
  let partial = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    const s = d.toString();
    output = (output + s).slice(-20000);
    if (options.onLine) {
      const lines = (partial + s).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line.replace(/\r$/, ''));
    }
    listeners.forEach((l) => l());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      listeners.forEach((l) => l());
      resolve();
    });
    child.once('error', () => resolve());
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  /** The polite signal goes to the child, which passes it on; SIGKILL goes to the whole group. */
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (options.group && child.pid && sig === 'SIGKILL') process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // Already gone.
    }
  };
  // A run that ends without stopping us (a crashed test, an exception) must not leave it behind.
  const onExit = () => signal('SIGKILL');
  process.once('exit', onExit);
  return {
    process: child,
    output: () => output,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = output.match(pattern);
          if (m) done(() => resolve(m));
          else if (!running())
            done(() =>
              reject(
                new Error(
                  `${options.name} exited (${child.exitCode ?? child.signalCode}) before ${pattern}: ${output.slice(-2000)}`,
                ),
              ),
            );
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(new Error(`${options.name}: no ${pattern} within ${timeoutMs} ms: ${output.slice(-2000)}`)),
            ),
          timeoutMs,
        );
        const done = (f: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          f();
        };
        listeners.add(check);
        check();
      }),
    stop: async (sig = 'SIGTERM', graceMs = 10000) => {
      process.removeListener('exit', onExit);
      if (running()) {
        signal(sig);
        const timer = setTimeout(() => signal('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // The group may outlive its leader for a moment (an Azurite saving its data): wait for it.
      if (options.group && child.pid) {
        const deadline = Date.now() + graceMs;
        while (groupAlive(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        if (groupAlive(child.pid)) signal('SIGKILL');
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
  };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

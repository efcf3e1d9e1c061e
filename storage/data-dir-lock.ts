/**
 * One process at a time runs an embedded Azurite on a data folder: two would each load the
 * database, answer from their own copy and overwrite each other's saves (two bots each numbered a
 * decision D-2026-001). `DATA_DIR/kraftsamla.lock` is created exclusively (O_EXCL) before
 * anything is started and names its holder. A lock whose process is gone (or whose id now belongs
 * to a process started later, after a reboot) is stale and taken over.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface LockHolder {
  pid: number;
  /** ISO time the holder took the lock. */
  startedAt: string;
  /** The holder's command line, for the message that names it. */
  command: string;
  /** The holder's start time in clock ticks since boot (Linux), to tell a reused pid. */
  startTicks?: number;
}

/** The data folder is in use by another live process. */
export class DataDirLockedError extends Error {
  readonly code = 'KS_DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(`${dataDir} is in use by process ${holder.pid} (${holder.command}), started ${holder.startedAt}`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Whether the lock file still names this process (nobody took it over as stale). */
  held(): boolean;
  /** Removes the lock if it is still ours (idempotent). */
  release(): void;
}

export function lockFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'kraftsamla.lock');
}

/** Field 22 of /proc/<pid>/stat: when the process started, in ticks since boot; undefined elsewhere. */
function startTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof raw.pid !== 'number' || !Number.isInteger(raw.pid) || raw.pid <= 0) return undefined;
    return {
      pid: raw.pid,
      startedAt: String(raw.startedAt ?? ''),
      command: String(raw.command ?? ''),
      startTicks: typeof raw.startTicks === 'number' ? raw.startTicks : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Whether the holder still runs: its pid is alive and, where we can tell, is the same process. */
function holderAlive(holder: LockHolder): boolean {
  if (!alive(holder.pid)) return false;
  const now = startTicks(holder.pid);
  return holder.startTicks === undefined || now === undefined || now === holder.startTicks;
}

/** The live process holding the lock on `dataDir`, if any (nothing is changed). */
export function lockHolder(dataDir: string): LockHolder | undefined {
  const holder = readHolder(lockFile(dataDir));
  return holder && holderAlive(holder) ? holder : undefined;
}

/**
 * Takes the lock on `dataDir` for this process, or throws DataDirLockedError naming the live
 * holder. A stale lock (holder gone, or unreadable and older than a few seconds) is replaced.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(path.resolve(dataDir), { recursive: true });
  const file = lockFile(dataDir);
  const me: LockHolder = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    command: process.argv.join(' ').slice(0, 300),
    startTicks: startTicks(process.pid),
  };
  const content = JSON.stringify(me);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, content);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      let released = false;
      const held = () => {
        const now = readHolder(file);
        return !released && now?.pid === me.pid && now.startedAt === me.startedAt;
      };
      return {
        file,
        held,
        release: () => {
          // Only our own: never remove a lock another process took over.
          if (held()) fs.rmSync(file, { force: true });
          released = true;
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let before: string;
    let writtenAt: number;
    try {
      before = fs.readFileSync(file, 'utf8');
      writtenAt = fs.statSync(file).mtimeMs;
    } catch {
      continue; // released meanwhile: try again
    }
    const holder = readHolder(file);
    if (holder && holderAlive(holder)) throw new DataDirLockedError(path.resolve(dataDir), holder);
    // A half-written lock may be a start that is writing it right now: give it a moment.
    if (!holder && Date.now() - writtenAt < 2000) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    // Stale. Remove it only if it is still the one we judged (another start may have replaced it).
    try {
      if (fs.readFileSync(file, 'utf8') === before) fs.rmSync(file, { force: true });
    } catch {
      // gone already
    }
  }
  const holder = readHolder(file);
  if (holder) throw new DataDirLockedError(path.resolve(dataDir), holder);
  throw new Error(`could not take the lock ${file}`);
}

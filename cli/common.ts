/**
 * What every command-line tool shares: the language (`--lang`, else the program's, else
 * Swedish), reading the configuration and the program, and opening the store the bot uses.
 * Texts come from domain/i18n (`cli.*` in domain/i18n/cli.ts), never from here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Config, ConfigError, loadConfig, readEnvironment } from '../config/config';
import { t, type TextKey } from '../domain/i18n';
import { describeProgramError, loadProgram } from '../domain/program';
import type { Locale, Program } from '../domain/types';
import { type OpenedStorage, openStorage, usesAzure } from '../storage';
import { azuriteConnectionString, AzuriteNotInstalledError } from '../storage/azurite';
import { DataDirLockedError } from '../storage/data-dir-lock';
import type { Repositories } from '../domain/ports';
import { findRunningAzurite } from './azurite-file';
import { createStatus, type OutStream, type Status } from './progress';

import { langOf } from './lang';

export { langOf, parseLang } from './lang';

export type Setup = { ok: true; config: Config; program: Program } | { ok: false; error: unknown };

/** Reads the configuration and the program; failures are kept, to be reported in the right language. */
export function loadSetup(env: Record<string, string | undefined> | undefined, cwd: string | undefined): Setup {
  try {
    const config = loadConfig(env ?? readEnvironment(cwd));
    const program = loadProgram(config.program.file, {
      steeringMembers: config.program.steeringMembers,
      admins: config.program.admins,
    });
    return { ok: true, config, program };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The language of the output: `--lang`, else the program's (sv-SE by default), else Swedish. */
export function cliLocale(explicit: Locale | undefined, setup: Setup): Locale {
  return explicit ?? (setup.ok ? setup.program.locale : 'sv-SE');
}

/** The lines that explain a configuration or program file that cannot be used. */
export function setupProblem(error: unknown, locale: Locale): string[] {
  if (error instanceof ConfigError)
    return [t(locale, 'cli.config.invalid'), ...error.problemsIn(locale).map((p) => `  - ${p}`)];
  const reason = describeProgramError(error, locale) ?? (error instanceof Error ? error.message : String(error));
  return [t(locale, 'cli.program.invalid', { reason })];
}

/** The first line of an error's message: enough to say why, without a stack. */
export function reasonOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

/** Why a file could not be read or written: the system's code (`ENOENT`) when there is one. */
export function fileReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : reasonOf(e);
}

/** Opening the store failed in a way we can explain; `message` is already in the right language. */
export class StoreOpenError extends Error {}

export interface StoreOptions {
  /** Said when AZURITE_IN_MEMORY is on (the store is then not the bot's); nothing when omitted. */
  inMemoryWarning?: TextKey;
}

/**
 * The configured connection string; else the bot's embedded Azurite if it is running (it
 * announces itself in `DATA_DIR/azurite.json`); else an embedded Azurite of our own on the same
 * data folder, under the folder's lock. Two Azurite processes on one data folder would overwrite
 * each other's files, so a running bot's is always preferred, and a folder another process holds
 * without announcing a store (another CLI, a bot still starting) is refused. Notes (which store)
 * go to `note`, meant for stderr.
 */
export async function openCliStore(
  config: Config,
  timeZone: string,
  locale: Locale,
  note: (line: string) => void,
  options: StoreOptions = {},
): Promise<OpenedStorage> {
  const settings = config.storage;
  if (usesAzure(settings)) return openStorage(settings, timeZone);
  if (settings.azuriteInMemory) {
    if (options.inMemoryWarning) note(t(locale, options.inMemoryWarning));
    return openStorage(settings, timeZone).catch((err: unknown) => {
      throw err instanceof AzuriteNotInstalledError ? new StoreOpenError(t(locale, 'start.noStorage')) : err;
    });
  }
  const running = await findRunningAzurite(settings.dataDir);
  if (running) {
    if (!running.reachable)
      throw new StoreOpenError(t(locale, 'cli.store.botUnreachable', { pid: running.pid, port: running.port }));
    note(t(locale, 'cli.store.shared', { port: running.port }));
    return openStorage({ ...settings, connectionString: azuriteConnectionString(running.port) }, timeZone);
  }
  try {
    return await openStorage(settings, timeZone);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      const { pid, command, startedAt } = err.holder;
      throw new StoreOpenError(t(locale, 'cli.store.locked', { dir: err.dataDir, pid, command, startedAt }));
    }
    if (err instanceof AzuriteNotInstalledError) throw new StoreOpenError(t(locale, 'start.noStorage'));
    throw new StoreOpenError(t(locale, 'cli.store.startFailed', { dir: settings.dataDir, reason: reasonOf(err) }));
  }
}

/** What to print when opening the store failed. */
export function storeProblem(e: unknown, locale: Locale): string {
  return e instanceof StoreOpenError ? e.message : t(locale, 'cli.store.unavailable', { reason: reasonOf(e) });
}

/**
 * A read-only command's time with the store: opens it (as `openCliStore`), runs `work` with a
 * status line on `stderr` (wiped before returning), and closes it. A store that cannot be opened
 * or fails meanwhile is reported on `err`; the result is then `undefined` (exit code 1).
 */
export async function withReadStore<T>(
  context: { config: Config; timeZone: string; locale: Locale; err: (line: string) => void; stderr: OutStream },
  work: (repositories: Repositories, status: Status) => Promise<T>,
): Promise<{ value: T } | undefined> {
  const { locale, err } = context;
  let storage: OpenedStorage;
  try {
    storage = await openCliStore(context.config, context.timeZone, locale, err, {
      inMemoryWarning: 'cli.store.inMemory.read',
    });
  } catch (e) {
    err(storeProblem(e, locale));
    return undefined;
  }
  const status = createStatus(context.stderr);
  try {
    return { value: await work(storage.repositories, status) };
  } catch (e) {
    status.clear();
    err(t(locale, 'cli.store.unavailable', { reason: reasonOf(e) }));
    return undefined;
  } finally {
    await storage.close();
    status.clear();
  }
}

/** Runs a CLI's `main` when the file is the program: the exit code, and a stack only for real bugs. */
export function runMain(main: (argv: readonly string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

/** What every tool's `main` is given besides its arguments (tests pass their own). */
/** Standard output: text, or the bytes of a file written there. */
export interface ByteStream {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  /** Environment (as from `.env` + the process); default: `readEnvironment(cwd)`. */
  env?: Record<string, string | undefined>;
  stdout?: ByteStream;
  stderr?: OutStream;
  /** Files are resolved against this; default: the process's working directory. */
  cwd?: string;
}

export interface CliStart<A> {
  stdout: ByteStream;
  stderr: OutStream;
  out: (line: string) => void;
  err: (line: string) => void;
  cwd: string;
  setup: Setup;
  locale: Locale;
  usage: string;
  args: A;
}

/**
 * The start every tool shares. The language comes first, so that every line (even a usage
 * mistake) is in it; then the arguments: a mistake is said with the usage (exit 2), `--help`
 * prints the usage (exit 0). Returns `{ exit }` when the tool is done before it starts.
 */
export function startCli<A extends { help?: boolean }>(
  argv: readonly string[],
  io: CliIo,
  usageOf: (locale: Locale) => string,
  parse: (argv: readonly string[], locale: Locale) => A | { error: string },
): CliStart<A> | { exit: number } {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const out = (line: string) => void stdout.write(`${line}\n`);
  const err = (line: string) => void stderr.write(`${line}\n`);
  const cwd = io.cwd ?? process.cwd();
  const setup = loadSetup(io.env, cwd);
  const locale = cliLocale(langOf(argv), setup);
  const usage = usageOf(locale);
  const args = parse(argv, locale);
  if ('error' in args) {
    err(args.error);
    err(usage);
    return { exit: 2 };
  }
  if (args.help) {
    out(usage);
    return { exit: 0 };
  }
  return { stdout, stderr, out, err, cwd, setup, locale, usage, args };
}

/** The configuration and the program, or the lines that say why they cannot be used (exit 2). */
export function readySetup(
  start: Pick<CliStart<unknown>, 'setup' | 'locale' | 'err'>,
): { config: Config; program: Program } | { exit: number } {
  if (start.setup.ok) return start.setup;
  setupProblem(start.setup.error, start.locale).forEach(start.err);
  return { exit: 2 };
}

/**
 * Writes an export where it was asked to go, then says what was written: to standard output
 * (`file` undefined; the summary goes to stderr then, beside the data) or to the file, its folder
 * made first when asked (the default folder). Returns the exit code.
 */
export function deliverExport(o: {
  file: string | undefined;
  makeFolder: boolean;
  content: string | Uint8Array;
  summary: string;
  stdout: ByteStream;
  err: (line: string) => void;
  locale: Locale;
}): number {
  if (!o.file) {
    o.stdout.write(o.content);
    o.err(o.summary);
    return 0;
  }
  try {
    if (o.makeFolder) fs.mkdirSync(path.dirname(o.file), { recursive: true });
    fs.writeFileSync(o.file, o.content);
  } catch (e) {
    o.err(t(o.locale, 'cli.export.cannotWrite', { file: o.file, reason: fileReason(e) }));
    return 1;
  }
  o.stdout.write(`${o.summary}\n`);
  return 0;
}

/**
 * `npm run import -- <file> [more files] [--dry-run] [--sheet <name>] [--lang sv|en]`
 *
 * Imports an action plan or an indicator file (CSV or XLSX) into the store the bot uses. Each
 * file is all-or-nothing: any bad row and nothing from that file is written. Exit code 0 when
 * every file was imported, 1 when any file had errors, 2 for usage or configuration mistakes.
 *
 * Storage: the configured connection string; otherwise the bot's embedded Azurite if it is
 * running (it announces itself in `DATA_DIR/azurite.json`), else an embedded Azurite of our own
 * on the same data folder, stopped when we are done.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { type Config, ConfigError, loadConfig, readEnvironment } from '../config/config';
import { isKraftsamlaError } from '../domain/errors';
import { importFile } from '../domain/plan-import';
import { loadProgram } from '../domain/program';
import { fileFormat, formatIssue, issue, type ImportResult } from '../domain/tabular';
import { type Clock, systemClock } from '../domain/time';
import type { Locale, Program } from '../domain/types';
import { type OpenedStorage, openStorage } from '../storage';
import { azuriteConnectionString } from '../storage/azurite';
import { type OutStream, createProgress, formatProblems, formatSummary, type Progress } from './progress';

export interface CliDeps {
  /** Environment (as from `.env` + the process); default: `readEnvironment(cwd)`. */
  env?: Record<string, string | undefined>;
  stdout?: OutStream;
  stderr?: OutStream;
  clock?: Clock;
  /** Relative file names are resolved against this; default: the process's working directory. */
  cwd?: string;
}

interface Args {
  files: string[];
  dryRun: boolean;
  sheet?: string;
  lang?: Locale;
  help: boolean;
}

const USAGE = {
  sv: [
    'Användning: npm run import -- <fil.csv|fil.xlsx> [fler filer] [--dry-run] [--sheet <blad>] [--lang sv|en]',
    '',
    '  Läser en handlingsplan (kolumner Team, Insats, …) eller en indikatorfil (Indikator-id, Värde, …)',
    '  och sparar det som är nytt eller ändrat. En fil med fel sparas inte alls.',
    '  --dry-run   visa vad som skulle ändras, spara inget',
    '  --sheet     blad i arbetsboken (annars "Handlingsplan"/"Indikatorer" eller det första)',
    '  --lang      språk för utskrifterna (sv eller en)',
  ],
  en: [
    'Usage: npm run import -- <file.csv|file.xlsx> [more files] [--dry-run] [--sheet <name>] [--lang sv|en]',
    '',
    '  Reads an action plan (columns Team, Action, …) or an indicator file (Indicator id, Value, …)',
    '  and saves what is new or changed. A file with errors is not saved at all.',
    '  --dry-run   show what would change, save nothing',
    '  --sheet     workbook sheet (default "Actions"/"Indicators" or the first)',
    '  --lang      language of the output (sv or en)',
  ],
};

export function parseArgs(argv: readonly string[]): Args | { error: string } {
  const args: Args = { files: [], dryRun: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--') {
      args.files.push(...argv.slice(i + 1));
      break;
    } else if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--dry-run' || flag === '-n') args.dryRun = true;
    else if (flag === '--sheet') {
      const v = value();
      if (!v) return { error: '--sheet needs a sheet name' };
      args.sheet = v;
    } else if (flag === '--lang') {
      const v = value()?.toLowerCase();
      if (v !== 'sv' && v !== 'en') return { error: '--lang takes sv or en' };
      args.lang = v === 'en' ? 'en-US' : 'sv-SE';
    } else if (flag.startsWith('-') && flag.length > 1) return { error: `unknown option ${flag}` };
    else args.files.push(a);
  }
  return args;
}

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

const STORAGE_TEXT = {
  sv: {
    shared: 'Använder botens lagring (Azurite på port {port}).',
    botUnreachable:
      'Boten verkar köra (process {pid}) men dess lagring på port {port} svarar inte. Stoppa boten, eller sätt AZURE_TABLES_CONNECTION_STRING, och försök igen.',
    startFailed:
      'Kunde inte starta den inbyggda lagringen i {dir} ({reason}). Kör boten samtidigt? Stoppa boten eller sätt AZURE_TABLES_CONNECTION_STRING och försök igen.',
    inMemory: 'Varning: AZURITE_IN_MEMORY är på; det som importeras försvinner när importen är klar.',
    unavailable: 'Lagringen svarar inte ({reason}).',
    cannotRead: '{file}: filen kan inte läsas ({reason})',
  },
  en: {
    shared: "Using the bot's store (Azurite on port {port}).",
    botUnreachable:
      'The bot seems to be running (process {pid}) but its store on port {port} does not answer. Stop the bot, or set AZURE_TABLES_CONNECTION_STRING, and try again.',
    startFailed:
      'Could not start the embedded store in {dir} ({reason}). Is the bot running? Stop the bot or set AZURE_TABLES_CONNECTION_STRING and try again.',
    inMemory: 'Warning: AZURITE_IN_MEMORY is on; whatever is imported is gone when the import ends.',
    unavailable: 'The store does not answer ({reason}).',
    cannotRead: '{file}: cannot read the file ({reason})',
  },
} as const;

function say(locale: Locale, key: keyof (typeof STORAGE_TEXT)['sv'], params: Record<string, string | number>): string {
  const t = STORAGE_TEXT[locale === 'en-US' ? 'en' : 'sv'][key];
  return t.replace(/\{(\w+)\}/g, (m, n: string) => (n in params ? String(params[n]) : m));
}

class StorageOpenError extends Error {}

async function openStore(config: Config, timeZone: string, locale: Locale, stderr: OutStream): Promise<OpenedStorage> {
  const settings = config.storage;
  if (settings.connectionString) return openStorage(settings, timeZone);
  if (settings.azuriteInMemory) {
    stderr.write(`${say(locale, 'inMemory', {})}\n`);
    return openStorage(settings, timeZone);
  }
  // Two Azurite processes on one data folder would overwrite each other's files: use the bot's.
  const running = await findRunningAzurite(settings.dataDir);
  if (running) {
    if (!running.reachable) throw new StorageOpenError(say(locale, 'botUnreachable', { pid: running.pid, port: running.port }));
    stderr.write(`${say(locale, 'shared', { port: running.port })}\n`);
    return openStorage({ ...settings, connectionString: azuriteConnectionString(running.port) }, timeZone);
  }
  try {
    return await openStorage(settings, timeZone);
  } catch (err) {
    throw new StorageOpenError(say(locale, 'startFailed', { dir: settings.dataDir, reason: (err as Error).message.split('\n')[0] ?? '' }));
  }
}

/** Runs the import; returns the exit code (never calls `process.exit`). */
export async function main(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const out = (line: string) => stdout.write(`${line}\n`);
  const err = (line: string) => stderr.write(`${line}\n`);
  const cwd = deps.cwd ?? process.cwd();

  const args = parseArgs(argv);
  if ('error' in args) {
    err(args.error);
    USAGE.sv.forEach(err);
    return 2;
  }
  if (args.help || args.files.length === 0) {
    const usage = USAGE[args.lang === 'en-US' ? 'en' : 'sv'];
    usage.forEach(args.help ? out : err);
    return args.help ? 0 : 2;
  }

  let config: Config;
  try {
    config = loadConfig(deps.env ?? readEnvironment(cwd));
  } catch (e) {
    err(e instanceof ConfigError ? e.message : String(e));
    return 2;
  }
  let program: Program;
  try {
    program = loadProgram(config.program.file, { steeringMembers: config.program.steeringMembers, admins: config.program.admins });
  } catch (e) {
    err((e as Error).message);
    return 2;
  }
  const locale: Locale = args.lang ?? program.locale;

  // Read every file before touching the store: a typo in a name should not cost an Azurite start.
  const files: { name: string; content: Buffer }[] = [];
  let failed = false;
  for (const f of args.files) {
    const name = path.basename(f);
    if (!fileFormat(f)) {
      err(formatIssue(issue(name, 'file.unsupportedType', { ext: path.extname(f) || f }), locale));
      failed = true;
      continue;
    }
    try {
      files.push({ name: f, content: fs.readFileSync(path.resolve(cwd, f)) });
    } catch (e) {
      err(say(locale, 'cannotRead', { file: f, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }));
      failed = true;
    }
  }
  if (files.length === 0) return 1;

  let storage: OpenedStorage;
  try {
    storage = await openStore(config, program.timezone, locale, stderr);
  } catch (e) {
    err(e instanceof StorageOpenError ? e.message : say(locale, 'unavailable', { reason: (e as Error).message }));
    return 1;
  }
  try {
    for (const f of files) {
      let progress: Progress | undefined;
      let result: ImportResult;
      try {
        result = await importFile({
          fileName: f.name,
          content: f.content,
          program,
          repositories: storage.repositories,
          clock: deps.clock ?? systemClock,
          dryRun: args.dryRun,
          sheet: args.sheet,
          onProgress: (p) => {
            if (p.rows < 500) return;
            progress ??= createProgress({ stream: stderr, label: path.basename(f.name) });
            progress.update(p.done, p.total);
          },
        });
      } catch (e) {
        progress?.finish();
        if (!isKraftsamlaError(e)) throw e;
        err(`${path.basename(f.name)}: ${e.message}`);
        failed = true;
        continue;
      }
      progress?.finish();
      formatProblems(result, locale).forEach(err);
      // A rejected file has nothing to sum up; a write that stopped part-way says what it saved.
      if (result.errors.every((e) => e.code.startsWith('write.'))) formatSummary(result, locale).forEach(out);
      if (result.errors.length > 0) failed = true;
    }
  } finally {
    await storage.close();
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
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

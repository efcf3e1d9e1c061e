/**
 * `npm run export -- decisions --format csv|xlsx [--year 2026 | --from 2026-01-01 --to 2026-06-30] [--out file]`
 *
 * Exports the decision log for the registry (diarium): every decision whose meeting date falls in
 * the period, oldest first, revoked ones included. CSV is UTF-8 with BOM and `;` (Swedish Excel);
 * `--out -` writes to standard output. Exit code 0 when written, 1 when the store or the file
 * failed, 2 for usage or configuration mistakes.
 *
 * Storage: the configured connection string; otherwise the bot's embedded Azurite if it is
 * running (`DATA_DIR/azurite.json` names a live process), else an embedded Azurite of our own on
 * the same data folder, stopped when we are done.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Config, ConfigError, loadConfig, readEnvironment } from '../config/config';
import { MAX_FILTER_YEARS } from '../domain/decision';
import { decisionsForExport, exportTable, toCsv, toXlsx, type ExportPeriod } from '../domain/decision-export';
import { loadProgram } from '../domain/program';
import { type Clock, localDate, parseLocalDate, systemClock } from '../domain/time';
import type { Locale, Program } from '../domain/types';
import { type OpenedStorage, openStorage } from '../storage';
import { azuriteConnectionString } from '../storage/azurite';
import { findRunningAzurite } from './import';

export interface ExportIo {
  /** Environment (as from `.env` + the process); default: `readEnvironment(cwd)`. */
  env?: Record<string, string | undefined>;
  stdout?: { write(chunk: string | Uint8Array): unknown };
  stderr?: { write(chunk: string): unknown };
  clock?: Clock;
  /** `--out` is resolved against this; default: the process's working directory. */
  cwd?: string;
}

export interface ExportArgs {
  what?: string;
  format: 'csv' | 'xlsx';
  year?: number;
  from?: string;
  to?: string;
  out?: string;
  lang?: Locale;
  help: boolean;
}

const TEXT = {
  sv: {
    usage: [
      'Användning: npm run export -- decisions --format csv|xlsx [--year 2026 | --from 2026-01-01 --to 2026-06-30] [--out fil]',
      '',
      '  Exporterar beslutsloggen (alla beslut med mötesdatum i perioden, äldst först) för diariet.',
      '  --format   csv (UTF-8 med BOM, semikolon; öppnas rätt i svenska Excel) eller xlsx',
      '  --year     ett kalenderår (standard: innevarande år)',
      '  --from/--to  en period, datum som 2026-01-01',
      '  --out      filnamn (standard: beslutslogg-<period>.<format>); - skriver till standard ut',
      '  --lang     språk för utskrifterna (sv eller en)',
    ],
    written: 'Skrev {count} beslut ({period}) till {file}.',
    empty: 'Inga beslut med mötesdatum {period}; {file} har bara rubrikraden.',
    shared: 'Använder botens lagring (Azurite på port {port}).',
    botUnreachable: 'Boten verkar köra (process {pid}) men dess lagring på port {port} svarar inte. Stoppa boten, eller sätt AZURE_TABLES_CONNECTION_STRING, och försök igen.',
    unavailable: 'Lagringen svarar inte ({reason}).',
    cannotWrite: 'Kunde inte skriva {file} ({reason}).',
    tooLong: 'Välj en kortare period: högst {years} år åt gången.',
  },
  en: {
    usage: [
      'Usage: npm run export -- decisions --format csv|xlsx [--year 2026 | --from 2026-01-01 --to 2026-06-30] [--out file]',
      '',
      '  Exports the decision log (every decision with a meeting date in the period, oldest first) for the registry.',
      '  --format   csv (UTF-8 with BOM, semicolons; opens right in Swedish Excel) or xlsx',
      '  --year     a calendar year (default: this year)',
      '  --from/--to  a period, dates like 2026-01-01',
      '  --out      file name (default: beslutslogg-<period>.<format>); - writes to standard output',
      '  --lang     language of the output (sv or en)',
    ],
    written: 'Wrote {count} decisions ({period}) to {file}.',
    empty: 'No decisions with a meeting date {period}; {file} has the header row only.',
    shared: "Using the bot's store (Azurite on port {port}).",
    botUnreachable: 'The bot seems to be running (process {pid}) but its store on port {port} does not answer. Stop the bot, or set AZURE_TABLES_CONNECTION_STRING, and try again.',
    unavailable: 'The store does not answer ({reason}).',
    cannotWrite: 'Could not write {file} ({reason}).',
    tooLong: 'Choose a shorter period: at most {years} years at a time.',
  },
} as const;

type Key = Exclude<keyof (typeof TEXT)['sv'], 'usage'>;

function say(locale: Locale, key: Key, params: Record<string, string | number> = {}): string {
  return TEXT[locale === 'en-US' ? 'en' : 'sv'][key].replace(/\{(\w+)\}/g, (m, n: string) => (n in params ? String(params[n]) : m));
}

export function parseArgs(argv: readonly string[]): ExportArgs | { error: string } {
  const args: ExportArgs = { format: 'csv', help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--format' || flag === '-f') {
      const v = value()?.toLowerCase();
      if (v !== 'csv' && v !== 'xlsx') return { error: '--format takes csv or xlsx' };
      args.format = v;
    } else if (flag === '--year') {
      const v = value() ?? '';
      if (!/^\d{4}$/.test(v) || Number(v) < 2000 || Number(v) > 2200) return { error: `--year takes a year such as 2026, got "${v}"` };
      args.year = Number(v);
    } else if (flag === '--from' || flag === '--to') {
      const v = value() ?? '';
      try {
        args[flag === '--from' ? 'from' : 'to'] = parseLocalDate(v);
      } catch {
        return { error: `${flag} takes a date such as 2026-01-01, got "${v}"` };
      }
    } else if (flag === '--out' || flag === '-o') {
      const v = value();
      if (!v) return { error: '--out needs a file name (or - for standard output)' };
      args.out = v;
    } else if (flag === '--lang') {
      const v = value()?.toLowerCase();
      if (v !== 'sv' && v !== 'en') return { error: '--lang takes sv or en' };
      args.lang = v === 'en' ? 'en-US' : 'sv-SE';
    } else if (flag.startsWith('-') && flag !== '-') return { error: `unknown option ${flag}` };
    else if (args.what === undefined) args.what = a;
    else return { error: `unexpected argument "${a}"` };
  }
  if (args.year !== undefined && (args.from || args.to)) return { error: 'give either --year or --from/--to, not both' };
  return args;
}

/** The period asked for: a year, a range (an open end is closed by the year or today), or this year. */
export function periodOf(args: ExportArgs, today: string): ExportPeriod & { label: string } {
  if (args.year !== undefined) return { from: `${args.year}-01-01`, to: `${args.year}-12-31`, label: String(args.year) };
  if (args.from || args.to) {
    let from = args.from ?? `${args.to!.slice(0, 4)}-01-01`;
    let to = args.to ?? (today >= from ? today : `${from.slice(0, 4)}-12-31`);
    if (from > to) [from, to] = [to, from];
    return { from, to, label: `${from}_${to}` };
  }
  const year = today.slice(0, 4);
  return { from: `${year}-01-01`, to: `${year}-12-31`, label: year };
}

class StorageOpenError extends Error {}

async function openStore(config: Config, timeZone: string, locale: Locale, log: (line: string) => void): Promise<OpenedStorage> {
  const settings = config.storage;
  if (settings.connectionString || settings.azuriteInMemory) return openStorage(settings, timeZone);
  // Two Azurite processes on one data folder would overwrite each other's files: use the bot's.
  const running = await findRunningAzurite(settings.dataDir);
  if (running) {
    if (!running.reachable) throw new StorageOpenError(say(locale, 'botUnreachable', { pid: running.pid, port: running.port }));
    log(say(locale, 'shared', { port: running.port }));
    return openStorage({ ...settings, connectionString: azuriteConnectionString(running.port) }, timeZone);
  }
  return openStorage(settings, timeZone);
}

/** Runs the export; returns the exit code (never calls `process.exit`). */
export async function main(argv: readonly string[], io: ExportIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const err = (line: string) => stderr.write(`${line}\n`);
  const cwd = io.cwd ?? process.cwd();
  const clock = io.clock ?? systemClock;

  const args = parseArgs(argv);
  if ('error' in args) {
    err(args.error);
    TEXT.sv.usage.forEach(err);
    return 2;
  }
  const usage = TEXT[args.lang === 'en-US' ? 'en' : 'sv'].usage;
  if (args.help) {
    usage.forEach((line) => stdout.write(`${line}\n`));
    return 0;
  }
  if (!args.what || !['decisions', 'decision', 'beslut', 'beslutslogg'].includes(args.what.toLowerCase())) {
    if (args.what) err(`unknown export "${args.what}" (only: decisions)`);
    usage.forEach(err);
    return 2;
  }

  let config: Config;
  let program: Program;
  try {
    config = loadConfig(io.env ?? readEnvironment(cwd));
    program = loadProgram(config.program.file, { steeringMembers: config.program.steeringMembers, admins: config.program.admins });
  } catch (e) {
    err(e instanceof ConfigError ? e.message : (e as Error).message);
    return 2;
  }
  const locale: Locale = args.lang ?? program.locale;
  const period = periodOf(args, localDate(clock.now(), program.timezone));
  if (Number(period.to.slice(0, 4)) - Number(period.from.slice(0, 4)) >= MAX_FILTER_YEARS) {
    err(say(locale, 'tooLong', { years: MAX_FILTER_YEARS }));
    return 2;
  }
  const periodText = period.from.slice(5) === '01-01' && period.to === `${period.from.slice(0, 4)}-12-31` ? period.from.slice(0, 4) : `${period.from}–${period.to}`;

  let storage: OpenedStorage;
  try {
    storage = await openStore(config, program.timezone, locale, err);
  } catch (e) {
    err(e instanceof StorageOpenError ? e.message : say(locale, 'unavailable', { reason: (e as Error).message.split('\n')[0] ?? '' }));
    return 1;
  }
  let content: Buffer;
  let count: number;
  try {
    const decisions = await decisionsForExport(storage.repositories, program.id, period);
    count = decisions.length;
    const rows = exportTable(decisions, program);
    content = args.format === 'csv' ? toCsv(rows) : await toXlsx(rows, { title: `Beslutslogg ${periodText}`, created: clock.now() });
  } catch (e) {
    err(say(locale, 'unavailable', { reason: (e as Error).message.split('\n')[0] ?? '' }));
    return 1;
  } finally {
    await storage.close();
  }

  const out = args.out ?? `beslutslogg-${period.label}.${args.format}`;
  if (out === '-') {
    stdout.write(content);
  } else {
    const file = path.resolve(cwd, out);
    try {
      fs.writeFileSync(file, content);
    } catch (e) {
      err(say(locale, 'cannotWrite', { file, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }));
      return 1;
    }
    stdout.write(`${count === 0 ? say(locale, 'empty', { period: periodText, file }) : say(locale, 'written', { count, period: periodText, file })}\n`);
  }
  return 0;
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

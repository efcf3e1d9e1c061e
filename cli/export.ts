/**
 * `npm run export -- decisions --format csv|xlsx [--year 2026 | --from 2026-01-01 --to 2026-06-30] [--out file] [--lang sv|en]`
 * `npm run export -- plan --format csv|xlsx [--out file] [--lang sv|en]`
 * `npm run export -- protocol --meeting <date> --format html|md|pdf [--out file] [--lang sv|en]` (cli/export-protocol.ts)
 *
 * `plan` writes the action plan in the import's own shape, ids included and retired actions
 * marked with their date (`Utgått`): next year's revision starts from it, and importing it as
 * it is changes nothing.
 *
 * Exports the decision log for the registry (diarium): every decision whose meeting date falls in
 * the period, oldest first, revoked ones included. CSV is UTF-8 with BOM and `;` (Swedish Excel).
 * Without `--out` the file is `exports/beslutslogg-<period>.<format>` under the working directory
 * (the repository root for `npm run export`; the folder is made if needed); `--out -` writes to
 * standard output, and the summary then goes to stderr. The file's columns are Swedish whatever
 * `--lang` says (the registry is Swedish); the messages follow `--lang`, else the program's
 * language. Exit code 0 when written, 1 when the store or the file failed, 2 for usage or
 * configuration mistakes.
 *
 * Storage: the configured connection string; otherwise the bot's embedded Azurite if it is
 * running (`DATA_DIR/azurite.json` names a live process), else an embedded Azurite of our own on
 * the same data folder, stopped when we are done.
 */
import * as path from 'node:path';
import {
  decisionsForExport,
  exportTable,
  MAX_FILTER_YEARS,
  retiredActions,
  toCsv,
  toXlsx,
  type ExportPeriod,
} from '../domain/decisions';
import { t } from '../domain/i18n';
import { planExportTable, planToCsv, planToXlsx } from '../domain/plan';
import { programWithStoredTeams } from '../domain/program';
import { type Clock, localDate, parseLocalDate, systemClock } from '../domain/time';
import type { Locale } from '../domain/types';
import { type CliSpec, HELP_OPTION, LANG_OPTION, nonEmpty, oneOf, readArgs, type ReadResult } from './args';
import { deliverExport, loadSetup, runMain, setupProblem, startCli, withReadStore } from './common';
import { exportProtocol, PROTOCOL_WORDS } from './export-protocol';
import type { OutStream } from './progress';

export interface ExportIo {
  /** Environment (as from `.env` + the process); default: `readEnvironment(cwd)`. */
  env?: Record<string, string | undefined>;
  stdout?: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr?: OutStream;
  clock?: Clock;
  /** `--out` is resolved against this; default: the process's working directory. */
  cwd?: string;
  /** From this many decisions on, a log (not only a terminal) hears that the file is being written. */
  largeFrom?: number;
}

/** Where an export goes when no --out is given, under the working directory. */
export const EXPORTS_DIR = 'exports';

/** An export this large takes a noticeable moment to write (XLSX: about a second per 4 000). */
const LARGE_EXPORT = 500;

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

/** A date as `--from` and `--to` take it (`2026-01-01`, `1/1 2026` …), as `YYYY-MM-DD`. */
function readDate(value: string, locale: Locale, name: string): ReadResult<string> {
  try {
    return { value: parseLocalDate(value) };
  } catch {
    return { error: t(locale, 'cli.export.dateInvalid', { option: name, value }) };
  }
}

/** The options of `npm run export`; the one positional argument says what (decisions, plan). */
const EXPORT_ARGS = {
  options: {
    help: HELP_OPTION,
    format: {
      type: 'string',
      short: 'f',
      read: oneOf(['csv', 'xlsx'], (locale) => t(locale, 'cli.export.formatInvalid')),
    },
    year: {
      type: 'string',
      read: (value: string, locale: Locale): ReadResult<number> =>
        /^\d{4}$/.test(value) && Number(value) >= 2000 && Number(value) <= 2200
          ? { value: Number(value) }
          : { error: t(locale, 'cli.export.yearInvalid', { value }) },
    },
    from: { type: 'string', read: readDate },
    to: { type: 'string', read: readDate },
    out: { type: 'string', short: 'o', read: nonEmpty((locale) => t(locale, 'cli.export.outNeedsName')) },
    lang: LANG_OPTION,
  },
  positionals: 1,
} as const satisfies CliSpec;

/** Reads the arguments; a mistake comes back as a message in `locale`. */
export function parseArgs(argv: readonly string[], locale: Locale = 'sv-SE'): ExportArgs | { error: string } {
  const read = readArgs(EXPORT_ARGS, argv, locale);
  if ('error' in read) return read;
  const { values } = read;
  const args: ExportArgs = {
    what: read.positionals[0],
    format: values.format ?? 'csv',
    year: values.year,
    from: values.from,
    to: values.to,
    out: values.out,
    lang: values.lang,
    help: values.help === true,
  };
  if (args.year !== undefined && (args.from || args.to)) return { error: t(locale, 'cli.export.yearAndRange') };
  return args;
}

/** The period asked for: a year, a range (an open end is closed by the year or today), or this year. */
export function periodOf(args: ExportArgs, today: string): ExportPeriod & { label: string } {
  if (args.year !== undefined)
    return { from: `${args.year}-01-01`, to: `${args.year}-12-31`, label: String(args.year) };
  if (args.from || args.to) {
    let from = args.from ?? `${args.to!.slice(0, 4)}-01-01`;
    let to = args.to ?? (today >= from ? today : `${from.slice(0, 4)}-12-31`);
    if (from > to) [from, to] = [to, from];
    return { from, to, label: `${from}_${to}` };
  }
  const year = today.slice(0, 4);
  return { from: `${year}-01-01`, to: `${year}-12-31`, label: year };
}

/** Runs the export; returns the exit code (never calls `process.exit`). */
export async function main(argv: readonly string[], io: ExportIo = {}): Promise<number> {
  // A meeting's protocol has its own options (cli/export-protocol.ts).
  if (argv[0] && PROTOCOL_WORDS.includes(argv[0].toLowerCase())) return exportProtocol(argv.slice(1), io);
  const start = startCli(argv, io, (l) => t(l, 'cli.export.usage'), parseArgs);
  if ('exit' in start) return start.exit;
  const { stdout, stderr, err, cwd, setup, locale, usage, args } = start;
  const clock = io.clock ?? systemClock;
  const isPlan = !!args.what && PLAN_WORDS.includes(args.what.toLowerCase());
  if (isPlan) {
    if (!setup.ok) {
      setupProblem(setup.error, locale).forEach(err);
      return 2;
    }
    return exportPlan(args, { ...setup, locale, stdout, stderr, err, cwd, clock });
  }
  if (!args.what || !['decisions', 'decision', 'beslut', 'beslutslogg'].includes(args.what.toLowerCase())) {
    if (args.what) err(t(locale, 'cli.export.unknownWhat', { what: args.what }));
    err(usage);
    return 2;
  }
  if (!setup.ok) {
    setupProblem(setup.error, locale).forEach(err);
    return 2;
  }
  const { config, program } = setup;
  const period = periodOf(args, localDate(clock.now(), program.timezone));
  if (Number(period.to.slice(0, 4)) - Number(period.from.slice(0, 4)) >= MAX_FILTER_YEARS) {
    err(t(locale, 'cli.export.tooLong', { years: MAX_FILTER_YEARS }));
    return 2;
  }
  const periodText =
    period.from.slice(5) === '01-01' && period.to === `${period.from.slice(0, 4)}-12-31`
      ? period.from.slice(0, 4)
      : `${period.from}–${period.to}`;
  const toStdout = args.out === '-';
  // Without --out the file goes into exports/ (git ignores it), not beside the sources.
  const out = args.out ?? path.join(EXPORTS_DIR, `beslutslogg-${period.label}.${args.format}`);
  const file = toStdout ? undefined : path.resolve(cwd, out);
  const shownFile = file ?? t(locale, 'cli.stdout');

  // Reading and writing cannot be measured from here: a terminal sees what is going on, a log
  // hears when a large file is being written, and both get the summary.
  const result = await withReadStore(
    { config, timeZone: program.timezone, locale, err, stderr },
    async (repositories, status) => {
      status.show(t(locale, 'cli.export.reading', { period: periodText }));
      const found = await decisionsForExport(repositories, program.id, period);
      const writing = t(locale, 'cli.export.writing', {
        file: file ? path.basename(file) : shownFile,
        count: found.length,
      });
      if (found.length >= (io.largeFrom ?? LARGE_EXPORT) && !stderr.isTTY) err(writing);
      else status.show(writing);
      const rows = exportTable(found, program, await retiredActions(repositories, program.id, program.timezone));
      const bytes =
        args.format === 'csv'
          ? toCsv(rows)
          : await toXlsx(rows, { title: `Beslutslogg ${periodText}`, created: clock.now() });
      return { content: bytes, decisions: found };
    },
  );
  if (!result) return 1;
  const { content, decisions } = result.value;

  const count = decisions.length;
  const summary =
    count === 0
      ? t(locale, 'cli.export.empty', { period: periodText, file: shownFile })
      : t(locale, 'cli.export.written', { count, period: periodText, file: shownFile });
  return deliverExport({ file, makeFolder: !args.out, content, summary, stdout, err, locale });
}

const PLAN_WORDS = ['plan', 'handlingsplan', 'actions', 'åtgärder'];

/** `export plan`: every action (retired ones marked), in the shape the import reads. */
async function exportPlan(
  args: ExportArgs,
  ctx: Extract<ReturnType<typeof loadSetup>, { ok: true }> & {
    locale: Locale;
    stdout: NonNullable<ExportIo['stdout']>;
    stderr: OutStream;
    err: (line: string) => void;
    cwd: string;
    clock: Clock;
  },
): Promise<number> {
  const { config, locale, err, clock } = ctx;
  if (args.year !== undefined || args.from || args.to) {
    err(t(locale, 'cli.export.plan.noPeriod'));
    return 2;
  }
  const today = localDate(clock.now(), ctx.program.timezone);
  const toStdout = args.out === '-';
  const file = toStdout ? undefined : path.resolve(ctx.cwd, args.out ?? `handlingsplan-${today}.${args.format}`);
  const shownFile = file ?? t(locale, 'cli.stdout');
  const result = await withReadStore(
    { config, timeZone: ctx.program.timezone, locale, err, stderr: ctx.stderr },
    async (repositories, status) => {
      status.show(t(locale, 'cli.export.plan.reading'));
      const [program, actions, indicators] = await Promise.all([
        programWithStoredTeams(ctx.program, repositories.programTeams),
        repositories.actions.list(ctx.program.id),
        repositories.indicators.list(ctx.program.id),
      ]);
      const rows = planExportTable(actions, indicators, program);
      const content =
        args.format === 'csv'
          ? planToCsv(rows)
          : await planToXlsx(rows, { title: `Handlingsplan ${today}`, created: clock.now() });
      return { content, count: actions.length, retired: actions.filter((a) => a.retiredAt).length };
    },
  );
  if (!result) return 1;
  const { content, count, retired } = result.value;
  const summary = t(locale, 'cli.export.plan.written', { count, retired, file: shownFile });
  return deliverExport({ file, makeFolder: false, content, summary, stdout: ctx.stdout, err, locale });
}

if (require.main === module) runMain(main);

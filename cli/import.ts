/**
 * `npm run import -- <file> [more files] [--dry-run] [--create-teams] [--retire-missing] [--sheet <name>] [--lang sv|en]`
 *
 * Imports an action plan or an indicator file (CSV or XLSX) into the store the bot uses. Each
 * file is all-or-nothing: any bad row and nothing from that file is written. `--create-teams`
 * makes teams of the plan's areas that are no team yet; `--retire-missing` retires the actions
 * of the file's teams that the file no longer has (the yearly revision). The Teams upload runs
 * the same `importFile`. Exit code 0 when
 * every file was imported, 1 when any file had errors, 2 for usage or configuration mistakes.
 *
 * Storage: the configured connection string; otherwise the bot's embedded Azurite if it is
 * running (it announces itself in `DATA_DIR/azurite.json`), else an embedded Azurite of our own
 * on the same data folder, stopped when we are done.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isKraftsamlaError } from '../domain/errors';
import { t } from '../domain/i18n';
import { fileFormat, formatIssue, importFile, issue, type ImportResult } from '../domain/plan';
import { type Params, type TextKey } from '../domain/i18n';
import { type Clock, systemClock } from '../domain/time';
import type { Locale } from '../domain/types';
import type { OpenedStorage } from '../storage';
import { type CliSpec, HELP_OPTION, LANG_OPTION, nonEmpty, readArgs } from './args';
import { fileReason, openCliStore, readySetup, reasonOf, runMain, startCli, storeProblem } from './common';
import { type OutStream, createProgress, formatProblems, formatSummary, type Progress } from './progress';

export { findRunningAzurite, type RunningAzurite } from './azurite-file';

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
  createTeams: boolean;
  retireMissing: boolean;
  sheet?: string;
  lang?: Locale;
  help: boolean;
}

/** Files with at least this many rows show progress while they are written. */
const PROGRESS_FROM_ROWS = 500;

/** The options of `npm run import`; every other argument is a file. */
const IMPORT_ARGS = {
  options: {
    help: HELP_OPTION,
    'dry-run': { type: 'boolean', short: 'n' },
    'create-teams': { type: 'boolean' },
    'retire-missing': { type: 'boolean' },
    sheet: { type: 'string', read: nonEmpty((locale) => t(locale, 'cli.import.sheetNeedsName')) },
    lang: LANG_OPTION,
  },
  positionals: Infinity,
} as const satisfies CliSpec;

/** Reads the arguments; a mistake comes back as a message in `locale`. */
export function parseArgs(argv: readonly string[], locale: Locale = 'sv-SE'): Args | { error: string } {
  const read = readArgs(IMPORT_ARGS, argv, locale);
  if ('error' in read) return read;
  const { values } = read;
  return {
    files: read.positionals,
    dryRun: values['dry-run'] === true,
    createTeams: values['create-teams'] === true,
    retireMissing: values['retire-missing'] === true,
    sheet: values.sheet,
    lang: values.lang,
    help: values.help === true,
  };
}

/** Runs the import; returns the exit code (never calls `process.exit`). */
export async function main(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const start = startCli(argv, { ...deps, stdout, stderr }, (l) => t(l, 'cli.import.usage'), parseArgs);
  if ('exit' in start) return start.exit;
  const { out, err, cwd, locale, usage, args } = start;
  if (args.files.length === 0) {
    err(usage);
    return 2;
  }
  const ready = readySetup(start);
  if ('exit' in ready) return ready.exit;
  const { config, program } = ready;

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
      err(t(locale, 'cli.import.cannotRead', { file: f, reason: fileReason(e) }));
      failed = true;
    }
  }
  if (files.length === 0) return 1;

  let storage: OpenedStorage;
  try {
    storage = await openCliStore(config, program.timezone, locale, err, {
      inMemoryWarning: 'cli.store.inMemory.import',
    });
  } catch (e) {
    err(storeProblem(e, locale));
    return 1;
  }
  try {
    for (const f of files) {
      const label = path.basename(f.name);
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
          createTeams: args.createTeams,
          retireMissing: args.retireMissing,
          sheet: args.sheet,
          onProgress: (p) => {
            if (p.rows < PROGRESS_FROM_ROWS) return;
            progress ??= createProgress({ stream: stderr, label });
            progress.update(p.done, p.total);
          },
        });
      } catch (e) {
        progress?.finish();
        if (!isKraftsamlaError(e)) throw e;
        err(t(locale, 'cli.import.stopped', { file: label, reason: reasonOf(e) }));
        failed = true;
        continue;
      }
      progress?.finish();
      formatProblems(result, locale).forEach(err);
      // A rejected file has nothing to sum up; a write that stopped part-way says what it saved.
      if (result.errors.every((e) => e.code.startsWith('write.'))) importSummary(result, locale).forEach(out);
      if (result.errors.length > 0) failed = true;
    }
  } finally {
    await storage.close();
  }
  return failed ? 1 : 0;
}

/** How many actions, teams and indicators are listed one by one before "… and N more". */
const LISTED = 50;

/**
 * The summary of one file: the common lines (counts, each change with its fields in the reader's
 * words), then what a plan import adds: the header row, skipped columns, teams made, indicators
 * made or changed, actions missing from the file (and how to retire them) or retired.
 */
export function importSummary(result: ImportResult, locale: Locale): string[] {
  const say = (key: TextKey, params?: Params) => t(locale, key, params);
  const fieldName = (f: string) => {
    const key = `import.field.${f}` as TextKey;
    try {
      return say(key);
    } catch {
      return f;
    }
  };
  const named = { ...result, changes: result.changes.map((c) => ({ ...c, fields: c.fields.map(fieldName) })) };
  if (result.kind !== 'plan') return formatSummary(named, locale);
  // Plans list the missing actions of their own teams; the count is of the other teams' only.
  const otherTeams = result.notInFile - result.missing.length - result.retired.length;
  const [first, ...rest] = formatSummary({ ...named, notInFile: 0 }, locale);
  const lines = [first!];
  const more = (n: number) => (n > LISTED ? [`    ${say('cli.import.more', { n: n - LISTED })}`] : []);
  if (result.headerRow !== undefined && result.headerRow > 1)
    lines.push(`  ${say('cli.import.headerRow', { row: result.headerRow })}`);
  if (result.unknownColumns.length > 0)
    lines.push(
      `  ${say('cli.import.unknownColumns', { columns: result.unknownColumns.map((c) => `"${c}"`).join(', ') })}`,
    );
  if (result.createdTeams.length > 0) {
    lines.push(`  ${say('cli.import.createdTeams', { n: result.createdTeams.length })}`);
    for (const team of result.createdTeams)
      lines.push(`    ${say('cli.import.teamLine', { name: team.name, key: team.key, prefix: team.actionPrefix })}`);
  }
  lines.push(...rest.filter((l) => !l.includes(say('cli.import.dryRun'))));
  for (const i of result.indicators.slice(0, LISTED)) {
    const what =
      i.change === 'created'
        ? say('cli.import.created')
        : `${say('cli.import.changed')} – ${i.fields.map(fieldName).join(', ')}`;
    lines.push(`  ${say('cli.import.indicator', { id: i.id, name: i.name, row: i.row, what })}`);
  }
  lines.push(...more(result.indicators.length));
  if (result.changes.some((c) => c.generatedId)) lines.push(`  ${say('cli.import.generatedHint')}`);
  if (result.retired.length > 0) {
    lines.push(`  ${say('cli.import.retired', { n: result.retired.length })}`);
    for (const a of result.retired.slice(0, LISTED))
      lines.push(`    ${say('cli.import.actionLine', { id: a.id, title: a.title })}`);
    lines.push(...more(result.retired.length));
  }
  if (result.missing.length > 0) {
    lines.push(`  ${say('cli.import.missing', { n: result.missing.length })}`);
    for (const a of result.missing.slice(0, LISTED))
      lines.push(`    ${say('cli.import.actionLine', { id: a.id, title: a.title })}`);
    lines.push(...more(result.missing.length));
    lines.push(`  ${say('cli.import.missingHint')}`);
  }
  if (otherTeams > 0) lines.push(`  ${say('cli.import.otherTeams', { n: otherTeams })}`);
  if (result.dryRun) lines.push(`  ${say('cli.import.dryRun')}`);
  return lines;
}

if (require.main === module) runMain(main);

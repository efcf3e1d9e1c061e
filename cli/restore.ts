/**
 * `npm run restore -- <file> [--dry-run] [--force | --into-non-empty] [--lang sv|en]`
 *
 * Reads a file from `npm run backup` back into the store, in three steps:
 * 1. the whole file is checked (header, every line, row counts): a damaged or cut-off file is
 *    refused with the line where it goes wrong, and nothing is written;
 * 2. the store must be empty: a store whose tables have rows is refused, naming those tables,
 *    unless `--force` (rows with the same keys are then replaced); `--dry-run` stops here;
 * 3. the rows are written in transactions of one partition (at most 100 rows each), and every
 *    table is read back and each row compared with the file (properties, types and values).
 * ETags and timestamps are the service's own: the restored rows get new ones. Exit code 0 when
 * restored and checked, 1 when refused or when the file, the store or the check failed, 2 for
 * usage or configuration mistakes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatNumber, t, type TextKey } from '../domain/i18n';
import type { Locale } from '../domain/types';
import type { OpenedStorage } from '../storage';
import {
  BackupFileError,
  type BackupRow,
  type InspectedBackup,
  inspectBackup,
  parseHeader,
  parseRow,
  RestoreError,
  restoreRows,
  tablesWithRows,
  verifyRestore,
} from '../storage/backup';
import { readLines } from './backup-file';
import { type CliSpec, HELP_OPTION, LANG_OPTION, readArgs } from './args';
import { fileReason, openCliStore, readySetup, reasonOf, runMain, startCli, storeProblem } from './common';
import { createProgress, createStatus, type OutStream, type Progress } from './progress';

export interface RestoreIo {
  env?: Record<string, string | undefined>;
  stdout?: OutStream;
  stderr?: OutStream;
  /** The file is resolved against this; default: the process's working directory. */
  cwd?: string;
  /** From this many rows on, a log (not only a terminal) sees the progress. */
  largeFrom?: number;
}

const LARGE_RESTORE = 1000;

interface RestoreArgs {
  file?: string;
  dryRun: boolean;
  force: boolean;
  help: boolean;
}

/** The options of `npm run restore`, and the file; a mistake names the argument as it was given. */
const RESTORE_ARGS = {
  options: {
    help: HELP_OPTION,
    'dry-run': { type: 'boolean' },
    force: { type: 'boolean' },
    'into-non-empty': { type: 'boolean' },
    lang: LANG_OPTION,
  },
  positionals: 1,
  unknownOption: (locale: Locale, _option: string, arg: string) => t(locale, 'cli.args.unknownOption', { option: arg }),
  flagWithValue: (locale: Locale, _option: string, arg: string) => t(locale, 'cli.args.unknownOption', { option: arg }),
} as const satisfies CliSpec;

function parseArgs(argv: readonly string[], locale: Locale): RestoreArgs | { error: string } {
  const read = readArgs(RESTORE_ARGS, argv, locale);
  if ('error' in read) return read;
  const { values } = read;
  return {
    file: read.positionals[0],
    dryRun: values['dry-run'] === true,
    force: values.force === true || values['into-non-empty'] === true,
    help: values.help === true,
  };
}

/** The rows of a file that `inspectBackup` accepted (so every line parses). */
async function* rowsOf(file: string): AsyncGenerator<BackupRow> {
  let header;
  for await (const line of readLines(file)) {
    if (line.trim() === '') continue;
    if (!header) {
      header = parseHeader(line);
      if ('code' in header) throw new Error('the file changed while it was restored');
      continue;
    }
    const row = parseRow(line, header);
    if ('code' in row) throw new Error('the file changed while it was restored');
    yield row;
  }
}

/** Runs the restore; returns the exit code (never calls `process.exit`). */
export async function main(argv: readonly string[], io: RestoreIo = {}): Promise<number> {
  const start = startCli(argv, io, (l) => t(l, 'cli.restore.usage'), parseArgs);
  if ('exit' in start) return start.exit;
  const { stderr, out, err, cwd, locale, usage, args } = start;
  if (!args.file) {
    err(t(locale, 'cli.restore.fileNeeded'));
    err(usage);
    return 2;
  }
  const ready = readySetup(start);
  if ('exit' in ready) return ready.exit;
  const { config, program } = ready;
  const file = path.resolve(cwd, args.file);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    err(t(locale, 'cli.restore.cannotRead', { file, reason: fileReason(e) }));
    return 1;
  }

  // 1. The whole file, before the store is even opened.
  const status = createStatus(stderr);
  status.show(t(locale, 'cli.restore.checking', { file: path.basename(file) }));
  let backup: InspectedBackup;
  try {
    backup = await inspectBackup(readLines(file));
  } catch (e) {
    status.clear();
    if (!(e instanceof BackupFileError)) throw e;
    const problem = t(locale, `cli.backup.problem.${e.problem.code}` as TextKey, e.problem.params);
    err(t(locale, 'cli.restore.badFile', { file, line: e.line, problem }));
    err(t(locale, 'cli.restore.nothingWritten'));
    return 1;
  } finally {
    status.clear();
  }
  const { header } = backup;
  const total = Object.values(backup.rows).reduce((a, b) => a + b, 0);
  err(t(locale, 'cli.restore.source', { at: header.createdAt, prefix: header.tablePrefix }));
  if (header.tablePrefix !== config.storage.tablePrefix)
    err(t(locale, 'cli.restore.otherPrefix', { prefix: config.storage.tablePrefix }));

  let storage: OpenedStorage;
  try {
    storage = await openCliStore(config, program.timezone, locale, err, {
      inMemoryWarning: 'cli.store.inMemory.restore',
    });
  } catch (e) {
    err(storeProblem(e, locale));
    return 1;
  }
  let progress: Progress | undefined;
  try {
    // 2. An empty store, unless told otherwise.
    let filled: string[];
    try {
      filled = await tablesWithRows(storage.store);
    } catch (e) {
      err(t(locale, 'cli.store.unavailable', { reason: reasonOf(e) }));
      return 1;
    }
    if (filled.length > 0 && !args.force) {
      err(t(locale, 'cli.restore.notEmpty', { tables: filled.join(', ') }));
      err(t(locale, 'cli.restore.nothingWritten'));
      return 1;
    }
    const counts = header.tables.map((x) => `${x} ${formatNumber(locale, backup.rows[x]!)}`).join(', ');
    if (args.dryRun) {
      out(t(locale, 'cli.restore.dryRun', { rows: formatNumber(locale, total), tables: header.tables.length }));
      out(t(locale, 'cli.backup.counts', { counts }));
      return 0;
    }

    // 3. Write, then read everything back and compare.
    if (stderr.isTTY || total >= (io.largeFrom ?? LARGE_RESTORE))
      progress = createProgress({ stream: stderr, label: t(locale, 'cli.restore.progress') });
    try {
      await restoreRows(storage.store, rowsOf(file), {
        replace: args.force,
        onProgress: (written) => progress?.update(written, total),
      });
    } catch (e) {
      progress?.finish();
      const written = e instanceof RestoreError ? e.written : 0;
      err(
        t(locale, 'cli.restore.failed', {
          written: formatNumber(locale, written),
          total: formatNumber(locale, total),
          reason: reasonOf(e),
        }),
      );
      return 1;
    }
    progress?.finish();
    status.show(t(locale, 'cli.restore.verifying'));
    let check;
    try {
      check = await verifyRestore(storage.store, header.tables, backup.digests);
    } catch (e) {
      status.clear();
      err(t(locale, 'cli.store.unavailable', { reason: reasonOf(e) }));
      return 1;
    }
    status.clear();
    // Rows that were there before a forced restore are no surprise.
    const extra = args.force ? 0 : check.extra;
    if (check.missing > 0 || check.different > 0 || extra > 0) {
      err(t(locale, 'cli.restore.mismatch', { missing: check.missing, different: check.different, extra }));
      for (const x of check.examples) err(t(locale, 'cli.restore.example', x));
      return 1;
    }
    out(t(locale, 'cli.restore.done', { rows: formatNumber(locale, total), tables: header.tables.length, file }));
    out(t(locale, 'cli.backup.counts', { counts }));
    return 0;
  } finally {
    status.clear();
    await storage.close();
  }
}

if (require.main === module) runMain(main);

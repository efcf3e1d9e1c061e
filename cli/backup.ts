/**
 * `npm run backup -- --out <file.jsonl[.gz]> [--force] [--lang sv|en]`
 *
 * Writes every row of every table to one file (storage/backup.ts has the format): a header line
 * with the format version, the time, the table prefix, the tables and their row counts, then a
 * line per row. Gzipped when the name ends in `.gz`. An existing file is left alone unless
 * `--force`; the file appears only when it is complete. Progress goes to stderr (a status line
 * on a terminal, a line per large table in a log), the summary to stdout. Exit code 0 when
 * written, 1 when the store or the file failed, 2 for usage or configuration mistakes.
 *
 * Storage: the configured connection string; otherwise the bot's embedded Azurite if it is
 * running (`DATA_DIR/azurite.json`), else an embedded Azurite of our own on the same data folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatNumber, t } from '../domain/i18n';
import { type Clock, systemClock } from '../domain/time';
import type { Locale } from '../domain/types';
import type { OpenedStorage } from '../storage';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  type BackupHeader,
  backupTables,
  headerLine,
  readTable,
  rowLine,
} from '../storage/backup';
import { assemble, isGzipName, lineWriter, publish, removeQuietly } from './backup-file';
import { type CliSpec, HELP_OPTION, LANG_OPTION, readArgs } from './args';
import { fileReason, openCliStore, readySetup, reasonOf, runMain, startCli, storeProblem } from './common';
import { createStatus, type OutStream } from './progress';

export interface BackupIo {
  /** Environment (as from `.env` + the process); default: `readEnvironment(cwd)`. */
  env?: Record<string, string | undefined>;
  stdout?: OutStream;
  stderr?: OutStream;
  clock?: Clock;
  /** `--out` is resolved against this; default: the process's working directory. */
  cwd?: string;
  /** A log (not a terminal) hears of each table with at least this many rows. */
  largeFrom?: number;
}

const LARGE_TABLE = 1000;

interface BackupArgs {
  out?: string;
  force: boolean;
  help: boolean;
}

/** The options of `npm run backup`; `--out` is needed, a name that looks like an option is refused. */
const BACKUP_ARGS = {
  options: {
    help: HELP_OPTION,
    force: { type: 'boolean' },
    out: {
      type: 'string',
      short: 'o',
      read: (value: string, locale: Locale) =>
        value === '' || value.startsWith('-') ? { error: t(locale, 'cli.backup.outNeeded') } : { value },
    },
    lang: LANG_OPTION,
  },
} as const satisfies CliSpec;

function parseArgs(argv: readonly string[], locale: Locale): BackupArgs | { error: string } {
  const read = readArgs(BACKUP_ARGS, argv, locale);
  if ('error' in read) return read;
  return { out: read.values.out, force: read.values.force === true, help: read.values.help === true };
}

/** `512 B`, `3,4 kB`, `12,1 MB`. */
export function formatBytes(locale: Locale, bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(locale, value, 1)} ${units[unit]}`;
}

/** Runs the backup; returns the exit code (never calls `process.exit`). */
export async function main(argv: readonly string[], io: BackupIo = {}): Promise<number> {
  const start = startCli(argv, io, (l) => t(l, 'cli.backup.usage'), parseArgs);
  if ('exit' in start) return start.exit;
  const { stderr, out, err, cwd, locale, usage, args } = start;
  const clock = io.clock ?? systemClock;
  if (!args.out) {
    err(t(locale, 'cli.backup.outNeeded'));
    err(usage);
    return 2;
  }
  const ready = readySetup(start);
  if ('exit' in ready) return ready.exit;
  const { config, program } = ready;
  const file = path.resolve(cwd, args.out);
  if (!args.force && fs.existsSync(file)) {
    err(t(locale, 'cli.backup.exists', { file }));
    return 1;
  }

  let storage: OpenedStorage;
  try {
    storage = await openCliStore(config, program.timezone, locale, err, { inMemoryWarning: 'cli.store.inMemory.read' });
  } catch (e) {
    err(storeProblem(e, locale));
    return 1;
  }
  // Rows go to a temporary file first: the header, which comes first, needs their counts.
  const rowsFile = `${file}.${process.pid}.rows.tmp`;
  const tempFile = `${file}.${process.pid}.tmp`;
  const status = createStatus(stderr);
  const largeFrom = io.largeFrom ?? LARGE_TABLE;
  try {
    const tables = backupTables();
    const rows: Record<string, number> = {};
    const createdAt = clock.now().toISOString();
    let writer;
    try {
      writer = lineWriter(rowsFile);
    } catch (e) {
      err(t(locale, 'cli.backup.cannotWrite', { file, reason: fileReason(e) }));
      return 1;
    }
    try {
      for (const table of tables) {
        let count = 0;
        status.show(t(locale, 'cli.backup.reading', { table, rows: 0 }));
        for await (const row of readTable(storage.store, table)) {
          await writer.write(rowLine(row));
          count++;
          if (count % 500 === 0)
            status.show(t(locale, 'cli.backup.reading', { table, rows: formatNumber(locale, count) }));
        }
        rows[table] = count;
        if (!stderr.isTTY && count >= largeFrom)
          err(t(locale, 'cli.backup.table', { table, rows: formatNumber(locale, count) }));
      }
      await writer.end();
    } catch (e) {
      status.clear();
      const code = (e as NodeJS.ErrnoException | undefined)?.code;
      // A file system error (ENOSPC, EACCES) is the file's; anything else came from the store.
      if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
        err(t(locale, 'cli.backup.cannotWrite', { file, reason: code }));
      else err(t(locale, 'cli.backup.failed', { reason: reasonOf(e) }));
      return 1;
    }

    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt,
      tablePrefix: config.storage.tablePrefix,
      tables,
      rows,
    };
    status.show(t(locale, 'cli.backup.writing', { file: path.basename(file) }));
    try {
      await assemble(tempFile, headerLine(header), rowsFile, isGzipName(file));
      publish(tempFile, file, args.force);
    } catch (e) {
      status.clear();
      err(
        (e as NodeJS.ErrnoException).code === 'EEXIST'
          ? t(locale, 'cli.backup.exists', { file })
          : t(locale, 'cli.backup.cannotWrite', { file, reason: fileReason(e) }),
      );
      return 1;
    }
    status.clear();
    const total = Object.values(rows).reduce((a, b) => a + b, 0);
    const bytes = fs.statSync(file).size;
    out(
      t(locale, 'cli.backup.done', {
        tables: tables.length,
        rows: formatNumber(locale, total),
        bytes: formatBytes(locale, bytes),
        file,
      }),
    );
    out(
      t(locale, 'cli.backup.counts', {
        counts: tables.map((x) => `${x} ${formatNumber(locale, rows[x]!)}`).join(', '),
      }),
    );
    return 0;
  } finally {
    status.clear();
    removeQuietly(rowsFile);
    removeQuietly(tempFile);
    await storage.close();
  }
}

if (require.main === module) runMain(main);

/**
 * What the CLIs print while they work and when they are done: a progress indicator for large
 * inputs (a redrawn bar when stderr is a terminal, a line every 10 % otherwise, so CI logs and
 * redirected output stay readable), a status line for steps that cannot be measured (terminal
 * only: a log gets the summary instead), and the import's summary, in Swedish or English.
 */
import { type Params, t, type TextKey } from '../domain/i18n';
import { type ImportResult, formatIssue } from '../domain/plan';
import type { Locale } from '../domain/types';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export interface ProgressOptions {
  stream: OutStream;
  label: string;
  /** Redraw one line (terminal) or print a line per 10 % (anything else). Default: `stream.isTTY`. */
  tty?: boolean;
  now?: () => number;
  /** Least time between two redraws on a terminal. */
  intervalMs?: number;
}

export function createProgress(options: ProgressOptions): Progress {
  const tty = options.tty ?? !!options.stream.isTTY;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  let lastDraw = -Infinity;
  let lastStep = -1;
  let last: { done: number; total: number } | undefined;
  let drawn: { done: number; total: number } | undefined;
  const line = (done: number, total: number) => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    return { pct, text: `${options.label}: ${pct} % (${done}/${total})` };
  };
  const draw = (done: number, total: number) => {
    const { pct, text } = line(done, total);
    const width = 20;
    const filled = Math.round((pct / 100) * width);
    options.stream.write(
      `\r${options.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text.slice(options.label.length + 2)}\u001b[K`,
    );
    drawn = { done, total };
  };
  return {
    update(done, total) {
      last = { done, total };
      if (tty) {
        const t = now();
        if (t - lastDraw >= interval || done >= total) {
          lastDraw = t;
          draw(done, total);
        }
        return;
      }
      const { pct, text } = line(done, total);
      const step = Math.floor(pct / 10);
      if (step > lastStep) {
        lastStep = step;
        options.stream.write(`${text}\n`);
      }
    },
    finish() {
      if (!tty) return;
      if (last && (last.done !== drawn?.done || last.total !== drawn?.total)) draw(last.done, last.total);
      if (drawn) options.stream.write('\n');
    },
  };
}

export interface Status {
  /** Shows (or replaces) the one status line. */
  show(text: string): void;
  /** Removes it, leaving the terminal as it was. */
  clear(): void;
}

/**
 * One line that says what is going on during a step without a measure ("Läser beslut …"). Only
 * on a terminal, where it is redrawn and wiped at the end; elsewhere it prints nothing, so a log
 * or a test sees only the lines that stay.
 */
export function createStatus(stream: OutStream, tty = !!stream.isTTY): Status {
  let shown = false;
  return {
    show(text) {
      if (!tty) return;
      stream.write(`\r${text}\u001b[K`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      stream.write('\r\u001b[K');
      shown = false;
    },
  };
}

/** How many changed records are listed one by one before "… and N more". */
const LISTED = 50;

/** The summary lines for one file (stdout). Errors and warnings are printed separately. */
export function formatSummary(result: ImportResult, locale: Locale): string[] {
  const say = (key: TextKey, params?: Params) => t(locale, key, params);
  const about = [
    say(result.kind === 'plan' ? 'cli.import.plan' : 'cli.import.indicators'),
    ...(result.sheet ? [say('cli.import.sheet', { sheet: result.sheet })] : []),
    say('cli.import.rows', { n: result.rows }),
  ].join(', ');
  const counts = [
    say('cli.import.added', { n: result.added }),
    say('cli.import.updated', { n: result.updated }),
    say('cli.import.unchanged', { n: result.unchanged }),
    say('cli.import.warnings', { n: result.warnings.length }),
  ].join(', ');
  const lines = [`${result.file} (${about}): ${counts}`];
  if (result.notInFile > 0) {
    const what = say(result.kind === 'plan' ? 'cli.import.actionsWord' : 'cli.import.indicatorsWord');
    lines.push(`  ${say('cli.import.notInFile', { n: result.notInFile, what })}`);
  }
  if (result.values) lines.push(`  ${say('cli.import.values', result.values)}`);
  for (const c of result.changes.slice(0, LISTED)) {
    const what = say(
      c.change === 'created' ? (c.generatedId ? 'cli.import.generated' : 'cli.import.created') : 'cli.import.changed',
    );
    const fields = c.change === 'updated' ? ` – ${c.fields.join(', ')}` : '';
    lines.push(`  ${say('cli.import.change', { id: c.id, row: c.row, what })}${fields}`);
  }
  if (result.changes.length > LISTED) lines.push(`  ${say('cli.import.more', { n: result.changes.length - LISTED })}`);
  if (result.events > 0) lines.push(`  ${say('cli.import.events', { n: result.events })}`);
  if (result.dryRun) lines.push(`  ${say('cli.import.dryRun')}`);
  return lines;
}

/** Errors and warnings, one per line, for stderr. */
export function formatProblems(result: ImportResult, locale: Locale): string[] {
  const lines: string[] = [];
  const warnWord = t(locale, 'cli.word.warning');
  const errWord = t(locale, 'cli.word.error');
  for (const w of result.warnings) lines.push(`${warnWord}: ${formatIssue(w, locale)}`);
  for (const e of result.errors) lines.push(`${errWord}: ${formatIssue(e, locale)}`);
  if (result.errors.length > 0) {
    const partly = result.errors.some((e) => e.code.startsWith('write.'));
    lines.push(
      partly
        ? t(locale, 'cli.import.failedPartly', { file: result.file })
        : t(locale, 'cli.import.failed', { file: result.file, n: result.errors.length }),
    );
  }
  return lines;
}

/**
 * What the import CLI prints: a progress indicator for large files (a redrawn bar when stderr is
 * a terminal, a line every 10 % otherwise, so CI logs and redirected output stay readable) and
 * the summary, in Swedish or English.
 */
import { type ImportResult, formatIssue } from '../domain/tabular';
import type { Locale } from '../domain/types';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

const TEXTS = {
  sv: {
    plan: 'handlingsplan',
    indicators: 'indikatorer',
    rows: '{n} rader',
    sheet: 'blad "{sheet}"',
    added: '{n} tillagda',
    updated: '{n} uppdaterade',
    unchanged: '{n} oförändrade',
    warnings: '{n} varningar',
    notInFile: '{n} sparade {what} finns inte i filen (lämnas orörda)',
    actionsWord: 'åtgärder',
    indicatorsWord: 'indikatorer',
    values: 'mätvärden: {added} nya, {updated} ändrade',
    dryRun: 'provkörning: inget sparades',
    events: '{n} händelser loggade',
    created: 'ny',
    changed: 'ändrad',
    generated: 'nytt id',
    more: '… och {n} till',
    failed: '{file}: {n} fel, inget från filen sparades',
    failedPartly: '{file}: importen avbröts',
  },
  en: {
    plan: 'action plan',
    indicators: 'indicators',
    rows: '{n} rows',
    sheet: 'sheet "{sheet}"',
    added: '{n} added',
    updated: '{n} updated',
    unchanged: '{n} unchanged',
    warnings: '{n} warnings',
    notInFile: '{n} stored {what} are not in the file (left alone)',
    actionsWord: 'actions',
    indicatorsWord: 'indicators',
    values: 'values: {added} new, {updated} changed',
    dryRun: 'dry run: nothing was saved',
    events: '{n} events logged',
    created: 'new',
    changed: 'changed',
    generated: 'new id',
    more: '… and {n} more',
    failed: '{file}: {n} errors, nothing from the file was saved',
    failedPartly: '{file}: the import stopped',
  },
} as const;

export type CliTextKey = keyof (typeof TEXTS)['sv'];

export function text(locale: Locale, key: CliTextKey, params: Record<string, string | number> = {}): string {
  const table = locale === 'en-US' ? TEXTS.en : TEXTS.sv;
  return table[key].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
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
    options.stream.write(`\r${options.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text.slice(options.label.length + 2)}\u001b[K`);
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

/** How many changed records are listed one by one before "… and N more". */
const LISTED = 50;

/** The summary lines for one file (stdout). Errors and warnings are printed separately. */
export function formatSummary(result: ImportResult, locale: Locale): string[] {
  const t = (key: CliTextKey, params: Record<string, string | number> = {}) => text(locale, key, params);
  const about = [t(result.kind), ...(result.sheet ? [t('sheet', { sheet: result.sheet })] : []), t('rows', { n: result.rows })].join(', ');
  const counts = [
    t('added', { n: result.added }),
    t('updated', { n: result.updated }),
    t('unchanged', { n: result.unchanged }),
    t('warnings', { n: result.warnings.length }),
  ].join(', ');
  const lines = [`${result.file} (${about}): ${counts}`];
  if (result.notInFile > 0) {
    lines.push(`  ${t('notInFile', { n: result.notInFile, what: t(result.kind === 'plan' ? 'actionsWord' : 'indicatorsWord') })}`);
  }
  if (result.values) lines.push(`  ${t('values', result.values)}`);
  for (const c of result.changes.slice(0, LISTED)) {
    const what = c.change === 'created' ? (c.generatedId ? t('generated') : t('created')) : t('changed');
    const rowWord = locale === 'en-US' ? 'row' : 'rad';
    lines.push(`  ${c.id} (${rowWord} ${c.row}): ${what}${c.change === 'updated' ? ` – ${c.fields.join(', ')}` : ''}`);
  }
  if (result.changes.length > LISTED) lines.push(`  ${t('more', { n: result.changes.length - LISTED })}`);
  if (result.events > 0) lines.push(`  ${t('events', { n: result.events })}`);
  if (result.dryRun) lines.push(`  ${t('dryRun')}`);
  return lines;
}

/** Errors and warnings, one per line, for stderr. */
export function formatProblems(result: ImportResult, locale: Locale): string[] {
  const lines: string[] = [];
  const warnWord = locale === 'en-US' ? 'warning' : 'varning';
  const errWord = locale === 'en-US' ? 'error' : 'fel';
  for (const w of result.warnings) lines.push(`${warnWord}: ${formatIssue(w, locale)}`);
  for (const e of result.errors) lines.push(`${errWord}: ${formatIssue(e, locale)}`);
  if (result.errors.length > 0) {
    const partly = result.errors.some((e) => e.code.startsWith('write.'));
    lines.push(partly ? text(locale, 'failedPartly', { file: result.file }) : text(locale, 'failed', { file: result.file, n: result.errors.length }));
  }
  return lines;
}

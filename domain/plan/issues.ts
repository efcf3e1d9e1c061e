/**
 * The problems an import finds, as data: file, sheet, row, column, a code and its parameters.
 * The domain never words them; whoever shows one (the CLI, the bot's card) calls `formatIssue` in
 * the reader's language, with the texts `import.issue.<code>` and `import.where.*` of
 * ../i18n/plan.ts.
 */
import { ConcurrencyError, StorageUnavailableError } from '../errors';
import { t } from '../i18n';
import type { PlanKey } from '../i18n/plan';
import type { Locale } from '../types';

/** `file.empty`, `cell.notDate`, …: the codes with a text `import.issue.<code>` in ../i18n/plan.ts. */
type CodeOf<K> = K extends `import.issue.${infer C}` ? C : never;
export type IssueCode = CodeOf<PlanKey>;

export interface ImportIssue {
  /** The file name as given (base name), e.g. `plan.csv`. */
  file: string;
  /** The workbook sheet the row is on (XLSX only). */
  sheet?: string;
  /** Row as the person sees it in Excel: the header is row 1 (in a file without blank lines above it). */
  row?: number;
  /** The column as written in the file's header (or the expected name when it is missing). */
  column?: string;
  code: IssueCode;
  params: Record<string, string | number>;
}

export function issue(
  file: string,
  code: IssueCode,
  params: Record<string, string | number> = {},
  where: { row?: number; column?: string } = {},
): ImportIssue {
  return { file, ...where, code, params };
}

/**
 * A write that failed part-way through an import, as the issue to report: someone changed the
 * records meanwhile (`write.conflict`, naming them) or the store failed (`write.failed`).
 * Undefined for any other error (a bug: thrown on by the caller).
 */
export function writeIssue(
  file: string,
  err: unknown,
  ids: string,
  progress: { written: number; total: number },
  where: { row?: number } = {},
): ImportIssue | undefined {
  if (err instanceof ConcurrencyError) return issue(file, 'write.conflict', { ids, ...progress }, where);
  if (err instanceof StorageUnavailableError) return issue(file, 'write.failed', { reason: err.message, ...progress });
  return undefined;
}

/** The problem alone, without its place: `datumet 2026-02-30 finns inte`. */
export function issueText(locale: Locale, i: Pick<ImportIssue, 'code' | 'params'>): string {
  return t(locale, `import.issue.${i.code}`, i.params);
}

/** `plan.csv, rad 7, kolumn "Slutdatum": datumet 2026-02-30 finns inte` (or the English form). */
export function formatIssue(i: ImportIssue, locale: Locale = 'sv-SE'): string {
  const parts = [i.file];
  if (i.sheet !== undefined) parts.push(t(locale, 'import.where.sheet', { sheet: i.sheet }));
  if (i.row !== undefined) parts.push(t(locale, 'import.where.row', { row: i.row }));
  if (i.column !== undefined) parts.push(t(locale, 'import.where.column', { column: i.column }));
  return `${parts.join(', ')}: ${issueText(locale, i)}`;
}

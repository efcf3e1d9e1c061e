/**
 * Finding the header row of a sheet (a plan often has a title, a date or a note above it) and
 * mapping its columns to the ones an importer knows, by name or alias, however they are written.
 */
import { type ImportIssue, issue } from './issues';
import type { ReadResult, Table, TableRow } from './table';

/** How far down the header may be: title, blank and note rows above it are skipped. */
export const HEADER_SEARCH_ROWS = 20;

/**
 * Drops the cells of a table into header + rows. The header is the first of the first 20 rows
 * with at least two cells naming a known column (`headerNames`, folded): a plan often has a
 * title, a date or a note above it. Without such a row (or without names), the first row with
 * any value.
 */
export function toTable(
  file: string,
  format: 'csv' | 'xlsx',
  records: TableRow[],
  warnings: ImportIssue[],
  sheet?: string,
  headerNames?: readonly string[],
): ReadResult {
  const known = new Set((headerNames ?? []).map(foldHeader));
  let headerIndex = -1;
  if (known.size > 0) {
    headerIndex = records.findIndex(
      (r) =>
        r.rowNumber <= HEADER_SEARCH_ROWS && r.cells.filter((c) => c !== '' && known.has(foldHeader(c))).length >= 2,
    );
  }
  if (headerIndex < 0) headerIndex = records.findIndex((r) => r.cells.some((c) => c !== ''));
  if (headerIndex < 0) return { ok: false, error: issue(file, 'file.empty') };
  const headerRecord = records[headerIndex]!;
  let width = headerRecord.cells.length;
  while (width > 0 && headerRecord.cells[width - 1] === '') width--;
  const header = headerRecord.cells.slice(0, width);
  const rows: TableRow[] = [];
  for (const r of records.slice(headerIndex + 1)) {
    if (!r.cells.some((c) => c !== '')) continue;
    if (r.cells.slice(width).some((c) => c !== ''))
      warnings.push(issue(file, 'row.extraCells', {}, { row: r.rowNumber }));
    const cells = r.cells.slice(0, width);
    while (cells.length < width) cells.push('');
    rows.push({ rowNumber: r.rowNumber, cells });
  }
  return { ok: true, table: { file, format, sheet, headerRow: headerRecord.rowNumber, header, rows, warnings } };
}

/** A column the importer knows: canonical (Swedish) name first, then aliases. */
export interface ColumnSpec<K extends string = string> {
  key: K;
  names: readonly string[];
  /** Headers of this column by shape, matched on the folded header (`Mål 2030` → /^mal20\d\d$/). */
  patterns?: readonly RegExp[];
  required?: boolean;
}

/** Header folding: case, accents, spaces and punctuation do not matter (`E-post` = `epost`). */
export function foldHeader(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]/g, '');
}

export interface HeaderMap<K extends string> {
  /** Column index and the label as written, for each known column present. */
  columns: Partial<Record<K, { index: number; label: string }>>;
  errors: ImportIssue[];
  warnings: ImportIssue[];
}

export function mapHeader<K extends string>(
  table: Pick<Table, 'file' | 'header' | 'headerRow'>,
  specs: readonly ColumnSpec<K>[],
): HeaderMap<K> {
  const lookup = new Map<string, ColumnSpec<K>>();
  for (const spec of specs) for (const name of spec.names) lookup.set(foldHeader(name), spec);
  const columns: Partial<Record<K, { index: number; label: string }>> = {};
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const where = (label: string) => ({ row: table.headerRow, column: label });
  table.header.forEach((label, index) => {
    if (label === '') return;
    const folded = foldHeader(label);
    const spec = lookup.get(folded) ?? specs.find((sp) => sp.patterns?.some((re) => re.test(folded)));
    if (!spec) {
      // Each unknown header once, however often it is repeated.
      if (!warnings.some((w) => w.column === label))
        warnings.push(issue(table.file, 'header.unknownColumn', {}, where(label)));
      return;
    }
    const existing = columns[spec.key];
    if (existing) {
      errors.push(issue(table.file, 'header.duplicateColumn', { other: `"${existing.label}"` }, where(label)));
      return;
    }
    columns[spec.key] = { index, label };
  });
  for (const spec of specs) {
    if (spec.required && !columns[spec.key]) {
      errors.push(
        issue(
          table.file,
          'header.missingColumn',
          { column: spec.names[0]!, aliases: spec.names.slice(1).join(', ') },
          { row: table.headerRow, column: spec.names[0]! },
        ),
      );
    }
  }
  return { columns, errors, warnings };
}

/** Whether the header has any of the names (folded). */
export function headerHas(header: readonly string[], names: readonly string[]): boolean {
  const wanted = new Set(names.map(foldHeader));
  return header.some((h) => wanted.has(foldHeader(h)));
}

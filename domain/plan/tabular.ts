/**
 * Reading spreadsheets people make in a municipality: CSV as Swedish Excel writes it (./csv.ts)
 * and XLSX workbooks (./xlsx.ts). Everything comes out as rows of trimmed strings with the row
 * numbers the person sees in Excel (header = row 1, found under any title rows by ./header.ts),
 * so an error can point at "rad 7, kolumn Slutdatum".
 *
 * Problems are data (`ImportIssue` in ./issues.ts: file, row, column, code, params), not prose:
 * the CLI and the bot word them in the reader's language with `formatIssue`.
 */
import * as path from 'node:path';
import { readCsvTable } from './csv';
import { issue } from './issues';
import type { ReadOptions, ReadResult } from './table';
import { readXlsxTable } from './xlsx';

export function fileFormat(fileName: string): 'csv' | 'xlsx' | undefined {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  return undefined;
}

/** Reads a CSV or XLSX file (by extension) into a table of strings. */
export async function readTable(fileName: string, content: Buffer, options: ReadOptions = {}): Promise<ReadResult> {
  const file = path.basename(fileName);
  const format = fileFormat(fileName);
  if (!format)
    return { ok: false, error: issue(file, 'file.unsupportedType', { ext: path.extname(fileName) || fileName }) };
  return format === 'csv' ? readCsvTable(file, content, options) : readXlsxTable(file, content, options);
}

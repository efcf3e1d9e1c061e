/** A spreadsheet read into rows of strings: what the CSV and XLSX readers give the importers. */
import type { ImportIssue } from './issues';

export interface TableRow {
  /** 1-based, as Excel numbers rows. */
  rowNumber: number;
  /** One string per header column ('' when empty), NFC-normalised and trimmed. */
  cells: string[];
}

export interface Table {
  file: string;
  format: 'csv' | 'xlsx';
  sheet?: string;
  headerRow: number;
  header: string[];
  rows: TableRow[];
  warnings: ImportIssue[];
}

export type ReadResult = { ok: true; table: Table } | { ok: false; error: ImportIssue };

export interface ReadOptions {
  /** Sheet to read from a workbook; an error when missing. */
  sheet?: string;
  /** Sheets preferred over the first one when present (case-insensitive), in this order. */
  preferredSheets?: readonly string[];
  /** Column names that mark the header row (see `toTable`). */
  headerNames?: readonly string[];
}

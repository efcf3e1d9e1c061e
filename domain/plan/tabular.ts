/**
 * Reading spreadsheets people make in a municipality: CSV as Swedish Excel writes it (semicolons,
 * BOM or Windows-1252, `sep=;` hint line), comma CSV, tab-separated UTF-16 "Unicode text", and
 * XLSX workbooks. Everything comes out as rows of trimmed strings with the row numbers the person
 * sees in Excel (header = row 1), so an error can point at "rad 7, kolumn Slutdatum".
 *
 * Problems are data (`ImportIssue`: file, row, column, code, params), not prose: the CLI and the
 * bot format them in the reader's language with `formatIssue`; the texts live with the other
 * texts (`import.issue.*` in ./i18n/cli.ts).
 */
import { ConcurrencyError, StorageUnavailableError } from '../errors';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { t } from '../i18n';
import type { CliKey } from '../i18n/cli';
import type { Locale } from '../types';
import { stripInvisible } from '../text';

// ---------------------------------------------------------------------------------------------
// Issues

/** `file.empty`, `cell.notDate`, …: the codes with a text `import.issue.<code>` in ./i18n/cli.ts. */
type CodeOf<K> = K extends `import.issue.${infer C}` ? C : never;
export type IssueCode = CodeOf<CliKey>;

function issueText(locale: Locale, code: IssueCode, params: Record<string, string | number>): string {
  return t(locale, `import.issue.${code}`, params);
}

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
  /** The message in Swedish without location; `formatIssue` gives any language with location. */
  message: string;
}

/** An action or indicator id: a letter or digit, then letters, digits, `.`, `_`, `-`; at most 40. */
export const ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$/u;

/**
 * A write that failed part-way through an import, as the issue to report: someone changed the
 * records meanwhile (`write.conflict`, naming them) or the store failed (`write.failed`).
 * Undefined for any other error (a bug: thrown on by the caller).
 */
export function writeIssue(file: string, err: unknown, ids: string, progress: { written: number; total: number }, where: { row?: number } = {}): ImportIssue | undefined {
  if (err instanceof ConcurrencyError) return issue(file, 'write.conflict', { ids, ...progress }, where);
  if (err instanceof StorageUnavailableError) return issue(file, 'write.failed', { reason: err.message, ...progress });
  return undefined;
}

export function issue(
  file: string,
  code: IssueCode,
  params: Record<string, string | number> = {},
  where: { row?: number; column?: string } = {},
): ImportIssue {
  return { file, ...where, code, params, message: issueText('sv-SE', code, params) };
}

/** `plan.csv, rad 7, kolumn "Slutdatum": datumet 2026-02-30 finns inte` (or the English form). */
export function formatIssue(i: ImportIssue, locale: Locale = 'sv-SE'): string {
  const parts = [i.file];
  if (i.sheet !== undefined) parts.push(t(locale, 'import.where.sheet', { sheet: i.sheet }));
  if (i.row !== undefined) parts.push(t(locale, 'import.where.row', { row: i.row }));
  if (i.column !== undefined) parts.push(t(locale, 'import.where.column', { column: i.column }));
  return `${parts.join(', ')}: ${issueText(locale, i.code, i.params)}`;
}

// ---------------------------------------------------------------------------------------------
// Tables

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
  if (!format) return { ok: false, error: issue(file, 'file.unsupportedType', { ext: path.extname(fileName) || fileName }) };
  return format === 'csv' ? readCsvTable(file, content, options) : readXlsxTable(file, content, options);
}

/** How far down the header may be: title, blank and note rows above it are skipped. */
export const HEADER_SEARCH_ROWS = 20;

/**
 * Drops the cells of a table into header + rows. The header is the first of the first 20 rows
 * with at least two cells naming a known column (`headerNames`, folded): a plan often has a
 * title, a date or a note above it. Without such a row (or without names), the first row with
 * any value.
 */
function toTable(file: string, format: 'csv' | 'xlsx', records: TableRow[], warnings: ImportIssue[], sheet?: string, headerNames?: readonly string[]): ReadResult {
  const known = new Set((headerNames ?? []).map(foldHeader));
  let headerIndex = -1;
  if (known.size > 0) {
    headerIndex = records.findIndex(
      (r) => r.rowNumber <= HEADER_SEARCH_ROWS && r.cells.filter((c) => c !== '' && known.has(foldHeader(c))).length >= 2,
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
    if (r.cells.slice(width).some((c) => c !== '')) warnings.push(issue(file, 'row.extraCells', {}, { row: r.rowNumber }));
    const cells = r.cells.slice(0, width);
    while (cells.length < width) cells.push('');
    rows.push({ rowNumber: r.rowNumber, cells });
  }
  return { ok: true, table: { file, format, sheet, headerRow: headerRecord.rowNumber, header, rows, warnings } };
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180)

/** Decodes bytes: UTF-8 (BOM optional), UTF-16 with BOM, otherwise Windows-1252 (older Excel). */
export function decodeText(content: Buffer): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' } {
  if (content.length >= 2 && content[0] === 0xff && content[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(content.subarray(2)), encoding: 'utf-16le' };
  }
  if (content.length >= 2 && content[0] === 0xfe && content[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(content.subarray(2)), encoding: 'utf-16be' };
  }
  try {
    // ignoreBOM: false (the default) strips a UTF-8 BOM.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(content), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(content), encoding: 'windows-1252' };
  }
}

/** Windows-1252's 0x80–0x9F, where it differs from Latin-1 (undefined bytes stay as they are). */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Decodes Windows-1252 by hand: Node's `TextDecoder('windows-1252')` decodes it as Latin-1, so the
 * en dash of "2026–2027", the euro sign and Excel's curly quotes came out as control characters.
 */
export function decodeWindows1252(content: Uint8Array): string {
  let out = '';
  for (const byte of content) out += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : String.fromCharCode(byte);
  return out;
}

/** Picks `;`, `,` or tab: whichever occurs most outside quotes in the first line (ties → `,`). */
export function detectDelimiter(headerLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

/**
 * Parses CSV per RFC 4180 with the leniency Excel shows: quoted fields with doubled quotes,
 * delimiters and line breaks inside quotes, CRLF / LF / CR line ends, a quote in the middle of
 * an unquoted field taken literally. A final line break does not make an empty record.
 */
export function parseCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true;
  let i = 0;
  const n = text.length;
  const endField = () => {
    record.push(field);
    field = '';
    fieldStart = true;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      i++;
      continue;
    }
    if (ch === delimiter) {
      endField();
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += ch;
    fieldStart = false;
    i++;
  }
  if (!fieldStart || field !== '' || record.length > 0) endRecord();
  return records;
}

function readCsvTable(file: string, content: Buffer, options: ReadOptions = {}): ReadResult {
  const { text: raw, encoding } = decodeText(content);
  const warnings: ImportIssue[] = [];
  if (encoding === 'windows-1252') warnings.push(issue(file, 'file.windows1252'));
  let text = raw.replace(/^\uFEFF/, '');
  // Excel's `sep=;` hint line names the delimiter and is not shown as a row.
  let delimiter: string;
  const sep = /^sep=(.)\r?\n/i.exec(text);
  if (sep) {
    delimiter = sep[1]!;
    text = text.slice(sep[0].length);
  } else {
    const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
    delimiter = detectDelimiter(firstLine);
  }
  const records = parseCsv(text, delimiter).map((cells, index) => ({ rowNumber: index + 1, cells: cells.map(normaliseCell) }));
  return toTable(file, 'csv', records, warnings, undefined, options.headerNames);
}

// ---------------------------------------------------------------------------------------------
// XLSX

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Excel keeps dates as wall-clock serial numbers without a zone; exceljs turns them into a
 * `Date` whose UTC fields are that wall clock. So the UTC fields are the date the person sees.
 */
export function excelDateToString(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const secs = d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds();
  return secs === 0 ? date : `${date}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** A number format that shows a date (`yyyy-mm-dd`, `d/m/yyyy`, `mmm-yy`), quoted text and colours aside. */
export function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  const f = numFmt.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').toLowerCase();
  return /[dy]/.test(f) || /m{3,}/.test(f);
}

/** An Excel serial day number (1900 system) as `YYYY-MM-DD`; undefined outside 1900–2200. */
export function excelSerialToDate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 109574) return undefined;
  // Day 0 is 1899-12-30 in practice (Excel counts the 29th of February 1900 that never was).
  return excelDateToString(new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86400000));
}

function numberToString(v: number, numFmt: string | undefined): string {
  if (!Number.isFinite(v)) return '';
  // 15 significant digits hides binary noise (0.1 + 0.2) the way Excel shows it.
  const clean = (x: number) => String(Number(x.toPrecision(15)));
  if (numFmt && numFmt.includes('%')) return `${clean(v * 100)}%`;
  // A serial shown as a date (a formula's cached result, or a format exceljs did not read as one).
  if (isDateFormat(numFmt)) return excelSerialToDate(v) ?? clean(v);
  return clean(v);
}

type Scalar = ExcelJS.CellValue | { text?: unknown } | Record<string, unknown>;

/** Turns any exceljs cell value into the string a person would read in the cell. */
export function cellToString(value: Scalar, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberToString(value, numFmt);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return excelDateToString(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as { text?: unknown }[]).map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellToString(v.result as Scalar, numFmt);
    if ('hyperlink' in v || 'text' in v) return cellToString(v.text as Scalar, numFmt);
    if (typeof v.error === 'string') return v.error;
  }
  return '';
}

/** NFC (files from a Mac may hold decomposed å ä ö), no stray BOM, trimmed. */
export function normaliseCell(s: string): string {
  return s.normalize('NFC').replace(/\uFEFF/g, '').trim();
}

async function readXlsxTable(file: string, content: Buffer, options: ReadOptions): Promise<ReadResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own `Buffer` type; a Node Buffer is what it reads.
    await workbook.xlsx.load(content as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (err) {
    return { ok: false, error: issue(file, 'file.unreadable', { reason: (err as Error).message.split('\n')[0] ?? 'xlsx' }) };
  }
  const sheets = workbook.worksheets;
  if (sheets.length === 0) return { ok: false, error: issue(file, 'file.empty') };
  const byName = (name: string) => sheets.find((s) => s.name.trim().toLowerCase() === name.trim().toLowerCase());
  let sheet: ExcelJS.Worksheet | undefined;
  if (options.sheet !== undefined) {
    sheet = byName(options.sheet);
    if (!sheet) return { ok: false, error: issue(file, 'file.noSheet', { sheet: options.sheet, sheets: sheets.map((s) => s.name).join(', ') }) };
  } else {
    sheet = (options.preferredSheets ?? []).map(byName).find((s) => s !== undefined) ?? sheets[0]!;
  }
  const records: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    let own = false;
    const count = row.cellCount;
    for (let col = 1; col <= count; col++) {
      const cell = row.getCell(col);
      // A merged cell's value belongs to every row it spans: exceljs gives each covered cell the
      // first cell's value. A row with nothing but such values is a blank row under a merge.
      const master = cell.type === ExcelJS.ValueType.Merge ? cell.master : cell;
      const text = normaliseCell(cellToString(master.value, master.numFmt));
      if (text !== '' && master === cell) own = true;
      cells.push(text);
    }
    records.push({ rowNumber, cells: own ? cells : cells.map(() => '') });
  });
  return toTable(file, 'xlsx', records, [], sheet.name, options.headerNames);
}

// ---------------------------------------------------------------------------------------------
// Header mapping

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

export function mapHeader<K extends string>(table: Pick<Table, 'file' | 'header' | 'headerRow'>, specs: readonly ColumnSpec<K>[]): HeaderMap<K> {
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
      if (!warnings.some((w) => w.column === label)) warnings.push(issue(table.file, 'header.unknownColumn', {}, where(label)));
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
        issue(table.file, 'header.missingColumn', { column: spec.names[0]!, aliases: spec.names.slice(1).join(', ') }, { row: table.headerRow, column: spec.names[0]! }),
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

// ---------------------------------------------------------------------------------------------
// Cell helpers shared by the importers

/**
 * Strips control characters, and the invisible formatting characters domain/text.ts strips from
 * all typed text. Single-line fields also turn line breaks and tabs into one space; multi-line
 * fields (descriptions) keep `\n` and normalise CRLF.
 */
export function cleanText(s: string, multiline = false): string {
  s = stripInvisible(s);
  if (multiline) {
    return s
      .replace(/\r\n?/g, '\n')
      .replace(CONTROL_EXCEPT_NEWLINE, '')
      .replace(/[ \t]+\n/g, '\n')
      .trim();
  }
  return s.replace(/[\r\n\t]+/g, ' ').replace(CONTROL, '').replace(/ {2,}/g, ' ').trim();
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are stripped
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
// eslint-disable-next-line no-control-regex -- as above, keeping line feeds (and tabs) in multi-line text
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Length in characters as a person counts them (code points, not UTF-16 units). */
export function charLength(s: string): number {
  return Array.from(s).length;
}

/**
 * Parses a number as Swedes and Excel write it: `12,5`, `30 000`, `1 234,5`, `−3,2`, `12.5`,
 * `1,234.5`, a trailing `%`. Returns undefined when it is not a number.
 */
export function parseNumber(text: string): number | undefined {
  let s = text.trim().replace(/[\s\u00A0\u202F\u2009']/g, '').replace(/^[\u2212\u2013]/, '-').replace(/%$/, '');
  if (s === '') return undefined;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    // Both present: the later one is the decimal separator, the other groups thousands.
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma >= 0) {
    if (s.indexOf(',') !== lastComma) return undefined;
    s = s.replace(',', '.');
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Loose e-mail check: something@something.tld, no spaces. */
export function looksLikeEmail(s: string): boolean {
  return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/.test(s);
}

// ---------------------------------------------------------------------------------------------
// What an import reports (plan and indicator files alike)

export interface ImportChange {
  id: string;
  /** The row of the file it came from. */
  row: number;
  change: 'created' | 'updated';
  /** Names of the fields that changed (all set fields for a created record). */
  fields: string[];
  /** True when the id was generated (the file's Id cell was empty). */
  generatedId?: boolean;
  /** The action's title (the indicator's name) after the import. */
  title?: string;
  /** Plan imports: the action's team. */
  teamKey?: string;
}

/** A stored action the import names by id and title (retired, or missing from the file). */
export interface ImportedActionRef {
  id: string;
  title: string;
  teamKey: string;
}

/** A program team made from an area of the file (`--create-teams`). */
export interface CreatedTeam {
  key: string;
  name: string;
  actionPrefix: string;
}

/** An indicator the plan's cells named that is created, or whose target the plan changes. */
export interface IndicatorFromPlan {
  id: string;
  name: string;
  change: 'created' | 'updated';
  /** The first row that named it. */
  row: number;
  /** `name`, `unit`, `target`, `koladaKpi`: what the plan set. */
  fields: string[];
}

export interface ImportProgress {
  phase: 'write';
  done: number;
  total: number;
  /** Data rows in the file (the CLI shows progress for large files). */
  rows: number;
}

export interface ImportResult {
  kind: 'plan' | 'indicators';
  file: string;
  sheet?: string;
  /** Data rows read (header and blank rows not counted). */
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Stored records of this kind that the file does not mention (left alone). */
  notInFile: number;
  warnings: ImportIssue[];
  /** Non-empty means nothing was written (except a conflict part-way, which says what was). */
  errors: ImportIssue[];
  /** Each added or updated record; in a dry run, what would change. */
  changes: ImportChange[];
  /** Log events appended. */
  events: number;
  /** Indicator files: measured values added or changed. */
  values?: { added: number; updated: number };
  dryRun: boolean;
  /** The Excel row of the header (after title, blank and note rows). */
  headerRow?: number;
  /** Headers the importer does not know, as written, each once (their columns are skipped). */
  unknownColumns: string[];
  /** Areas of the file that are no team of the program (an error unless `createTeams`). */
  unknownAreas: string[];
  /** Teams made from the file's areas (`createTeams`); in a dry run, those that would be. */
  createdTeams: CreatedTeam[];
  /** Actions retired because the file no longer has them (`retireMissing`); in a dry run, would be. */
  retired: ImportedActionRef[];
  /** Stored actions of the teams the file covers that it no longer has, left as they are. */
  missing: ImportedActionRef[];
  /** Indicators the plan's cells named that are created or whose target changes. */
  indicators: IndicatorFromPlan[];
}

export function emptyResult(kind: ImportResult['kind'], file: string, dryRun: boolean): ImportResult {
  return {
    kind,
    file,
    rows: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    notInFile: 0,
    warnings: [],
    errors: [],
    changes: [],
    events: 0,
    dryRun,
    unknownColumns: [],
    unknownAreas: [],
    createdTeams: [],
    retired: [],
    missing: [],
    indicators: [],
  };
}

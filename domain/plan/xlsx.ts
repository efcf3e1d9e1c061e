/**
 * XLSX workbooks read with exceljs: the sheet to read, each cell as the string a person sees in
 * it (dates, percentages, formulas' cached results, rich text), and merged cells. exceljs is
 * loaded when the first workbook is read (it is large, and only an import reads workbooks); the
 * conversions below need only its types.
 */
import type * as ExcelJS from 'exceljs';
import { normaliseCell } from './cells';
import { toTable } from './header';
import { issue } from './issues';
import type { ReadOptions, ReadResult, TableRow } from './table';

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
    if (Array.isArray(v.richText))
      return (v.richText as { text?: unknown }[]).map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellToString(v.result as Scalar, numFmt);
    if ('hyperlink' in v || 'text' in v) return cellToString(v.text as Scalar, numFmt);
    if (typeof v.error === 'string') return v.error;
  }
  return '';
}

/** The sheet to read: the one asked for (an error when missing), else a preferred one, else the first. */
function pickSheet(
  file: string,
  sheets: ExcelJS.Worksheet[],
  options: ReadOptions,
): { sheet: ExcelJS.Worksheet } | { error: ReadResult } {
  const byName = (name: string) => sheets.find((s) => s.name.trim().toLowerCase() === name.trim().toLowerCase());
  if (options.sheet !== undefined) {
    const sheet = byName(options.sheet);
    if (!sheet)
      return {
        error: {
          ok: false,
          error: issue(file, 'file.noSheet', { sheet: options.sheet, sheets: sheets.map((s) => s.name).join(', ') }),
        },
      };
    return { sheet };
  }
  return { sheet: (options.preferredSheets ?? []).map(byName).find((s) => s !== undefined) ?? sheets[0]! };
}

/** The sheet's rows as strings, with merged cells read as below. */
function sheetRecords(sheet: ExcelJS.Worksheet, merge: ExcelJS.ValueType): TableRow[] {
  const records: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    let own = false;
    const count = row.cellCount;
    for (let col = 1; col <= count; col++) {
      const cell = row.getCell(col);
      // A merged cell's value belongs to every row it spans: exceljs gives each covered cell the
      // first cell's value. A row with nothing but such values is a blank row under a merge.
      const master = cell.type === merge ? cell.master : cell;
      const text = normaliseCell(cellToString(master.value, master.numFmt));
      if (text !== '' && master === cell) own = true;
      cells.push(text);
    }
    records.push({ rowNumber, cells: own ? cells : cells.map(() => '') });
  });
  return records;
}

export async function readXlsxTable(file: string, content: Buffer, options: ReadOptions): Promise<ReadResult> {
  const { Workbook, ValueType } = await import('exceljs');
  const workbook = new Workbook();
  try {
    // exceljs declares its own `Buffer` type; a Node Buffer is what it reads.
    await workbook.xlsx.load(content as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (err) {
    return {
      ok: false,
      error: issue(file, 'file.unreadable', { reason: (err as Error).message.split('\n')[0] ?? 'xlsx' }),
    };
  }
  const sheets = workbook.worksheets;
  if (sheets.length === 0) return { ok: false, error: issue(file, 'file.empty') };
  const picked = pickSheet(file, sheets, options);
  if ('error' in picked) return picked.error;
  return toTable(file, 'xlsx', sheetRecords(picked.sheet, ValueType.Merge), [], picked.sheet.name, options.headerNames);
}

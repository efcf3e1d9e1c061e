/**
 * Spreadsheets for the registry and the plan: CSV as Swedish Excel reads it, and an XLSX sheet
 * with a bold, frozen, filtered header row and wrapped text. Every value is written as text, and
 * a value a spreadsheet would run as a formula is defused.
 *
 * exceljs (with its zip and XML libraries some 600 files and 6 MiB of heap) is loaded the first
 * time a sheet is written, not when the module is: a bot answering cards never writes one.
 */

/**
 * A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a leading tab or
 * carriage return) gets an apostrophe in front: user text never becomes a formula in Excel
 * (OWASP "CSV injection").
 */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: quote when the field holds the separator, a quote or a line break; double the quotes. */
export function csvField(value: string, separator = ';'): string {
  const v = guardFormula(value);
  return v.includes(separator) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** UTF-8 with BOM (Excel otherwise reads it as Windows-1252), `;` for Swedish Excel, CRLF. */
export function toCsv(rows: string[][], separator = ';'): Buffer {
  const body = rows.map((r) => r.map((c) => csvField(c, separator)).join(separator)).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]);
}

export interface SheetOptions {
  /** The sheet's name. */
  sheet: string;
  /** The width of column `i` (its header `header`), in characters. */
  width: (header: string, i: number) => number;
  title?: string;
  created?: Date;
}

/** An XLSX workbook with one sheet: bold, frozen header row, filter, wrapped text. */
export async function toSheet(rows: string[][], options: SheetOptions): Promise<Buffer> {
  const { Workbook } = await import('exceljs');
  const workbook = new Workbook();
  workbook.creator = 'Kraftsamla';
  if (options.created) {
    workbook.created = options.created;
    workbook.modified = options.created;
  }
  if (options.title) workbook.title = options.title;
  const sheet = workbook.addWorksheet(options.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  const [header = [], ...data] = rows;
  sheet.columns = header.map((h, i) => ({ header: h, key: `c${i}`, width: options.width(h, i) }));
  // Strings are written as strings: a value starting with `=` stays text in a workbook (no formula).
  for (const r of data) sheet.addRow(r);
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, header.length) } };
  sheet.eachRow((row, n) => {
    if (n > 1) row.alignment = { vertical: 'top', wrapText: true };
  });
  return Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

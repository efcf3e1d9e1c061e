/** Reading CSV and XLSX into rows of strings: the parts the importers stand on. */
import ExcelJS from 'exceljs';
import { formatIssue } from '../../../domain/plan/issues';
import { readTable } from '../../../domain/plan/tabular';

describe('readTable', () => {
  const csv = (s: string) => Buffer.from(s, 'utf8');

  it('numbers rows as Excel shows them: multi-line cells are one row, blank rows keep their number', async () => {
    const r = await readTable('plan.csv', csv('Team;Insats\r\nBostäder;"två\r\nrader"\r\n;\r\nTrygghet;Z\r\n'));
    if (!r.ok) throw new Error(formatIssue(r.error));
    expect(r.table.header).toEqual(['Team', 'Insats']);
    expect(r.table.headerRow).toBe(1);
    expect(r.table.rows).toEqual([
      { rowNumber: 2, cells: ['Bostäder', 'två\r\nrader'] },
      { rowNumber: 4, cells: ['Trygghet', 'Z'] },
    ]);
  });

  it('honours an Excel `sep=` line, pads short rows and warns about cells beyond the header', async () => {
    const r = await readTable('x.txt', csv('sep=,\nTeam,Insats,\nBostäder\nTrygghet,Y,extra\n'));
    if (!r.ok) throw new Error(formatIssue(r.error));
    expect(r.table.header).toEqual(['Team', 'Insats']);
    expect(r.table.rows.map((x) => x.cells)).toEqual([
      ['Bostäder', ''],
      ['Trygghet', 'Y'],
    ]);
    expect(r.table.warnings.map((w) => [w.code, w.row])).toEqual([['row.extraCells', 3]]);
  });

  it('normalises decomposed Swedish letters (files from a Mac) to NFC', async () => {
    const r = await readTable('x.csv', csv('Team\nBosta\u0308der\n'));
    if (!r.ok) throw new Error(formatIssue(r.error));
    expect(r.table.rows[0]!.cells[0]).toBe('Bostäder');
  });

  it('refuses file types it does not read, naming the extension', async () => {
    const r = await readTable('plan.xls', Buffer.from('x'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatIssue(r.error)).toBe('plan.xls: filtypen ".xls" stöds inte; spara som .xlsx eller .csv');
  });

  it('reports an empty file and a broken workbook', async () => {
    const empty = await readTable('tom.csv', csv('\r\n\r\n'));
    expect(!empty.ok && empty.error.code).toBe('file.empty');
    const broken = await readTable('trasig.xlsx', Buffer.from('not a zip'));
    expect(!broken.ok && broken.error.code).toBe('file.unreadable');
  });

  it('reads an XLSX sheet by preference and turns every kind of cell into text', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Instruktioner').addRow(['Fyll i bladet Handlingsplan']);
    const ws = wb.addWorksheet('Handlingsplan');
    ws.addRow([]);
    ws.addRow(['Team', 'Slutdatum', 'Framdrift', 'Insats', 'E-post', 'Summa', 'Andel']);
    ws.addRow([
      'Bostäder',
      new Date(Date.UTC(2026, 11, 31)),
      40,
      { richText: [{ text: 'Fler ' }, { text: 'bostäder', font: { bold: true } }] },
      { text: 'anna@harnosand.se', hyperlink: 'mailto:anna@harnosand.se' },
      { formula: 'C3*2', result: 80 },
      0.25,
    ]);
    ws.getCell('G3').numFmt = '0%';
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await readTable('plan.xlsx', buffer, { preferredSheets: ['Handlingsplan'] });
    if (!r.ok) throw new Error(formatIssue(r.error));
    expect(r.table.sheet).toBe('Handlingsplan');
    expect(r.table.headerRow).toBe(2);
    expect(r.table.rows).toEqual([
      { rowNumber: 3, cells: ['Bostäder', '2026-12-31', '40', 'Fler bostäder', 'anna@harnosand.se', '80', '25%'] },
    ]);

    const first = await readTable('plan.xlsx', buffer);
    if (!first.ok) throw new Error(formatIssue(first.error));
    expect(first.table.sheet).toBe('Instruktioner');
    const missing = await readTable('plan.xlsx', buffer, { sheet: 'Blad9' });
    expect(!missing.ok && formatIssue(missing.error)).toBe(
      'plan.xlsx: bladet "Blad9" finns inte (blad: Instruktioner, Handlingsplan)',
    );
  });
});

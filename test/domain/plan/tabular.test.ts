/** Reading CSV and XLSX into rows of strings: the parts the importers stand on. */
import ExcelJS from 'exceljs';
import {
  cellToString,
  cleanText,
  decodeText,
  detectDelimiter,
  formatIssue,
  issue,
  mapHeader,
  parseCsv,
  parseNumber,
  readTable,
  type Table,
} from '../../../domain/plan/tabular';

describe('parseCsv (RFC 4180)', () => {
  it('handles quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF', () => {
    const text = 'a;b;c\r\n"x;1";"he said ""hej""";"line1\r\nline2"\r\n;;\r\n';
    expect(parseCsv(text, ';')).toEqual([
      ['a', 'b', 'c'],
      ['x;1', 'he said "hej"', 'line1\r\nline2'],
      ['', '', ''],
    ]);
  });

  it('accepts LF and lone CR line ends and a last line without line break', () => {
    expect(parseCsv('a,b\nc,d\re,f', ',')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ]);
  });

  it('keeps a quote inside an unquoted field and an empty quoted field', () => {
    expect(parseCsv('5" skruv,""\n', ',')).toEqual([['5" skruv', '']]);
  });

  it('detects the delimiter from the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('Id;Team;Insats')).toBe(';');
    expect(detectDelimiter('Id,Team,Action')).toBe(',');
    expect(detectDelimiter('"Team, namn";Insats;Status')).toBe(';');
    expect(detectDelimiter('Id\tTeam\tInsats')).toBe('\t');
    expect(detectDelimiter('Team')).toBe(',');
  });
});

describe('decodeText', () => {
  it('strips a UTF-8 BOM and keeps å ä ö', () => {
    const r = decodeText(Buffer.from('\uFEFFÅsa;Ö', 'utf8'));
    expect(r).toEqual({ text: 'Åsa;Ö', encoding: 'utf-8' });
  });

  it('falls back to Windows-1252 for bytes that are not UTF-8 (older Excel "CSV")', () => {
    const r = decodeText(Buffer.from([0x42, 0x6f, 0x73, 0x74, 0xe4, 0x64, 0x65, 0x72])); // "Bostäder" in 1252
    expect(r).toEqual({ text: 'Bostäder', encoding: 'windows-1252' });
  });

  it('decodes the bytes where Windows-1252 differs from Latin-1 (en dash, euro, curly quotes)', () => {
    // "2026–2027 ”Kajen” 5 €" as Swedish Excel saves it: 0x96 en dash, 0x94 quote, 0x80 euro.
    const r = decodeText(Buffer.from([0x32, 0x30, 0x32, 0x36, 0x96, 0x32, 0x30, 0x32, 0x37, 0x20, 0x94, 0x4b, 0x61, 0x6a, 0x65, 0x6e, 0x94, 0x20, 0x35, 0x20, 0x80]));
    expect(r).toEqual({ text: '2026–2027 ”Kajen” 5 €', encoding: 'windows-1252' });
  });

  it('reads UTF-16LE with BOM (Excel "Unicode text")', () => {
    const body = Buffer.from('Team\tInsats\r\nBostäder\tX\r\n', 'utf16le');
    const r = decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), body]));
    expect(r.encoding).toBe('utf-16le');
    expect(r.text).toBe('Team\tInsats\r\nBostäder\tX\r\n');
  });
});

describe('readTable', () => {
  const csv = (s: string) => Buffer.from(s, 'utf8');

  it('numbers rows as Excel shows them: multi-line cells are one row, blank rows keep their number', async () => {
    const r = await readTable('plan.csv', csv('Team;Insats\r\nBostäder;"två\r\nrader"\r\n;\r\nTrygghet;Z\r\n'));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.table.header).toEqual(['Team', 'Insats']);
    expect(r.table.headerRow).toBe(1);
    expect(r.table.rows).toEqual([
      { rowNumber: 2, cells: ['Bostäder', 'två\r\nrader'] },
      { rowNumber: 4, cells: ['Trygghet', 'Z'] },
    ]);
  });

  it('honours an Excel `sep=` line, pads short rows and warns about cells beyond the header', async () => {
    const r = await readTable('x.txt', csv('sep=,\nTeam,Insats,\nBostäder\nTrygghet,Y,extra\n'));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.table.header).toEqual(['Team', 'Insats']);
    expect(r.table.rows.map((x) => x.cells)).toEqual([
      ['Bostäder', ''],
      ['Trygghet', 'Y'],
    ]);
    expect(r.table.warnings.map((w) => [w.code, w.row])).toEqual([['row.extraCells', 3]]);
  });

  it('normalises decomposed Swedish letters (files from a Mac) to NFC', async () => {
    const r = await readTable('x.csv', csv('Team\nBosta\u0308der\n'));
    if (!r.ok) throw new Error(r.error.message);
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
    if (!r.ok) throw new Error(r.error.message);
    expect(r.table.sheet).toBe('Handlingsplan');
    expect(r.table.headerRow).toBe(2);
    expect(r.table.rows).toEqual([{ rowNumber: 3, cells: ['Bostäder', '2026-12-31', '40', 'Fler bostäder', 'anna@harnosand.se', '80', '25%'] }]);

    const first = await readTable('plan.xlsx', buffer);
    if (!first.ok) throw new Error(first.error.message);
    expect(first.table.sheet).toBe('Instruktioner');
    const missing = await readTable('plan.xlsx', buffer, { sheet: 'Blad9' });
    expect(!missing.ok && formatIssue(missing.error)).toBe('plan.xlsx: bladet "Blad9" finns inte (blad: Instruktioner, Handlingsplan)');
  });
});

describe('cell values', () => {
  it('converts exceljs values to what the cell shows', () => {
    expect(cellToString(new Date(Date.UTC(2026, 1, 3)))).toBe('2026-02-03');
    expect(cellToString(new Date(Date.UTC(2026, 1, 3, 14, 30)))).toBe('2026-02-03T14:30:00');
    expect(cellToString(0.1 + 0.2)).toBe('0.3');
    expect(cellToString({ formula: 'A1', result: new Date(Date.UTC(2026, 0, 1)) })).toBe('2026-01-01');
    expect(cellToString({ sharedFormula: 'A1', result: 'x' })).toBe('x');
    expect(cellToString({ error: '#N/A' })).toBe('#N/A');
    expect(cellToString(true)).toBe('TRUE');
    expect(cellToString(null)).toBe('');
  });

  it('parses numbers the Swedish way and the English way', () => {
    expect(parseNumber('12,5')).toBe(12.5);
    expect(parseNumber('30 000')).toBe(30000);
    expect(parseNumber('30\u00a0000')).toBe(30000);
    expect(parseNumber('1 234,5')).toBe(1234.5);
    expect(parseNumber('\u22123,2')).toBe(-3.2);
    expect(parseNumber('12.5')).toBe(12.5);
    expect(parseNumber('1,234.5')).toBe(1234.5);
    expect(parseNumber('1.234,5')).toBe(1234.5);
    expect(parseNumber('40 %')).toBe(40);
    expect(parseNumber('12,5,3')).toBeUndefined();
    expect(parseNumber('tolv')).toBeUndefined();
    expect(parseNumber('')).toBeUndefined();
  });

  it('strips control characters; single-line text loses line breaks, multi-line keeps them', () => {
    expect(cleanText('Tit\u0007el\u0000 ')).toBe('Titel');
    expect(cleanText('rad 1\r\nrad 2')).toBe('rad 1 rad 2');
    expect(cleanText('rad 1\r\nrad 2\u0001', true)).toBe('rad 1\nrad 2');
  });
});

describe('mapHeader', () => {
  const table = (header: string[]): Table => ({ file: 'f.csv', format: 'csv', headerRow: 1, header, rows: [], warnings: [] });
  const specs = [
    { key: 'team', names: ['Team'], required: true },
    { key: 'title', names: ['Insats', 'Åtgärd', 'Action'], required: true },
    { key: 'email', names: ['E-post', 'Email'] },
  ] as const;

  it('matches case-, accent- and punctuation-insensitively and warns about unknown columns', () => {
    const m = mapHeader(table([' TEAM ', 'åtgärd', 'epost', 'Kommentar']), specs);
    expect(m.columns).toEqual({ team: { index: 0, label: ' TEAM ' }, title: { index: 1, label: 'åtgärd' }, email: { index: 2, label: 'epost' } });
    expect(m.errors).toEqual([]);
    expect(m.warnings.map((w) => formatIssue(w))).toEqual(['f.csv, rad 1, kolumn "Kommentar": okänd kolumn, hoppas över']);
  });

  it('names a missing required column and a duplicate one', () => {
    const m = mapHeader(table(['Team', 'E-post', 'Email']), specs);
    expect(m.errors.map((e) => formatIssue(e))).toEqual([
      'f.csv, rad 1, kolumn "Email": kolumnen finns två gånger (även kolumn "E-post")',
      'f.csv, rad 1, kolumn "Insats": kolumnen "Insats" saknas (även: Åtgärd, Action)',
    ]);
    expect(formatIssue(m.errors[1]!, 'en-US')).toBe('f.csv, row 1, column "Insats": the column "Insats" is missing (also: Åtgärd, Action)');
  });

  it('formats issues without row or column', () => {
    expect(formatIssue(issue('a.csv', 'file.noRows'), 'en-US')).toBe('a.csv: the file has no rows below the header');
  });
});

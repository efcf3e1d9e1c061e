/** CSV as Excel writes it: RFC 4180 with Excel's leniency, the delimiter, and the encoding. */
import { decodeText, detectDelimiter, parseCsv } from '../../../domain/plan/csv';

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
    const r = decodeText(
      Buffer.from([
        0x32, 0x30, 0x32, 0x36, 0x96, 0x32, 0x30, 0x32, 0x37, 0x20, 0x94, 0x4b, 0x61, 0x6a, 0x65, 0x6e, 0x94, 0x20,
        0x35, 0x20, 0x80,
      ]),
    );
    expect(r).toEqual({ text: '2026–2027 ”Kajen” 5 €', encoding: 'windows-1252' });
  });

  it('reads UTF-16LE with BOM (Excel "Unicode text")', () => {
    const body = Buffer.from('Team\tInsats\r\nBostäder\tX\r\n', 'utf16le');
    const r = decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), body]));
    expect(r.encoding).toBe('utf-16le');
    expect(r.text).toBe('Team\tInsats\r\nBostäder\tX\r\n');
  });
});

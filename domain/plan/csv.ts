/**
 * CSV as Swedish Excel writes it (semicolons, BOM or Windows-1252, a `sep=;` hint line), comma
 * CSV, and tab-separated UTF-16 "Unicode text", parsed per RFC 4180 with Excel's leniency.
 */
import { normaliseCell } from './cells';
import { toTable } from './header';
import { type ImportIssue, issue } from './issues';
import type { ReadOptions, ReadResult } from './table';

/** Decodes bytes: UTF-8 (BOM optional), UTF-16 with BOM, otherwise Windows-1252 (older Excel). */
export function decodeText(content: Buffer): {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
} {
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
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Decodes Windows-1252 by hand: Node's `TextDecoder('windows-1252')` decodes it as Latin-1, so the
 * en dash of "2026–2027", the euro sign and Excel's curly quotes came out as control characters.
 */
export function decodeWindows1252(content: Uint8Array): string {
  let out = '';
  for (const byte of content)
    out += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : String.fromCharCode(byte);
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

export function readCsvTable(file: string, content: Buffer, options: ReadOptions = {}): ReadResult {
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
  const records = parseCsv(text, delimiter).map((cells, index) => ({
    rowNumber: index + 1,
    cells: cells.map(normaliseCell),
  }));
  return toTable(file, 'csv', records, warnings, undefined, options.headerNames);
}

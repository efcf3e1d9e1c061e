/**
 * Cell values as the importers read them: trimmed and NFC-normalised, control characters out,
 * numbers as Swedes and Excel write them, lengths as a person counts them.
 */
import { stripInvisible } from '../text';

/** An action or indicator id: a letter or digit, then letters, digits, `.`, `_`, `-`; at most 40. */
export const ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$/u;

/** NFC (files from a Mac may hold decomposed å ä ö), no stray BOM, trimmed. */
export function normaliseCell(s: string): string {
  return s
    .normalize('NFC')
    .replace(/\uFEFF/g, '')
    .trim();
}

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
  return s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROL, '')
    .replace(/ {2,}/g, ' ')
    .trim();
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
  let s = text
    .trim()
    .replace(/[\s\u00A0\u202F\u2009']/g, '')
    .replace(/^[\u2212\u2013]/, '-')
    .replace(/%$/, '');
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

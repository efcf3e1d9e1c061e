/**
 * Escaping plain text for the digest's text formats: Markdown (newsletter) and HTML (intranet).
 */
import { stripControl } from '../text';

/** One line of plain text: control characters removed, line breaks as spaces. */
function oneLine(value: string): string {
  return stripControl(value).replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * Plain text for Markdown: the characters that open inline Markdown (emphasis, code, links,
 * strikethrough, tables) backslash-escaped (CommonMark lets any ASCII punctuation be escaped),
 * `<`, `>` and `&` as entities so no HTML tag or entity survives, and a line start that would open
 * a heading, quote, list, setext underline or code block neutralised. `$`, `{` and `}` are escaped
 * too, so template engines downstream see no `${...}` or `{{...}}`.
 */
export function escapeMarkdown(value: string): string {
  return escapeMarkdownInline(value)
    .replace(/^\s+/, '')
    .replace(/^([#+=-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** `escapeMarkdown` for text that does not start a line (its leading characters are inert). */
export function escapeMarkdownInline(value: string): string {
  return oneLine(value).replace(/[\\`*_{}[\]|~$<>&]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
  );
}

/** Text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return stripControl(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

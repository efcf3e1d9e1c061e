/**
 * Plain text made safe for the text formats the digest and the protocol are written in: Markdown
 * (newsletter, registry) and HTML (intranet), and the HTML page around them.
 */
import { stripControl } from './text';

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

/**
 * A whole HTML page around a rendered body: the language, UTF-8, and a Content-Security-Policy
 * that lets nothing but the inline style load or run, whatever ends up in the text.
 */
export function htmlPage(o: { lang: 'sv' | 'en'; title: string; css: string; body: readonly string[] }): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${o.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(o.title)}</title>`,
    `<style>${o.css}</style>`,
    '</head>',
    '<body>',
    ...o.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The digest document as Markdown (newsletter): every span escaped, emphasis kept. */
import type { Locale } from '../types';
import { digestDocument, type Span } from './document';
import { escapeMarkdown, escapeMarkdownInline } from '../markup';
import type { Digest } from './model';

function mdSpans(spans: Span[]): string {
  return spans
    .filter((s) => s.text !== '')
    .map((s, i) => {
      // Only the first span starts the line; its start is neutralised (and its indent dropped).
      const text = i === 0 ? escapeMarkdown(s.text) : escapeMarkdownInline(s.text);
      if (!text.trim() || (!s.strong && !s.subtle)) return text;
      // Emphasis markers must touch the text: keep surrounding spaces outside them.
      const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
      return s.strong ? `${lead}**${core}**${trail}` : `${lead}*${core}*${trail}`;
    })
    .join('');
}

export function renderMarkdown(digest: Digest, locale: Locale): string {
  const out: string[] = [];
  for (const b of digestDocument(digest, locale)) {
    switch (b.kind) {
      case 'title':
        out.push(`# ${escapeMarkdown(b.text)}`, '');
        break;
      case 'heading':
        out.push(`${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`, '');
        break;
      case 'paragraph':
        out.push(b.subtle ? `*${mdSpans(b.spans)}*` : mdSpans(b.spans), '');
        break;
      case 'label':
        out.push(`**${escapeMarkdown(b.text)}**`, '');
        break;
      case 'facts':
        out.push(
          '| | |',
          '|---|---|',
          ...b.rows.map((r) => `| ${escapeMarkdown(r.label)} | ${mdSpans(r.value)} |`),
          '',
        );
        break;
      case 'list':
        for (const item of b.items) {
          out.push(`- ${mdSpans(item.line)}`);
          for (const sub of item.sub ?? []) out.push(`  - ${mdSpans(sub)}`);
        }
        out.push('');
        break;
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

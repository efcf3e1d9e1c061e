/**
 * The protocol as a document: a list of blocks in words, in one language. The card, Markdown,
 * HTML and PDF all render these blocks, so each format says the same thing.
 */
import { escapeHtml, escapeMarkdown, escapeMarkdownInline, htmlPage } from '../markup';
import { formatDate, t } from '../i18n';
import type { Locale } from '../types';
import type { Protocol, ProtocolParagraph } from './protocol';

export type ProtocolBlock =
  /** The document's title. */
  | { kind: 'title'; text: string }
  /** A labelled line about the meeting or a decision: `Datum: 10 mars 2026`. */
  | { kind: 'field'; label: string; value: string }
  /** A decision's heading: `§ 1 · D-2026-001 · Rubrik`. */
  | { kind: 'paragraph'; text: string; number: string }
  /** Running text (a decision's text). */
  | { kind: 'text'; text: string }
  /** What happened to a decision since (amended, revoked, superseded). */
  | { kind: 'note'; text: string }
  /** A line of its own (no decisions, no participant list). */
  | { kind: 'remark'; text: string };

function followUpText(p: ProtocolParagraph, locale: Locale): string | undefined {
  if (!p.followUp) return undefined;
  const base = p.followUp.due
    ? t(locale, 'protocol.followUp.due', { owner: p.followUp.owner || '–', due: p.followUp.due })
    : p.followUp.owner;
  return p.followUp.done ? t(locale, 'protocol.followUp.done', { text: base }) : base;
}

function paragraphBlocks(p: ProtocolParagraph, locale: Locale): ProtocolBlock[] {
  const out: ProtocolBlock[] = [
    {
      kind: 'paragraph',
      text: t(locale, 'protocol.paragraph', { n: p.paragraph, number: p.number, title: p.title }),
      number: p.number,
    },
    { kind: 'text', text: p.text },
  ];
  if (p.rationale) out.push({ kind: 'field', label: t(locale, 'protocol.field.rationale'), value: p.rationale });
  out.push({
    kind: 'field',
    label: t(locale, 'protocol.field.teams'),
    value: p.teams.length ? p.teams.join(', ') : t(locale, 'protocol.none'),
  });
  if (p.actions.length)
    out.push({ kind: 'field', label: t(locale, 'protocol.field.actions'), value: p.actions.join(', ') });
  const followUp = followUpText(p, locale);
  if (followUp) out.push({ kind: 'field', label: t(locale, 'protocol.field.followUp'), value: followUp });
  out.push({ kind: 'field', label: t(locale, 'protocol.field.state'), value: t(locale, `protocol.state.${p.state}`) });
  for (const n of p.notes) out.push({ kind: 'note', text: t(locale, n.key, n.params) });
  return out;
}

export function protocolDocument(p: Protocol, locale: Locale): ProtocolBlock[] {
  const time = p.startTime ? (p.endTime ? `${p.startTime}–${p.endTime}` : p.startTime) : undefined;
  const blocks: ProtocolBlock[] = [
    { kind: 'title', text: t(locale, 'protocol.title', { meeting: p.title }) },
    { kind: 'field', label: t(locale, 'protocol.field.date'), value: `${formatDate(locale, p.date)} (${p.date})` },
  ];
  if (time) blocks.push({ kind: 'field', label: t(locale, 'protocol.field.time'), value: time });
  blocks.push(
    p.participants && p.participants.length > 0
      ? { kind: 'field', label: t(locale, 'protocol.field.participants'), value: p.participants.join(', ') }
      : {
          kind: 'field',
          label: t(locale, 'protocol.field.participants'),
          value: t(locale, 'protocol.participants.unknown'),
        },
  );
  blocks.push({ kind: 'field', label: t(locale, 'protocol.field.count'), value: String(p.paragraphs.length) });
  if (p.paragraphs.length === 0)
    blocks.push({ kind: 'remark', text: t(locale, 'protocol.empty', { date: formatDate(locale, p.date) }) });
  for (const para of p.paragraphs) blocks.push(...paragraphBlocks(para, locale));
  return blocks;
}

/** Markdown for the registry or an e-mail: every piece of user text escaped, so none of it is markup. */
export function protocolMarkdown(blocks: readonly ProtocolBlock[]): string {
  const lines = blocks.map((b) => {
    switch (b.kind) {
      case 'title':
        return `# ${escapeMarkdownInline(b.text)}`;
      case 'paragraph':
        return `## ${escapeMarkdownInline(b.text)}`;
      case 'field':
        return `**${escapeMarkdownInline(b.label)}:** ${escapeMarkdownInline(b.value)}`;
      case 'note':
        return `_${escapeMarkdownInline(b.text)}_`;
      case 'text':
      case 'remark':
        return b.text
          .split(/\r?\n/)
          .map((line) => escapeMarkdown(line))
          .join('  \n');
    }
  });
  return `${lines.join('\n\n')}\n`;
}

/**
 * The blocks as inert HTML (no scripts, no links, every text escaped); `headingLevel` is the
 * title's heading level (1 on a page of its own, deeper inside another page).
 */
export function protocolHtmlBody(blocks: readonly ProtocolBlock[], headingLevel = 1): string[] {
  const h1 = `h${headingLevel}`;
  const h2 = `h${headingLevel + 1}`;
  return blocks.map((b) => {
    switch (b.kind) {
      case 'title':
        return `<${h1}>${escapeHtml(b.text)}</${h1}>`;
      case 'paragraph':
        return `<${h2} id="${escapeHtml(b.number)}">${escapeHtml(b.text)}</${h2}>`;
      case 'field':
        return `<p class="field"><strong>${escapeHtml(b.label)}:</strong> ${escapeHtml(b.value)}</p>`;
      case 'note':
        return `<p class="note"><em>${escapeHtml(b.text)}</em></p>`;
      case 'text':
      case 'remark':
        return `<p>${b.text.split(/\r?\n/).map(escapeHtml).join('<br>')}</p>`;
    }
  });
}

/** A complete, inert HTML page (no scripts, no links, every text escaped). */
export function protocolHtml(blocks: readonly ProtocolBlock[], locale: Locale): string {
  const title = blocks.find((b) => b.kind === 'title')?.text ?? '';
  return htmlPage({
    lang: locale === 'en-US' ? 'en' : 'sv',
    title: title,
    css: 'body{font-family:Segoe UI,Helvetica,Arial,sans-serif;max-width:48rem;margin:2rem auto;line-height:1.45}h2{margin-top:1.6rem;border-top:1px solid #ccc;padding-top:.8rem}.note{color:#555}',
    body: protocolHtmlBody(blocks),
  });
}

/** The document's words, block by block, as a reader sees them (for comparing formats). */
export function protocolText(blocks: readonly ProtocolBlock[]): string[] {
  return blocks.map((b) => (b.kind === 'field' ? `${b.label}: ${b.value}` : b.text));
}

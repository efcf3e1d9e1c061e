/**
 * A Teams message as the start of a decision: "Logga som beslut" on a message opens the decision
 * form with the message's text (its HTML taken out, so nothing of it is rendered or run), who
 * wrote it, and, in a meeting's chat, the meeting. People check and complete the form; it is
 * validated as any other (`validateDraft`).
 */
import { formatDate, t } from '../i18n';
import { cleanText } from '../text';
import { localDate } from '../time';
import type { Program } from '../types';
import {
  DECISION_LIMITS,
  DEFAULT_MEETING_NAME,
  emptyFormValues,
  type DecisionFormValues,
  prefillFromText,
} from './form';

/** What the form needs of the message (Teams' `messagePayload`, read by the bot). */
export interface SourceMessage {
  /** The body as Teams sends it: `html` (the usual) or `text`. */
  body?: { contentType?: string; content?: string };
  /** Display name of who wrote it. */
  author?: string;
  /** When it was written (ISO). */
  createdAt?: string;
}

/** The meeting the message belongs to, when it was written in a meeting's chat. */
export interface SourceMeeting {
  /** The meeting's title, when Teams gives it. */
  name?: string;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
};

function decodeEntity(whole: string, name: string): string {
  if (name.startsWith('#')) {
    const code =
      name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  }
  return ENTITIES[name.toLowerCase()] ?? whole;
}

/**
 * The text of a Teams message's HTML: block ends and `<br>` become line breaks, list items get a
 * bullet, every tag goes (scripts and styles with their content), and entities are decoded in one
 * pass (so `&amp;lt;` stays `&lt;` as written). What comes out is plain text; cards show it as
 * such.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n• ')
    .replace(/<\/(p|div|h[1-6]|blockquote|pre|tr|ul|ol)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, decodeEntity);
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The message's body as plain text, whichever form Teams sent it in. */
export function messageText(message: SourceMessage): string {
  const content = message.body?.content ?? '';
  return cleanText(message.body?.contentType === 'text' ? content : htmlToText(content));
}

/**
 * The form's values for a message: the title from its first sentence and its text as the
 * decision, "from a message by …" as the rationale (in the program's language, as the log is the
 * program's record), and, in a meeting, the meeting's name and the day the message was written.
 */
export function formValuesFromMessage(
  message: SourceMessage,
  program: Program,
  today: string,
  meeting?: SourceMeeting,
): DecisionFormValues {
  const values = emptyFormValues(today, program);
  const text = messageText(message);
  if (text) Object.assign(values, prefillFromText(text));
  const written =
    message.createdAt && !Number.isNaN(Date.parse(message.createdAt))
      ? localDate(new Date(message.createdAt), program.timezone)
      : undefined;
  const author = cleanText(message.author ?? '')
    .replace(/\s+/g, ' ')
    .slice(0, 120);
  if (author) {
    const params = { author, date: formatDate(program.locale, written ?? today) };
    values.rationale = t(program.locale, 'decision.message.source', params).slice(0, DECISION_LIMITS.rationale);
  }
  if (meeting) {
    values.meetingName = (
      cleanText(meeting.name ?? '').replace(/\s+/g, ' ') || DEFAULT_MEETING_NAME[program.locale]
    ).slice(0, DECISION_LIMITS.meetingName);
    if (written) values.meetingDate = written;
  }
  return values;
}

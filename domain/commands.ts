import { stripControl } from './text';

/**
 * What people type to the bot, in Swedish or English, after the @mention is stripped. Pure
 * parsing; the flows decide what each command does.
 */
export type CommandName =
  | 'help'
  | 'link'
  | 'actions'
  | 'checkin'
  | 'decision'
  | 'decisions'
  | 'digest'
  | 'protocol'
  | 'admin';

const SYNONYMS: Record<CommandName, string[]> = {
  help: ['hjälp', 'hjalp', 'help', '?', 'hej', 'hello', 'hi'],
  link: ['koppla', 'link', 'bind'],
  actions: ['åtgärder', 'atgarder', 'åtgärd', 'actions', 'action', 'insatser'],
  checkin: ['incheckning', 'checkin', 'check-in', 'avstämning'],
  decision: ['beslut', 'decision'],
  decisions: ['beslutslogg', 'decisions', 'decision-log', 'decisionlog'],
  digest: ['sammanfattning', 'digest', 'veckobrev'],
  protocol: ['protokoll', 'protocol', 'minutes'],
  admin: ['admin', 'admins', 'administratör', 'administratörer', 'administrator', 'administrators'],
};

export interface ParsedCommand {
  name: CommandName;
  /** The rest of the text after the command word (and an optional colon), trimmed. */
  args: string;
}

/** Normalises what Teams delivers: HTML entities, non-breaking spaces, stray mention tags. */
export function cleanMessageText(raw: string): string {
  return stripControl(raw)
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'")
    .replace(/[\u00a0\u200b]/g, ' ')
    .trim();
}

export function parseCommand(raw: string): ParsedCommand | undefined {
  const text = cleanMessageText(raw);
  const m = /^([^\s:]+)\s*:?\s*([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  const word = (m[1] ?? '').toLowerCase();
  for (const [name, words] of Object.entries(SYNONYMS) as [CommandName, string[]][]) {
    if (words.includes(word)) return { name, args: (m[2] ?? '').trim() };
  }
  return undefined;
}

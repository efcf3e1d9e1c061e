import { stripControl } from './text';

/**
 * What people type to the bot, in Swedish or English, after the @mention is stripped. Pure
 * parsing; the flows decide what each command does.
 */
export type CommandName =
  'help' | 'link' | 'actions' | 'checkin' | 'decision' | 'decisions' | 'digest' | 'protocol' | 'brief' | 'admin';

const SYNONYMS: Record<CommandName, string[]> = {
  help: ['hjälp', 'hjalp', 'help', '?', 'hej', 'hello', 'hi'],
  link: ['koppla', 'link', 'bind'],
  actions: ['åtgärder', 'atgarder', 'åtgärd', 'actions', 'action', 'insatser'],
  checkin: ['incheckning', 'checkin', 'check-in', 'avstämning'],
  decision: ['beslut', 'decision'],
  decisions: ['beslutslogg', 'decisions', 'decision-log', 'decisionlog'],
  digest: ['sammanfattning', 'digest', 'veckobrev'],
  protocol: ['protokoll', 'protocol', 'minutes'],
  // Two words: `inför mötet` is read as a whole, before any one-word command.
  brief: ['inför mötet', 'infor motet', 'inför motet', 'infor mötet', 'brief'],
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

/** The commands of more than one word (`inför mötet`), longest first, any spacing and case. */
const PHRASES = (Object.entries(SYNONYMS) as [CommandName, string[]][])
  .flatMap(([name, words]) => words.filter((w) => w.includes(' ')).map((phrase) => ({ name, phrase })))
  .sort((a, b) => b.phrase.length - a.phrase.length)
  .map(({ name, phrase }) => ({
    name,
    pattern: new RegExp(`^${phrase.split(' ').join('\\s+')}(?=$|[\\s:])\\s*:?\\s*`, 'iu'),
  }));

function parsePhrase(text: string): ParsedCommand | undefined {
  for (const { name, pattern } of PHRASES) {
    const m = pattern.exec(text);
    if (m) return { name, args: text.slice(m[0].length).trim() };
  }
  return undefined;
}

export function parseCommand(raw: string): ParsedCommand | undefined {
  const text = cleanMessageText(raw);
  const phrase = parsePhrase(text);
  if (phrase) return phrase;
  const m = /^([^\s:]+)\s*:?\s*([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  const word = (m[1] ?? '').toLowerCase();
  for (const [name, words] of Object.entries(SYNONYMS) as [CommandName, string[]][]) {
    if (words.includes(word)) return { name, args: (m[2] ?? '').trim() };
  }
  return undefined;
}

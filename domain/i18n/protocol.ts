/** Texts of the meeting protocol and the steering meeting chat: Swedish first, English typed by it (see core.ts). */
export const sv = {
  'protocol.title': 'Protokoll – {meeting}',
  'protocol.field.date': 'Datum',
  'protocol.field.time': 'Tid',
  'protocol.field.participants': 'Närvarande',
  'protocol.field.count': 'Antal beslut',
  'protocol.field.rationale': 'Motivering',
  'protocol.field.teams': 'Berörda team',
  'protocol.field.actions': 'Berörda åtgärder',
  'protocol.field.followUp': 'Uppföljning',
  'protocol.field.state': 'Status',
  'protocol.state.active': 'Gällande',
  'protocol.state.amended': 'Ändrat',
  'protocol.state.revoked': 'Upphävt',
  'protocol.state.superseded': 'Ersatt',
  'protocol.participants.unknown': 'Teams har inte lämnat någon deltagarlista.',
  'protocol.paragraph': '§ {n} · {number} · {title}',
  'protocol.none': 'inga',
  'protocol.followUp.due': '{owner}, senast {due}',
  'protocol.followUp.done': '{text} (klar)',
  'protocol.note.amended': 'Ändrat {date}: {reason}',
  'protocol.note.revoked': 'Upphävt {date}: {reason}',
  'protocol.note.supersedes': 'Ersätter {number}.',
  'protocol.note.supersededBy': 'Ersatt av {number}.',
  'protocol.empty': 'Inga beslut loggades vid mötet {date}.',
  'protocol.noDecisions': 'Inga beslut är loggade för {date}. Protokollet blir tomt: logga besluten med beslut.',
  'protocol.invalidDate':
    '"{value}" är inget datum som finns. Skriv till exempel protokoll 2026-03-10 eller protokoll idag.',
  'protocol.today': 'idag',
  'protocol.shortened':
    'Protokollet är för långt för ett kort och visas förkortat här. Hela protokollet finns i exporten för diariet (html, md eller pdf).',

  'meetings.link.onlySteering':
    'I en chatt kopplar jag bara styrgruppen: skriv koppla styrgrupp. Team och kommunikation kopplas i sina kanaler.',
  'meetings.link.done':
    'Klart! Den här chatten är nu styrgruppens. Här loggas besluten (skriv beslut), och när mötet slutar lägger jag ut protokollet.',
  'meetings.chatName': 'styrgruppens chatt',

  // npm run export -- protocol
  'cli.protocol.usage': [
    'Användning: npm run export -- protocol --meeting 2026-03-10 --format html|md|pdf [--out fil] [--lang sv|en]',
    '',
    '  Skriver ett styrgruppsmötes protokoll för diariet: mötet, datum, närvarande och varje beslut med mötesdatumet som § 1, § 2 …',
    '  --meeting  mötets datum (2026-03-10, eller idag)',
    '  --format   html, md (Markdown) eller pdf',
    '  --out      filnamn (standard: exports/protokoll-<datum>.<format>); - skriver till standard ut',
    '  --lang     protokollets och utskrifternas språk (sv eller en; standard: programmets)',
  ].join('\n'),
  'cli.protocol.formatInvalid': '--format tar html, md eller pdf',
  'cli.protocol.meetingMissing': 'Ange mötets datum med --meeting, till exempel --meeting 2026-03-10.',
  'cli.protocol.dateInvalid': '--meeting: "{value}" är inget datum som finns. Skriv till exempel 2026-03-10.',
  'cli.protocol.written': 'Protokollet för {date} med {count} beslut är skrivet till {file}.',
  'cli.protocol.empty': 'Inga beslut är loggade för {date}: protokollet i {file} är tomt.',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'protocol.title': 'Minutes – {meeting}',
  'protocol.field.date': 'Date',
  'protocol.field.time': 'Time',
  'protocol.field.participants': 'Present',
  'protocol.field.count': 'Decisions',
  'protocol.field.rationale': 'Rationale',
  'protocol.field.teams': 'Affected teams',
  'protocol.field.actions': 'Affected actions',
  'protocol.field.followUp': 'Follow-up',
  'protocol.field.state': 'Status',
  'protocol.state.active': 'In force',
  'protocol.state.amended': 'Amended',
  'protocol.state.revoked': 'Revoked',
  'protocol.state.superseded': 'Superseded',
  'protocol.participants.unknown': 'Teams gave no list of participants.',
  'protocol.paragraph': '§ {n} · {number} · {title}',
  'protocol.none': 'none',
  'protocol.followUp.due': '{owner}, by {due}',
  'protocol.followUp.done': '{text} (done)',
  'protocol.note.amended': 'Amended {date}: {reason}',
  'protocol.note.revoked': 'Revoked {date}: {reason}',
  'protocol.note.supersedes': 'Supersedes {number}.',
  'protocol.note.supersededBy': 'Superseded by {number}.',
  'protocol.empty': 'No decisions were logged at the meeting on {date}.',
  'protocol.noDecisions': 'No decisions are logged for {date}. The minutes are empty: log decisions with decision.',
  'protocol.invalidDate':
    '"{value}" is not a date that exists. Type for example protocol 2026-03-10 or protocol today.',
  'protocol.today': 'today',
  'protocol.shortened':
    'The minutes are too long for one card and are shortened here. The full minutes are in the export for the registry (html, md or pdf).',

  'meetings.link.onlySteering':
    'In a chat I link only the steering group: type link steering. Teams and comms are linked in their channels.',
  'meetings.link.done':
    "Done! This chat is now the steering group's. Decisions are logged here (type decision), and when the meeting ends I post the minutes.",
  'meetings.chatName': "the steering group's chat",

  'cli.protocol.usage': [
    'Usage: npm run export -- protocol --meeting 2026-03-10 --format html|md|pdf [--out file] [--lang sv|en]',
    '',
    "  Writes a steering meeting's minutes for the registry: the meeting, date, who was present and each decision of that meeting date as § 1, § 2 …",
    "  --meeting  the meeting's date (2026-03-10, or today)",
    '  --format   html, md (Markdown) or pdf',
    '  --out      file name (default: exports/protokoll-<date>.<format>); - writes to standard output',
    "  --lang     language of the minutes and the messages (sv or en; default: the program's)",
  ].join('\n'),
  'cli.protocol.formatInvalid': '--format takes html, md or pdf',
  'cli.protocol.meetingMissing': "Give the meeting's date with --meeting, for example --meeting 2026-03-10.",
  'cli.protocol.dateInvalid': '--meeting: "{value}" is not a date that exists. Type for example 2026-03-10.',
  'cli.protocol.written': 'The minutes of {date} with {count} decisions were written to {file}.',
  'cli.protocol.empty': 'No decisions are logged for {date}: the minutes in {file} are empty.',
};

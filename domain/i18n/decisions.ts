/** Texts of the decisions area: Swedish first, English typed by it (see core.ts). */
export const sv = {
  'decision.role': 'styrgrupp',
  'decision.role.followUp': 'styrgrupp eller berört team',
  'decision.notFound': 'beslut {number}',

  'decision.field.title': 'Rubrik',
  'decision.field.text': 'Beslut',
  'decision.field.rationale': 'Motivering',
  'decision.field.meetingName': 'Möte',
  'decision.field.meetingDate': 'Mötesdatum',
  'decision.field.teams': 'Berörda team',
  'decision.field.actions': 'Berörda åtgärder',
  'decision.field.followUpOwner': 'Uppföljning, ansvarig',
  'decision.field.followUpDue': 'Uppföljning senast',
  'decision.field.reason': 'Skäl',
  'decision.field.supersedes': 'Ersätter beslut',

  'decision.invalid.required': '{field} måste fyllas i.',
  'decision.invalid.tooLong': '{field} får vara högst {max} tecken (nu {length}).',
  'decision.invalid.tooMany': '{field}: högst {max} stycken.',
  'decision.invalid.date': '{field}: "{value}" är inget datum. Skriv till exempel 2026-03-17.',
  'decision.invalid.team': 'Okänt team: "{value}".',
  'decision.invalid.action': 'Ogiltigt åtgärds-id: "{value}".',
  'decision.invalid.field': '{field} är inte giltigt.',
  'decision.invalid.supersedes':
    '{field}: "{value}" är inget beslutsnummer. Skriv till exempel D-2026-003, eller lämna fältet tomt.',
  'decision.supersedes.notFound': 'Beslut {number} finns inte, så det kan inte ersättas.',
  'decision.supersedes.revoked': 'Beslut {number} är upphävt och kan inte ersättas.',
  'decision.supersedes.superseded': 'Beslut {number} är redan ersatt av {by}.',
  'decision.invalid.unknownActions':
    'De här åtgärderna finns inte: {ids}. Skriv id:n som i åtgärdslistan, till exempel BOS-03.',

  'decision.error.revoked': 'Beslut {number} är upphävt och kan inte ändras.',
  'decision.error.noFollowUp': 'Beslut {number} har ingen uppföljning.',
  'decision.error.superseded': 'Beslut {number} är ersatt av {by} och kan inte ändras.',

  'decision.filter.invalid':
    'Jag förstår inte perioden "{value}". Skriv till exempel beslutslogg 2026, beslutslogg vecka 47 eller beslutslogg 2026-01-01..2026-06-30.',
  'decision.filter.unknown':
    'Jag känner inte till "{value}". Filtrera på ett team ({teams}) och/eller en period, till exempel beslutslogg bostäder 2026.',
  'decision.filter.tooLong': 'Välj en kortare period: högst {years} år åt gången.',
  'decision.filter.default': '{previous}–{current}',

  'decision.form.title': 'Logga ett beslut',
  'decision.form.amendTitle': 'Ändra beslut {number}',
  'decision.form.intro': 'Beslutet får nästa nummer för året när du sparar, och berörda team får veta.',
  'decision.form.amendIntro': 'Numret står kvar. Det som står nu sparas i beslutets historik tillsammans med skälet.',
  'decision.form.required': '{field} måste fyllas i',
  'decision.form.capped':
    'Det som skrevs i {fields} var längre än fältet rymmer: formuläret visar bara början. Korta texten och spara igen.',
  'decision.form.textPlaceholder': 'Vad beslutade styrgruppen?',
  'decision.form.actionsPlaceholder': 'Åtgärds-id, till exempel BOS-03, IND-01',
  'decision.form.reasonPlaceholder': 'Varför ändras beslutet?',
  'decision.form.supersedesPlaceholder': 'Om beslutet ersätter ett tidigare: dess nummer, till exempel D-2026-003',
  'decision.form.save': 'Logga beslutet',
  'decision.form.saveAmend': 'Spara ändringen',
  'decision.form.cancel': 'Avbryt',

  'decision.state.active': 'Gällande',
  'decision.state.amended': 'Ändrat',
  'decision.state.revoked': 'Upphävt',
  'decision.state.superseded': 'Ersatt',

  'decision.card.followUp': 'Uppföljning',
  'decision.card.followUpDue': 'senast {date}',
  'decision.card.followUpDone': 'klar',
  'decision.card.followUpDoneAt': 'klar {date} ({by})',
  'decision.card.followUpOverdue': 'försenad',
  'decision.card.loggedBy': 'Loggat av',
  'decision.card.history': 'Historik ({count})',
  'decision.card.amendedBy': 'Ändrat {date} av {by}',
  'decision.card.revokedBy': 'Upphävt {date} av {by}',
  'decision.card.before': 'Tidigare',
  'decision.card.supersedes': 'Ersätter',
  'decision.card.supersededBy': 'Ersatt av',
  'decision.card.supersededAt': 'Ersatt {date} av {number} (loggat av {by})',
  'decision.card.historyMore': '… och {count} äldre ändringar (finns i exporten).',
  'decision.card.amend': 'Ändra',
  'decision.card.revoke': 'Upphäv',
  'decision.card.markDone': 'Markera uppföljningen klar',

  'decision.revoke.title': 'Upphäva beslut {number}?',
  'decision.revoke.intro': 'Beslutet finns kvar i loggen, markerat som upphävt, med skälet. Berörda team får veta.',
  'decision.revoke.confirm': 'Upphäv beslutet',

  'decision.confirm.logged': 'Beslutet är loggat som {number}.',
  'decision.confirm.duplicate': 'Det här beslutet var redan loggat som {number}.',
  'decision.confirm.amended': 'Ändringen av {number} är sparad.',
  'decision.confirm.revoked': '{number} är upphävt.',
  'decision.confirm.followUpDone': 'Uppföljningen av {number} är markerad som klar.',

  'decision.where.steering':
    'Beslut loggas i styrgruppens kanal ({channel}). Skriv beslut där. Beslutsloggen kan alla läsa: skriv beslutslogg.',
  'decision.where.unbound':
    'Ingen kanal är kopplad till styrgruppen ännu. Skriv koppla styrgrupp i styrgruppens kanal, så loggas besluten där.',
  'decision.forbidden':
    'Bara styrgruppens ledamöter kan logga och ändra beslut, så inget har sparats. Beslutsloggen kan alla läsa: skriv beslutslogg.',

  'decision.log.title': 'Beslutslogg',
  'decision.log.count': '{count} beslut',
  'decision.log.page': 'sida {page} av {pages}',
  'decision.log.empty': 'Inga beslut i den här perioden.',
  'decision.log.hint': 'Tryck på ett beslut för att se det med historik.',
  'decision.log.open': 'Visa beslutet',
  'decision.log.previous': 'Nyare',
  'decision.log.supersedes': 'ersätter {number}',
  'decision.log.supersededBy': 'ersatt av {number}',
  'decision.log.next': 'Äldre',

  'decision.notice.logged': 'Styrgruppen har fattat ett beslut som berör {team}',
  'decision.notice.amended': 'Styrgruppen har ändrat beslut {number}',
  'decision.notice.revoked': 'Styrgruppen har upphävt beslut {number}',
  'decision.notice.followUp': 'Uppföljning för {team}',
  'decision.notice.followUpCheckIn': 'Uppföljningen visas på teamets incheckning tills den är markerad klar.',
  'decision.notice.open': 'Visa beslutet',
  'decision.message.source': 'Från ett meddelande av {author} ({date}).',
  'decision.savedNotLogged':
    'Beslut {number} är sparat med sitt nummer, men jag når inte lagringen för att föra in det i loggen just nu. Skicka formuläret igen om en stund: då förs det in (det blir inget nytt nummer).',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'decision.role': 'steering group',
  'decision.role.followUp': 'steering group or affected team',
  'decision.notFound': 'decision {number}',

  'decision.field.title': 'Title',
  'decision.field.text': 'Decision',
  'decision.field.rationale': 'Rationale',
  'decision.field.meetingName': 'Meeting',
  'decision.field.meetingDate': 'Meeting date',
  'decision.field.teams': 'Affected teams',
  'decision.field.actions': 'Affected actions',
  'decision.field.followUpOwner': 'Follow-up owner',
  'decision.field.followUpDue': 'Follow-up due',
  'decision.field.reason': 'Reason',
  'decision.field.supersedes': 'Replaces decision',

  'decision.invalid.required': '{field} is required.',
  'decision.invalid.tooLong': '{field} can be at most {max} characters (now {length}).',
  'decision.invalid.tooMany': '{field}: at most {max}.',
  'decision.invalid.date': '{field}: "{value}" is not a date. Type, for example, 2026-03-17.',
  'decision.invalid.team': 'Unknown team: "{value}".',
  'decision.invalid.action': 'Not an action id: "{value}".',
  'decision.invalid.field': '{field} is not valid.',
  'decision.invalid.supersedes':
    '{field}: "{value}" is not a decision number. Type, for example, D-2026-003, or leave the field empty.',
  'decision.supersedes.notFound': 'Decision {number} does not exist, so it cannot be replaced.',
  'decision.supersedes.revoked': 'Decision {number} is revoked and cannot be replaced.',
  'decision.supersedes.superseded': 'Decision {number} is already superseded by {by}.',
  'decision.invalid.unknownActions':
    'These actions do not exist: {ids}. Type the ids as in the action list, for example BOS-03.',

  'decision.error.revoked': 'Decision {number} is revoked and cannot be changed.',
  'decision.error.noFollowUp': 'Decision {number} has no follow-up.',
  'decision.error.superseded': 'Decision {number} is superseded by {by} and cannot be changed.',

  'decision.filter.invalid':
    'I do not understand the period "{value}". Type, for example, decisions 2026, decisions week 47 or decisions 2026-01-01..2026-06-30.',
  'decision.filter.unknown':
    'I don\'t know "{value}". Filter by a team ({teams}) and/or a period, for example decisions housing 2026.',
  'decision.filter.tooLong': 'Choose a shorter period: at most {years} years at a time.',
  'decision.filter.default': '{previous}–{current}',

  'decision.form.title': 'Log a decision',
  'decision.form.amendTitle': 'Amend decision {number}',
  'decision.form.intro':
    'The decision gets the next number of the year when you save, and the affected teams are told.',
  'decision.form.amendIntro': "The number stays. What it says now is kept in the decision's history, with the reason.",
  'decision.form.required': '{field} is required',
  'decision.form.capped':
    'What was typed in {fields} was longer than the field holds: the form shows only the beginning. Shorten the text and save again.',
  'decision.form.textPlaceholder': 'What did the steering group decide?',
  'decision.form.actionsPlaceholder': 'Action ids, for example BOS-03, IND-01',
  'decision.form.reasonPlaceholder': 'Why is the decision amended?',
  'decision.form.supersedesPlaceholder': 'If the decision replaces an earlier one: its number, for example D-2026-003',
  'decision.form.save': 'Log the decision',
  'decision.form.saveAmend': 'Save the amendment',
  'decision.form.cancel': 'Cancel',

  'decision.state.active': 'In force',
  'decision.state.amended': 'Amended',
  'decision.state.revoked': 'Revoked',
  'decision.state.superseded': 'Superseded',

  'decision.card.followUp': 'Follow-up',
  'decision.card.followUpDue': 'due {date}',
  'decision.card.followUpDone': 'done',
  'decision.card.followUpDoneAt': 'done {date} ({by})',
  'decision.card.followUpOverdue': 'overdue',
  'decision.card.loggedBy': 'Logged by',
  'decision.card.history': 'History ({count})',
  'decision.card.amendedBy': 'Amended {date} by {by}',
  'decision.card.revokedBy': 'Revoked {date} by {by}',
  'decision.card.before': 'Before',
  'decision.card.supersedes': 'Replaces',
  'decision.card.supersededBy': 'Superseded by',
  'decision.card.supersededAt': 'Superseded {date} by {number} (logged by {by})',
  'decision.card.historyMore': '… and {count} earlier changes (in the export).',
  'decision.card.amend': 'Amend',
  'decision.card.revoke': 'Revoke',
  'decision.card.markDone': 'Mark the follow-up done',

  'decision.revoke.title': 'Revoke decision {number}?',
  'decision.revoke.intro':
    'The decision stays in the log, marked as revoked, with the reason. The affected teams are told.',
  'decision.revoke.confirm': 'Revoke the decision',

  'decision.confirm.logged': 'The decision is logged as {number}.',
  'decision.confirm.duplicate': 'This decision was already logged as {number}.',
  'decision.confirm.amended': 'The amendment of {number} is saved.',
  'decision.confirm.revoked': '{number} is revoked.',
  'decision.confirm.followUpDone': 'The follow-up of {number} is marked done.',

  'decision.where.steering':
    "Decisions are logged in the steering group's channel ({channel}). Type decision there. Anyone can read the decision log: type decisions.",
  'decision.where.unbound':
    "No channel is linked to the steering group yet. Type link steering in the steering group's channel, and decisions are logged there.",
  'decision.forbidden':
    'Only members of the steering group can log and change decisions, so nothing was saved. Anyone can read the decision log: type decisions.',

  'decision.log.title': 'Decision log',
  'decision.log.count': '{count} decisions',
  'decision.log.page': 'page {page} of {pages}',
  'decision.log.empty': 'No decisions in this period.',
  'decision.log.hint': 'Select a decision to see it with its history.',
  'decision.log.open': 'Show the decision',
  'decision.log.previous': 'Newer',
  'decision.log.supersedes': 'replaces {number}',
  'decision.log.supersededBy': 'superseded by {number}',
  'decision.log.next': 'Older',

  'decision.notice.logged': 'The steering group has made a decision that affects {team}',
  'decision.notice.amended': 'The steering group has amended decision {number}',
  'decision.notice.revoked': 'The steering group has revoked decision {number}',
  'decision.notice.followUp': 'Follow-up for {team}',
  'decision.notice.followUpCheckIn': "The follow-up shows on the team's check-in until it is marked done.",
  'decision.notice.open': 'Show the decision',
  'decision.message.source': 'From a message by {author} ({date}).',
  'decision.savedNotLogged':
    'Decision {number} is saved with its number, but I cannot reach storage to enter it in the log right now. Send the form again in a while: it is entered then (no new number is taken).',
};

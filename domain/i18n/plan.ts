/**
 * Texts of the plan import in Teams: a plan file sent to the bot in personal chat, its preview
 * card, "Importera" and "Avbryt"; and the problems an import finds in a file (`import.issue.*`,
 * `import.where.*`), which the CLI shows too. Swedish first, English typed by it.
 */
export const sv = {
  'plan.upload.personalOnly':
    'Skicka handlingsplanen till mig i en personlig chatt (öppna Kraftsamla under Appar och välj Chatt), så visar jag vad importen skulle ändra. Filer i kanaler och gruppchattar kan jag inte läsa.',
  'plan.upload.wrongType':
    'Jag kan bara importera handlingsplaner som .xlsx eller .csv. "{file}" är ingen sådan fil. Spara planen i Excel som Excel-arbetsbok (.xlsx) eller CSV (semikolonavgränsad) och skicka den igen.',
  'plan.upload.tooLarge':
    '"{file}" är större än {max} MB. En handlingsplan brukar vara mycket mindre: ta bort andra blad och bilder, eller importera den med npm run import på servern.',
  'plan.upload.oneFile': 'Skicka en fil i taget. Jag tittar på "{file}" nu.',
  'plan.upload.noFile':
    'Jag hittar ingen fil i meddelandet. Bifoga handlingsplanen (.xlsx eller .csv) med gemet i chatten och skicka den igen.',
  'plan.upload.expiredLink':
    'Jag kunde inte hämta "{file}": länken från Teams har gått ut eller gäller inte längre. Skicka filen igen.',
  'plan.upload.downloadFailed':
    'Jag kunde inte hämta "{file}" från Teams just nu. Försök igen om en stund genom att skicka filen igen.',
  'plan.upload.notTheFile':
    'Teams gav mig en webbsida i stället för filen "{file}" (det händer ibland när filen skickas från mobilen). Skicka den igen från Teams på datorn eller i webbläsaren.',
  'plan.card.title': 'Import av {file}',
  'plan.card.previewIntro':
    'Så här skulle importen ändra planen. Inget är sparat än: välj Importera för att spara, eller Avbryt.',
  'plan.card.refusedIntro':
    'Filen kan inte importeras: den har {n} fel. Inget sparades. Rätta felen i filen och skicka den igen.',
  'plan.card.appliedIntro': 'Importerat av {name}. Planen är uppdaterad.',
  'plan.card.alreadyIntro': 'Den här filen importerades redan {date} av {name}. Inget ändrades nu.',
  'plan.card.cancelledIntro': 'Importen avbröts. Inget av filen sparades.',
  'plan.card.changedIntro':
    'Planen har ändrats sedan förhandsvisningen, så inget sparades. Så här skulle importen ändra planen nu: välj Importera igen om det stämmer.',
  'plan.card.failedIntro': 'Importen kunde inte sparas helt. Se problemen nedan och välj Importera igen om en stund.',
  'plan.card.busy': 'Den här filen importeras just nu (någon tryckte redan på Importera). Vänta en liten stund.',
  'plan.card.missing':
    'Jag hittar inte den här uppladdningen längre (den är avbruten, för gammal eller ersatt). Skicka filen igen.',
  'plan.card.expired': 'Förhandsvisningen är äldre än ett dygn och gäller inte längre. Skicka filen igen.',
  'plan.card.about': '{kind}, {rows} rader',
  'plan.card.aboutSheet': '{kind}, blad "{sheet}", {rows} rader',
  'plan.card.kind.plan': 'Handlingsplan',
  'plan.card.kind.indicators': 'Indikatorer',
  'plan.card.counts': '{added} nya, {changed} ändrade, {retired} utgår, {unchanged} oförändrade',
  'plan.card.values': 'Mätvärden: {added} nya, {updated} ändrade',
  'plan.card.notInFile': '{n} sparade åtgärder finns inte i filen och lämnas orörda.',
  'plan.card.added': 'Läggs till',
  'plan.card.changed': 'Ändras',
  'plan.card.retired': 'Utgår ur planen',
  'plan.card.addedDone': 'Tillagda',
  'plan.card.changedDone': 'Ändrade',
  'plan.card.retiredDone': 'Utgick ur planen',
  'plan.card.teams': 'Nya team (från planens insatsområden)',
  'plan.card.teamsDone': 'Nya team',
  'plan.card.teamLine': '{name} (id-prefix {prefix}); koppla en kanal med "koppla {name}"',
  'plan.card.problems': 'Fel',
  'plan.card.warnings': 'Varningar',
  'plan.card.row': 'rad {row}',
  'plan.card.newId': 'nytt id',
  'plan.card.more': '… och {n} till (hela listan: npm run import -- FIL --dry-run)',
  'plan.card.nothing': 'Filen ändrar ingenting i planen.',
  'plan.card.import': 'Importera',
  'plan.card.cancel': 'Avbryt',
  'plan.field.teamKey': 'team',
  'plan.field.title': 'titel',
  'plan.field.description': 'beskrivning',
  'plan.field.owner': 'ansvarig',
  'plan.field.responsibleBody': 'ansvarig nämnd',
  'plan.field.start': 'start',
  'plan.field.due': 'slutdatum',
  'plan.field.financing': 'finansiering',
  'plan.field.status': 'status',
  'plan.field.progress': 'framdrift',
  'plan.field.indicatorIds': 'indikatorer',
  'plan.field.timeline': 'tidplan',
  'plan.field.ongoing': 'löpande',
  'plan.field.goal': 'mål',
  'plan.field.subGoal': 'delmål',
  'plan.field.planNumber': 'nr',
  'plan.field.retiredAt': 'utgick',

  // Problems found in an imported file, by the code of its ImportIssue (../plan/issues.ts); the
  // file, sheet, row and column are put in front by `formatIssue` (`import.where.*`).
  'import.where.sheet': 'blad "{sheet}"',
  'import.where.row': 'rad {row}',
  'import.where.column': 'kolumn "{column}"',
  'import.issue.file.unsupportedType': 'filtypen "{ext}" stöds inte; spara som .xlsx eller .csv',
  'import.issue.file.unreadable': 'filen kan inte läsas ({reason})',
  'import.issue.file.empty': 'filen har ingen rubrikrad',
  'import.issue.file.noRows': 'filen har inga rader under rubrikraden',
  'import.issue.file.noSheet': 'bladet "{sheet}" finns inte (blad: {sheets})',
  'import.issue.file.windows1252':
    'filen är inte UTF-8; den lästes som Windows-1252 (spara som "CSV UTF-8" för att vara säker)',
  'import.issue.file.unknownKind':
    'rubrikraden liknar varken en handlingsplan (Team, Insats) eller en indikatorfil (Indikator-id, Värde)',
  'import.issue.header.missingColumn': 'kolumnen "{column}" saknas (även: {aliases})',
  'import.issue.header.duplicateColumn': 'kolumnen finns två gånger (även kolumn {other})',
  'import.issue.header.unknownColumn': 'okänd kolumn, hoppas över',
  'import.issue.row.extraCells': 'värden utanför rubrikerna hoppas över',
  'import.issue.cell.required': 'värde saknas',
  'import.issue.cell.tooLong': 'texten är för lång ({length} tecken, högst {max})',
  'import.issue.cell.notDate':
    '"{value}" är inte ett datum (skriv t.ex. 2026-12-31, eller lämna tomt så räknas slutdatumet från Tidplan)',
  'import.issue.cell.noSuchDate': 'datumet {value} finns inte',
  'import.issue.cell.dateOrder': 'slutdatum {due} är före start {start}',
  'import.issue.cell.unknownTeam': 'okänt team "{value}" (team: {known})',
  'import.issue.cell.badStatus':
    'okänd status "{value}", statusen lämnas som den är (skriv Ej påbörjad, Pågår, Risk, Försenad, Klar eller Pausad)',
  'import.issue.cell.badProgress': '"{value}" är inte ett tal mellan 0 och 100',
  'import.issue.cell.badEmail': '"{value}" ser inte ut som en e-postadress',
  'import.issue.cell.badId': '"{value}" är inget giltigt id (bokstäver, siffror, - . _; högst 40 tecken)',
  'import.issue.cell.badNumber': '"{value}" är inte ett tal',
  'import.issue.cell.badYear': '"{value}" är inte ett årtal',
  'import.issue.cell.badPeriod': '"{value}" är ingen period (t.ex. 2026, 2026-03, 2026-K1, 2026-W12)',
  'import.issue.cell.badKolada': '"{value}" ser inte ut som ett Kolada-id (t.ex. N00914)',
  'import.issue.cell.unknownIndicator':
    'indikatorn "{value}" finns inte (ännu); importera indikatorfilen, eller skriv indikatorns namn så skapas den',
  'import.issue.cell.valueWithoutPeriod': 'ett värde behöver en period',
  'import.issue.cell.periodWithoutValue': 'perioden {value} saknar värde',
  'import.issue.cell.notStartDate':
    '"{value}" är inte ett datum (skriv startdatumet som 2026-09-01; en period som "Hösten 2026" hör hemma i Tidplan)',
  'import.issue.cell.timelineNoDue':
    'tidplanen "{value}" sparas som den står men anger ingen period, så åtgärden får inget slutdatum (skriv t.ex. 2026-06-30, Q2 2026, Hösten 2026, 2026–2027 eller Löpande)',
  'import.issue.cell.badTarget':
    '"{value}" är inget målvärde (skriv ett tal, gärna med enhet: 85, 75 %, 40 ha, 42 000)',
  'import.issue.cell.targetCount':
    '{targets} målvärden men {indicators} indikatorer; skriv ett målvärde per indikator, i samma ordning, åtskilda med semikolon',
  'import.issue.cell.koladaCount':
    '{kolada} Kolada-id men {indicators} indikatorer; skriv ett Kolada-id per indikator, i samma ordning',
  'import.issue.cell.targetWithoutIndicator':
    'ett målvärde behöver en indikator; skriv indikatorns namn i kolumnen "{column}" på samma rad',
  'import.issue.cell.unknownArea':
    'insatsområdet "{value}" (rad {rows}) är inget team i programmet (team: {known}); rätta namnet, lägg till teamet i programfilen, eller importera med {flag} så skapas det',
  'import.issue.cell.areaName':
    'av insatsområdet "{value}" går det inte att göra ett team (namnet behöver minst två bokstäver a–z); byt namn på området eller lägg till teamet i programfilen',
  'import.issue.row.duplicateId': 'id {value} finns redan på rad {other}',
  'import.issue.row.sameAction': 'raden gäller samma åtgärd ({value}) som rad {other}',
  'import.issue.row.ambiguousTitle': 'flera sparade åtgärder i teamet heter "{value}" ({ids}); ange Id',
  'import.issue.row.conflictingDefinition': 'skiljer sig från rad {other} ("{value}" mot "{otherValue}")',
  'import.issue.row.duplicatePeriod': 'perioden {value} för {id} finns redan på rad {other} med ett annat värde',
  'import.issue.row.nameRequired': 'en ny indikator behöver ett namn',
  'import.issue.write.conflict':
    'någon annan ändrade {ids} under importen; {written} av {total} ändringar sparades. Kör importen igen.',
  'import.issue.write.failed':
    'lagringen svarade inte ({reason}); {written} av {total} ändringar sparades. Kör importen igen.',
};

export type PlanKey = keyof typeof sv;

export const en: Record<PlanKey, string> = {
  'plan.upload.personalOnly':
    'Send the action plan to me in a personal chat (open Kraftsamla under Apps and choose Chat), and I will show what the import would change. I cannot read files in channels and group chats.',
  'plan.upload.wrongType':
    'I can only import action plans as .xlsx or .csv. "{file}" is neither. Save the plan in Excel as an Excel workbook (.xlsx) or CSV (semicolon delimited) and send it again.',
  'plan.upload.tooLarge':
    '"{file}" is larger than {max} MB. An action plan is usually much smaller: remove other sheets and pictures, or import it with npm run import on the server.',
  'plan.upload.oneFile': 'Send one file at a time. I am looking at "{file}" now.',
  'plan.upload.noFile':
    'I cannot find a file in the message. Attach the action plan (.xlsx or .csv) with the paper clip in the chat and send it again.',
  'plan.upload.expiredLink':
    'I could not fetch "{file}": the link from Teams has expired or is no longer valid. Send the file again.',
  'plan.upload.downloadFailed':
    'I could not fetch "{file}" from Teams just now. Try again in a while by sending the file again.',
  'plan.upload.notTheFile':
    'Teams gave me a web page instead of the file "{file}" (this sometimes happens when the file is sent from a phone). Send it again from Teams on a computer or in the browser.',
  'plan.card.title': 'Import of {file}',
  'plan.card.previewIntro':
    'This is how the import would change the plan. Nothing is saved yet: choose Import to save it, or Cancel.',
  'plan.card.refusedIntro':
    'The file cannot be imported: it has {n} errors. Nothing was saved. Correct them in the file and send it again.',
  'plan.card.appliedIntro': 'Imported by {name}. The plan is updated.',
  'plan.card.alreadyIntro': 'This file was already imported on {date} by {name}. Nothing changed now.',
  'plan.card.cancelledIntro': 'The import was cancelled. Nothing from the file was saved.',
  'plan.card.changedIntro':
    'The plan has changed since the preview, so nothing was saved. This is how the import would change the plan now: choose Import again if that is right.',
  'plan.card.failedIntro':
    'The import could not be saved completely. See the problems below and choose Import again in a while.',
  'plan.card.busy': 'This file is being imported right now (someone already chose Import). Wait a moment.',
  'plan.card.missing':
    'I cannot find this upload any more (it was cancelled, is too old or was replaced). Send the file again.',
  'plan.card.expired': 'The preview is more than a day old and no longer valid. Send the file again.',
  'plan.card.about': '{kind}, {rows} rows',
  'plan.card.aboutSheet': '{kind}, sheet "{sheet}", {rows} rows',
  'plan.card.kind.plan': 'Action plan',
  'plan.card.kind.indicators': 'Indicators',
  'plan.card.counts': '{added} new, {changed} changed, {retired} retired, {unchanged} unchanged',
  'plan.card.values': 'Measured values: {added} new, {updated} changed',
  'plan.card.notInFile': '{n} stored actions are not in the file and are left as they are.',
  'plan.card.added': 'To be added',
  'plan.card.changed': 'To be changed',
  'plan.card.retired': 'To be retired',
  'plan.card.addedDone': 'Added',
  'plan.card.changedDone': 'Changed',
  'plan.card.retiredDone': 'Retired',
  'plan.card.teams': "New teams (from the plan's areas)",
  'plan.card.teamsDone': 'New teams',
  'plan.card.teamLine': '{name} (id prefix {prefix}); link a channel with "link {name}"',
  'plan.card.problems': 'Errors',
  'plan.card.warnings': 'Warnings',
  'plan.card.row': 'row {row}',
  'plan.card.newId': 'new id',
  'plan.card.more': '… and {n} more (the whole list: npm run import -- FILE --dry-run)',
  'plan.card.nothing': 'The file changes nothing in the plan.',
  'plan.card.import': 'Import',
  'plan.card.cancel': 'Cancel',
  'plan.field.teamKey': 'team',
  'plan.field.title': 'title',
  'plan.field.description': 'description',
  'plan.field.owner': 'owner',
  'plan.field.responsibleBody': 'responsible body',
  'plan.field.start': 'start',
  'plan.field.due': 'due date',
  'plan.field.financing': 'financing',
  'plan.field.status': 'status',
  'plan.field.progress': 'progress',
  'plan.field.indicatorIds': 'indicators',
  'plan.field.timeline': 'timeline',
  'plan.field.ongoing': 'ongoing',
  'plan.field.goal': 'goal',
  'plan.field.subGoal': 'sub-goal',
  'plan.field.planNumber': 'no.',
  'plan.field.retiredAt': 'retired',

  'import.where.sheet': 'sheet "{sheet}"',
  'import.where.row': 'row {row}',
  'import.where.column': 'column "{column}"',
  'import.issue.file.unsupportedType': 'file type "{ext}" is not supported; save as .xlsx or .csv',
  'import.issue.file.unreadable': 'the file cannot be read ({reason})',
  'import.issue.file.empty': 'the file has no header row',
  'import.issue.file.noRows': 'the file has no rows below the header',
  'import.issue.file.noSheet': 'there is no sheet "{sheet}" (sheets: {sheets})',
  'import.issue.file.windows1252':
    'the file is not UTF-8; it was read as Windows-1252 (save as "CSV UTF-8" to be sure)',
  'import.issue.file.unknownKind':
    'the header row is neither an action plan (Team, Action) nor an indicator file (Indicator id, Value)',
  'import.issue.header.missingColumn': 'the column "{column}" is missing (also: {aliases})',
  'import.issue.header.duplicateColumn': 'the column appears twice (also column {other})',
  'import.issue.header.unknownColumn': 'unknown column, ignored',
  'import.issue.row.extraCells': 'values outside the header columns are ignored',
  'import.issue.cell.required': 'a value is required',
  'import.issue.cell.tooLong': 'the text is too long ({length} characters, at most {max})',
  'import.issue.cell.notDate':
    '"{value}" is not a date (write e.g. 2026-12-31, or leave it empty to derive the due date from Timeline)',
  'import.issue.cell.noSuchDate': 'the date {value} does not exist',
  'import.issue.cell.dateOrder': 'the due date {due} is before the start {start}',
  'import.issue.cell.unknownTeam': 'unknown team "{value}" (teams: {known})',
  'import.issue.cell.badStatus':
    'unknown status "{value}", the status is left as it is (write Not started, On track, At risk, Off track, Done or Paused)',
  'import.issue.cell.badProgress': '"{value}" is not a number between 0 and 100',
  'import.issue.cell.badEmail': '"{value}" does not look like an e-mail address',
  'import.issue.cell.badId': '"{value}" is not a valid id (letters, digits, - . _; at most 40 characters)',
  'import.issue.cell.badNumber': '"{value}" is not a number',
  'import.issue.cell.badYear': '"{value}" is not a year',
  'import.issue.cell.badPeriod': '"{value}" is not a period (e.g. 2026, 2026-03, 2026-Q1, 2026-W12)',
  'import.issue.cell.badKolada': '"{value}" does not look like a Kolada id (e.g. N00914)',
  'import.issue.cell.unknownIndicator':
    'the indicator "{value}" does not exist (yet); import the indicator file, or write the indicator\'s name to create it',
  'import.issue.cell.valueWithoutPeriod': 'a value needs a period',
  'import.issue.cell.periodWithoutValue': 'the period {value} has no value',
  'import.issue.cell.notStartDate':
    '"{value}" is not a date (write the start date as 2026-09-01; a period such as "Autumn 2026" belongs in Timeline)',
  'import.issue.cell.timelineNoDue':
    'the timeline "{value}" is kept as written but names no period, so the action gets no due date (write e.g. 2026-06-30, Q2 2026, Autumn 2026, 2026–2027 or Ongoing)',
  'import.issue.cell.badTarget':
    '"{value}" is not a target (write a number, with a unit if you like: 85, 75 %, 40 ha, 42 000)',
  'import.issue.cell.targetCount':
    '{targets} targets but {indicators} indicators; write one target per indicator, in the same order, separated by semicolons',
  'import.issue.cell.koladaCount':
    '{kolada} Kolada ids but {indicators} indicators; write one Kolada id per indicator, in the same order',
  'import.issue.cell.targetWithoutIndicator':
    'a target needs an indicator; write the indicator\'s name in the column "{column}" on the same row',
  'import.issue.cell.unknownArea':
    'the area "{value}" (rows {rows}) is no team of the program (teams: {known}); correct the name, add the team to the program file, or import with {flag} to create it',
  'import.issue.cell.areaName':
    'no team can be made of the area "{value}" (the name needs at least two letters a–z); rename the area or add the team to the program file',
  'import.issue.row.duplicateId': 'the id {value} is already on row {other}',
  'import.issue.row.sameAction': 'the row is about the same action ({value}) as row {other}',
  'import.issue.row.ambiguousTitle': 'several stored actions of the team are called "{value}" ({ids}); give the Id',
  'import.issue.row.conflictingDefinition': 'differs from row {other} ("{value}" vs "{otherValue}")',
  'import.issue.row.duplicatePeriod': 'the period {value} of {id} is already on row {other} with another value',
  'import.issue.row.nameRequired': 'a new indicator needs a name',
  'import.issue.write.conflict':
    'someone else changed {ids} during the import; {written} of {total} changes were saved. Run the import again.',
  'import.issue.write.failed':
    'the store did not answer ({reason}); {written} of {total} changes were saved. Run the import again.',
};

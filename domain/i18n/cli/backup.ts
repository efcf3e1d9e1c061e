/**
 * Texts of `npm run backup` and `npm run restore` (cli/backup.ts, cli/restore.ts), and the
 * problems of a backup file (`cli.backup.problem.<code>`, the codes of storage/backup.ts).
 * Swedish first, English typed by it.
 */
export const sv = {
  'cli.backup.usage': [
    'Användning: npm run backup -- --out <fil.jsonl|fil.jsonl.gz> [--force] [--lang sv|en]',
    '',
    '  Skriver varje rad i varje tabell (beslutsloggen, händelseloggen, åtgärder, kopplingar, …) till en fil:',
    '  JSON Lines, gzip-komprimerad när namnet slutar på .gz.',
    '  --out     filen som skrivs (krävs)',
    '  --force   skriv över en fil som redan finns',
    '  --lang    språk för utskrifterna (sv eller en; standard: programmets)',
  ].join('\n'),
  'cli.backup.outNeeded': '--out behöver ett filnamn, t.ex. --out kraftsamla-2026-12-03.jsonl.gz',
  'cli.backup.exists': '{file} finns redan. Välj ett annat namn, eller ange --force för att skriva över den.',
  'cli.backup.reading': 'Läser {table} … {rows} rader',
  'cli.backup.table': '{table}: {rows} rader',
  'cli.backup.writing': 'Skriver {file} …',
  'cli.backup.done': 'Säkerhetskopian är klar: {tables} tabeller, {rows} rader, {bytes} i {file}.',
  'cli.backup.counts': '  {counts}',
  'cli.backup.cannotWrite': 'Kunde inte skriva {file} ({reason}); ingen säkerhetskopia skrevs.',
  'cli.backup.failed': 'Säkerhetskopieringen avbröts ({reason}); ingen fil skrevs.',
  'cli.restore.usage': [
    'Användning: npm run restore -- <fil> [--dry-run] [--force] [--lang sv|en]',
    '',
    '  Läser tillbaka en säkerhetskopia från npm run backup till en tom lagring och kontrollerar varje rad efteråt.',
    '  Filen kontrolleras först i sin helhet: är den skadad eller avkortad skrivs ingenting.',
    '  --dry-run          kontrollera filen och lagringen och räkna raderna, skriv inget',
    '  --force            återställ även till en lagring som har rader (rader med samma nycklar skrivs över)',
    '  --into-non-empty   samma som --force',
    '  --lang             språk för utskrifterna (sv eller en; standard: programmets)',
  ].join('\n'),
  'cli.restore.fileNeeded': 'Ange filen som ska återställas.',
  'cli.restore.cannotRead': 'Kan inte läsa {file} ({reason}).',
  'cli.restore.checking': 'Kontrollerar {file} …',
  'cli.restore.badFile': '{file}, rad {line}: {problem}',
  'cli.restore.nothingWritten': 'Inget återställdes.',
  'cli.restore.source': 'Säkerhetskopian togs {at} med tabellprefixet {prefix}.',
  'cli.restore.otherPrefix': 'Den återställs till tabellprefixet {prefix}.',
  'cli.restore.notEmpty':
    'Lagringen är inte tom: {tables} har rader. Återställ till en tom lagring (stoppa boten, välj ett nytt TABLE_PREFIX eller ett nytt lagringskonto), eller ange --force för att skriva över rader med samma nycklar.',
  'cli.restore.dryRun': 'Provkörning: {rows} rader i {tables} tabeller skulle återställas; inget skrevs.',
  'cli.restore.progress': 'återställer',
  'cli.restore.verifying': 'Kontrollerar det återställda …',
  'cli.restore.failed':
    'Återställningen avbröts efter {written} av {total} rader ({reason}). Töm tabellerna (eller välj ett nytt TABLE_PREFIX) och försök igen.',
  'cli.restore.done': 'Återställde {rows} rader i {tables} tabeller från {file}; varje rad är kontrollerad.',
  'cli.restore.mismatch':
    'Kontrollen efter återställningen stämmer inte: {missing} rader saknas, {different} skiljer sig från filen, {extra} rader finns inte i filen.',
  'cli.restore.example': '  {table} {partitionKey} {rowKey}',
  'cli.backup.problem.notJson': 'raden är inte JSON (filen är skadad eller avkortad)',
  'cli.backup.problem.notHeader': 'filen börjar inte med rubriken från npm run backup',
  'cli.backup.problem.newerVersion':
    'filen har format {version}, som är nyare än den här versionen av Kraftsamla förstår; uppdatera först',
  'cli.backup.problem.badHeader': 'rubriken saknar eller har ett felaktigt "{field}"',
  'cli.backup.problem.badRow': 'raden saknar table, partitionKey, rowKey eller properties',
  'cli.backup.problem.unknownTable': 'okänd tabell "{table}"',
  'cli.backup.problem.badProperty': 'egenskapen "{property}" har en okänd typ eller ett värde som inte passar sin typ',
  'cli.backup.problem.duplicate': 'raden {table} {partitionKey} {rowKey} finns redan tidigare i filen',
  'cli.backup.problem.countMismatch':
    'filen tar slut för tidigt: rubriken lovar {expected} rader i {table}, filen har {found} (avkortad?)',
  'cli.backup.problem.emptyLine': 'tom rad mitt i filen',
  'cli.backup.problem.unreadable': 'filen kan inte läsas härifrån ({reason}; avkortad?)',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'cli.backup.usage': [
    'Usage: npm run backup -- --out <file.jsonl|file.jsonl.gz> [--force] [--lang sv|en]',
    '',
    '  Writes every row of every table (the decision log, the event log, actions, bindings, …) to one file:',
    '  JSON Lines, gzipped when the name ends in .gz.',
    '  --out     the file to write (required)',
    '  --force   overwrite a file that exists',
    "  --lang    language of the output (sv or en; default: the program's)",
  ].join('\n'),
  'cli.backup.outNeeded': '--out needs a file name, e.g. --out kraftsamla-2026-12-03.jsonl.gz',
  'cli.backup.exists': '{file} exists. Choose another name, or pass --force to overwrite it.',
  'cli.backup.reading': 'Reading {table} … {rows} rows',
  'cli.backup.table': '{table}: {rows} rows',
  'cli.backup.writing': 'Writing {file} …',
  'cli.backup.done': 'Backup done: {tables} tables, {rows} rows, {bytes} in {file}.',
  'cli.backup.counts': '  {counts}',
  'cli.backup.cannotWrite': 'Could not write {file} ({reason}); no backup was written.',
  'cli.backup.failed': 'The backup stopped ({reason}); no file was written.',
  'cli.restore.usage': [
    'Usage: npm run restore -- <file> [--dry-run] [--force] [--lang sv|en]',
    '',
    '  Reads a backup made by npm run backup back into an empty store and checks every row afterwards.',
    '  The whole file is checked first: if it is damaged or cut off, nothing is written.',
    '  --dry-run          check the file and the store and count the rows, write nothing',
    '  --force            restore into a store that has rows too (rows with the same keys are overwritten)',
    '  --into-non-empty   the same as --force',
    "  --lang             language of the output (sv or en; default: the program's)",
  ].join('\n'),
  'cli.restore.fileNeeded': 'Name the file to restore.',
  'cli.restore.cannotRead': 'Cannot read {file} ({reason}).',
  'cli.restore.checking': 'Checking {file} …',
  'cli.restore.badFile': '{file}, line {line}: {problem}',
  'cli.restore.nothingWritten': 'Nothing was restored.',
  'cli.restore.source': 'The backup was made {at} with the table prefix {prefix}.',
  'cli.restore.otherPrefix': 'It is restored to the table prefix {prefix}.',
  'cli.restore.notEmpty':
    'The store is not empty: {tables} have rows. Restore into an empty store (stop the bot, choose a new TABLE_PREFIX or a new storage account), or pass --force to overwrite rows with the same keys.',
  'cli.restore.dryRun': 'Dry run: {rows} rows in {tables} tables would be restored; nothing was written.',
  'cli.restore.progress': 'restoring',
  'cli.restore.verifying': 'Checking what was restored …',
  'cli.restore.failed':
    'The restore stopped after {written} of {total} rows ({reason}). Empty the tables (or choose a new TABLE_PREFIX) and try again.',
  'cli.restore.done': 'Restored {rows} rows in {tables} tables from {file}; every row checked.',
  'cli.restore.mismatch':
    'The check after the restore does not match: {missing} rows are missing, {different} differ from the file, {extra} rows are not in the file.',
  'cli.restore.example': '  {table} {partitionKey} {rowKey}',
  'cli.backup.problem.notJson': 'the line is not JSON (the file is damaged or cut off)',
  'cli.backup.problem.notHeader': 'the file does not start with the header of npm run backup',
  'cli.backup.problem.newerVersion':
    'the file has format {version}, newer than this version of Kraftsamla understands; update first',
  'cli.backup.problem.badHeader': 'the header lacks "{field}" or has a wrong one',
  'cli.backup.problem.badRow': 'the line lacks table, partitionKey, rowKey or properties',
  'cli.backup.problem.unknownTable': 'unknown table "{table}"',
  'cli.backup.problem.badProperty':
    'the property "{property}" has an unknown type or a value that does not fit its type',
  'cli.backup.problem.duplicate': 'the row {table} {partitionKey} {rowKey} is already earlier in the file',
  'cli.backup.problem.countMismatch':
    'the file ends too early: the header promises {expected} rows of {table}, the file has {found} (cut off?)',
  'cli.backup.problem.emptyLine': 'an empty line in the middle of the file',
  'cli.backup.problem.unreadable': 'the file cannot be read from here on ({reason}; cut off?)',
};

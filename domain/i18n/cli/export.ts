/**
 * Texts of `npm run export` (cli/export.ts): the decision log and the action plan.
 * Swedish first, English typed by it.
 */
export const sv = {
  'cli.export.usage': [
    'Användning: npm run export -- decisions --format csv|xlsx [--year 2026 | --from 2026-01-01 --to 2026-06-30] [--out fil] [--lang sv|en]',
    '           npm run export -- plan --format csv|xlsx [--out fil] [--lang sv|en]',
    '           npm run export -- protocol --meeting 2026-03-10 --format html|md|pdf [--out fil] [--lang sv|en]',
    '',
    '  Exporterar beslutsloggen (alla beslut med mötesdatum i perioden, äldst först) för diariet.',
    '  --format   csv (UTF-8 med BOM, semikolon; öppnas rätt i svenska Excel) eller xlsx',
    '  --year     ett kalenderår (standard: innevarande år)',
    '  --from/--to  en period, datum som 2026-01-01',
    '  --out      filnamn (standard: exports/beslutslogg-<period>.<format>); - skriver till standard ut',
    '  --lang     språk för utskrifterna (sv eller en; standard: programmets)',
  ].join('\n'),
  'cli.export.formatInvalid': '--format tar csv eller xlsx',
  'cli.export.yearInvalid': '--year tar ett år som 2026, inte "{value}"',
  'cli.export.dateInvalid': '{option} tar ett datum som 2026-01-01, inte "{value}"',
  'cli.export.outNeedsName': '--out behöver ett filnamn (eller - för standard ut)',
  'cli.export.yearAndRange': 'ange antingen --year eller --from/--to, inte båda',
  'cli.export.unknownWhat': 'okänd export "{what}" (bara: decisions, plan, protocol)',
  'cli.export.plan.noPeriod': 'planen exporteras hel: --year, --from och --to gäller bara decisions',
  'cli.export.plan.reading': 'Läser handlingsplanen …',
  'cli.export.plan.written':
    'Skrev handlingsplanen ({count} åtgärder, varav {retired} utgångna) till {file}. Ändra i den och importera den igen: raderna känns igen på Id.',
  'cli.export.tooLong': 'Välj en kortare period: högst {years} år åt gången.',
  'cli.export.reading': 'Läser beslut ({period}) …',
  'cli.export.writing': '{file}: skriver {count} beslut …',
  'cli.export.written': 'Skrev {count} beslut ({period}) till {file}.',
  'cli.export.empty': 'Inga beslut med mötesdatum {period}; {file} har bara rubrikraden.',
  'cli.export.cannotWrite': 'Kunde inte skriva {file} ({reason}).',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'cli.export.usage': [
    'Usage: npm run export -- decisions --format csv|xlsx [--year 2026 | --from 2026-01-01 --to 2026-06-30] [--out file] [--lang sv|en]',
    '       npm run export -- plan --format csv|xlsx [--out file] [--lang sv|en]',
    '       npm run export -- protocol --meeting 2026-03-10 --format html|md|pdf [--out file] [--lang sv|en]',
    '',
    '  Exports the decision log (every decision with a meeting date in the period, oldest first) for the registry.',
    '  --format   csv (UTF-8 with BOM, semicolons; opens right in Swedish Excel) or xlsx',
    '  --year     a calendar year (default: this year)',
    '  --from/--to  a period, dates like 2026-01-01',
    '  --out      file name (default: exports/beslutslogg-<period>.<format>); - writes to standard output',
    "  --lang     language of the output (sv or en; default: the program's)",
  ].join('\n'),
  'cli.export.formatInvalid': '--format takes csv or xlsx',
  'cli.export.yearInvalid': '--year takes a year such as 2026, got "{value}"',
  'cli.export.dateInvalid': '{option} takes a date such as 2026-01-01, got "{value}"',
  'cli.export.outNeedsName': '--out needs a file name (or - for standard output)',
  'cli.export.yearAndRange': 'give either --year or --from/--to, not both',
  'cli.export.unknownWhat': 'unknown export "{what}" (only: decisions, plan, protocol)',
  'cli.export.plan.noPeriod': 'the plan is exported whole: --year, --from and --to are for decisions only',
  'cli.export.plan.reading': 'Reading the action plan …',
  'cli.export.plan.written':
    'Wrote the action plan ({count} actions, {retired} of them retired) to {file}. Edit it and import it again: rows are matched by Id.',
  'cli.export.tooLong': 'Choose a shorter period: at most {years} years at a time.',
  'cli.export.reading': 'Reading decisions ({period}) …',
  'cli.export.writing': '{file}: writing {count} decisions …',
  'cli.export.written': 'Wrote {count} decisions ({period}) to {file}.',
  'cli.export.empty': 'No decisions with a meeting date {period}; {file} has the header row only.',
  'cli.export.cannotWrite': 'Could not write {file} ({reason}).',
};

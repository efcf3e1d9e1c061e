/**
 * Texts of `npm run digest` (cli/digest.ts); its usage lines and the written line live with the
 * digest (`digest.cli.*` in ../digest.ts).
 * Swedish first, English typed by it.
 */
export const sv = {
  'cli.digest.weekNeedsValue': '--week behöver en vecka, t.ex. 2026-W48',
  'cli.digest.formatInvalid': '--format tar md, html eller json',
  'cli.digest.outNeedsName': '--out behöver ett filnamn',
  'cli.digest.working': 'Sammanställer {week} …',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'cli.digest.weekNeedsValue': '--week needs a week, e.g. 2026-W48',
  'cli.digest.formatInvalid': '--format takes md, html or json',
  'cli.digest.outNeedsName': '--out needs a file name',
  'cli.digest.working': 'Compiling {week} …',
};

/**
 * The argument reader every CLI shares (cli/args.ts): node:util's parseArgs, strict, with the
 * mistakes explained in the language asked for and in argv order.
 */
import { t } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import { type CliSpec, HELP_OPTION, LANG_OPTION, nonEmpty, oneOf, readArgs } from '../../cli/args';
import { parseArgs as digestArgs } from '../../cli/digest';
import { parseArgs as importArgs } from '../../cli/import';

const SPEC = {
  options: {
    help: HELP_OPTION,
    force: { type: 'boolean' },
    out: { type: 'string', short: 'o', read: nonEmpty((locale: Locale) => t(locale, 'cli.digest.outNeedsName')) },
    format: {
      type: 'string',
      read: oneOf(['csv', 'xlsx'], (locale: Locale) => t(locale, 'cli.export.formatInvalid'), { excel: 'xlsx' }),
    },
    lang: LANG_OPTION,
  },
  positionals: 1,
} as const satisfies CliSpec;

const error = (argv: string[], locale: Locale = 'sv-SE') => {
  const read = readArgs(SPEC, argv, locale);
  return 'error' in read ? read.error : undefined;
};

describe('readArgs', () => {
  it('reads flags, values (long, short, inline) and positionals, the last of a repeated option winning', () => {
    expect(readArgs(SPEC, ['what', '--force', '-o', 'a.csv', '--format=XLSX', '--lang', 'en-GB'], 'sv-SE')).toEqual({
      values: { force: true, out: 'a.csv', format: 'xlsx', lang: 'en-US' },
      positionals: ['what'],
    });
    expect(readArgs(SPEC, ['--out', 'a', '--out=b', '--format', 'excel'], 'sv-SE')).toEqual({
      values: { out: 'b', format: 'xlsx' },
      positionals: [],
    });
    expect(readArgs(SPEC, ['--', '--force'], 'sv-SE')).toEqual({ values: {}, positionals: ['--force'] });
    expect(readArgs(SPEC, ['--out', '-'], 'sv-SE')).toEqual({ values: { out: '-' }, positionals: [] });
  });

  it('names an unknown option, also a typo of a known one, in Swedish and English', () => {
    expect(error(['--frce'])).toBe('okänt val --frce');
    expect(error(['--frce'], 'en-US')).toBe('unknown option --frce');
    expect(error(['--outt=a.csv'])).toBe('okänt val --outt');
    expect(error(['-x'], 'en-US')).toBe('unknown option -x');
    expect(error(['--constructor'], 'en-US')).toBe('unknown option --constructor');
  });

  it("says a value is missing in the option's own words: at the end, empty, or followed by another option", () => {
    expect(error(['--out'])).toBe('--out behöver ett filnamn');
    expect(error(['--out'], 'en-US')).toBe('--out needs a file name');
    expect(error(['--out='])).toBe('--out behöver ett filnamn');
    expect(error(['-o', '--force'], 'en-US')).toBe('--out needs a file name');
    expect(error(['--lang'])).toBe('--lang tar sv eller en');
    expect(error(['--format'], 'en-US')).toBe('--format takes csv or xlsx');
  });

  it('refuses a value the option does not take, a value for a flag, and one positional too many', () => {
    expect(error(['--format', 'pdf'])).toBe('--format tar csv eller xlsx');
    expect(error(['--lang', 'fi'], 'en-US')).toBe('--lang takes sv or en');
    expect(error(['--force=yes'])).toBe('--force tar inget värde');
    expect(error(['--force=yes'], 'en-US')).toBe('--force takes no value');
    expect(error(['one', 'two'])).toBe('oväntat argument "two"');
    expect(error(['one', 'two'], 'en-US')).toBe('unexpected argument "two"');
  });

  it('reports the first mistake in argv order', () => {
    expect(error(['--format', 'pdf', '--nope'], 'en-US')).toBe('--format takes csv or xlsx');
    expect(error(['--nope', '--format', 'pdf'], 'en-US')).toBe('unknown option --nope');
    expect(error(['a', 'b', '--nope'], 'en-US')).toBe('unexpected argument "b"');
  });

  it('stops at the flag a tool answers at once, mistakes after it unseen', () => {
    const spec = { options: { help: HELP_OPTION, lang: LANG_OPTION }, stopAt: 'help' } as const satisfies CliSpec;
    expect(readArgs(spec, ['--lang', 'en', '-h', '--nope', 'x'], 'sv-SE')).toEqual({
      values: { lang: 'en-US', help: true },
      positionals: [],
    });
    expect(readArgs(spec, ['--nope', '--help'], 'sv-SE')).toEqual({ error: 'okänt val --nope' });
  });

  it('lets a tool word its own mistakes', () => {
    const spec = {
      options: {
        out: {
          type: 'string',
          read: nonEmpty((locale: Locale, name: string) => t(locale, 'cli.package.needsValue', { option: name })),
        },
      },
      unknownOption: (locale: Locale, _option: string, arg: string) =>
        t(locale, 'cli.package.unknownArgument', { arg }),
      unexpected: (locale: Locale, arg: string) => t(locale, 'cli.package.unknownArgument', { arg }),
    } as const satisfies CliSpec;
    expect(readArgs(spec, ['--nope=1'], 'en-US')).toEqual({ error: 'unknown argument "--nope=1"' });
    expect(readArgs(spec, ['file.zip'], 'sv-SE')).toEqual({ error: 'okänt argument "file.zip"' });
    expect(readArgs(spec, ['--out'], 'en-US')).toEqual({ error: '--out needs a value' });
  });
});

describe('the tools read their arguments with it', () => {
  it('import: files, -n, a sheet, and a typo in Swedish and English', () => {
    expect(importArgs(['a.csv', '-n', '--sheet', 'Blad 1', 'b.xlsx'])).toEqual({
      files: ['a.csv', 'b.xlsx'],
      dryRun: true,
      createTeams: false,
      retireMissing: false,
      help: false,
      sheet: 'Blad 1',
    });
    expect(importArgs(['--dry-runn', 'a.csv'])).toEqual({ error: 'okänt val --dry-runn' });
    expect(importArgs(['--dry-runn', 'a.csv'], 'en-US')).toEqual({ error: 'unknown option --dry-runn' });
    expect(importArgs(['a.csv', '--sheet'], 'en-US')).toEqual({ error: t('en-US', 'cli.import.sheetNeedsName') });
  });

  it('digest: short forms, markdown as md, no positional', () => {
    expect(digestArgs(['-w', '2026-W48', '-f', 'markdown', '--no-ai'])).toEqual({
      week: '2026-W48',
      format: 'md',
      ai: false,
      help: false,
    });
    expect(digestArgs(['--wek', '48'])).toEqual({ error: 'okänt val --wek' });
    expect(digestArgs(['48'], 'en-US')).toEqual({ error: 'unexpected argument "48"' });
  });
});

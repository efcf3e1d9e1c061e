/**
 * The arguments of `npm run package`: `--app-id`, `--teams-app-id`, `--host`, `--out`, `--lang`, `--help`.
 * A mistake is a `UsageError` whose message is in the language asked for; the entry point
 * (cli/package.ts) prints it with the usage and exits 2.
 */
import { t } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import { type CliSpec, HELP_OPTION, LANG_OPTION, readArgs, type ReadResult } from '../args';
import { API_LOCALE } from './common';
import { isGuid } from './manifest';
import { hostProblemText, normalizeHost } from './tabs';

/** The usage text of `npm run package`. */
export function packageUsage(locale: Locale = API_LOCALE): string {
  return t(locale, 'cli.package.usage');
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface PackageArgs {
  appId?: string;
  teamsAppId?: string;
  /** The bot's public host, in lower case. */
  host?: string;
  out?: string;
  lang?: Locale;
  help: boolean;
}

function needsValue(locale: Locale, option: string): { error: string } {
  return { error: t(locale, 'cli.package.needsValue', { option }) };
}

function readGuid(value: string, locale: Locale, name: string): ReadResult<string> {
  if (value === '') return needsValue(locale, name);
  return isGuid(value) ? { value } : { error: t(locale, 'cli.package.notGuid', { name, value }) };
}

function readHost(value: string, locale: Locale, name: string): ReadResult<string> {
  if (value === '') return needsValue(locale, name);
  const problem = hostProblemText(locale, name, value);
  return problem ? { error: problem } : { value: normalizeHost(value) };
}

/** The packager names any argument it does not take as given, option or not. */
const unknownArgument = (locale: Locale, arg: string) => t(locale, 'cli.package.unknownArgument', { arg });

const PACKAGE_ARGS = {
  options: {
    help: HELP_OPTION,
    'app-id': { type: 'string', read: readGuid },
    'teams-app-id': { type: 'string', read: readGuid },
    host: { type: 'string', read: readHost },
    out: {
      type: 'string',
      read: (value: string, locale: Locale, name: string) => (value === '' ? needsValue(locale, name) : { value }),
    },
    lang: {
      type: 'string',
      read: (value: string, locale: Locale, name: string) =>
        value === '' ? needsValue(locale, name) : LANG_OPTION.read(value, locale, name),
    },
  },
  unknownOption: (locale: Locale, _option: string, arg: string) => unknownArgument(locale, arg),
  unexpected: unknownArgument,
  flagWithValue: (locale: Locale, _option: string, arg: string) => unknownArgument(locale, arg),
} as const satisfies CliSpec;

/** Reads the arguments; throws a UsageError in `locale` for a mistake. */
export function parsePackageArgs(argv: readonly string[], locale: Locale = API_LOCALE): PackageArgs {
  const read = readArgs(PACKAGE_ARGS, argv, locale);
  if ('error' in read) throw new UsageError(read.error);
  const { values } = read;
  const args: PackageArgs = { help: values.help === true };
  if (values['app-id'] !== undefined) args.appId = values['app-id'];
  if (values['teams-app-id'] !== undefined) args.teamsAppId = values['teams-app-id'];
  if (values.host !== undefined) args.host = values.host;
  if (values.out !== undefined) args.out = values.out;
  if (values.lang !== undefined) args.lang = values.lang;
  return args;
}

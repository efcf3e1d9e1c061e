/**
 * What the parts of the packager share: the JSON the manifest files hold, the placeholder id, the
 * language of the library functions when none is given, and the error that carries every problem found.
 */
import { ValidationError } from '../../domain/errors';
import { t } from '../../domain/i18n';
import type { Locale } from '../../domain/types';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The id the committed manifest holds for the Teams app and the bot, for the packager to fill in. */
export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';

/** The language of the library functions when none is given (the CLI always gives one). */
export const API_LOCALE: Locale = 'en-US';

/** One problem or a list of them, each naming the file and the field. */
export class AppPackageError extends ValidationError {
  constructor(
    readonly problems: readonly string[],
    locale: Locale = API_LOCALE,
  ) {
    super(
      `${t(locale, problems.length === 1 ? 'cli.package.invalid.one' : 'cli.package.invalid.many', { count: problems.length })}\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
      { problems },
    );
  }
}

export function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function asArray(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

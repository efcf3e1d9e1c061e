/** The `--lang` flag every CLI takes. Kept apart from ./common.ts: it needs no storage or config. */
import type { Locale } from '../domain/types';

/** `sv`, `en` (or a full tag such as `sv-SE`, `en-GB`) → the locale; anything else undefined. */
export function parseLang(value: string | undefined): Locale | undefined {
  const lang = value?.trim().toLowerCase().split(/[-_]/)[0];
  if (lang === 'sv') return 'sv-SE';
  if (lang === 'en') return 'en-US';
  return undefined;
}

/**
 * The `--lang` of an argument list, found on its own so that even a mistake elsewhere in the
 * arguments is explained in the language asked for. A bad value counts as not given.
 */
export function langOf(argv: readonly string[]): Locale | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--lang') return parseLang(argv[i + 1]);
    if (a.startsWith('--lang=')) return parseLang(a.slice('--lang='.length));
  }
  return undefined;
}

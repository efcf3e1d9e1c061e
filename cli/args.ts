/**
 * The argument parser every CLI shares: a tool declares its options as data (a `CliSpec`) and
 * `readArgs` reads `argv` with node:util's `parseArgs` (strict), then explains the first mistake
 * in argv order in the reader's language: an unknown option, an option without its value, a
 * flag given a value, one positional argument too many, or a value the option refuses.
 *
 * `parseArgs` says that something is wrong in English; which argument it was comes from its
 * tokens (a second, lenient parse of the same arguments), so the message is ours, not its.
 * Kept apart from ./common.ts, like ./lang.ts: it needs no storage or config.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { t } from '../domain/i18n';
import type { Locale } from '../domain/types';
import { parseLang } from './lang';

/** What an option's value becomes, or why it cannot be used (already in the reader's language). */
export type ReadResult<T> = { value: T } | { error: string };

/** An option that takes no value: present or not. */
export interface FlagOption {
  type: 'boolean';
  short?: string;
}

/**
 * An option that takes a value. `read` checks and converts it; `name` is the option as
 * written (`--out`, also for `-o`). A value that is missing (`--out` last, or followed by
 * another option such as `--out --force`) is read as `''`, so every option must refuse an
 * empty value with its own message.
 */
export interface ValueOption<T> {
  type: 'string';
  short?: string;
  read: (value: string, locale: Locale, name: string) => ReadResult<T>;
}

export type CliOption = FlagOption | ValueOption<unknown>;

export interface CliSpec {
  options: Readonly<Record<string, CliOption>>;
  /** How many positional arguments the tool takes (files, a subcommand); default none. */
  positionals?: number;
  /** A flag that ends the reading where it stands, mistakes after it unseen (seed's `--help`). */
  stopAt?: string;
  /** The texts of the mistakes; `arg` is the argument as given, `option` its name (before any `=`). */
  unknownOption?: (locale: Locale, option: string, arg: string) => string;
  unexpected?: (locale: Locale, arg: string) => string;
  flagWithValue?: (locale: Locale, option: string, arg: string) => string;
}

type ValueOf<O> = O extends ValueOption<infer T> ? T : boolean;

export type CliValues<S extends CliSpec> = { -readonly [K in keyof S['options']]?: ValueOf<S['options'][K]> };

export interface ReadArgs<S extends CliSpec> {
  values: CliValues<S>;
  positionals: string[];
}

/** `-h`, `--help`: every tool has it. */
export const HELP_OPTION: FlagOption = { type: 'boolean', short: 'h' };

/** `--lang sv|en` (or `sv-SE`, `en-GB` …); the language itself is found first, by `langOf`. */
export const LANG_OPTION: ValueOption<Locale> = {
  type: 'string',
  read: (value, locale) => {
    const lang = parseLang(value);
    return lang ? { value: lang } : { error: t(locale, 'cli.lang.invalid') };
  },
};

/** A value that must not be empty; `message` says so in the reader's language. */
export function nonEmpty(message: (locale: Locale, name: string) => string): ValueOption<string>['read'] {
  return (value, locale, name) => (value === '' ? { error: message(locale, name) } : { value });
}

/** One of a few words, case-insensitive (`--format CSV`); `aliases` map another word to one of them. */
export function oneOf<const W extends string>(
  words: readonly W[],
  message: (locale: Locale, name: string, value: string) => string,
  aliases: Readonly<Record<string, W>> = {},
): ValueOption<W>['read'] {
  return (value, locale, name) => {
    const word = value.toLowerCase();
    const found = (words as readonly string[]).includes(word) ? (word as W) : aliases[word];
    return found ? { value: found } : { error: message(locale, name, value) };
  };
}

const PARSE_ARGS_ERROR = /^ERR_PARSE_ARGS_/;

function isParseArgsError(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && PARSE_ARGS_ERROR.test(code);
}

/** A value that `parseArgs` (strict) calls ambiguous: it looks like an option (`--out -x`). */
function looksLikeOption(value: string): boolean {
  return value.length > 1 && value.startsWith('-');
}

/**
 * Reads `argv` by `spec`: the options' values (as `read` made them; the last one wins when an
 * option is repeated) and the positional arguments, or the first mistake as a message in
 * `locale`. A mistake is an argument's: a value that is well-formed but refused (`--format pdf`)
 * is reported in its place among the others.
 */
export function readArgs<S extends CliSpec>(
  spec: S,
  argv: readonly string[],
  locale: Locale,
): ReadArgs<S> | { error: string } {
  const maxPositionals = spec.positionals ?? 0;
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    options[name] = option.short ? { type: option.type, short: option.short } : { type: option.type };
  }
  const args = [...argv];
  let strictError: unknown;
  let tokens;
  try {
    ({ tokens } = parseArgs({ args, options, strict: true, allowPositionals: maxPositionals > 0, tokens: true }));
  } catch (e) {
    if (!isParseArgsError(e)) throw e;
    strictError = e;
    ({ tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true }));
  }

  const unknownOption = spec.unknownOption ?? ((l, option) => t(l, 'cli.args.unknownOption', { option }));
  const unexpected = spec.unexpected ?? ((l, arg) => t(l, 'cli.args.unexpected', { arg }));
  const flagWithValue = spec.flagWithValue ?? ((l, option) => t(l, 'cli.args.flagWithValue', { option }));
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  let stopped = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (positionals.length >= maxPositionals) return { error: unexpected(locale, token.value) };
      positionals.push(token.value);
      continue;
    }
    const arg = argv[token.index] ?? token.rawName;
    // Own properties only: `--constructor` is no option of any tool.
    const option = Object.hasOwn(spec.options, token.name) ? spec.options[token.name] : undefined;
    if (!option) return { error: unknownOption(locale, arg.split('=')[0]!, arg) };
    const written = token.rawName.startsWith('--') ? token.rawName : `--${token.name}`;
    if (option.type === 'boolean') {
      if (token.value !== undefined) return { error: flagWithValue(locale, written, arg) };
      values[token.name] = true;
      if (token.name === spec.stopAt) {
        stopped = true;
        break;
      }
      continue;
    }
    const given = token.value === undefined || (!token.inlineValue && looksLikeOption(token.value)) ? '' : token.value;
    const read = option.read(given, locale, written);
    if ('error' in read) return read;
    if (given === '') throw new Error(`${written} must refuse an empty value`);
    values[token.name] = read.value;
  }
  // parseArgs refused something the walk above found nothing wrong with: a case to add here.
  if (strictError && !stopped) throw strictError;
  return { values: values as CliValues<S>, positionals };
}

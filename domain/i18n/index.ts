/**
 * Localisation. Swedish is the default; English sits beside it. Each area's texts live in one
 * module under `domain/i18n/`; they are merged here into one table per language.
 */
import type { Locale } from '../types';
import * as actions from './actions';
import * as brief from './brief';
import * as checkin from './checkin';
import * as cli from './cli';
import * as core from './core';
import * as decisions from './decisions';
import * as digest from './digest';
import * as msgext from './msgext';
import * as plan from './plan';
import * as protocol from './protocol';
import * as roles from './roles';
import * as tab from './tab';
import * as validation from './validation';

const tables = [
  core,
  actions,
  checkin,
  decisions,
  digest,
  brief,
  roles,
  cli,
  validation,
  plan,
  msgext,
  protocol,
  tab,
] as const;

type KeysOf<T> = T extends { sv: infer S } ? keyof S : never;
export type TextKey = KeysOf<(typeof tables)[number]>;

function merge(lang: 'sv' | 'en'): Record<string, string> {
  return Object.assign({}, ...tables.map((t) => t[lang])) as Record<string, string>;
}

export const TEXTS: Readonly<Record<'sv' | 'en', Readonly<Record<string, string>>>> = Object.freeze({
  sv: Object.freeze(merge('sv')),
  en: Object.freeze(merge('en')),
});

/** Maps any locale tag (`en-GB`, `sv`, `fi-FI`) to one we speak; unknown tags give the fallback. */
export function resolveLocale(tag: string | undefined, fallback: Locale): Locale {
  if (!tag) return fallback;
  const lang = tag.toLowerCase().split(/[-_]/)[0];
  if (lang === 'sv') return 'sv-SE';
  if (lang === 'en') return 'en-US';
  return fallback;
}

function lang(locale: Locale): 'sv' | 'en' {
  return locale === 'en-US' ? 'en' : 'sv';
}

export type Params = Record<string, string | number>;

/** Looks a text up and fills `{name}` placeholders; a missing key throws (tests catch it). */
export function t(locale: Locale, key: TextKey, params?: Params): string {
  const text = TEXTS[lang(locale)][key];
  if (text === undefined) throw new Error(`Missing text "${String(key)}" for ${locale}`);
  // Most texts (a card's labels) have no placeholder: the same string, without a regex pass.
  if (!text.includes('{')) return text;
  const values = params ?? {};
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m));
}

export type Translate = (key: TextKey, params?: Params) => string;

export function translator(locale: Locale): Translate {
  return (key, params) => t(locale, key, params);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** Dates already written, by locale and date: a card shows the same few dates on every answer. */
const formattedDates = new Map<string, string>();
const MAX_FORMATTED_DATES = 2000;

/** `1 december 2026` / `1 December 2026`, from a `YYYY-MM-DD` date. */
export function formatDate(locale: Locale, date: string): string {
  const memo = `${locale}|${date}`;
  const known = formattedDates.get(memo);
  if (known !== undefined) return known;
  const key = `${locale}|long`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en-US' ? 'en-GB' : 'sv-SE', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    dateFormats.set(key, f);
  }
  const text = f.format(new Date(`${date}T12:00:00Z`));
  // Bounded: a year of history in two languages fits many times over; past that it starts again.
  if (formattedDates.size >= MAX_FORMATTED_DATES) formattedDates.clear();
  formattedDates.set(memo, text);
  return text;
}

/** `vecka 48` / `week 48`, with the year when asked. */
export function formatWeek(locale: Locale, isoWeekText: string, withYear = false): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(isoWeekText);
  if (!m) return isoWeekText;
  const word = locale === 'en-US' ? 'week' : 'vecka';
  const n = Number(m[2]);
  return withYear ? `${word} ${n} ${m[1]}` : `${word} ${n}`;
}

export function formatNumber(locale: Locale, n: number, maxFractionDigits = 1): string {
  return new Intl.NumberFormat(locale === 'en-US' ? 'en-GB' : 'sv-SE', {
    maximumFractionDigits: maxFractionDigits,
  }).format(n);
}

/**
 * What comes back from a card, as check-ins and action forms both read it: who sent it, an
 * input's value as clean text, and the reasons a form was refused. A refusal is a text key with
 * its parameters; the words are chosen where it is shown (`problemsText`, in the reader's language).
 */
import { t, type Params, type TextKey } from './i18n';
import { cleanText } from './text';
import type { Locale } from './types';

/** The person who answered or edited from a card. */
export interface Actor {
  /** Entra object id or Teams id. */
  id: string;
  name: string;
}

/** A reason an answer or form was refused, translated by `problemsText`. */
export interface Problem {
  key: TextKey;
  params?: Params;
  /** A text key whose translation fills `{field}`. */
  fieldKey?: TextKey;
}

export function problemsText(locale: Locale, problems: readonly Problem[]): string {
  return problems
    .map((p) => t(locale, p.key, { ...(p.params ?? {}), ...(p.fieldKey ? { field: t(locale, p.fieldKey) } : {}) }))
    .join('; ');
}

/** An input's value as text: strings cleaned of control characters, numbers and booleans as written, anything else empty. */
export function inputText(value: unknown): string {
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/**
 * Turns any error into a polite message in the user's language: never a stack trace. Coded
 * domain errors get their own text; anything else is logged with its stack and answered
 * generically.
 */
import { isKraftsamlaError, type KraftsamlaError } from '../domain/errors';
import { t, TEXTS, type Params, type TextKey } from '../domain/i18n';
import type { Logger } from '../domain/ports';
import type { Locale } from '../domain/types';

/**
 * Words the domain left to the edge: a key of the text tables with its parameters, and a key whose
 * words fill `{field}` (the decision log reports its refusals so).
 */
export interface KeyedText {
  key: TextKey;
  params?: Params;
  fieldKey?: TextKey;
}

function isTextKey(value: unknown): value is TextKey {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TEXTS.sv, value);
}

function isKeyedText(value: unknown): value is KeyedText {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof KeyedText, unknown>>;
  return (
    isTextKey(v.key) &&
    (v.fieldKey === undefined || isTextKey(v.fieldKey)) &&
    (v.params === undefined || (typeof v.params === 'object' && v.params !== null))
  );
}

export function keyedText(locale: Locale, text: KeyedText): string {
  return t(locale, text.key, { ...(text.params ?? {}), ...(text.fieldKey ? { field: t(locale, text.fieldKey) } : {}) });
}

/**
 * What a refusal says was wrong: its `problems` when they are text keys (each in words, one after
 * another), else the `problem` text it carries, else its message.
 */
export function problemText(err: KraftsamlaError, locale: Locale): string {
  const problems = err.details.problems;
  if (Array.isArray(problems) && problems.length > 0 && problems.every(isKeyedText))
    return problems.map((p) => keyedText(locale, p)).join(' ');
  return String(err.details.problem ?? err.message);
}

export function describeError(err: unknown, locale: Locale): string {
  if (isKraftsamlaError(err)) {
    switch (err.code) {
      case 'KS_STORAGE_UNAVAILABLE':
        return t(locale, 'error.storage');
      case 'KS_CONFLICT':
        return t(locale, 'error.conflict');
      case 'KS_NOT_FOUND':
        return t(locale, 'error.notFound', {
          what: isKeyedText(err.details.what)
            ? keyedText(locale, err.details.what)
            : String(err.details.what ?? err.message),
        });
      case 'KS_FORBIDDEN':
        return t(locale, 'error.forbidden', { role: String(err.details.role ?? '?') });
      case 'KS_VALIDATION':
        return t(locale, 'error.validation', { problem: problemText(err, locale) });
    }
  }
  return t(locale, 'error.generic');
}

export function logError(logger: Logger, err: unknown, context: object): void {
  if (isKraftsamlaError(err)) {
    const level = err.code === 'KS_STORAGE_UNAVAILABLE' ? 'error' : 'warn';
    logger[level]({ ...context, code: err.code, err: { message: err.message } }, 'request refused');
  } else {
    logger.error({ ...context, err }, 'unhandled error in turn');
  }
}

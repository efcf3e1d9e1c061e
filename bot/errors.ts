/**
 * Turns any error into a polite message in the user's language: never a stack trace. Coded
 * domain errors get their own text; anything else is logged with its stack and answered
 * generically.
 */
import { isKraftsamlaError } from '../domain/errors';
import { t } from '../domain/i18n';
import type { Logger } from '../domain/ports';
import type { Locale } from '../domain/types';

export function describeError(err: unknown, locale: Locale): string {
  if (isKraftsamlaError(err)) {
    switch (err.code) {
      case 'KS_STORAGE_UNAVAILABLE':
        return t(locale, 'error.storage');
      case 'KS_CONFLICT':
        return t(locale, 'error.conflict');
      case 'KS_NOT_FOUND':
        return t(locale, 'error.notFound', { what: String(err.details.what ?? err.message) });
      case 'KS_FORBIDDEN':
        return t(locale, 'error.forbidden', { role: String(err.details.role ?? '?') });
      case 'KS_VALIDATION':
        return t(locale, 'error.validation', { problem: String(err.details.problem ?? err.message) });
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

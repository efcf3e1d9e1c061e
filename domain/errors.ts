/**
 * Errors that carry a code (bolt-js `ErrorCode`, fastify `FST_ERR_*`). The turn-error handler maps
 * each code to a polite, localised message; anything else becomes "something went wrong".
 */
export type ErrorCode = 'KS_CONFLICT' | 'KS_NOT_FOUND' | 'KS_FORBIDDEN' | 'KS_VALIDATION' | 'KS_STORAGE_UNAVAILABLE';

export class KraftsamlaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra facts for the message shown to the user (field, row, role, ...). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ConcurrencyError extends KraftsamlaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('KS_CONFLICT', message, details);
  }
}

export class NotFoundError extends KraftsamlaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('KS_NOT_FOUND', message, details);
  }
}

export class ForbiddenError extends KraftsamlaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('KS_FORBIDDEN', message, details);
  }
}

export class ValidationError extends KraftsamlaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('KS_VALIDATION', message, details);
  }
}

export class StorageUnavailableError extends KraftsamlaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('KS_STORAGE_UNAVAILABLE', message, details);
  }
}

export function isKraftsamlaError(err: unknown): err is KraftsamlaError {
  return err instanceof KraftsamlaError;
}

/**
 * Structured logs (pino). Logs carry ids, never comment text or secrets: tokens, passwords and
 * connection strings are redacted wherever they appear in a logged object.
 */
import pino from 'pino';
import type { Logger } from '../domain/ports';

const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  'password',
  '*.password',
  'appPassword',
  '*.appPassword',
  'connectionString',
  '*.connectionString',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'text',
  '*.text',
  'comment',
  '*.comment',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'kraftsamla' } };
  return (destination ? pino(options, destination as pino.DestinationStream) : pino(options)) as unknown as Logger;
}

/** A logger that drops everything (unit tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' }) as unknown as Logger;
}

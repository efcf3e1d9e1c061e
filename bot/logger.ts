/**
 * Structured logs (pino). Logs carry ids, never comment text or secrets: tokens, passwords and
 * connection strings are redacted wherever they appear in a logged object. Written as JSON (one
 * object per line) or, for a terminal, as readable lines by a formatter of our own.
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

export type LogFormat = 'json' | 'pretty';

/**
 * The format when none is configured: readable lines for a person at a terminal, JSON for
 * everything else (production, a pipe, a log collector).
 */
export function chooseLogFormat(
  configured: LogFormat | undefined,
  where: { production: boolean; isTTY: boolean },
): LogFormat {
  if (configured) return configured;
  return where.isTTY && !where.production ? 'pretty' : 'json';
}

/**
 * Writes to `destination` (stdout by default): `json` as pino writes it, one object a line;
 * `pretty` as one readable line per record (`formatPretty`). Redaction happens before either.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream, format: LogFormat = 'json'): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'kraftsamla' } };
  if (format === 'pretty') return pino(options, prettyStream(destination ?? process.stdout)) as unknown as Logger;
  return (destination ? pino(options, destination as pino.DestinationStream) : pino(options)) as unknown as Logger;
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Fields every record has, shown in the line's head or not at all. */
const HEAD_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'app']);

const clock = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

function timeOf(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '--:--:--.---';
  return `${clock.format(new Date(ms))}.${String(Math.floor(ms) % 1000).padStart(3, '0')}`;
}

/** A value as `key=value` shows it: bare when it is one word, quoted (JSON) otherwise. */
function valueText(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * One pino JSON record as a terminal line: Stockholm time, level, message, then `key=value` for
 * the rest (`component` first). An error's stack follows on indented lines. A line that is not
 * a JSON record comes out as it was.
 */
export function formatPretty(line: string): string {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = LEVELS[record.level as number] ?? String(record.level ?? '');
  const keys = Object.keys(record).filter((k) => !HEAD_FIELDS.has(k) && record[k] !== undefined);
  keys.sort((a, b) => (a === 'component' ? -1 : b === 'component' ? 1 : 0));
  let stack: string | undefined;
  const fields = keys.map((k) => {
    const v = record[k];
    if (k === 'err' && v && typeof v === 'object') {
      const e = v as { type?: unknown; message?: unknown; stack?: unknown };
      if (typeof e.stack === 'string') stack = e.stack;
      return `err=${valueText(typeof e.message === 'string' ? e.message : v)}`;
    }
    return `${k}=${valueText(v)}`;
  });
  const head =
    `${timeOf(record.time)} ${level.padEnd(5)} ${typeof record.msg === 'string' ? record.msg : ''}`.trimEnd();
  const out = fields.length > 0 ? `${head}  ${fields.join(' ')}` : head;
  if (!stack) return out;
  // The stack's first line repeats the message.
  return [
    out,
    ...stack
      .split('\n')
      .slice(1)
      .map((l) => `    ${l.trim()}`),
  ].join('\n');
}

/** A stream pino writes its JSON lines to; each is written on as `formatPretty` has it. */
function prettyStream(destination: NodeJS.WritableStream): pino.DestinationStream {
  return {
    write(chunk: string) {
      const lines = chunk.split('\n').filter((l) => l.length > 0);
      destination.write(`${lines.map(formatPretty).join('\n')}\n`);
    },
  };
}

/** A logger that drops everything (unit tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' }) as unknown as Logger;
}

/**
 * Dates and ISO weeks in the program's time zone (Europe/Stockholm by default). Pure functions
 * on `Date` and strings; the current time always comes from an injected `Clock`.
 */
import { ValidationError } from './errors';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests and benchmarks. */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let t = new Date(at).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    partsCache.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 = Monday … 7 = Sunday */
  isoWeekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/**
 * The zone's offset from UTC (ms) by minute: a zone changes its offset only at the start of a
 * minute, so every instant of one minute has the same. Asking Intl costs tens of microseconds;
 * an answer asks about "now" several times (its week, its log partition, the card's date), each
 * a different millisecond of the same minute, and a card about the same few answer times.
 */
const offsets = new Map<string, number>();
const MAX_OFFSETS = 5000;

function offsetAt(at: Date, timeZone: string): number {
  const minuteStart = Math.floor(at.getTime() / 60000) * 60000;
  const key = `${timeZone}|${minuteStart}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const p = computeLocalParts(new Date(minuteStart), timeZone);
    const wall = new Date(0);
    // setUTCFullYear, not Date.UTC: that reads the years 0–99 as 1900–1999.
    wall.setUTCFullYear(p.year, p.month - 1, p.day);
    wall.setUTCHours(p.hour, p.minute, p.second, 0);
    offset = wall.getTime() - minuteStart;
    if (offsets.size >= MAX_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

export function localParts(at: Date, timeZone: string): LocalParts {
  // The wall clock of the zone, read as the UTC fields of the instant moved by the offset.
  const local = new Date(at.getTime() + offsetAt(at, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    isoWeekday: local.getUTCDay() || 7,
  };
}

function computeLocalParts(at: Date, timeZone: string): LocalParts {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    isoWeekday: WEEKDAYS[parts.weekday as string] ?? 1,
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local date and time of an ISO instant in the program's zone. */
export interface LocalStamp {
  date: string;
  time: string;
}

/** `{ date: 'YYYY-MM-DD', time: 'HH:MM' }` of an ISO instant in the time zone. */
export function localStamp(iso: string, timeZone: string): LocalStamp {
  const p = localParts(new Date(iso), timeZone);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

/** `YYYY-MM-DD` of the instant in the time zone. */
export function localDate(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** ISO week of a calendar date given as year, month, day. */
export function isoWeekOfDate(year: number, month: number, day: number): { year: number; week: number } {
  const d = new Date(Date.UTC(year, month - 1, day));
  const dayNum = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dayNum);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - yearStart.getTime()) / 86400000 + 1) / 7);
  return { year: d.getUTCFullYear(), week };
}

export function formatIsoWeek(year: number, week: number): string {
  return `${year}-W${pad(week)}`;
}

/** `2026-W48` for the instant, in the time zone. */
export function isoWeek(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  const w = isoWeekOfDate(p.year, p.month, p.day);
  return formatIsoWeek(w.year, w.week);
}

export function weeksInYear(year: number): number {
  // A year has 53 ISO weeks when 28 December falls in week 53.
  return isoWeekOfDate(year, 12, 28).week;
}

/** Parses `2026-W48` (also `2026W48`, `2026-w48`); throws ValidationError for weeks that do not exist. */
export function parseIsoWeek(text: string): { year: number; week: number } {
  const m = /^(\d{4})-?[Ww](\d{1,2})$/.exec(text.trim());
  if (!m) throw new ValidationError(`Not an ISO week: ${text}`, { value: text, expected: 'YYYY-Www' });
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > weeksInYear(year)) {
    throw new ValidationError(`Week ${week} does not exist in ${year}`, { value: text });
  }
  return { year, week };
}

/** Monday (YYYY-MM-DD) of an ISO week. */
export function mondayOfIsoWeek(year: number, week: number): string {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const jan4Day = jan4.getUTCDay() || 7;
  const monday = new Date(jan4.getTime() + ((week - 1) * 7 - (jan4Day - 1)) * 86400000);
  return monday.toISOString().slice(0, 10);
}

/** Adds days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The days of an ISO week: its Monday and its Sunday (YYYY-MM-DD). */
export function isoWeekDays(year: number, week: number): { from: string; to: string } {
  const from = mondayOfIsoWeek(year, week);
  return { from, to: addDays(from, 6) };
}

/** The week before/after: shiftIsoWeek('2026-W01', -1) = '2025-W53' or '2025-W52'. */
export function shiftIsoWeek(week: string, delta: number): string {
  const { year, week: w } = parseIsoWeek(week);
  const monday = addDays(mondayOfIsoWeek(year, w), delta * 7);
  const [y, m, d] = monday.split('-').map(Number) as [number, number, number];
  const r = isoWeekOfDate(y, m, d);
  return formatIsoWeek(r.year, r.week);
}

/** UTC instant of a local wall-clock time in the zone (handles DST by iteration). */
export function zonedTimeToUtc(date: string, hour: number, minute: number, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  let guess = Date.UTC(y, mo - 1, d, hour, minute);
  for (let i = 0; i < 3; i++) {
    const p = localParts(new Date(guess), timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    const wanted = Date.UTC(y, mo - 1, d, hour, minute);
    const diff = wanted - asUtc;
    if (diff === 0) break;
    guess += diff;
  }
  return new Date(guess);
}

/** Validates a real calendar date; `2026-02-30` is rejected. */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last;
}

/**
 * Parses a date as people type it in a Swedish municipality: ISO `2026-12-31`, `20261231`,
 * Swedish short forms `31/12 2026`, `31/12/2026`, `31.12.2026`, `261231`, and `2026-12-31T…`
 * (Excel exports). Returns `YYYY-MM-DD`, or throws ValidationError naming the value.
 */
export function parseLocalDate(text: string): string {
  const s = text.trim();
  let y: number | undefined;
  let m: number | undefined;
  let d: number | undefined;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{2})(\d{2})(\d{2})$/.exec(s))) {
    [y, m, d] = [2000 + Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})[/.](\d{1,2})(?:[/.\s]\s*(\d{2}|\d{4}))$/.exec(s))) {
    const yy = Number(match[3]);
    [y, m, d] = [yy < 100 ? 2000 + yy : yy, Number(match[2]), Number(match[1])];
  }
  if (y === undefined || m === undefined || d === undefined) {
    throw new ValidationError(`Not a date: ${text}`, { value: text, expected: 'YYYY-MM-DD' });
  }
  if (!isValidDate(y, m, d)) {
    throw new ValidationError(`The date ${text} does not exist`, { value: text });
  }
  return `${y}-${pad(m)}-${pad(d)}`;
}

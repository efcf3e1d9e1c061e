/**
 * Timelines as action plans write them ("Hösten 2026", "Q2 2026", "2026–2027", "Löpande") and the
 * due date they imply. The text is always kept as written; the due date is derived by one rule:
 *
 *  - **Ongoing** work ("Löpande", "Årligen", "Två gånger per år", "Kontinuerligt", "Varje månad",
 *    "Ongoing", …): no due date, never overdue.
 *  - **A span** ("2026–2027", "mars–juni 2026", "Hösten 2026 – våren 2027", "2026 till 2027") ends
 *    when its last part ends; a last part without a year takes the last year written before it.
 *  - **A period** ends on its last day: a date is itself (`2026-06-30`, `30/6 2026`,
 *    `30 juni 2026`); a week (`v 12 2026`) its Sunday; a month (`mars 2026`, `2026-03`) its last
 *    day; a quarter (`Q2 2026`, `K2 2026`, `2:a kvartalet 2026`) 31 Mar / 30 Jun / 30 Sep /
 *    31 Dec; a tertial (`T1 2026`) 30 Apr / 31 Aug / 31 Dec; a half year (`H1 2026`,
 *    `första halvåret 2026`, `VT 2026`) 30 Jun / 31 Dec; a season: spring (`Våren 2026`) 31 May,
 *    summer 31 Aug, autumn (`Hösten 2026`) 30 Nov, winter (Dec–Feb) the last day of February of
 *    the next year; a year (`2026`, `Under 2026`, `Slutet av 2026`) 31 Dec, `Början av 2026`
 *    31 Mar, `Mitten av 2026` 30 Jun.
 *  - Words around the period ("under", "senast", "klart", "fram till", "by", "during") are
 *    ignored. A period without a year ("Hösten") is this year's when `today` is given, or next
 *    year's once this year's has ended; without `today` it gives no due date.
 *  - Anything else is kept as written with no due date (the import warns about it).
 *
 * Pure: no clock (the caller passes `today`), no storage.
 */
import { addDays, isValidDate, mondayOfIsoWeek, parseLocalDate, weeksInYear } from '../time';

export interface Timeline {
  /** The text as written (trimmed). */
  timeline: string;
  /** `YYYY-MM-DD`: the last day of the period the text names. */
  due?: string;
  /** Recurring or continuous work: no due date, never overdue. */
  ongoing: boolean;
}

export interface TimelineOptions {
  /** `YYYY-MM-DD`, local to the program: places a period written without a year. */
  today?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const endOfMonth = (year: number, month: number) => `${year}-${pad(month)}-${pad(lastDayOfMonth(year, month))}`;

const MONTHS: Record<string, number> = {};
[
  ['januari', 'january', 'jan'],
  ['februari', 'february', 'feb'],
  ['mars', 'march', 'mar'],
  ['april', 'apr'],
  ['maj', 'may'],
  ['juni', 'june', 'jun'],
  ['juli', 'july', 'jul'],
  ['augusti', 'august', 'aug'],
  ['september', 'sept', 'sep'],
  ['oktober', 'october', 'okt', 'oct'],
  ['november', 'nov'],
  ['december', 'dec'],
].forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));

const ORDINALS: Record<string, number> = {
  '1': 1,
  '1a': 1,
  första: 1,
  forsta: 1,
  first: 1,
  '1st': 1,
  '2': 2,
  '2a': 2,
  andra: 2,
  second: 2,
  '2nd': 2,
  '3': 3,
  '3e': 3,
  '3rd': 3,
  tredje: 3,
  third: 3,
  '4': 4,
  '4e': 4,
  '4th': 4,
  fjärde: 4,
  fjarde: 4,
  fourth: 4,
};

/** Season → month and day its end falls on, and whether that is in the next year. */
const SEASONS: Record<string, { month: number; nextYear?: boolean }> = {
  vår: { month: 5 },
  våren: { month: 5 },
  var: { month: 5 },
  varen: { month: 5 },
  spring: { month: 5 },
  sommar: { month: 8 },
  sommaren: { month: 8 },
  summer: { month: 8 },
  höst: { month: 11 },
  hösten: { month: 11 },
  host: { month: 11 },
  hosten: { month: 11 },
  autumn: { month: 11 },
  fall: { month: 11 },
  vinter: { month: 2, nextYear: true },
  vintern: { month: 2, nextYear: true },
  winter: { month: 2, nextYear: true },
};

/** Words around a period that do not change it. */
const FILLER = new Set([
  'under',
  'senast',
  'klart',
  'klar',
  'klara',
  'fram',
  'till',
  'tom',
  'tomed',
  'innan',
  'i',
  'år',
  'året',
  'ar',
  'aret',
  'by',
  'in',
  'during',
  'until',
  'the',
  'of',
  'av',
  'end',
  'slutet',
  'slut',
  'utgången',
  'utgangen',
  'late',
  'year',
]);

const ONGOING = [
  /^(löpande|lopande|kontinuerlig(t|a)?|ständig(t|a)?|standigt|fortlöpande|återkommande|aterkommande|tills vidare|ongoing|continuous(ly)?|recurring|permanent)\b/,
  /^(årligen|arligen|årlig(t|a)?|varje (år|månad|kvartal|vecka|termin|halvår)|månadsvis|manadsvis|kvartalsvis|veckovis|terminsvis|annually|yearly|monthly|quarterly|weekly|every (year|month|quarter|week))\b/,
  /\b(gång(er)?|gg|ggr|times?)\s*(per|om|i|\/|a|each|every)\s*(år|året|månad(en)?|kvartal(et)?|vecka(n)?|termin(en)?|halvår(et)?|year|month|quarter|week)\b/,
  /\b(per|varje|\/)\s*(år|månad|kvartal|vecka|termin)$/,
];

/** Parses a timeline as written; see the module comment for the rule. */
export function parseTimeline(text: string, options: TimelineOptions = {}): Timeline {
  const timeline = text.trim().replace(/\s+/g, ' ');
  if (timeline === '') return { timeline, ongoing: false };
  const lower = timeline.toLowerCase().normalize('NFC');
  if (ONGOING.some((re) => re.test(lower))) return { timeline, ongoing: true };
  const due = dueOf(lower, options.today);
  return due ? { timeline, due, ongoing: false } : { timeline, ongoing: false };
}

function dueOf(lower: string, today: string | undefined): string | undefined {
  // A whole date first: `2026-06-30`, `30/6 2026`, `20260630`.
  const whole = tryDate(lower);
  if (whole) return whole;
  // Spans: `2026-2027`, `2026/27` are years; dashes with spaces, en and em dashes, arrows and
  // "till"/"to"/"until" separate parts.
  const spaced = lower
    .replace(/\b((?:19|20)\d{2})\s*[-/]\s*((?:19|20)\d{2})\b/g, '$1 – $2')
    .replace(/\b((?:19|20)\d{2})\s*\/\s*(\d{2})\b/g, (_m, a: string, b: string) => `${a} – ${a.slice(0, 2)}${b}`);
  const parts = spaced
    .split(/\s*[–—→]\s*|\s+-\s+|\s+(?:till|to|until|tom|t\.o\.m\.?)\s+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return undefined;
  const last = parts[parts.length - 1]!;
  const yearsBefore = parts
    .slice(0, -1)
    .join(' ')
    .match(/\b(?:19|20)\d{2}\b/g);
  // A span with a year only in its first part ("2026 mars–juni") borrows that year.
  const fallbackYear = yearsBefore ? Number(yearsBefore[yearsBefore.length - 1]) : undefined;
  return periodEnd(last, fallbackYear, today);
}

function tryDate(s: string): string | undefined {
  try {
    return parseLocalDate(s);
  } catch {
    return undefined;
  }
}

/** The last day of one period ("hösten 2026", "q2", "mars"), or undefined. */
function periodEnd(part: string, fallbackYear: number | undefined, today: string | undefined): string | undefined {
  const date = tryDate(part);
  if (date) return date;
  const years = part.match(/\b(?:19|20)\d{2}\b/g) ?? [];
  if (years.length > 1) return undefined;
  const rest = part
    .replace(/\b(?:19|20)\d{2}\b/, ' ')
    .replace(/[.,:;()'"!?]/g, '')
    .split(/[\s\-/]+/)
    .filter((w) => w !== '');
  const explicitYear = years.length === 1 ? Number(years[0]) : fallbackYear;
  // "början av 2026" / "mitten av 2026": the word decides, before the filler words go.
  const early = rest.some((w) => ['början', 'borjan', 'beginning', 'early', 'start', 'starten'].includes(w));
  const middle = rest.some((w) => ['mitten', 'mid', 'middle'].includes(w));
  const words = rest.filter(
    (w) =>
      !FILLER.has(w) &&
      !['början', 'borjan', 'beginning', 'early', 'start', 'starten', 'mitten', 'mid', 'middle'].includes(w),
  );
  const end = periodOf(words);
  if (!end) return undefined;
  const atYear = (year: number): string | undefined => {
    if (end.kind === 'year') {
      if (words.length > 0) return undefined;
      if (early) return `${year}-03-31`;
      if (middle) return `${year}-06-30`;
      return `${year}-12-31`;
    }
    return end.at(year);
  };
  if (explicitYear !== undefined) return atYear(explicitYear);
  if (!today || end.kind === 'year') return undefined;
  // No year written: this year's period, or next year's once this one has ended.
  const thisYear = Number(today.slice(0, 4));
  const thisOne = atYear(thisYear);
  if (thisOne && thisOne >= today) return thisOne;
  return atYear(thisYear + 1);
}

type PeriodEnd = { kind: 'year' } | { kind: 'period'; at: (year: number) => string | undefined };

const period = (at: (year: number) => string | undefined): PeriodEnd => ({ kind: 'period', at });

/** What the words (year and filler removed) name. */
function periodOf(words: string[]): PeriodEnd | undefined {
  const joined = words.join(' ');
  if (joined === '') return { kind: 'year' };
  let m: RegExpExecArray | null;
  // Quarter: q2, k2, kv2, kvartal 2, 2a kvartalet, andra kvartalet, quarter 2, second quarter.
  if (
    (m = /^(?:q|k|kv|kvartal|quarter)\s*([1-4])$/.exec(joined)) ||
    (m = /^(\S+)\s*(?:kvartalet|kvartal|quarter|q|k)$/.exec(joined))
  ) {
    const q = ORDINALS[m[1]!];
    if (q && q <= 4) return period((y) => endOfMonth(y, q * 3));
  }
  // Tertial: t1, tertial 1, 1a tertialet, första tertialet.
  if ((m = /^(?:t|tertial)\s*([1-3])$/.exec(joined)) || (m = /^(\S+)\s*(?:tertialet|tertial)$/.exec(joined))) {
    const n = ORDINALS[m[1]!];
    if (n && n <= 3) return period((y) => endOfMonth(y, n * 4));
  }
  // Half year: h1, halvår 1, första halvåret, first half, vt/ht (terms).
  if (
    (m = /^(?:h|halvår|halvar|half)\s*([12])$/.exec(joined)) ||
    (m = /^(\S+)\s*(?:halvåret|halvaret|halvår|halvar|half|half year|half-year)$/.exec(joined))
  ) {
    const n = ORDINALS[m[1]!];
    if (n && n <= 2) return period((y) => endOfMonth(y, n * 6));
  }
  if (/^(vt|vårtermin(en)?|vartermin(en)?|spring term)$/.test(joined)) return period((y) => `${y}-06-30`);
  if (/^(ht|hösttermin(en)?|hosttermin(en)?|autumn term|fall term)$/.test(joined)) return period((y) => `${y}-12-31`);
  // Season.
  const season = SEASONS[joined];
  if (season) return period((y) => endOfMonth(season.nextYear ? y + 1 : y, season.month));
  // Week: v12, v 12, vecka 12, w12, week 12.
  if ((m = /^(?:v|vecka|w|week|wk)\s*(\d{1,2})$/.exec(joined))) {
    const week = Number(m[1]);
    return period((y) => (week >= 1 && week <= weeksInYear(y) ? addDays(mondayOfIsoWeek(y, week), 6) : undefined));
  }
  // Month by name or number (`2026-03` leaves `03`), and a day of a month (`30 juni`).
  if (words.length === 1) {
    const w = words[0]!;
    const named = MONTHS[w];
    if (named) return period((y) => endOfMonth(y, named));
    if (/^\d{1,2}$/.test(w) && Number(w) >= 1 && Number(w) <= 12) return period((y) => endOfMonth(y, Number(w)));
  }
  if (words.length === 2 && /^\d{1,2}$/.test(words[0]!) && MONTHS[words[1]!]) {
    const day = Number(words[0]);
    const month = MONTHS[words[1]!]!;
    return period((y) => (isValidDate(y, month, day) ? `${y}-${pad(month)}-${pad(day)}` : undefined));
  }
  return undefined;
}

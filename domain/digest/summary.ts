/**
 * "Veckan i korthet": one short paragraph on top of the digest. By default it is built by rules
 * from the digest's figures (deterministic: the same data gives the same words). When a language
 * model is configured, a `SummaryWriter` (implemented in the bot layer, bot/ai-summary.ts) may
 * write it instead from the same structured data; any failure, an empty answer or a timeout falls
 * back to the rule-based text. The paragraph never replaces the figures: they are always rendered
 * from the data beside it.
 */
import { formatWeek, t, type TextKey } from '../i18n';
import type { Logger } from '../ports';
import { stripControl } from '../text';
import { ACTION_STATUSES, type Locale } from '../types';
import type { Digest, DigestSummary } from './model';

export interface SummaryRequest {
  locale: Locale;
  /** The digest's figures and texts as compact JSON-safe data (user texts clipped). */
  facts: SummaryFacts;
  /** The rule-based paragraph, for reference (the model may use its wording). */
  fallback: string;
  maxWords: number;
}

/** Writes the paragraph with a language model. Throw (or return '') to fall back. */
export interface SummaryWriter {
  readonly name: string;
  write(request: SummaryRequest, signal: AbortSignal): Promise<string>;
}

export const SUMMARY_MAX_WORDS = 120;
/** Hard cap on the paragraph, whatever writes it (the card reserves room for this much). */
export const SUMMARY_MAX_CHARS = 1200;
export const SUMMARY_TIMEOUT_MS = 10_000;

type Plural =
  | 'digest.sum.reported'
  | 'digest.sum.changes'
  | 'digest.sum.decisions'
  | 'digest.sum.highlights'
  | 'digest.sum.blockers';

function plural(locale: Locale, key: Plural, count: number, params: Record<string, string | number>): string {
  return t(locale, `${key}.${count === 1 ? 'one' : 'other'}` as TextKey, { count, ...params });
}

function listWithMore(locale: Locale, items: string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} ${t(locale, 'digest.sum.more', { count: items.length - max })}`;
}

/** The rule-based paragraph: every sentence is a figure from the digest. */
export function deterministicSummary(digest: Digest, locale: Locale): string {
  const o = digest.overview;
  const week = formatWeek(locale, digest.week).replace(/^\D+/, '');
  const parts: string[] = [];
  if (o.updates === 0) {
    parts.push(t(locale, 'digest.sum.quiet', { week, previous: o.previousWeek.updates }));
  } else {
    parts.push(
      plural(locale, 'digest.sum.reported', o.updates, {
        week,
        teams: o.teamsReporting,
        total: digest.teams.length,
        updates: o.updates,
        previous: o.previousWeek.updates,
      }),
    );
  }
  if (o.statusChanges > 0) {
    const to = new Map<string, number>();
    for (const team of digest.teams) for (const u of team.updates) if (u.changed) to.set(u.to, (to.get(u.to) ?? 0) + 1);
    const list = ACTION_STATUSES.filter((s) => to.has(s)).map((s) =>
      t(locale, 'digest.sum.changeItem', { count: to.get(s)!, status: t(locale, `status.${s}`).toLowerCase() }),
    );
    parts.push(plural(locale, 'digest.sum.changes', o.statusChanges, { list: list.join(', ') }));
  }
  if (digest.decisions.length > 0) {
    parts.push(
      plural(locale, 'digest.sum.decisions', digest.decisions.length, {
        numbers: listWithMore(
          locale,
          digest.decisions.map((d) => d.number),
          5,
        ),
      }),
    );
  } else {
    parts.push(t(locale, 'digest.sum.noDecisions'));
  }
  if (o.highlights > 0) parts.push(plural(locale, 'digest.sum.highlights', o.highlights, {}));
  if (o.blockers > 0) parts.push(plural(locale, 'digest.sum.blockers', o.blockers, {}));
  parts.push(t(locale, 'digest.sum.deadlines', { overdue: o.overdue, upcoming: o.upcoming }));
  if (o.answers.rate !== null)
    parts.push(
      t(locale, 'digest.sum.answers', { rate: o.answers.rate, answered: o.answers.answered, asked: o.answers.asked }),
    );
  return parts.join(' ');
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export interface SummaryFacts {
  week: string;
  program: string;
  overview: Digest['overview'];
  teams: {
    name: string;
    nothingNew: boolean;
    statusChanges: { action: string; from: string | null; to: string; comment: string }[];
    highlights: string[];
    blockers: string[];
    overdue: number;
    upcoming: number;
    answerRate: number | null;
  }[];
  decisions: { number: string; title: string; followUp: string | null }[];
  indicators: {
    name: string;
    latest: number | null;
    target: number | null;
    unit: string;
    targetYear: number | null;
    targetStatus: string | null;
    progressPercent: number | null;
    trend: string | null;
  }[];
}

/** The data handed to a model: figures whole, user texts clipped, nothing the card does not show. */
export function summaryFacts(digest: Digest): SummaryFacts {
  return {
    week: digest.week,
    program: digest.programName,
    overview: digest.overview,
    teams: digest.teams.map((team) => ({
      name: team.name,
      nothingNew: team.nothingNew,
      statusChanges: team.updates
        .filter((u) => u.changed)
        .slice(0, 10)
        .map((u) => ({ action: clip(u.title, 80), from: u.from, to: u.to, comment: clip(u.comment, 200) })),
      highlights: team.highlights.slice(0, 5).map((h) => clip(h.text, 200)),
      blockers: team.blockers.slice(0, 5).map((b) => clip(b.text, 200)),
      overdue: team.overdue.length,
      upcoming: team.upcoming.length,
      answerRate: team.checkIn.rate,
    })),
    decisions: digest.decisions.slice(0, 20).map((d) => ({
      number: d.number,
      title: clip(d.title, 120),
      followUp: d.followUp ? clip(d.followUp.owner, 60) : null,
    })),
    indicators: digest.indicators.slice(0, 20).map((i) => ({
      name: clip(i.name, 80),
      latest: i.latest?.value ?? null,
      target: i.target,
      unit: clip(i.unit, 20),
      targetYear: i.targetYear,
      targetStatus: i.targetStatus,
      progressPercent: i.progressPercent,
      trend: i.trend,
    })),
  };
}

/** Tidies what a model wrote: one paragraph, no control characters, capped. Empty → undefined. */
export function cleanModelText(raw: string, maxWords = SUMMARY_MAX_WORDS): string | undefined {
  // Quotes around the whole answer and Markdown headings are common model habits.
  let text = stripControl(raw)
    .trim()
    .replace(/^["“”']+|["“”']+$/g, '')
    .replace(/^\s*#+\s*/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;
  const words = text.split(' ');
  // A little slack over the asked-for length, then a hard stop.
  if (words.length > Math.round(maxWords * 1.3)) text = `${words.slice(0, maxWords).join(' ')} …`;
  if (text.length > SUMMARY_MAX_CHARS) text = `${text.slice(0, SUMMARY_MAX_CHARS - 2).replace(/\s+\S*$/, '')} …`;
  return text;
}

export interface WriteSummaryOptions {
  writer?: SummaryWriter;
  logger?: Logger;
  timeoutMs?: number;
}

/** The paragraph for `digest` in `locale`: the model's when it answers in time, else the rules'. */
export async function writeSummary(
  digest: Digest,
  locale: Locale,
  options: WriteSummaryOptions = {},
): Promise<DigestSummary> {
  const fallback = deterministicSummary(digest, locale);
  const writer = options.writer;
  if (!writer) return { text: fallback, source: 'rules' };
  const timeoutMs = options.timeoutMs ?? SUMMARY_TIMEOUT_MS;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const started = Date.now();
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`no answer within ${timeoutMs} ms`));
        controller.abort();
      }, timeoutMs);
    });
    const raw = await Promise.race([
      writer.write({ locale, facts: summaryFacts(digest), fallback, maxWords: SUMMARY_MAX_WORDS }, controller.signal),
      timeout,
    ]);
    const text = cleanModelText(typeof raw === 'string' ? raw : '');
    if (!text) throw new Error('the model returned no text');
    options.logger?.info(
      { writer: writer.name, week: digest.week, ms: Date.now() - started },
      'digest summary written by the model',
    );
    return { text, source: 'ai' };
  } catch (err) {
    options.logger?.warn(
      { writer: writer.name, week: digest.week, ms: Date.now() - started, err: { message: (err as Error).message } },
      'digest summary: the model failed; using the rule-based paragraph',
    );
    return { text: fallback, source: 'rules' };
  } finally {
    clearTimeout(timer);
  }
}

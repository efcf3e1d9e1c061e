/**
 * The pieces of the digest document: its block and span types, and the list items for an
 * update, a deadline and an indicator, each of plain text spans (see ./document.ts).
 */
import { formatDate, formatNumber, t } from '../i18n';
import { ACTION_STATUSES, type ActionStatus, type Locale } from '../types';
import type { DigestDeadline, DigestIndicator, DigestUpdate } from './model';

export type Tone = 'good' | 'warning' | 'attention' | 'accent';

/** A run of plain text with optional emphasis. */
export interface Span {
  text: string;
  strong?: boolean;
  subtle?: boolean;
  tone?: Tone;
  /** User text (comments, titles): renderers may shorten it where space is scarce (cards). */
  user?: boolean;
}

export interface ListItem {
  line: Span[];
  sub?: Span[][];
}

export type DocBlock =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; level: 2 | 3; text: string; section?: string }
  | { kind: 'paragraph'; spans: Span[]; subtle?: boolean }
  | { kind: 'label'; text: string }
  | { kind: 'facts'; rows: { label: string; value: Span[] }[] }
  | { kind: 'list'; items: ListItem[] };

export function statusTone(status: ActionStatus): Tone | undefined {
  switch (status) {
    case 'on_track':
    case 'done':
      return 'good';
    case 'at_risk':
      return 'warning';
    case 'off_track':
      return 'attention';
    case 'not_started':
      return 'accent';
    default:
      return undefined;
  }
}

export const plain = (text: string, extra: Omit<Span, 'text'> = {}): Span => ({ text, ...extra });
export const user = (text: string, extra: Omit<Span, 'text' | 'user'> = {}): Span => ({ text, user: true, ...extra });
export const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '±0');

export function statusSpan(locale: Locale, status: ActionStatus): Span {
  return plain(t(locale, `status.${status}`), { tone: statusTone(status), strong: true });
}

export function updateItem(u: DigestUpdate, locale: Locale): ListItem {
  const line: Span[] = [user(`${u.actionId} ${u.title}`, { strong: true }), plain(': ')];
  if (u.changed && u.from) {
    line.push(statusSpan(locale, u.from), plain(' → '), statusSpan(locale, u.to));
  } else {
    line.push(statusSpan(locale, u.to));
  }
  line.push(
    plain(` · ${t(locale, 'digest.update.progress', { progress: u.progress })} · `),
    user(u.by, { subtle: true }),
  );
  if (u.count > 1) line.push(plain(` · ${t(locale, 'digest.update.count', { count: u.count })}`, { subtle: true }));
  const sub: Span[][] = [];
  if (u.comment.trim()) sub.push([user(u.comment)]);
  if (u.nextStep.trim()) sub.push([plain(`${t(locale, 'digest.update.next')} `), user(u.nextStep)]);
  return { line, ...(sub.length ? { sub } : {}) };
}

export function deadlineItem(d: DigestDeadline, locale: Locale, overdue: boolean): ListItem {
  const when = overdue
    ? t(locale, d.daysLate === 1 ? 'digest.deadline.overdue.one' : 'digest.deadline.overdue', {
        date: formatDate(locale, d.due),
        days: d.daysLate ?? 0,
      })
    : t(locale, 'digest.deadline.upcoming', { date: formatDate(locale, d.due) });
  // The plan's timeline as written goes first, the date derived from it after ("Hösten 2026, slutdatum 30 november 2026").
  const timeline: Span[] = d.timeline
    ? [plain(`${t(locale, 'digest.deadline.timeline')} `), user(d.timeline), plain(', ')]
    : [];
  return {
    line: [
      user(`${d.actionId} ${d.title}`, { strong: true }),
      plain(': '),
      statusSpan(locale, d.status),
      plain(' · '),
      ...timeline,
      plain(`${when} · `),
      user(d.owner || '–', { subtle: true }),
    ],
  };
}

export function statusSummary(locale: Locale, counts: Record<ActionStatus, number>): string {
  return ACTION_STATUSES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${t(locale, `status.${s}`).toLowerCase()}`)
    .join(', ');
}

export function num(locale: Locale, n: number): string {
  return formatNumber(locale, n, 2);
}

export function indicatorItem(i: DigestIndicator, locale: Locale): ListItem {
  const line: Span[] = [user(i.name, { strong: true }), plain(': ')];
  if (i.latest)
    line.push(
      plain(
        t(locale, 'digest.indicators.latest', {
          value: num(locale, i.latest.value),
          unit: i.unit,
          period: i.latest.period,
        }).replace(/ {2,}/g, ' '),
      ),
    );
  else line.push(plain(t(locale, 'digest.indicators.noValue'), { subtle: true }));
  if (i.target !== null) {
    const target =
      i.targetYear !== null
        ? t(locale, 'digest.indicators.againstYear', { value: num(locale, i.target), unit: i.unit, year: i.targetYear })
        : t(locale, 'digest.indicators.against', { value: num(locale, i.target), unit: i.unit });
    line.push(plain(` · ${target.replace(/ {2,}/g, ' ').trim()}`));
  }
  if (i.targetStatus) {
    const tone: Tone = i.targetStatus === 'off_track' ? 'attention' : 'good';
    line.push(plain(' · '), plain(t(locale, `digest.indicators.status.${i.targetStatus}`), { strong: true, tone }));
  }
  const sub: Span[] = [];
  const facts: string[] = [];
  if (i.baseline !== null) facts.push(t(locale, 'digest.indicators.baseline', { value: num(locale, i.baseline) }));
  if (i.progressPercent !== null) facts.push(t(locale, 'digest.indicators.progress', { percent: i.progressPercent }));
  if (facts.length) sub.push(plain(facts.join(' · ')));
  if (i.trend && i.previous) {
    if (sub.length) sub.push(plain(' · '));
    const tone: Tone | undefined = i.towardTarget === null ? undefined : i.towardTarget ? 'good' : 'attention';
    const towards =
      i.towardTarget === null
        ? ''
        : ` (${t(locale, i.towardTarget ? 'digest.indicators.toward' : 'digest.indicators.away')})`;
    sub.push(plain(t(locale, `digest.indicators.trend.${i.trend}`, { period: i.previous.period }) + towards, { tone }));
  }
  return { line, ...(sub.length ? { sub: [sub] } : {}) };
}

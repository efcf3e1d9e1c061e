/**
 * The decision log, newest first, a page at a time (each page well under Teams' card size). Each
 * row opens the decision with its history.
 */
import type { DecisionFilter, DecisionLogItem } from '../../domain/decisions';
import { formatDate, formatWeek, t } from '../../domain/i18n';
import { teamName } from '../../domain/program';
import type { Locale, Program } from '../../domain/types';
import {
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  MAX_CARD_BYTES,
  card,
  cardBytes,
  columns,
  container,
  execute,
  heading,
  literal,
  subtle,
  text,
} from '../card';
import { stateColor } from './decision.card';
import { VERBS } from '../verbs/index';
import type { DecisionLogPagePayload } from '../verbs/decision';

export interface DecisionLogView {
  items: DecisionLogItem[];
  /** What is listed: `Bostäder · 2026`. */
  filterLabel: string;
  /** The filter, carried by the paging buttons. */
  filter: Omit<DecisionLogPagePayload, 'verb' | 'page'>;
}

/** What a filter lists, in words: `Bostäder · 2026` / `vecka 47 2026` / `1 januari 2026 – 30 juni 2026`. */
export function describeFilter(filter: DecisionFilter, program: Program, locale: Locale): string {
  const parts: string[] = [];
  if (filter.teamKey) parts.push(teamName(program, filter.teamKey));
  const p = filter.period ?? { kind: 'range' };
  if (p.kind === 'default')
    parts.push(
      t(locale, 'decision.filter.default', {
        previous: Number(filter.to.slice(0, 4)) - 1,
        current: filter.to.slice(0, 4),
      }),
    );
  else if (p.kind === 'year') parts.push(String(p.year));
  else if (p.kind === 'week') parts.push(formatWeek(locale, p.week, true));
  else parts.push(`${formatDate(locale, filter.from)} – ${formatDate(locale, filter.to)}`);
  return parts.join(' · ');
}

export const DECISIONS_PER_PAGE = 10;
const EXCERPT = 280;

function clip(value: string, max: number): string {
  const one = value.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1).trimEnd()}…`;
}

function row(d: DecisionLogItem, locale: Locale, excerpt: number): CardElement {
  const meta = [
    formatDate(locale, d.meetingDate),
    d.meetingName,
    d.teams.length ? d.teams.join(', ') : undefined,
    d.supersedes ? t(locale, 'decision.log.supersedes', { number: d.supersedes }) : undefined,
    d.supersededBy ? t(locale, 'decision.log.supersededBy', { number: d.supersededBy }) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return container(
    [
      columns([
        { items: [literal(`${d.number} · ${d.title}`, {}, { weight: 'Bolder' })] },
        {
          width: 'auto',
          items: [
            text(t(locale, `decision.state.${d.state}`), {
              color: stateColor(d.state),
              weight: 'Bolder',
              horizontalAlignment: 'Right',
              size: 'Small',
            }),
          ],
        },
      ]),
      literal(meta, { spacing: 'None' }, { isSubtle: true, size: 'Small' }),
      ...(excerpt > 0 ? [literal(clip(d.text, excerpt), { spacing: 'Small' }, { size: 'Small' })] : []),
    ],
    {
      separator: true,
      spacing: 'Medium',
      selectAction: execute(t(locale, 'decision.log.open'), VERBS.decisionShow, { number: d.number }),
    },
  );
}

function build(view: DecisionLogView, locale: Locale, page: number, excerpt: number): AdaptiveCard {
  const pages = Math.max(1, Math.ceil(view.items.length / DECISIONS_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const items = view.items.slice(current * DECISIONS_PER_PAGE, (current + 1) * DECISIONS_PER_PAGE);
  const body: CardElement[] = [
    heading(t(locale, 'decision.log.title')),
    subtle(
      [
        view.filterLabel,
        t(locale, 'decision.log.count', { count: view.items.length }),
        pages > 1 ? t(locale, 'decision.log.page', { page: current + 1, pages }) : '',
      ]
        .filter(Boolean)
        .join(' · '),
    ),
  ];
  if (view.items.length === 0) body.push(text(t(locale, 'decision.log.empty')));
  body.push(...items.map((d) => row(d, locale, excerpt)));
  if (view.items.length > 0) body.push(subtle(t(locale, 'decision.log.hint'), { spacing: 'Medium' }));
  const actions: CardAction[] = [];
  if (current > 0)
    actions.push(
      execute(t(locale, 'decision.log.previous'), VERBS.decisionLogPage, { ...view.filter, page: current - 1 }),
    );
  if (current < pages - 1)
    actions.push(execute(t(locale, 'decision.log.next'), VERBS.decisionLogPage, { ...view.filter, page: current + 1 }));
  return card(body, actions, { fallbackText: t(locale, 'decision.log.title') });
}

export function decisionLogCard(view: DecisionLogView, locale: Locale, page = 0): AdaptiveCard {
  let excerpt = EXCERPT;
  let c = build(view, locale, page, excerpt);
  // Ten long titles can still be a lot of JSON: shorten the excerpts until the page fits.
  while (cardBytes(c) > MAX_CARD_BYTES && excerpt > 0) {
    excerpt = excerpt > 40 ? Math.floor(excerpt / 2) : 0;
    c = build(view, locale, page, excerpt);
  }
  return c;
}

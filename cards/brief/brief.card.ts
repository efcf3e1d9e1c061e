/**
 * The brief before the steering group's meeting as one Adaptive Card: a section per kind of item
 * (actions, follow-ups, indicators, silent teams), each left out when empty, or one line when the
 * week is all clear. An action or a silent team opens the team's check-in card; a follow-up opens
 * its decision ("visa beslut"). Everything a person wrote (titles, owners, comments, team names)
 * goes into a RichTextBlock TextRun, which Teams never reads as Markdown, so it shows as typed.
 * A section shows at most its first MAX_BRIEF_ITEMS, fewer when the card would grow past
 * MAX_CARD_BYTES, and says how many more there are.
 */
import type { Brief, BriefAction, BriefFollowUp, BriefIndicator, BriefSilentTeam } from '../../domain/brief';
import { formatDate, formatNumber, formatWeek, t } from '../../domain/i18n';
import { stripControl } from '../../domain/text';
import type { Locale } from '../../domain/types';
import {
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  MAX_CARD_BYTES,
  card,
  cardBytes,
  container,
  execute,
  heading,
  statusColor,
  subtle,
  text,
} from '../card';
import { VERBS } from '../verbs/index';

export interface BriefCardView {
  brief: Brief;
  /** Deep links to the teams' check-in cards of the period, by team key (none when unknown). */
  checkInUrls: Readonly<Partial<Record<string, string>>>;
}

/** Items a section shows; the rest are counted. */
export const MAX_BRIEF_ITEMS = 12;
/** Longest title and comment shown on the card (the check-in card and the decision have them whole). */
const TITLE_MAX = 160;
const COMMENT_MAX = 240;
const NAME_MAX = 80;

function clip(value: string, max: number): string {
  const one = stripControl(value).replace(/\s+/g, ' ').trim();
  return one.length <= max
    ? one
    : `${[...one]
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

type Run = { text: string } & Record<string, unknown>;

/** One paragraph of TextRuns: user text stays literal. */
function runs(inlines: Run[], options: Record<string, unknown> = {}): CardElement {
  return {
    type: 'RichTextBlock',
    inlines: inlines.filter((r) => r.text !== '').map((r) => ({ type: 'TextRun', ...r, text: stripControl(r.text) })),
    ...options,
  };
}

const small = (value: string, extra: Record<string, unknown> = {}): Run => ({ text: value, size: 'Small', ...extra });

function openUrl(title: string, url: string | undefined): CardAction | undefined {
  return url ? { type: 'Action.OpenUrl', title, url } : undefined;
}

function item(elements: CardElement[], action: CardAction | undefined): CardElement {
  return container(elements, { separator: true, spacing: 'Small', ...(action ? { selectAction: action } : {}) });
}

function section(title: string, items: CardElement[], total: number, locale: Locale): CardElement {
  const more = total - items.length;
  return container(
    [
      text(title, { weight: 'Bolder', size: 'Medium', style: 'heading' }),
      ...items,
      ...(more > 0 ? [subtle(t(locale, 'brief.more', { count: more }), { spacing: 'Small' })] : []),
    ],
    { spacing: 'Large' },
  );
}

function actionItem(a: BriefAction, locale: Locale, url: string | undefined): CardElement {
  const flags = [
    a.flags.includes('off_track') || a.flags.includes('at_risk') ? t(locale, `status.${a.status}`) : '',
    a.daysLate !== undefined
      ? a.daysLate === 1
        ? t(locale, 'brief.action.late.one')
        : t(locale, 'brief.action.late', { days: a.daysLate })
      : '',
  ].filter(Boolean);
  const due = a.due
    ? t(locale, 'brief.action.due', {
        due: a.timeline ? `${formatDate(locale, a.due)} (${clip(a.timeline, NAME_MAX)})` : formatDate(locale, a.due),
      })
    : '';
  return item(
    [
      runs([
        { text: `${a.id} `, weight: 'Bolder' },
        { text: clip(a.title, TITLE_MAX) },
        {
          text: `  ${flags.join(' · ')}`,
          weight: 'Bolder',
          color: a.flags[0] === 'overdue' ? 'Attention' : statusColor(a.status),
        },
      ]),
      runs(
        [
          small(
            [t(locale, 'brief.action.owner', { owner: clip(a.owner, NAME_MAX), team: clip(a.teamName, NAME_MAX) }), due]
              .filter(Boolean)
              .join(' · '),
            { isSubtle: true },
          ),
        ],
        { spacing: 'None' },
      ),
      a.comment
        ? runs(
            [
              small(
                t(locale, 'brief.action.comment', {
                  by: clip(a.comment.by, NAME_MAX),
                  date: formatDate(locale, a.comment.date),
                }),
                { isSubtle: true },
              ),
              small(clip(a.comment.text, COMMENT_MAX), { italic: true }),
            ],
            { spacing: 'None' },
          )
        : runs([small(t(locale, 'brief.action.noComment'), { isSubtle: true })], { spacing: 'None' }),
    ],
    openUrl(t(locale, 'brief.openCheckIn'), url),
  );
}

function followUpItem(f: BriefFollowUp, locale: Locale): CardElement {
  const due = formatDate(locale, f.due);
  const when =
    f.daysLate === 0
      ? t(locale, 'brief.followUp.dueToday', { due })
      : f.daysLate === 1
        ? t(locale, 'brief.followUp.late.one', { due })
        : t(locale, 'brief.followUp.late', { due, days: f.daysLate });
  return item(
    [
      runs([{ text: `${f.number} `, weight: 'Bolder' }, { text: clip(f.title, TITLE_MAX) }]),
      runs(
        [
          small(`${t(locale, 'brief.followUp.owner', { owner: clip(f.owner, NAME_MAX) })} · `, { isSubtle: true }),
          small(when, { color: 'Attention', weight: 'Bolder' }),
        ],
        { spacing: 'None' },
      ),
      ...(f.teams.length
        ? [
            runs(
              [
                small(
                  t(locale, 'brief.followUp.teams', { teams: f.teams.map((x) => clip(x.name, NAME_MAX)).join(', ') }),
                  { isSubtle: true },
                ),
              ],
              { spacing: 'None' },
            ),
          ]
        : []),
    ],
    execute(t(locale, 'brief.openDecision'), VERBS.decisionShow, { number: f.number }),
  );
}

function indicatorItem(i: BriefIndicator, locale: Locale): CardElement {
  const unit = i.unit ? ` ${clip(i.unit, 20)}` : '';
  const target = `${formatNumber(locale, i.target)}${unit}`;
  return item(
    [
      runs([{ text: clip(i.name, TITLE_MAX), weight: 'Bolder' }]),
      runs(
        [
          small(
            t(locale, 'brief.indicator.value', {
              value: `${formatNumber(locale, i.latest.value)}${unit}`,
              period: clip(i.latest.period, 20),
              target:
                i.targetYear !== null
                  ? t(locale, 'brief.indicator.targetYear', { target, year: i.targetYear })
                  : target,
            }),
            { isSubtle: true },
          ),
        ],
        { spacing: 'None' },
      ),
    ],
    undefined,
  );
}

function silentItem(s: BriefSilentTeam, locale: Locale, url: string | undefined): CardElement {
  return item(
    [
      runs([
        { text: clip(s.name, NAME_MAX), weight: 'Bolder' },
        {
          text: ` – ${s.asked === 1 ? t(locale, 'brief.silent.asked.one') : t(locale, 'brief.silent.asked', { asked: s.asked })}`,
        },
      ]),
    ],
    openUrl(t(locale, 'brief.openCheckIn'), url),
  );
}

/** The title of the brief: also the message's summary and the card's fallback text. */
export function briefTitle(brief: Brief, locale: Locale): string {
  return t(locale, 'brief.title', { date: formatDate(locale, brief.date) });
}

interface Section {
  title: string;
  items: CardElement[];
  total: number;
}

function assemble(
  head: CardElement[],
  sections: readonly Section[],
  shown: readonly number[],
  hint: boolean,
  locale: Locale,
  title: string,
): AdaptiveCard {
  const body = [...head, ...sections.map((x, i) => section(x.title, x.items.slice(0, shown[i]), x.total, locale))];
  if (hint) body.push(subtle(t(locale, 'brief.hint'), { spacing: 'Large' }));
  return card(body, [], { fallbackText: title });
}

export function briefCard(view: BriefCardView, locale: Locale): AdaptiveCard {
  const { brief, checkInUrls } = view;
  const title = briefTitle(brief, locale);
  const head: CardElement[] = [
    heading(title),
    runs(
      [
        small(
          t(locale, 'brief.subtitle', { program: brief.programName, week: formatWeek(locale, brief.period, true) }),
          { isSubtle: true },
        ),
      ],
      { spacing: 'None' },
    ),
  ];
  if (brief.allClear)
    return card([...head, text(t(locale, 'brief.allClear'), { weight: 'Bolder', color: 'Good' })], [], {
      fallbackText: title,
    });

  const first = <T>(list: readonly T[]) => list.slice(0, MAX_BRIEF_ITEMS);
  const sections: Section[] = [
    {
      title: t(locale, 'brief.actions.title', { count: brief.actions.length }),
      items: first(brief.actions).map((a) => actionItem(a, locale, checkInUrls[a.teamKey])),
      total: brief.actions.length,
    },
    {
      title: t(locale, 'brief.followUps.title', { count: brief.followUps.length }),
      items: first(brief.followUps).map((f) => followUpItem(f, locale)),
      total: brief.followUps.length,
    },
    {
      title: t(locale, 'brief.indicators.title', { count: brief.indicators.length }),
      items: first(brief.indicators).map((i) => indicatorItem(i, locale)),
      total: brief.indicators.length,
    },
    {
      title: t(locale, 'brief.silent.title', {
        week: formatWeek(locale, brief.period),
        count: brief.silentTeams.length,
      }),
      items: first(brief.silentTeams).map((x) => silentItem(x, locale, checkInUrls[x.key])),
      total: brief.silentTeams.length,
    },
  ].filter((x) => x.total > 0);
  const hint =
    brief.followUps.length > 0 ||
    [...brief.actions.map((a) => a.teamKey), ...brief.silentTeams.map((x) => x.key)].some((k) => !!checkInUrls[k]);

  // The sections share the card's room: one item of each in turn while the card stays under
  // MAX_CARD_BYTES, so a long first section cannot crowd out the others.
  const shown = sections.map(() => 0);
  const open = new Set(sections.map((_, i) => i));
  while (open.size > 0) {
    for (const i of [...open]) {
      if (shown[i]! >= sections[i]!.items.length) {
        open.delete(i);
        continue;
      }
      shown[i]!++;
      if (cardBytes(assemble(head, sections, shown, hint, locale, title)) > MAX_CARD_BYTES) {
        shown[i]!--;
        open.delete(i);
      }
    }
  }
  return assemble(head, sections, shown, hint, locale, title);
}

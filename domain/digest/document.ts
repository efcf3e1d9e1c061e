/**
 * The digest as a document: a list of blocks (title, headings, paragraphs, facts, lists) of plain
 * text spans, in reading order. Every renderer reads this one document (Markdown in ./markdown.ts,
 * HTML in ./html.ts, the card in cards/digest/digest.card.ts), so chat and the CLI say the same
 * things.
 *
 * Every piece of text in the document is plain text; each renderer escapes all of it for its
 * format, so a comment with Markdown, HTML or `${...}` comes out literally everywhere.
 */
import { formatDate, formatWeek, t } from '../i18n';
import { ACTION_STATUSES, type Locale } from '../types';
import type { Digest, DigestGoal, DigestTeam } from './model';

export { statusTone, type DocBlock, type ListItem, type Span, type Tone } from './document-items';
import {
  deadlineItem,
  statusTone,
  type Tone,
  type DocBlock,
  indicatorItem,
  plain,
  signed,
  type Span,
  statusSummary,
  updateItem,
  user,
} from './document-items';

function goalBlocks(g: DigestGoal, locale: Locale): DocBlock[] {
  const blocks: DocBlock[] = [
    { kind: 'heading', level: 3, text: g.goal ?? t(locale, 'digest.goals.none') },
    {
      kind: 'paragraph',
      subtle: true,
      spans: [
        plain(t(locale, g.actions === 1 ? 'digest.team.actions.one' : 'digest.team.actions', { count: g.actions })),
        ...(g.actions > 0 ? [plain(` · ${statusSummary(locale, g.byStatus)}`)] : []),
      ],
    },
  ];
  if (g.subGoals.length)
    blocks.push({
      kind: 'paragraph',
      subtle: true,
      spans: [plain(`${t(locale, 'digest.goals.subGoals')} `), user(g.subGoals.join(' · '))],
    });
  if (g.updates.length === 0) blocks.push({ kind: 'paragraph', spans: [plain(t(locale, 'digest.team.noUpdates'))] });
  else
    blocks.push(
      { kind: 'label', text: t(locale, 'digest.team.updates') },
      { kind: 'list', items: g.updates.map((u) => updateItem(u, locale)) },
    );
  if (g.overdue.length)
    blocks.push(
      { kind: 'label', text: t(locale, 'digest.team.overdue') },
      { kind: 'list', items: g.overdue.map((d) => deadlineItem(d, locale, true)) },
    );
  if (g.upcoming.length)
    blocks.push(
      { kind: 'label', text: t(locale, 'digest.team.upcoming') },
      { kind: 'list', items: g.upcoming.map((d) => deadlineItem(d, locale, false)) },
    );
  return blocks;
}

function teamBlocks(team: DigestTeam, locale: Locale): DocBlock[] {
  const quiet = team.nothingNew && team.overdue.length === 0 && team.upcoming.length === 0;
  if (quiet) return [{ kind: 'paragraph', spans: [plain(t(locale, 'digest.team.nothingNew', { team: team.name }))] }];
  const blocks: DocBlock[] = [
    { kind: 'heading', level: 3, text: team.name, section: `team:${team.key}` },
    {
      kind: 'paragraph',
      subtle: true,
      spans: [
        plain(
          t(locale, team.actions === 1 ? 'digest.team.actions.one' : 'digest.team.actions', { count: team.actions }),
        ),
      ],
    },
  ];
  if (team.updates.length === 0) blocks.push({ kind: 'paragraph', spans: [plain(t(locale, 'digest.team.noUpdates'))] });
  else
    blocks.push(
      { kind: 'label', text: t(locale, 'digest.team.updates') },
      { kind: 'list', items: team.updates.map((u) => updateItem(u, locale)) },
    );
  const notes = (label: string, list: DigestTeam['highlights']) => {
    if (list.length === 0) return;
    blocks.push(
      { kind: 'label', text: label },
      {
        kind: 'list',
        items: list.map((n) => ({
          line: [user(`${n.actionId} ${n.title}`, { strong: true }), plain(': '), user(n.text)],
        })),
      },
    );
  };
  notes(t(locale, 'digest.team.highlights'), team.highlights);
  notes(t(locale, 'digest.team.blockers'), team.blockers);
  if (team.overdue.length)
    blocks.push(
      { kind: 'label', text: t(locale, 'digest.team.overdue') },
      { kind: 'list', items: team.overdue.map((d) => deadlineItem(d, locale, true)) },
    );
  if (team.upcoming.length)
    blocks.push(
      { kind: 'label', text: t(locale, 'digest.team.upcoming') },
      { kind: 'list', items: team.upcoming.map((d) => deadlineItem(d, locale, false)) },
    );
  if (team.decisions.length)
    blocks.push({
      kind: 'paragraph',
      spans: [plain(t(locale, 'digest.team.decisions', { numbers: team.decisions.join(', ') }))],
    });
  return blocks;
}

export function digestTitle(digest: Digest, locale: Locale): string {
  return t(locale, 'digest.title', { week: formatWeek(locale, digest.week, true) });
}

/** The digest as a list of blocks, in reading order. */
export function digestDocument(digest: Digest, locale: Locale): DocBlock[] {
  const o = digest.overview;
  const blocks: DocBlock[] = [
    { kind: 'title', text: digestTitle(digest, locale) },
    {
      kind: 'paragraph',
      subtle: true,
      spans: [
        plain(
          t(locale, 'digest.subtitle', {
            program: digest.programName,
            from: formatDate(locale, digest.weekStart),
            to: formatDate(locale, digest.weekEnd),
          }),
        ),
      ],
    },
  ];
  if (digest.summary) {
    blocks.push(
      { kind: 'heading', level: 2, text: t(locale, 'digest.summary.title'), section: 'summary' },
      { kind: 'paragraph', spans: [user(digest.summary.text)] },
    );
    if (digest.summary.source === 'ai')
      blocks.push({ kind: 'paragraph', subtle: true, spans: [plain(t(locale, 'digest.ai.note'))] });
  }
  const answers =
    o.answers.rate === null
      ? t(locale, 'digest.overview.noCheckIns')
      : t(locale, 'digest.checkins.rate', {
          answered: o.answers.answered,
          asked: o.answers.asked,
          rate: o.answers.rate,
        });
  blocks.push(
    { kind: 'heading', level: 2, text: t(locale, 'digest.overview.title'), section: 'overview' },
    {
      kind: 'facts',
      rows: [
        { label: t(locale, 'digest.overview.total'), value: [plain(String(o.total))] },
        {
          label: t(locale, 'digest.overview.activity'),
          value: [
            plain(
              t(locale, 'digest.overview.activityValue', {
                updates: o.updates,
                teams: o.teamsReporting,
                previous: o.previousWeek.updates,
              }),
            ),
          ],
        },
        {
          label: t(locale, 'digest.overview.changes'),
          value: [
            plain(
              t(locale, 'digest.overview.changesValue', {
                count: o.statusChanges,
                previous: o.previousWeek.statusChanges,
              }),
            ),
          ],
        },
        { label: t(locale, 'digest.overview.newActions'), value: [plain(String(o.newActions))] },
        {
          label: t(locale, 'digest.overview.overdue'),
          value: [plain(String(o.overdue), o.overdue > 0 ? { tone: 'attention' } : {})],
        },
        { label: t(locale, 'digest.overview.upcoming'), value: [plain(String(o.upcoming))] },
        { label: t(locale, 'digest.overview.answers'), value: [plain(answers)] },
      ],
    },
    { kind: 'label', text: t(locale, 'digest.overview.statusHeader') },
    {
      kind: 'facts',
      rows: ACTION_STATUSES.map((s) => ({
        label: t(locale, `status.${s}`),
        value: [
          plain(String(o.byStatus[s]), { strong: true, tone: statusTone(s) }),
          plain(` (${signed(o.change[s])})`, { subtle: true }),
        ],
      })),
    },
  );
  if (digest.groupBy === 'goal' && digest.goals) {
    blocks.push({ kind: 'heading', level: 2, text: t(locale, 'digest.goals.title'), section: 'goals' });
    for (const g of digest.goals) blocks.push(...goalBlocks(g, locale));
  } else {
    blocks.push({ kind: 'heading', level: 2, text: t(locale, 'digest.teams.title'), section: 'teams' });
    for (const team of digest.teams) blocks.push(...teamBlocks(team, locale));
  }

  blocks.push({ kind: 'heading', level: 2, text: t(locale, 'digest.decisions.title'), section: 'decisions' });
  if (digest.decisions.length === 0)
    blocks.push({ kind: 'paragraph', spans: [plain(t(locale, 'digest.decisions.none'))] });
  else {
    blocks.push({
      kind: 'list',
      items: digest.decisions.map((d) => {
        const line: Span[] = [plain(`${d.number} `, { strong: true }), user(d.title, { strong: true })];
        if (d.state !== 'active')
          line.push(
            plain(` (${t(locale, `digest.decisions.state.${d.state}`)})`, {
              tone: d.state === 'revoked' ? 'attention' : 'warning',
            }),
          );
        const sub: Span[][] = [];
        if (d.text.trim()) sub.push([user(d.text)]);
        sub.push([
          user(
            t(locale, 'digest.decisions.meeting', {
              meeting: d.meeting.name,
              date: formatDate(locale, d.meeting.date),
            }),
            { subtle: true },
          ),
        ]);
        if (d.affectedTeams.length || d.affectedActions.length) {
          // A retired action stays in the decision, marked with the date it left the plan.
          const retired = new Map(d.retiredActions.map((r) => [r.id, r.date]));
          const actions = d.affectedActions.map((id) =>
            retired.has(id)
              ? `${id} (${t(locale, 'actions.retired', { date: formatDate(locale, retired.get(id)!) })})`
              : id,
          );
          sub.push([
            plain(
              t(locale, 'digest.decisions.affects', {
                teams: [...d.affectedTeams.map((x) => x.name), ...actions].join(', '),
              }),
            ),
          ]);
        }
        if (d.followUp) {
          const f = d.followUp.due
            ? t(locale, 'digest.decisions.followUpDue', {
                owner: d.followUp.owner,
                due: formatDate(locale, d.followUp.due),
              })
            : t(locale, 'digest.decisions.followUp', { owner: d.followUp.owner });
          sub.push([
            user(f),
            ...(d.followUp.done
              ? [plain(` (${t(locale, 'digest.decisions.followUpDone')})`, { tone: 'good' as Tone })]
              : []),
          ]);
        }
        if (d.supersedes) sub.push([plain(t(locale, 'digest.decisions.supersedes', { number: d.supersedes }))]);
        return { line, sub };
      }),
    });
  }

  blocks.push(
    { kind: 'heading', level: 2, text: t(locale, 'digest.checkins.title'), section: 'checkins' },
    {
      kind: 'facts',
      rows: [
        ...digest.teams.map((team) => {
          const c = team.checkIn;
          if (!c.posted)
            return { label: team.name, value: [plain(t(locale, 'digest.checkins.none'), { subtle: true })] };
          const value =
            c.rate === null
              ? t(locale, 'digest.checkins.rateNone', { answered: c.answered, asked: c.asked })
              : t(locale, 'digest.checkins.rate', { answered: c.answered, asked: c.asked, rate: c.rate });
          const tone: Tone | undefined =
            c.rate === null ? undefined : c.rate >= 75 ? 'good' : c.rate >= 50 ? 'warning' : 'attention';
          return {
            label: team.name,
            value: [
              plain(value, { tone }),
              ...(c.previousRate !== null
                ? [plain(` · ${t(locale, 'digest.checkins.previous', { rate: c.previousRate })}`, { subtle: true })]
                : []),
            ],
          };
        }),
        { label: t(locale, 'digest.checkins.total'), value: [plain(answers, { strong: true })] },
      ],
    },
    { kind: 'heading', level: 2, text: t(locale, 'digest.indicators.title'), section: 'indicators' },
  );
  if (digest.indicators.length === 0)
    blocks.push({ kind: 'paragraph', spans: [plain(t(locale, 'digest.indicators.none'))] });
  else blocks.push({ kind: 'list', items: digest.indicators.map((i) => indicatorItem(i, locale)) });

  blocks.push({
    kind: 'paragraph',
    subtle: true,
    spans: [
      plain(
        t(locale, 'digest.generated', {
          date: formatDate(locale, digest.generatedAt.slice(0, 10)),
          asOf: formatDate(locale, digest.asOf),
        }),
      ),
    ],
  });
  return blocks;
}

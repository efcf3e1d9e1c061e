/**
 * The plan as written in the digest: timelines beside the derived dates in every format (card,
 * Markdown, HTML, JSON), ongoing actions never overdue or due, retired actions out of the current
 * digest, the digest grouped by goal, and each indicator against its target.
 */
import { digestCards } from '../../../cards/digest/digest.card';
import { validateCard } from '../../../cards/validate';
import { parseArgs } from '../../../cli/digest';
import {
  assembleDigest,
  type Digest,
  type DigestGrouping,
  parseDigestArgs,
  renderHtml,
  renderJson,
  renderMarkdown,
  summarizeWeek,
} from '../../../domain/digest';
import { loadProgram } from '../../../domain/program';
import type { Action, Indicator, Locale, LogEvent } from '../../../domain/types';

const program = loadProgram();
const NOW = new Date('2026-11-27T12:00:30.000Z');
const WEEK = '2026-W48';

const action = (id: string, extra: Partial<Action> = {}): Action => ({
  programId: program.id,
  id,
  teamKey: 'bostader',
  title: `Insats ${id}`,
  description: '',
  owner: { name: 'Anna Ström' },
  responsibleBody: '',
  financing: '',
  status: 'on_track',
  progress: 10,
  indicatorIds: [],
  ...extra,
});

const plan: Action[] = [
  action('BOS-01', { timeline: 'Hösten 2026', due: '2026-11-30', goal: 'Fler bostäder', subGoal: 'Hyresrätter' }),
  action('BOS-02', { timeline: 'Löpande', ongoing: true, due: '2026-01-31', goal: 'Fler bostäder' }),
  action('BOS-03', { timeline: 'Augusti 2026', due: '2026-08-31', goal: 'Attraktiv kommun', status: 'at_risk' }),
  action('BOS-04', { due: '2026-11-20', retiredAt: '2026-11-24T08:00:00.000Z', title: 'Struken insats' }),
  action('IND-01', { teamKey: 'industrimark', due: '2026-12-05' }),
];

const update = (actionId: string, teamKey: string): LogEvent => ({
  type: 'status',
  actionId,
  teamKey,
  status: 'on_track',
  previousStatus: 'on_track',
  progress: 20,
  comment: 'Pågår enligt plan',
  blockers: '',
  nextStep: '',
  forComms: '',
  programId: program.id,
  at: '2026-11-24T09:00:00.000Z',
  by: 'Anna Ström',
  source: 'card',
  eventId: `ev-${actionId}`,
});

const indicators: Indicator[] = [
  {
    programId: program.id,
    id: 'BOST',
    name: 'Antal färdigställda bostäder',
    unit: 'st',
    baseline: 40,
    target: 85,
    targetYear: 2027,
    values: [
      { period: '2024', value: 50 },
      { period: '2025', value: 62 },
    ],
  },
  {
    programId: program.id,
    id: 'MARK',
    name: 'Detaljplanerad mark',
    unit: 'ha',
    target: 40,
    values: [
      { period: '2025', value: 42 },
      { period: '2024', value: 30 },
    ],
  },
  {
    programId: program.id,
    id: 'NÖJD',
    name: 'Nöjd-Inflyttad-Index',
    unit: '%',
    baseline: 70,
    target: 75,
    values: [
      { period: '2025', value: 68 },
      { period: '2024', value: 69 },
    ],
  },
];

function digest(groupBy?: DigestGrouping): Digest {
  return assembleDigest({
    program,
    week: WEEK,
    now: NOW,
    actions: plan,
    events: [update('BOS-01', 'bostader'), update('IND-01', 'industrimark')],
    previousWeek: summarizeWeek([], ''),
    decisions: [],
    checkIns: [
      {
        programId: program.id,
        teamKey: 'bostader',
        week: WEEK,
        channelId: '19:x@thread.tacv2',
        answeredActionIds: ['BOS-01'],
      },
    ],
    previousCheckIns: [],
    indicators,
    groupBy,
  });
}

function cardText(node: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o.text === 'string') out.push(o.text);
    if (typeof o.value === 'string' && typeof o.title === 'string') out.push(`${o.title}: ${o.value}`);
    for (const v of Object.values(o)) walk(v);
  };
  walk(node);
  return out.join('');
}

describe('timelines, ongoing and retired actions in the digest', () => {
  const d = digest();
  const bostader = d.teams.find((t) => t.key === 'bostader')!;

  it('an ongoing action is neither overdue nor coming up; a retired one is not counted or asked', () => {
    expect(bostader.overdue.map((x) => x.actionId)).toEqual(['BOS-03']);
    expect(bostader.upcoming.map((x) => x.actionId)).toEqual(['BOS-01']);
    expect(bostader.actions).toBe(3);
    expect(d.overview.total).toBe(4);
    expect(bostader.checkIn).toMatchObject({ asked: 3, answered: 1 });
    expect(JSON.stringify(d)).not.toContain('BOS-04');
  });

  it('keeps the timeline as written beside the derived date', () => {
    expect(bostader.upcoming[0]).toMatchObject({ due: '2026-11-30', timeline: 'Hösten 2026' });
    expect(d.teams.find((t) => t.key === 'industrimark')!.upcoming[0]).toMatchObject({
      due: '2026-12-05',
      timeline: null,
    });
  });

  it.each<[Locale, string, string]>([
    [
      'sv-SE',
      'tidplan Hösten 2026, slutdatum 30 november 2026',
      'tidplan Augusti 2026, slutdatum 31 augusti 2026 (88 dagar sen)',
    ],
    ['en-US', 'timeline Hösten 2026, due 30 November 2026', 'timeline Augusti 2026, due 31 August 2026 (88 days late)'],
  ])('shows it in Markdown, HTML, JSON and on the card (%s)', (locale, upcoming, overdue) => {
    const md = renderMarkdown(d, locale);
    expect(md).toContain(upcoming);
    expect(md).toContain(overdue);
    expect(renderHtml(d, locale)).toContain(upcoming);
    expect(renderJson(d)).toContain('"timeline": "Hösten 2026"');
    const cards = digestCards(d, locale);
    cards.forEach((c) => expect(validateCard(c)).toEqual([]));
    const text = cards.map(cardText).join('');
    expect(text).toContain(upcoming);
    expect(text).not.toContain('Struken insats');
    expect(md).not.toContain('Löpande');
  });
});

describe('indicators against their targets', () => {
  const byId = Object.fromEntries(digest().indicators.map((i) => [i.id, i]));

  it('says whether each is on track, off track or has reached its target', () => {
    expect(byId.BOST).toMatchObject({
      latest: { value: 62 },
      target: 85,
      targetYear: 2027,
      unit: 'st',
      targetStatus: 'on_track',
    });
    expect(byId.MARK).toMatchObject({ latest: { value: 42 }, target: 40, unit: 'ha', targetStatus: 'reached' });
    expect(byId.NÖJD).toMatchObject({ latest: { value: 68 }, target: 75, targetStatus: 'off_track' });
  });

  it('renders the value, the target with unit and year, and the verdict', () => {
    const md = renderMarkdown(digest(), 'sv-SE');
    expect(md).toContain('- **Antal färdigställda bostäder**: 62 st (2025) · mål 85 st till 2027 · **i fas**');
    expect(md).toContain('- **Detaljplanerad mark**: 42 ha (2025) · mål 40 ha · **målet nått**');
    expect(md).toContain('- **Nöjd-Inflyttad-Index**: 68 % (2025) · mål 75 % · **inte i fas**');
    expect(renderMarkdown(digest(), 'en-US')).toContain('62 st (2025) · target 85 st by 2027 · **on track**');
  });
});

describe('the digest grouped by goal', () => {
  const d = digest('goal');

  it('has one group per goal in plan order, the actions without a goal last', () => {
    expect(d.groupBy).toBe('goal');
    expect(
      d.goals!.map((g) => [
        g.goal,
        g.actions,
        g.updates.map((u) => u.actionId),
        g.overdue.map((x) => x.actionId),
        g.upcoming.map((x) => x.actionId),
      ]),
    ).toEqual([
      ['Fler bostäder', 2, ['BOS-01'], [], ['BOS-01']],
      ['Attraktiv kommun', 1, [], ['BOS-03'], []],
      [null, 1, ['IND-01'], [], ['IND-01']],
    ]);
    expect(d.goals![0]!.subGoals).toEqual(['Hyresrätter']);
    expect(digest().goals).toBeUndefined();
  });

  it.each<Locale>(['sv-SE', 'en-US'])('renders goal sections instead of team sections (%s), cards valid', (locale) => {
    const md = renderMarkdown(d, locale);
    expect(md).toContain(locale === 'sv-SE' ? '## Per mål' : '## By goal');
    expect(md).toContain('### Fler bostäder');
    expect(md).toContain(locale === 'sv-SE' ? '### Utan mål i planen' : '### No goal in the plan');
    expect(md).not.toContain(locale === 'sv-SE' ? '## Teamen' : '## Teams');
    expect(md).toContain(locale === 'sv-SE' ? 'Delmål: Hyresrätter' : 'Sub-goals: Hyresrätter');
    digestCards(d, locale).forEach((c) => expect(validateCard(c)).toEqual([]));
  });
});

describe('asking for the digest by goal', () => {
  it.each([
    ['per mål', '', 'goal'],
    ['vecka 47 per mål', 'vecka 47', 'goal'],
    ['Per Mål vecka 47', 'vecka 47', 'goal'],
    ['week 47 by goal', 'week 47', 'goal'],
    ['vecka 47', 'vecka 47', 'team'],
    ['', '', 'team'],
  ])('sammanfattning %j → week %j, grouped by %s', (args, week, groupBy) => {
    expect(parseDigestArgs(args)).toEqual({ week, groupBy });
  });

  it('the CLI takes --group team|goal and refuses anything else', () => {
    expect(parseArgs(['--group', 'goal'])).toMatchObject({ groupBy: 'goal' });
    expect(parseArgs(['--group=team'])).toMatchObject({ groupBy: 'team' });
    expect(parseArgs(['--group', 'nämnd'])).toEqual({ error: '--group tar team eller goal' });
  });

  it('the card’s paging keeps the grouping', () => {
    const cards = digestCards(digest('goal'), 'sv-SE', 3000);
    expect(cards.length).toBeGreaterThan(1);
    expect(JSON.stringify(cards[0]!.actions)).toContain('"group":"goal"');
    expect(JSON.stringify(digestCards(digest(), 'sv-SE', 3000)[0]!.actions)).not.toContain('"group"');
  });
});

it('a decision of the week keeps a retired action among those it affects, marked with the date', () => {
  const d = assembleDigest({
    program,
    week: WEEK,
    now: NOW,
    actions: plan,
    events: [],
    previousWeek: summarizeWeek([], ''),
    decisions: [
      {
        programId: program.id,
        number: 'D-2026-004',
        year: 2026,
        sequence: 4,
        title: 'Stryk insatsen',
        text: '',
        rationale: '',
        meeting: { name: 'KLG', date: '2026-11-24' },
        affectedTeams: ['bostader'],
        affectedActions: ['BOS-01', 'BOS-04'],
        loggedBy: 'Anna',
        loggedAt: '2026-11-24T13:00:00.000Z',
        state: 'active',
        history: [],
      },
    ],
    checkIns: [],
    previousCheckIns: [],
    indicators: [],
  });
  expect(d.decisions[0]!.retiredActions).toEqual([{ id: 'BOS-04', date: '2026-11-24' }]);
  expect(renderMarkdown(d, 'sv-SE')).toContain('Berör: Bostäder, BOS-01, BOS-04 (avförd ur planen 24 november 2026)');
  expect(renderMarkdown(d, 'en-US')).toContain(
    'Affects: Bostäder, BOS-01, BOS-04 (retired from the plan 24 November 2026)',
  );
});

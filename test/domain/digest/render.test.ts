/**
 * The digest in every format: user text comes out literally (no Markdown, HTML or template
 * injection), and every card page validates as Adaptive Card 1.5 and stays under the size limit,
 * in both languages, up to a digest far larger than a real week.
 */
import { MAX_CARD_BYTES, cardBytes, type AdaptiveCard } from '../../../cards/card';
import { CARD_TEXT_LIMIT, digestCard, digestCards, digestPageCount, factText } from '../../../cards/digest/digest.card';
import { validateCard } from '../../../cards/validate';
import {
  assembleDigest,
  deterministicSummary,
  type Digest,
  escapeHtml,
  escapeMarkdown,
  escapeMarkdownInline,
  renderDigest,
  renderHtml,
  renderJson,
  renderMarkdown,
  SUMMARY_MAX_CHARS,
  summarizeWeek,
} from '../../../domain/digest';
import { loadProgram } from '../../../domain/program';
import type { Action, Decision, Indicator, Locale, LogEvent } from '../../../domain/types';
import * as scenario from '../../support/digest-scenario';

const program = loadProgram();
const LOCALES: Locale[] = ['sv-SE', 'en-US'];

function scenarioDigest(locale: Locale = 'sv-SE'): Digest {
  const digest = scenario.assembled();
  return { ...digest, summary: { text: deterministicSummary(digest, locale), source: 'rules' } };
}

/** Every text a card shows, with where it sits: TextRuns are literal, the rest is Markdown. */
function cardTexts(c: AdaptiveCard): { literal: string[]; markdown: string[] } {
  const literal: string[] = [];
  const markdown: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'TextRun') literal.push(String(o.text));
    if (o.type === 'TextBlock') markdown.push(String(o.text));
    if (o.type === 'FactSet')
      for (const f of o.facts as { title: string; value: string }[]) markdown.push(f.title, f.value);
    Object.values(o).forEach(walk);
  };
  walk(c.body);
  return { literal, markdown };
}

/**
 * Reads escaped Markdown back as CommonMark would show it, and fails if anything in it could
 * still be read as Markdown or HTML: every active character must come escaped.
 */
function readMarkdownLiterally(md: string): string {
  let out = '';
  for (let i = 0; i < md.length; i++) {
    const c = md[i]!;
    if (c === '\\' && /[!-/:-@[-`{-~]/.test(md[i + 1] ?? '')) {
      out += md[++i];
    } else if (c === '&') {
      const m = /^&(lt|gt|amp);/.exec(md.slice(i));
      if (!m) throw new Error(`raw & at ${i}`);
      out += { lt: '<', gt: '>', amp: '&' }[m[1] as 'lt' | 'gt' | 'amp'];
      i += m[0].length - 1;
    } else if ('`*_{}[]|~$<>'.includes(c)) {
      throw new Error(`unescaped ${c} at ${i} in ${md.slice(Math.max(0, i - 20), i + 20)}`);
    } else {
      out += c;
    }
  }
  if (/^([#>+=-]|\d+[.)]|\s{4})/.test(md)) throw new Error(`active line start: ${md.slice(0, 10)}`);
  return out;
}

describe('escaping: a comment with Markdown, HTML and ${...} comes out literally', () => {
  const digest = scenarioDigest();
  const oneLine = scenario.HOSTILE.replace(/\s*\n\s*/g, ' ');

  it('Markdown: escaped, and read back it is the comment itself', () => {
    const escaped = escapeMarkdown(scenario.HOSTILE);
    expect(readMarkdownLiterally(escaped)).toBe(oneLine);
    expect(escaped).toContain('\\$\\{process.env.SECRET\\}');
    expect(escaped).toContain('&lt;script&gt;');
    expect(escaped.startsWith('\\# Rubrik')).toBe(true);
    for (const start of ['- lista', '+ x', '1. ett', '> citat', '=== x', '    kod']) {
      expect(() => readMarkdownLiterally(escapeMarkdown(start))).not.toThrow();
    }
    // Inside a line (after "BOS-01 …: ") the line-start rules are not needed; the rest is the same.
    const inline = escapeMarkdownInline(scenario.HOSTILE);
    expect(readMarkdownLiterally(`x ${inline}`)).toBe(`x ${oneLine}`);
    // The rendered document holds it only in escaped form: as the comment and as comms highlight.
    const md = renderMarkdown(digest, 'sv-SE');
    expect(md).toContain(`\n  - ${escaped}\n`);
    expect(md).toContain(`- **TRY-01 Trygghetsvandringar**: ${inline}\n`);
    expect(md).not.toContain('<script');
    expect(md).not.toContain('${');
    expect(md).not.toMatch(/[^\\]\]\(http/);
  });

  it('HTML: escaped text, no tag from the comment, no script at all', () => {
    const html = renderHtml(digest, 'sv-SE');
    expect(html.split(escapeHtml(scenario.HOSTILE).replace(/\n/g, '<br>')).length - 1).toBe(2);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>');
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z!][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    // The text's tags, and those of the charts (SVG) with their tables in a <details>.
    expect([...tags].sort()).toEqual([
      '!doctype',
      'body',
      'br',
      'caption',
      'circle',
      'desc',
      'details',
      'figcaption',
      'figure',
      'g',
      'h1',
      'h2',
      'h3',
      'head',
      'html',
      'li',
      'line',
      'meta',
      'p',
      'path',
      'rect',
      'span',
      'strong',
      'style',
      'summary',
      'svg',
      'table',
      'tbody',
      'td',
      'text',
      'tfoot',
      'th',
      'thead',
      'title',
      'tr',
      'ul',
    ]);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('JSON: the data, with the comment as it was typed', () => {
    const json = renderJson(digest);
    const parsed = JSON.parse(json) as Digest;
    expect(parsed).toEqual(digest);
    expect(parsed.teams.find((t) => t.key === 'trygghet')!.updates[0]!.comment).toBe(scenario.HOSTILE);
  });

  it('card: the comment sits in TextRuns exactly as typed, never in Markdown text', () => {
    for (const locale of LOCALES) {
      const cards = digestCards(scenarioDigest(locale), locale);
      const texts = cards.map(cardTexts);
      expect(texts.flatMap((x) => x.literal).filter((s) => s === scenario.HOSTILE)).toHaveLength(2);
      expect(
        texts.flatMap((x) => x.markdown).filter((s) => s.includes('evil.example') || s.includes('SECRET')),
      ).toEqual([]);
      expect(JSON.stringify(cards)).not.toContain('"$data"');
    }
    expect(factText('**x** [a](b) <i>')).toBe('\\*\\*x\\*\\* \\[a\\](b) \\<i\\>');
  });

  it('renderDigest picks the format', () => {
    expect(renderDigest(digest, 'sv-SE', 'md').startsWith('# Veckosammanfattning – vecka 48 2026\n')).toBe(true);
    expect(renderDigest(digest, 'en-US', 'html')).toContain('<title>Weekly digest – week 48 2026</title>');
    expect(JSON.parse(renderDigest(digest, 'sv-SE', 'json'))).toMatchObject({ week: '2026-W48' });
  });
});

describe('content of the rendered digest', () => {
  it('Markdown carries the figures, the teams (quiet ones in one line) and the decisions', () => {
    const md = renderMarkdown(scenarioDigest(), 'sv-SE');
    expect(md).toContain('| Åtgärder totalt | 9 |');
    expect(md).toContain('| Uppdateringar | 6 från 3 team (2 veckan innan) |');
    expect(md).toContain('| Enligt plan | **2** *(−1)* |');
    expect(md).toContain('| Klar | **1** *(+1)* |');
    expect(md).toContain('| Svarsfrekvens | 5 av 7 (71 %) |');
    expect(md).toContain('| Bostäder | 3 av 4 (75 %) *· veckan innan 33 %* |');
    expect(md).toContain('| Utbildningar | *ingen incheckning den här veckan* |');
    expect(md).toContain(
      '- **BOS-01 Nya hyresrätter vid Kanaludden**: **Risk** → **Enligt plan** · 60 % · *Anna Ström* *· 2 uppdateringar*\n  - Bygglovet beviljat\n  - Nästa steg: Upphandla entreprenör\n',
    );
    expect(md).toContain(
      '- **BOS-02 Markanvisning Saltvik**: **Risk** · slutdatum 20 november 2026 (7 dagar sen) · *Bo Berg*',
    );
    expect(md).toContain('\nUtbildningar: inget nytt den här veckan.\n');
    expect(md).toContain(
      '- **D-2026-002** **Prioritera Saltvik**\n  - Beslut: Prioritera Saltvik.\n  - *KLG, 24 november 2026*\n  - Berör: Bostäder, BOS-02\n  - Uppföljning: Eva Ek, senast 15 december 2026\n',
    );
    // Each indicator against its target (value, unit, year) and whether it is on track.
    expect(md).toContain(
      '- **Invånare**: 25\u00a0120 st (2025) · mål 30\u00a0000 st till 2030 · **i fas**\n  - utgångsläge 25\u00a0000 · 2 % av vägen till målet · uppåt sedan 2024 (mot målet)',
    );
    expect(md).toContain(
      '- **Arbetslöshet**: 7,8 % (2026) · mål 6 % till 2030 · **inte i fas**\n  - utgångsläge 8 · 10 % av vägen till målet · uppåt sedan 2025 (från målet)',
    );
    expect(md.match(/^### /gm)).toHaveLength(3);
  });

  it('English for an English reader', () => {
    const md = renderMarkdown(scenarioDigest('en-US'), 'en-US');
    expect(md).toContain('# Weekly digest – week 48 2026');
    expect(md).toContain('Utbildningar: nothing new this week.');
    expect(md).toContain('| Overdue | 1 |');
    expect(md).toContain('In week 48, 3 of 9 teams reported 6 updates');
  });
});

// ---------------------------------------------------------------------------------------------
// A digest far larger than any real week, for the card's size limit.
// ---------------------------------------------------------------------------------------------

function hugeDigest(summaryText?: string): Digest {
  const long = (n: number, seed: string) =>
    `${seed} ${'Långt svar med åäö och **tecken** <b>x</b> ${y} '.repeat(n)}`.slice(0, n * 40);
  const actions: Action[] = [];
  const events: LogEvent[] = [];
  program.teams.forEach((team, ti) => {
    for (let i = 1; i <= 40; i++) {
      const id = `${team.actionPrefix}-${String(i).padStart(2, '0')}`;
      actions.push({
        programId: 'harnosand',
        id,
        teamKey: team.key,
        title: long(4, `Åtgärd ${id}`),
        description: '',
        owner: { name: `Ägare ${ti}-${i}` },
        responsibleBody: '',
        due: i % 3 === 0 ? '2026-11-20' : i % 3 === 1 ? '2026-12-01' : '2027-05-01',
        financing: '',
        status: i % 2 ? 'at_risk' : 'on_track',
        progress: i,
        indicatorIds: [],
      });
      events.push({
        type: 'status',
        actionId: id,
        teamKey: team.key,
        status: i % 2 ? 'at_risk' : 'on_track',
        previousStatus: 'on_track',
        progress: i,
        comment: long(60, `Kommentar ${id}`),
        blockers: long(20, `Hinder ${id}`),
        nextStep: long(10, 'Nästa'),
        forComms: long(30, `Lyft ${id}`),
        programId: 'harnosand',
        at: `2026-11-2${3 + (i % 5)}T10:00:00.000Z`,
        by: `Person ${i}`,
        source: 'card',
        eventId: `e-${id}`,
      } as LogEvent);
    }
  });
  const decisions: Decision[] = Array.from({ length: 40 }, (_, i) => ({
    programId: 'harnosand',
    number: `D-2026-${String(i + 1).padStart(3, '0')}`,
    year: 2026,
    sequence: i + 1,
    title: long(3, `Beslut ${i + 1}`),
    text: long(50, 'Beslutstext'),
    rationale: '',
    meeting: { name: 'KLG', date: '2026-11-24' },
    affectedTeams: program.teams.map((t) => t.key),
    affectedActions: ['BOS-01', 'IND-02'],
    followUp: { owner: 'Eva Ek', due: '2026-12-15', done: i % 2 === 0 },
    loggedBy: 'x',
    loggedAt: '2026-11-24T12:00:00.000Z',
    state: i % 5 === 0 ? 'amended' : 'active',
    history: [],
  }));
  const indicators: Indicator[] = Array.from({ length: 25 }, (_, i) => ({
    programId: 'harnosand',
    id: `I${i}`,
    name: long(2, `Indikator ${i}`),
    unit: '%',
    baseline: 10,
    target: 20,
    targetYear: 2030,
    values: [
      { period: '2024', value: 11 },
      { period: '2025', value: 12 + (i % 3) },
    ],
  }));
  const d = assembleDigest({
    program,
    week: scenario.WEEK,
    now: new Date(scenario.FRIDAY_1300),
    actions,
    events,
    previousWeek: summarizeWeek([], ''),
    decisions,
    checkIns: [],
    previousCheckIns: [],
    indicators,
  });
  return {
    ...d,
    summary: { text: summaryText ?? deterministicSummary(d, 'sv-SE'), source: summaryText ? 'ai' : 'rules' },
  };
}

describe('cards', () => {
  it('the scripted week fits one valid card in both languages', () => {
    for (const locale of LOCALES) {
      const cards = digestCards(scenarioDigest(locale), locale);
      expect(cards).toHaveLength(1);
      expect(validateCard(cards[0]!)).toEqual([]);
      expect(cards[0]!.actions).toBeUndefined();
      const literal = cardTexts(cards[0]!).literal.join('\n');
      for (const expected of [
        'BOS-01 Nya hyresrätter vid Kanaludden',
        'D-2026-002',
        'Prioritera Saltvik',
        'Bygglovet beviljat',
        'Detaljplanen är överklagad',
      ]) {
        expect(literal).toContain(expected);
      }
    }
  });

  it('a huge digest pages: every page validates, stays under the limit and loses nothing, in both languages', () => {
    for (const locale of LOCALES) {
      const digest = hugeDigest();
      const cards = digestCards(digest, locale);
      expect(cards.length).toBeGreaterThan(5);
      expect(digestPageCount(digest, locale)).toBe(cards.length);
      cards.forEach((c, i) => {
        expect([i, validateCard(c)]).toEqual([i, []]);
        expect(cardBytes(c)).toBeLessThanOrEqual(MAX_CARD_BYTES);
        const verbs = (c.actions ?? []).map((a) => [a.title, (a.data as { page: number }).page]);
        const expected = [];
        if (i > 0) expected.push([locale === 'sv-SE' ? 'Föregående sida' : 'Previous page', i - 1]);
        if (i < cards.length - 1) expected.push([locale === 'sv-SE' ? 'Nästa sida' : 'Next page', i + 1]);
        expect(verbs).toEqual(expected);
        expect(
          (c.actions ?? []).every(
            (a) =>
              a.type === 'Action.Execute' &&
              a.verb === 'digest.page' &&
              (a.data as { week: string }).week === '2026-W48',
          ),
        ).toBe(true);
      });
      const all = cards.map((c) => cardTexts(c).literal.join('\n')).join('\n');
      for (const team of digest.teams) for (const u of team.updates) expect(all).toContain(u.actionId);
      for (const d of digest.decisions) expect(all).toContain(d.number);
      for (const ind of digest.indicators) expect(all).toContain(`Indikator ${ind.id.slice(1)}`);
      // Long user texts are shortened on the card (the exports keep them whole).
      expect(Math.max(...cards.flatMap((c) => cardTexts(c).literal.map((s) => s.length)))).toBeLessThanOrEqual(
        Math.max(CARD_TEXT_LIMIT, SUMMARY_MAX_CHARS),
      );
      // digestCard(page) is the same page; out-of-range pages are clamped.
      expect(digestCard(digest, locale, 2)).toEqual(cards[2]);
      expect(digestCard(digest, locale, 999)).toEqual(cards.at(-1));
    }
  });

  it('paging does not depend on the summary paragraph, even at its longest', () => {
    const rules = hugeDigest();
    const longest = hugeDigest('Ö'.repeat(SUMMARY_MAX_CHARS));
    for (const locale of LOCALES) {
      const a = digestCards(rules, locale);
      const b = digestCards(longest, locale);
      expect(b).toHaveLength(a.length);
      expect(cardBytes(b[0]!)).toBeLessThanOrEqual(MAX_CARD_BYTES);
      expect(validateCard(b[0]!)).toEqual([]);
      expect(cardTexts(b[1]!).literal).toEqual(cardTexts(a[1]!).literal);
    }
  });
});

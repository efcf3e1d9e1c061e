/**
 * The digest card's chart: the answer rate per team as `Chart.VerticalBar` with the figures of the
 * digest, its fallback the fact set the card showed before (for clients that cannot draw charts),
 * a card that still validates, and pages that stay under the size limit with the chart on them.
 */
import { MAX_CARD_BYTES, cardBytes, type AdaptiveCard, type CardElement } from '../../../cards/card';
import { digestCards, factText } from '../../../cards/digest/digest.card';
import { validateCard } from '../../../cards/validate';
import {
  assembleDigest,
  deterministicSummary,
  type Digest,
  digestDocument,
  summarizeWeek,
} from '../../../domain/digest';
import { loadProgram } from '../../../domain/program';
import type { Action, CheckIn, Locale, LogEvent } from '../../../domain/types';
import * as scenario from '../../support/digest-scenario';

const LOCALES: Locale[] = ['sv-SE', 'en-US'];

function digestOf(d: Digest, locale: Locale): Digest {
  return { ...d, summary: { text: deterministicSummary(d, locale), source: 'rules' } };
}

function find(node: unknown, test: (o: Record<string, unknown>) => boolean, out: Record<string, unknown>[] = []) {
  if (Array.isArray(node)) node.forEach((n) => find(n, test, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (test(o)) out.push(o);
    Object.values(o).forEach((v) => find(v, test, out));
  }
  return out;
}
const charts = (cards: AdaptiveCard[]) =>
  find(
    cards.map((c) => c.body),
    (o) => o.type === 'Chart.VerticalBar',
  );

/** The check-in section's facts as the document writes them, through the card's escaping. */
function checkInFacts(digest: Digest, locale: Locale) {
  const blocks = digestDocument(digest, locale);
  const at = blocks.findIndex((b) => b.kind === 'heading' && b.section === 'checkins');
  const facts = blocks.slice(at).find((b) => b.kind === 'facts')!;
  if (facts.kind !== 'facts') throw new Error('no facts');
  return facts.rows.map((r) => ({ title: factText(r.label), value: factText(r.value.map((s) => s.text).join('')) }));
}

describe('the answer rate chart on the digest card', () => {
  it.each(LOCALES)('draws each team’s rate from the digest, over its fact set as fallback (%s)', (locale) => {
    const digest = digestOf(scenario.assembled(), locale);
    const cards = digestCards(digest, locale);
    expect(cards).toHaveLength(1);
    const [chart] = charts(cards);
    expect(chart).toMatchObject({
      type: 'Chart.VerticalBar',
      title: locale === 'sv-SE' ? 'Svarsfrekvens per team, vecka 48 2026' : 'Answer rate per team, week 48 2026',
      xAxisTitle: 'Team',
      yAxisTitle: locale === 'sv-SE' ? 'Svarsfrekvens (%)' : 'Answer rate (%)',
      showBarValues: true,
    });
    expect(chart!.data).toEqual(
      digest.teams.filter((t) => t.checkIn.rate !== null).map((t) => ({ x: t.name, y: t.checkIn.rate })),
    );
    expect(chart!.data).toEqual([
      { x: 'Industrimark', y: 50 },
      { x: 'Bostäder', y: 75 },
      { x: 'Trygghet', y: 100 },
    ]);
    // The fallback is the text the card had: every team's answers and the total.
    const fallback = chart!.fallback as CardElement;
    expect(fallback.type).toBe('FactSet');
    expect(fallback.facts).toEqual(checkInFacts(digest, locale));
    expect(fallback.facts).toContainEqual({
      title: 'Bostäder',
      value: locale === 'sv-SE' ? '3 av 4 (75 %) · veckan innan 33 %' : '3 of 4 (75 %) · the week before 33 %',
    });
    expect(charts(cards)).toHaveLength(1);
    expect(validateCard(cards[0]!)).toEqual([]);
  });

  it('is left out, the fact set kept, when no team had a check-in', () => {
    const quiet = assembleDigest({ ...scenarioInput(), checkIns: [], previousCheckIns: [] });
    const cards = digestCards(digestOf(quiet, 'sv-SE'), 'sv-SE');
    expect(charts(cards)).toEqual([]);
    const sets = find(cards[0]!.body, (o) => o.type === 'FactSet');
    expect(sets.map((s) => s.facts)).toContainEqual(checkInFacts(quiet, 'sv-SE'));
    expect(validateCard(cards[0]!)).toEqual([]);
  });

  it('a large digest with every team checked in: the chart on one page, every page valid and under the limit', () => {
    const input = scenarioInput();
    const program = loadProgram();
    const actions: Action[] = program.teams.flatMap((team) =>
      Array.from({ length: 40 }, (_, i) => ({
        ...input.actions[0]!,
        id: `${team.actionPrefix}-${String(i + 1).padStart(2, '0')}`,
        teamKey: team.key,
        title: `Åtgärd ${i + 1} för ${team.name} med en lång titel som tar plats på kortet`,
      })),
    );
    const events = actions.map((a, i): LogEvent => ({
      type: 'status',
      programId: 'harnosand',
      eventId: `e-${a.id}`,
      actionId: a.id,
      teamKey: a.teamKey,
      status: 'on_track',
      previousStatus: 'at_risk',
      progress: 50,
      comment: `Kommentar ${i}: ${'ett svar som fyller kortet '.repeat(8)}`,
      blockers: '',
      nextStep: '',
      forComms: '',
      at: '2026-11-24T10:00:00.000Z',
      by: 'Anna Ström',
      source: 'card',
    }));
    const checkIns: CheckIn[] = program.teams.map((team, n) => ({
      programId: 'harnosand',
      teamKey: team.key,
      week: scenario.WEEK,
      channelId: '19:x@thread.tacv2',
      answeredActionIds: actions
        .filter((a) => a.teamKey === team.key)
        .slice(0, 4 * n + 1)
        .map((a) => a.id),
    }));
    for (const locale of LOCALES) {
      const digest = digestOf(assembleDigest({ ...input, actions, events, checkIns }), locale);
      const cards = digestCards(digest, locale);
      expect(cards.length).toBeGreaterThan(1);
      const [chart] = charts(cards);
      expect((chart!.data as unknown[]).length).toBe(program.teams.length);
      expect(charts(cards)).toHaveLength(1);
      cards.forEach((c, i) => {
        expect([i, validateCard(c)]).toEqual([i, []]);
        expect(cardBytes(c)).toBeLessThanOrEqual(MAX_CARD_BYTES);
      });
    }
  });
});

function scenarioInput() {
  const d = scenario.assembled();
  return {
    program: loadProgram(),
    week: d.week,
    now: new Date(scenario.FRIDAY_1300),
    actions: scenario.actions(),
    events: [],
    previousWeek: summarizeWeek([], ''),
    decisions: [],
    checkIns: scenario.checkIns().filter((c) => c.week === scenario.WEEK),
    previousCheckIns: [],
    indicators: scenario.indicators(),
  };
}

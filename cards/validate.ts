/**
 * Validates a card with the `adaptivecards` library for schema version 1.5. The package's CommonJS
 * entry does not load in Node; its UMD bundle does, so that is the one loaded here.
 *
 * Teams also draws charts (`Chart.VerticalBar`, `Chart.Line` …), which the library does not know:
 * it reports each as an unknown element and parses the element's `fallback` in its place, as a
 * client without charts shows it. So a chart with a fallback element is accepted (the library then
 * checks the fallback, and its report of the chart as unknown is dropped), and a chart without one
 * is a problem: a client that cannot draw it (Teams on iOS has been reported to be one) would show
 * nothing. The chart's own `data` is checked here, against the shape Teams documents.
 */
import type { AdaptiveCard } from './card';

interface AcModule {
  AdaptiveCard: new () => {
    parse(json: unknown, ctx: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new (version: unknown) => {
    eventCount: number;
    getEventAt(i: number): { message: string; event: number };
  };
  Versions: { v1_5: unknown };
  ValidationEvent: { UnknownElementType: number };
}

let ac: AcModule | undefined;
function lib(): AcModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the UMD bundle has no typings and must be required by path
  ac ??= require('adaptivecards/dist/adaptivecards.js') as AcModule;
  return ac;
}

/** The chart elements Teams draws (learn.microsoft.com, "Charts in Adaptive Cards"). */
const TEAMS_CHARTS = new Set([
  'Chart.Donut',
  'Chart.Pie',
  'Chart.Gauge',
  'Chart.HorizontalBar',
  'Chart.HorizontalBar.Stacked',
  'Chart.Line',
  'Chart.VerticalBar',
  'Chart.VerticalBar.Grouped',
]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const isPoint = (p: unknown) =>
  isObject(p) && (typeof p.x === 'string' || typeof p.x === 'number') && Number.isFinite(p.y);

function chartProblems(chart: Json): string[] {
  const type = String(chart.type);
  const problems: string[] = [];
  if (!isObject(chart.fallback) || typeof chart.fallback.type !== 'string')
    problems.push(`${type} needs a fallback element for clients that cannot draw charts`);
  const data = chart.data;
  if (type === 'Chart.VerticalBar' && !(Array.isArray(data) && data.length > 0 && data.every(isPoint)))
    problems.push(`${type}: data must be a non-empty list of { x: string | number, y: number }`);
  if (
    (type === 'Chart.Line' || type === 'Chart.VerticalBar.Grouped') &&
    !(
      Array.isArray(data) &&
      data.length > 0 &&
      data.every(
        (s) => isObject(s) && typeof s.legend === 'string' && Array.isArray(s.values) && s.values.every(isPoint),
      )
    )
  )
    problems.push(`${type}: data must be a non-empty list of { legend, values: [{ x, y }] }`);
  return problems;
}

/** The Teams charts in a card, wherever they sit (a fallback's charts too: the library parses those). */
function chartsIn(node: unknown, found: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const n of node) chartsIn(n, found);
  else if (isObject(node)) {
    if (typeof node.type === 'string' && TEAMS_CHARTS.has(node.type)) found.push(node);
    for (const v of Object.values(node)) chartsIn(v, found);
  }
  return found;
}

/** Returns the problems the library finds (parse events and validation events); empty means valid. */
export function validateCard(json: AdaptiveCard | Record<string, unknown>): string[] {
  const { AdaptiveCard: Card, SerializationContext, Versions, ValidationEvent } = lib();
  const card = new Card();
  const ctx = new SerializationContext(Versions.v1_5);
  card.parse(json, ctx);
  const problems: string[] = [];
  // Per chart type, how many of the library's "unknown element" reports are it using a fallback, as it should.
  const fallingBack = new Map<string, number>();
  for (const chart of chartsIn(json)) {
    problems.push(...chartProblems(chart));
    if (isObject(chart.fallback)) fallingBack.set(String(chart.type), (fallingBack.get(String(chart.type)) ?? 0) + 1);
  }
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    const unknown =
      e.event === ValidationEvent.UnknownElementType
        ? /^Unknown element type "([^"]+)"/.exec(e.message)?.[1]
        : undefined;
    const left = unknown ? (fallingBack.get(unknown) ?? 0) : 0;
    if (unknown && left > 0) fallingBack.set(unknown, left - 1);
    else problems.push(e.message);
  }
  for (const e of card.validateProperties().validationEvents) problems.push(e.message);
  if ((json as { version?: string }).version !== '1.5')
    problems.push(`version must be 1.5, got ${(json as { version?: string }).version}`);
  return problems;
}

/**
 * Digest cost growth: the digest of the last week of a one-year history against the digest of a
 * one-week history, in the same run, on the same in-memory Azurite (separate table prefixes).
 * The digest reads one week's log partition and the week before, so the two should cost about
 * the same: the ratio's goal is close to 1.
 *
 *   npm run build && node dist/bench/digest.bench.js [--quick] [--runs N] [--json]
 *
 * `runDigestBench()` returns the figures for an aggregate runner.
 */
import { randomBytes } from 'node:crypto';
import {
  assembleDigest,
  buildDigest,
  decisionYears,
  type DigestInput,
  type DigestSources,
  summarizeWeek,
  writeSummary,
} from '../domain/digest';
import type { Repositories } from '../domain/ports';
import { loadProgram } from '../domain/program';
import { addDays, isoWeekDays, mondayOfIsoWeek, parseIsoWeek, shiftIsoWeek } from '../domain/time';
import { type Program } from '../domain/types';
import { createRepositories } from '../storage';
import { startAzurite } from '../storage/azurite';
import { TableStore } from '../storage/table-store';

export interface DigestBenchOptions {
  /** Fewer runs (and fewer warm-ups) for a fast look. */
  quick?: boolean;
  /** Timed runs per history (default 15, quick 5). */
  runs?: number;
  /** The week whose digest is timed; the year ends with it. */
  week?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface HistoryFigures {
  weeks: number;
  events: number;
  decisions: number;
  checkIns: number;
  /** Median time to build the digest (read + compute), ms. */
  medianMs: number;
  runsMs: number[];
  /** Median time of the computing alone, on rows already read, ms. */
  computeMs: number;
  /** Median time Azurite takes to answer a query for an empty week partition of the log, ms. */
  emptyPartitionMs: number;
  /** Rows the digest read from storage (per build). */
  rowsRead: number;
  /**
   * The first digest after the history was written: it reads the closed week before from its log
   * and keeps its summary, which the later digests read instead. Time (ms) and rows read.
   */
  first: { ms: number; rowsRead: number };
}

export interface DigestBenchResult {
  name: 'digest-cost-growth';
  week: string;
  teams: number;
  actions: number;
  runs: number;
  year: HistoryFigures;
  oneWeek: HistoryFigures;
  /** year.medianMs / oneWeek.medianMs; the goal is close to 1. */
  ratio: number;
  /** The same for the computing alone (what the digest's code adds on top of the reads). */
  computeRatio: number;
  /** year.rowsRead / oneWeek.rowsRead. */
  rowsRatio: number;
  setupMs: number;
}

import { ACTIONS_PER_TEAM, type History, makeHistory, write } from './digest-history';

/** Counts the rows each read returns, to show what the digest reads. */
function counting(repos: Repositories): { sources: DigestSources; rows: () => number; reset(): void } {
  let rows = 0;
  const count = <T>(p: Promise<T[]>) => p.then((r) => ((rows += r.length), r));
  return {
    sources: {
      actions: { list: (p) => count(repos.actions.list(p)) },
      events: {
        listWeek: (q) => count(repos.events.listWeek(q)),
        // A kept summary of the week before is one row read.
        weekSummary: (p, w) => repos.events.weekSummary(p, w).then((s) => ((rows += s ? 1 : 0), s)),
        keepWeekSummary: (p, w, s) => repos.events.keepWeekSummary(p, w, s),
      },
      decisions: { listDuring: (p, y, r) => count(repos.decisions.listDuring(p, y, r)) },
      indicators: { list: (p) => count(repos.indicators.list(p)) },
      checkIns: { listWeek: (p, w) => count(repos.checkIns.listWeek(p, w)) },
    },
    rows: () => rows,
    reset: () => {
      rows = 0;
    },
  };
}

const round = (x: number) => Math.round(x * 10) / 10;
/** A week no history reaches: reading it costs only the emulator's scan of the table. */
const EMPTY_WEEK = '2001-W01';

async function readInputs(repos: Repositories, program: Program, week: string, now: Date): Promise<DigestInput> {
  const previous = shiftIsoWeek(week, -1);
  const { year, week: n } = parseIsoWeek(week);
  return {
    program,
    week,
    now,
    actions: await repos.actions.list(program.id),
    events: await repos.events.listWeek({ programId: program.id, week }),
    previousWeek: summarizeWeek(await repos.events.listWeek({ programId: program.id, week: previous }), program.id),
    decisions: (
      await Promise.all(
        decisionYears(week).map((y) =>
          repos.decisions.listDuring(program.id, y, {
            ...isoWeekDays(year, n),
            timeZone: program.timezone,
          }),
        ),
      )
    ).flat(),
    checkIns: await repos.checkIns.listWeek(program.id, week),
    previousCheckIns: await repos.checkIns.listWeek(program.id, previous),
    indicators: await repos.indicators.list(program.id),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function runDigestBench(options: DigestBenchOptions = {}): Promise<DigestBenchResult> {
  const log = options.log ?? (() => undefined);
  const runs = options.runs ?? (options.quick ? 5 : 15);
  const warmups = options.quick ? 1 : 3;
  const week = options.week ?? '2026-W48';
  const { year, week: n } = parseIsoWeek(week);
  // Friday of that week, 13:00 in Stockholm: when the scheduled digest is built.
  const now = new Date(`${addDays(mondayOfIsoWeek(year, n), 4)}T12:00:00.000Z`);
  const program = loadProgram();

  const started = Date.now();
  const azurite = await startAzurite({ inMemory: true });
  try {
    const open = async (label: string) => {
      const store = new TableStore({
        connectionString: azurite.connectionString,
        tablePrefix: `${label}${randomBytes(3).toString('hex')}`,
      });
      await store.ensureTables();
      return createRepositories(store, program.timezone);
    };
    const histories = [
      { key: 'year' as const, weeks: 52 },
      { key: 'oneWeek' as const, weeks: 1 },
    ];
    const built: Record<'year' | 'oneWeek', { repos: Repositories; history: History }> = {} as never;
    for (const h of histories) {
      const t0 = Date.now();
      const history = makeHistory(program, week, h.weeks);
      const repos = await open(h.key === 'year' ? 'by' : 'bw');
      await write(repos, history);
      built[h.key] = { repos, history };
      log(
        `${h.key}: ${h.weeks} weeks, ${history.events.length} answers, ${history.decisions.length} decisions written in ${Date.now() - t0} ms`,
      );
    }
    const setupMs = Date.now() - started;

    const timings: Record<'year' | 'oneWeek', number[]> = { year: [], oneWeek: [] };
    const computeTimings: Record<'year' | 'oneWeek', number[]> = { year: [], oneWeek: [] };
    const scanTimings: Record<'year' | 'oneWeek', number[]> = { year: [], oneWeek: [] };
    const rowsRead: Record<'year' | 'oneWeek', number> = { year: 0, oneWeek: 0 };
    const first: Record<'year' | 'oneWeek', { ms: number; rowsRead: number }> = {
      year: { ms: 0, rowsRead: 0 },
      oneWeek: { ms: 0, rowsRead: 0 },
    };
    const counters = { year: counting(built.year.repos), oneWeek: counting(built.oneWeek.repos) };
    // The rows each digest reads, read once, for timing the computing alone.
    const inputs = {
      year: await readInputs(built.year.repos, program, week, now),
      oneWeek: await readInputs(built.oneWeek.repos, program, week, now),
    };
    const time = async (f: () => Promise<unknown>) => {
      const t0 = process.hrtime.bigint();
      await f();
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    for (let i = 0; i < warmups + runs; i++) {
      // Alternate the order so neither history always runs on a warmer process.
      const order: ('year' | 'oneWeek')[] = i % 2 ? ['oneWeek', 'year'] : ['year', 'oneWeek'];
      for (const key of order) {
        counters[key].reset();
        let total = 0;
        const ms = await time(async () => {
          const digest = await buildDigest(counters[key].sources, program, { week, now, locale: program.locale });
          total = digest.overview.total;
        });
        if (total !== program.teams.length * ACTIONS_PER_TEAM) throw new Error('the digest is not what was written');
        const compute = await time(async () => writeSummary(assembleDigest(inputs[key]), program.locale));
        const scan = await time(() => built[key].repos.events.listWeek({ programId: program.id, week: EMPTY_WEEK }));
        if (i >= warmups) {
          timings[key].push(ms);
          computeTimings[key].push(compute);
          scanTimings[key].push(scan);
        }
        rowsRead[key] = counters[key].rows();
        if (i === 0) first[key] = { ms: round(ms), rowsRead: rowsRead[key] };
      }
    }
    const figures = (key: 'year' | 'oneWeek', weeks: number): HistoryFigures => ({
      weeks,
      events: built[key].history.events.length,
      decisions: built[key].history.decisions.length,
      checkIns: built[key].history.checkIns.length,
      medianMs: round(median(timings[key])),
      runsMs: timings[key].map(round),
      computeMs: round(median(computeTimings[key])),
      emptyPartitionMs: round(median(scanTimings[key])),
      rowsRead: rowsRead[key],
      first: first[key],
    });
    const yearFigures = figures('year', 52);
    const weekFigures = figures('oneWeek', 1);
    return {
      name: 'digest-cost-growth',
      week,
      teams: program.teams.length,
      actions: program.teams.length * ACTIONS_PER_TEAM,
      runs,
      year: yearFigures,
      oneWeek: weekFigures,
      ratio: Math.round((yearFigures.medianMs / weekFigures.medianMs) * 100) / 100,
      computeRatio: Math.round((yearFigures.computeMs / weekFigures.computeMs) * 100) / 100,
      rowsRatio: Math.round((yearFigures.rowsRead / weekFigures.rowsRead) * 100) / 100,
      setupMs,
    };
  } finally {
    await azurite.stop();
  }
}

const perRowUs = (f: HistoryFigures) => (f.medianMs * 1000) / Math.max(1, f.rowsRead);
const perRow = (f: HistoryFigures) => perRowUs(f).toFixed(0);

export function formatDigestBench(r: DigestBenchResult): string {
  const row = (label: string, f: HistoryFigures) =>
    `| ${label} | ${f.weeks} | ${f.events} | ${f.decisions} | ${f.rowsRead} | ${f.medianMs} ms | ${f.computeMs} ms | ${f.emptyPartitionMs} ms |`;
  return [
    `Digest of ${r.week} (${r.teams} teams, ${r.actions} actions), median of ${r.runs} runs each, in-memory Azurite:`,
    '',
    '| history | weeks | answers | decisions | rows read per digest | digest (read + compute) | compute only | Azurite: empty week query |',
    '|---|---|---|---|---|---|---|---|',
    row('one year', r.year),
    row('one week', r.oneWeek),
    '',
    `ratio one year / one week: ${r.ratio} (goal: close to 1)`,
    `  rows read: ${r.rowsRatio} · compute only: ${r.computeRatio}`,
    // Per row read the cost is what shows whether history length matters.
    `  time per row read: one year ${perRow(r.year)} µs, one week ${perRow(r.oneWeek)} µs, ratio ${Math.round((perRowUs(r.year) / perRowUs(r.oneWeek)) * 100) / 100}`,
    `first digest after writing (the week before read from its log, its summary kept): one year ${r.year.first.ms} ms, ${r.year.first.rowsRead} rows; one week ${r.oneWeek.first.ms} ms, ${r.oneWeek.first.rowsRead} rows`,
    `setup (Azurite start and writing both histories): ${Math.round(r.setupMs / 100) / 10} s`,
  ].join('\n');
}

async function cli(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : undefined;
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1))
    throw new Error('--runs takes a positive whole number');
  const result = await runDigestBench({ quick, runs, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(
    argv.includes('--json') ? `${JSON.stringify(result, null, 2)}\n` : `${formatDigestBench(result)}\n`,
  );
}

if (require.main === module) {
  cli(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}

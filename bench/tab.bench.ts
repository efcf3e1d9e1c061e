/**
 * The overview tab on a year of history: the first view of the tab (GET /tab, the plan rendered
 * into the page) over a seeded year (9 teams, 135 actions, 52 weeks of answers, 200 decisions),
 * against a static page of the same size served by the same server, in the same run.
 *
 * "First" is the first view after the bot started (nothing cached: every week of the year is read
 * from the store); the views after it read the current week again and reuse the closed weeks.
 *
 *   npm run bench -- --only tab [--quick]
 */
import { performance } from 'node:perf_hooks';
import { startBot, type RunningBot } from '../bot/index';
import { silentLogger } from '../bot/logger';
import { loadConfig } from '../config/config';
import { loadProgram } from '../domain/program';
import { fixedClock, isoWeek, mondayOfIsoWeek, parseIsoWeek, addDays, zonedTimeToUtc } from '../domain/time';
import { createRepositories } from '../storage';
import { startAzurite } from '../storage/azurite';
import { TableStore } from '../storage/table-store';
import { makeHistory, write } from './digest-history';

export interface TabBenchResult {
  bytes: number;
  events: number;
  decisions: number;
  /** Median of the first view after a start, ms. */
  firstMs: number;
  firstRunsMs: number[];
  /** Median of later views, ms. */
  warmMs: number;
  /** Median of the static page of the same size, ms. */
  staticMs: number;
  firstRatio: number;
  warmRatio: number;
  setupMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

async function timeGet(url: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return { ms, bytes: body.byteLength };
}

export async function runTabBench(
  options: { quick?: boolean; log?: (line: string) => void } = {},
): Promise<TabBenchResult> {
  const log = options.log ?? (() => undefined);
  const starts = options.quick ? 3 : 5;
  const runs = options.quick ? 10 : 30;
  const setupStarted = performance.now();
  const program = loadProgram();
  // Thursday of the year's last week, 10:00 in Stockholm.
  const week = '2026-W48';
  const { year, week: n } = parseIsoWeek(week);
  const now = zonedTimeToUtc(addDays(mondayOfIsoWeek(year, n), 3), 10, 0, program.timezone);
  if (isoWeek(now, program.timezone) !== week) throw new Error('bench clock outside its week');
  const azurite = await startAzurite({ inMemory: true });
  const prefix = 'tabbench';
  try {
    const store = new TableStore({ connectionString: azurite.connectionString, tablePrefix: prefix });
    await store.ensureTables();
    const history = makeHistory(program, week, 52);
    log(`tab: writing a year of history (${history.events.length} answers, ${history.decisions.length} decisions)`);
    await write(createRepositories(store, program.timezone), history);
    const setupMs = performance.now() - setupStarted;

    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SCHEDULER_ENABLED: 'false',
      AZURE_TABLES_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: prefix,
    });
    const start = () => startBot(config, { logger: silentLogger(), clock: fixedClock(now) });
    const firstRunsMs: number[] = [];
    let bytes = 0;
    let bot: RunningBot | undefined;
    for (let i = 0; i < starts; i++) {
      await bot?.stop();
      bot = await start();
      const first = await timeGet(`http://127.0.0.1:${bot.port}/tab`);
      firstRunsMs.push(first.ms);
      bytes = first.bytes;
      log(`tab: first view ${Math.round(first.ms)} ms (${Math.round(bytes / 1024)} KiB)`);
    }
    const running = bot!;
    try {
      const url = `http://127.0.0.1:${running.port}`;
      // The same bytes as a static page, on the same server.
      const page = Buffer.from(await (await fetch(`${url}/tab`)).arrayBuffer());
      running.server.get('/bench/static', async (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': page.length });
        res.end(page);
      });
      const warm: number[] = [];
      const plain: number[] = [];
      for (let i = 0; i < 3; i++) {
        await timeGet(`${url}/tab`);
        await timeGet(`${url}/bench/static`);
      }
      for (let i = 0; i < runs; i++) {
        warm.push((await timeGet(`${url}/tab`)).ms);
        plain.push((await timeGet(`${url}/bench/static`)).ms);
      }
      const firstMs = median(firstRunsMs);
      const warmMs = median(warm);
      const staticMs = median(plain);
      return {
        bytes,
        events: history.events.length,
        decisions: history.decisions.length,
        firstMs: round(firstMs),
        firstRunsMs: firstRunsMs.map((x) => round(x)),
        warmMs: round(warmMs),
        staticMs: round(staticMs, 2),
        firstRatio: round(firstMs / staticMs),
        warmRatio: round(warmMs / staticMs),
        setupMs,
      };
    } finally {
      await running.stop();
    }
  } finally {
    await azurite.stop();
  }
}

export function formatTab(r: TabBenchResult): string {
  return [
    `The overview tab's first view (GET /tab with the plan) over a seeded year: 9 teams, 135 actions, ${r.events} answers in 52 weeks, ${r.decisions} decisions; in-memory Azurite.`,
    '',
    '| what | median | vs the static page |',
    '|---|---|---|',
    `| static page of the same size (${Math.round(r.bytes / 1024)} KiB), same server | ${r.staticMs} ms | 1 |`,
    `| first view after a start (a year read from the store) | ${r.firstMs} ms | ${r.firstRatio}× |`,
    `| later views (closed weeks from the cache) | ${r.warmMs} ms | ${r.warmRatio}× |`,
    '',
    `first views: ${r.firstRunsMs.join(', ')} ms · setup (writing the year): ${Math.round(r.setupMs / 100) / 10} s`,
  ].join('\n');
}

/**
 * Fan-out: the scheduled check-in posted to 500 team channels (50 for a quick look) through a Bot
 * Connector double that enforces Teams' documented limits (per thread, and 30 requests/s per app
 * per tenant) and also throttles every tenth post with 429 + `Retry-After: 1`, as Teams does under
 * load. Prints the time against the minimum those limits allow (computed from the same rules the
 * double enforces, with the throttled posts' `Retry-After`), the retries, the 429s, duplicates
 * (must be 0) and misses (must be 0), and where the time went: when the first post reached the
 * double, posts per second, the longest gap, what came after the last post, and the store
 * requests the run made.
 */
import * as diagnostics from 'node:diagnostics_channel';
import * as fs from 'node:fs';
import type { ClientRequest } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../config/config';
import { createLogger } from '../bot/logger';
import { startBot } from '../bot/index';
import { TEAMS_RATE_RULES } from '../domain/delivery';
import { fixedClock, zonedTimeToUtc, mondayOfIsoWeek, isoWeek } from '../domain/time';
import type { Action } from '../domain/types';
import { createRepositories } from '../storage';
import { startAzurite } from '../storage/azurite';
import { MAX_TRANSACTION_OPS } from '../storage/coalesce';
import { TableStore } from '../storage/table-store';
import {
  busiest,
  earliestFinish,
  startConnectorDouble,
  TEAMS_APP_LIMIT,
  TEAMS_PER_THREAD_LIMITS,
  type RecordedCall,
} from '../test/support/connector-double';

export interface FanOutResult {
  channels: number;
  seconds: number;
  /** The earliest the double's windows and the throttled posts' Retry-After let the last post in. */
  minimumSeconds: number;
  /** The same without the injected 429s: the windows alone. */
  windowsOnlySeconds: number;
  ratio: number;
  /** The app's limit the double enforces (requests per second). */
  appLimitPerSecond: number;
  /** The app's limit the bot's send limiter keeps (the same, or the output says otherwise). */
  limiterPerSecond: number;
  retries: number;
  /** 429s injected as Teams' throttling under load. */
  throttled: number;
  /** 429s the double's windows answered (the bot's limiter let too many go). */
  rateLimited: number;
  duplicates: number;
  misses: number;
  timeline: {
    firstPostS: number;
    lastPostS: number;
    afterLastPostS: number;
    /** Accepted posts in each second from the first post on. */
    perSecond: number[];
    /** Most requests of any kind at the double in any 1 s window. */
    busiestSecond: number;
    longestGapMs: number;
    storeRequests: number;
    /** Store requests by table (`batch`: transactions, whose table is in the body). */
    storeByTable: Record<string, number>;
  };
}

/** The most teams a program file names (domain/program.ts). */
const PROGRAM_FILE_TEAMS = 50;
/** Every `THROTTLE_EVERY`-th create is answered 429 with `Retry-After: 1`. */
const THROTTLE_EVERY = 10;
const RETRY_AFTER_S = 1;

/** The app-wide rule the bot's limiter keeps. */
function limiterAppLimit(): number {
  const app = TEAMS_RATE_RULES.find((r) => r.scope === 'app' && r.windowMs === 1_000);
  if (!app) throw new Error('the send limiter has no per-second rule for the app');
  return app.max;
}

/** Azurite requests the bot makes while the fan-out runs, seen through Node's diagnostics channel. */
function watchStore(port: number, prefix: string): { stop(): { total: number; byTable: Record<string, number> } } {
  const byTable: Record<string, number> = {};
  let total = 0;
  const onRequest = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    const host = String(request.getHeader('host') ?? '');
    if (!host.endsWith(`:${port}`)) return;
    total++;
    const segment = request.path.split('/')[2] ?? '';
    const table = segment.startsWith('$batch') ? 'batch' : segment.replace(/[(?].*$/, '').replace(prefix, '');
    byTable[table] = (byTable[table] ?? 0) + 1;
  };
  diagnostics.subscribe('http.client.request.start', onRequest);
  return {
    stop: () => {
      diagnostics.unsubscribe('http.client.request.start', onRequest);
      return { total, byTable };
    },
  };
}

export async function runFanOutBench(
  options: { channels?: number; log?: (s: string) => void } = {},
): Promise<FanOutResult> {
  const channels = options.channels ?? 500;
  const limiterLimit = limiterAppLimit();
  if (limiterLimit !== TEAMS_APP_LIMIT.max)
    options.log?.(`the send limiter keeps ${limiterLimit}/s for the app, the double ${TEAMS_APP_LIMIT.max}/s`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-fanout-'));
  const programFile = path.join(dir, 'program.json');
  const base = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'program.default.json'), 'utf8'),
  ) as Record<string, unknown>;
  const letters = (i: number) => String.fromCharCode(65 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26));
  const teams = Array.from({ length: channels }, (_, i) => ({
    key: `team${i}`,
    name: `Team ${i}`,
    actionPrefix: `T${letters(i)}`,
    aliases: [],
  }));
  // A program file names at most 50 teams; a plan import (`--create-teams`) stores the rest.
  fs.writeFileSync(programFile, JSON.stringify({ ...base, teams: teams.slice(0, PROGRAM_FILE_TEAMS) }));
  const azurite = await startAzurite({ inMemory: true });
  let n = 0;
  const rules = [...TEAMS_PER_THREAD_LIMITS, TEAMS_APP_LIMIT];
  const double = await startConnectorDouble({ rateLimits: rules });
  // Teams also throttles under load it does not announce: every tenth create gets a 429.
  double.faultFor((call: RecordedCall) =>
    call.route === 'createConversation' && ++n % THROTTLE_EVERY === 0
      ? { status: 429, headers: { 'Retry-After': String(RETRY_AFTER_S) } }
      : undefined,
  );

  const stored = teams.slice(PROGRAM_FILE_TEAMS).map((t) => ({
    ...t,
    programId: 'harnosand',
    createdAt: '2026-01-05T08:00:00.000Z',
    createdBy: 'import:bench',
  }));
  if (stored.length > 0) {
    const tables = new TableStore({ connectionString: azurite.connectionString, tablePrefix: 'fan' });
    await tables.ensureTables();
    const programTeams = createRepositories(tables, 'Europe/Stockholm').programTeams;
    for (let i = 0; i < stored.length; i += MAX_TRANSACTION_OPS)
      await programTeams.createAll(stored.slice(i, i + MAX_TRANSACTION_OPS));
    tables.close();
  }

  const week = isoWeek(new Date(), 'Europe/Stockholm');
  const [y, w] = week.split('-W').map(Number) as [number, number];
  const clock = fixedClock(zonedTimeToUtc(mondayOfIsoWeek(y, w), 9, 0, 'Europe/Stockholm'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SCHEDULER_ENABLED: 'false',
    PROGRAM_FILE: programFile,
    AZURE_TABLES_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: 'fan',
  });
  const bot = await startBot(config, { clock, logger: createLogger('silent') });
  try {
    const repos = bot.storage.repositories;
    const teamsTeamId = '19:fanout@thread.tacv2';
    const reference = (channelId: string) => ({
      serviceUrl: double.url,
      channelId: 'msteams',
      bot: { id: '28:kraftsamla', name: 'Kraftsamla' },
      conversation: { id: channelId, isGroup: true, conversationType: 'channel', tenantId: 't1' },
    });
    await repos.teams.upsert({
      teamsTeamId,
      name: 'Bench',
      tenantId: 't1',
      active: true,
      reference: reference(teamsTeamId),
      channels: [],
      installedAt: clock.now().toISOString(),
    });
    const actions: Action[] = [];
    const channelIds = Array.from({ length: channels }, (_, i) => `19:channel${i}@thread.tacv2`);
    for (let i = 0; i < channels; i++) {
      await repos.bindings.put({
        programId: 'harnosand',
        channelId: channelIds[i]!,
        teamsTeamId,
        channelName: `Team ${i}`,
        role: { kind: 'team', teamKey: `team${i}` },
        reference: reference(channelIds[i]!),
        boundBy: 'bench',
        boundAt: clock.now().toISOString(),
      });
      for (let j = 0; j < 3; j++) {
        actions.push({
          programId: 'harnosand',
          id: `T${letters(i)}-0${j + 1}`,
          teamKey: `team${i}`,
          title: `Insats ${j + 1}`,
          description: '',
          owner: { name: 'Ägare' },
          responsibleBody: '',
          financing: '',
          status: 'on_track',
          progress: 20,
          indicatorIds: [],
        });
      }
    }
    await repos.actions.saveAll(actions);
    options.log?.(`fan-out: posting check-ins to ${channels} channels`);
    // The scheduler's first look at its jobs (cron parsing in the program's zone, cold in a new
    // process) is not the fan-out: it is done once before the clock starts.
    await bot.scheduler.due();
    const store = watchStore(azurite.port, 'fan');
    const started = Date.now();
    const t0 = performance.now();
    await bot.scheduler.tick();
    const seconds = (performance.now() - t0) / 1000;
    const ended = started + seconds * 1000;
    const storeCount = store.stop();

    const creates = double.calls.filter((c) => c.route === 'createConversation');
    const accepted = double.sent().filter((s) => s.kind === 'create');
    const perChannel = new Map<string, number>();
    for (const s of accepted) {
      const channel = s.conversationId.split(';')[0]!;
      perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
    }
    const acceptedTimes = accepted.map((s) => s.call.time).sort((a, b) => a - b);
    const createTimes = creates.map((c) => c.time).sort((a, b) => a - b);
    const first = createTimes[0] ?? started;
    const last = acceptedTimes.at(-1) ?? started;
    const perSecond: number[] = [];
    for (const t of acceptedTimes) {
      const s = Math.floor((t - first) / 1000);
      while (perSecond.length <= s) perSecond.push(0);
      perSecond[s]!++;
    }
    const gaps = createTimes.slice(1).map((t, i) => t - createTimes[i]!);
    const request = (thread: string) => ({ category: 'create' as const, thread });
    const minimumMs = earliestFinish(rules, channelIds.map(request), {
      throttle: (attempt) => (attempt % THROTTLE_EVERY === 0 ? RETRY_AFTER_S * 1000 : undefined),
    });
    const windowsOnlyMs = earliestFinish(rules, channelIds.map(request));
    return {
      channels,
      seconds,
      minimumSeconds: minimumMs / 1000,
      windowsOnlySeconds: windowsOnlyMs / 1000,
      ratio: seconds / (minimumMs / 1000),
      appLimitPerSecond: TEAMS_APP_LIMIT.max,
      limiterPerSecond: limiterLimit,
      retries: creates.length - accepted.length,
      throttled: creates.filter((c) => c.fault === 'injected').length,
      rateLimited: double.calls.filter((c) => c.fault === 'rateLimited').length,
      duplicates: [...perChannel.values()].filter((c) => c > 1).length,
      misses: channels - perChannel.size,
      timeline: {
        firstPostS: (first - started) / 1000,
        lastPostS: (last - started) / 1000,
        afterLastPostS: (ended - last) / 1000,
        perSecond,
        busiestSecond: busiest(
          double.calls.map((c) => c.time),
          1_000,
        ),
        longestGapMs: Math.max(0, ...gaps),
        storeRequests: storeCount.total,
        storeByTable: storeCount.byTable,
      },
    };
  } finally {
    await bot.stop();
    await double.close();
    await azurite.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatFanOut(r: FanOutResult): string {
  const t = r.timeline;
  const tables = Object.entries(t.storeByTable)
    .sort(([, a], [, b]) => b - a)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  return [
    `Limits the double enforces: ${r.appLimitPerSecond} requests/s per app per tenant (Teams' current documentation; older copies say 50), ` +
      `per thread 7/1 s, 8/2 s, 60/30 s, 1 800/h; every ${THROTTLE_EVERY}th post answered 429 with \`Retry-After: ${RETRY_AFTER_S}\`. ` +
      (r.limiterPerSecond === r.appLimitPerSecond
        ? `The bot's send limiter keeps the same ${r.limiterPerSecond}/s for the app.`
        : `The bot's send limiter keeps **${r.limiterPerSecond}/s** for the app (not the double's ${r.appLimitPerSecond}).`),
    '',
    '| channels | time s | minimum the limits allow s | ratio | windows alone s | retries | 429 injected | 429 by the limits | duplicates | misses |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${r.channels} | ${r.seconds.toFixed(2)} | ${r.minimumSeconds.toFixed(2)} | **${r.ratio.toFixed(2)}×** | ${r.windowsOnlySeconds.toFixed(2)} | ${r.retries} | ${r.throttled} | ${r.rateLimited} | **${r.duplicates}** | **${r.misses}** |`,
    '',
    `Where the time went: first post at the double ${t.firstPostS.toFixed(2)} s after the run began, last accepted post at ${t.lastPostS.toFixed(2)} s, then ${t.afterLastPostS.toFixed(2)} s until the run ended; ` +
      `posts accepted per second: ${t.perSecond.join(' ')}; busiest 1 s at the double ${t.busiestSecond} requests; longest gap between two posts ${t.longestGapMs} ms; ` +
      `store requests ${t.storeRequests} (${(t.storeRequests / r.channels).toFixed(1)} per channel: ${tables}).`,
  ].join('\n');
}

if (require.main === module) {
  const i = process.argv.indexOf('--channels');
  const channels = i >= 0 ? Number(process.argv[i + 1]) : undefined;
  runFanOutBench({ channels, log: (s) => console.error(s) }).then(
    (r) => console.log(formatFanOut(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

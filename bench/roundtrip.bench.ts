/**
 * Card answer round-trip: concurrent check-in answers (the `adaptiveCard/action` invoke a Teams
 * client sends) through the real HTTP endpoint of the bot, writing to Azurite and returning the
 * refreshed card, at 50 connections. Baseline in the same run: a bare teams-ai Application on
 * the same server stack answering the same invoke with a static card and no storage.
 * Afterwards the log rows are counted: no answer may be lost.
 *
 * Two more measurements give the floor the bot cannot go below: the same bare app answering
 * with the bot's refreshed card (what the card's size costs), and the bot's store requests of
 * the measured run, the same kinds and counts, replayed alone from a bare process through the
 * same clients (bench/store-replay.ts: what the store client costs).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Action } from '../domain/types';
import { isoWeek } from '../domain/time';
import { createRepositories } from '../storage';
import { startAzurite } from '../storage/azurite';
import { TableStore } from '../storage/table-store';
import { actionExecuteInvoke, channelMessage, DEFAULT_CHANNEL, postActivity } from '../test/support/activities';
import { startConnectorDouble } from '../test/support/connector-double';
import type { RequestCounts, StoreKind } from './count-requests';
import { runLoad, type LoadResult } from './load';
import { cpuMs, requestCounts, rssMiB, startChild, type ChildServer } from './processes';
import type { ReplayPlan, ReplayResult } from './store-replay';

/** One run: the bare app, the bare app with the bot's card, the bot, then the bot's store requests alone. */
export interface RoundTripRun {
  connections: number;
  bot: LoadResult;
  baseline: LoadResult;
  /** The bare app answering with the card the bot returned (same bytes). */
  baselineCard: LoadResult;
  answersSent: number;
  logRows: number;
  lost: number;
  rssMiB: { bot: number; baseline: number; baselineCard: number };
  /** Bytes of the invoke response's card: the bot's refreshed card and the bare app's static one. */
  cardBytes: { bot: number; baseline: number };
  /** Requests from the bot to the store per answer, over the measured run. */
  storeRequestsPerAnswer: number;
  /** The bot's store requests per answer by kind (count-requests.ts), with their bytes. */
  storeKinds: Array<{ kind: StoreKind; perAnswer: number; bytesPerRequest: number }>;
  /** CPU time per answer (ms) of each process in its measured phase. */
  cpu: {
    botMs: number;
    storeMs: number;
    baselineMs: number;
    baselineCardMs: number;
    loadMs: number;
    botLoadMs: number;
    /** The bot's store requests replayed alone from a bare process (store-replay.ts), per answer. */
    replayMs: number;
    /** Azurite's CPU per answer while those requests were replayed (its side of the same requests). */
    replayStoreMs: number;
  };
  /** Requests the replay made in its measured phase, and how many failed. */
  replay: { requests: number; failures: number; sameKinds: boolean; bytesPerAnswer: number; botBytesPerAnswer: number };
}

export interface RoundTripResult {
  runs: RoundTripRun[];
}

const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 15);
/** Store requests the replay keeps in flight (the bot has about this many under the benchmark's load). */
export const REPLAY_CONCURRENCY = 32;

const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Runs `replay` from a process of its own against the same store; resolves with its figures. */
function runReplay(plan: ReplayPlan): Promise<ReplayResult> {
  const file = path.join(os.tmpdir(), `kraftsamla-replay-${randomBytes(4).toString('hex')}.json`);
  fs.writeFileSync(file, JSON.stringify(plan));
  return new Promise<ReplayResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-deprecation', path.join(__dirname, 'store-replay.js'), file], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      fs.rmSync(file, { force: true });
      if (code === 0) resolve(JSON.parse(out) as ReplayResult);
      else reject(new Error(`the store replay exited with ${code}`));
    });
  });
}

/**
 * The store requests between two counts, by kind. Transactions are counted in full and their
 * kinds sampled on the wire (count-requests.ts): the count is shared out as the sample is.
 */
function kindDiff(
  before: RequestCounts,
  after: RequestCounts,
): { counts: Record<string, number>; bytes: Record<string, number> } {
  const counts: Record<string, number> = {};
  const bytes: Record<string, number> = {};
  for (const [k, n] of Object.entries(after.kinds)) {
    const d = n - (before.kinds[k] ?? 0);
    if (d <= 0) continue;
    counts[k] = d;
    bytes[k] = (after.kindBytes[k] ?? 0) - (before.kindBytes[k] ?? 0);
  }
  const batches = after.batches - before.batches;
  const sample = Object.entries(after.batchSample)
    .map(([k, n]) => [k, n - (before.batchSample[k] ?? 0)] as const)
    .filter(([, n]) => n > 0);
  const sampled = sample.reduce((a, [, n]) => a + n, 0);
  if (batches > 0 && sampled === 0) throw new Error('no transaction of the run was seen on the wire');
  // Largest remainder, so the shares add up to the transactions sent.
  const shares = sample.map(([k, n]) => ({ k, exact: (batches * n) / sampled }));
  for (const s of shares) counts[s.k] = Math.floor(s.exact);
  let left = batches - shares.reduce((a, s) => a + Math.floor(s.exact), 0);
  for (const s of [...shares].sort((a, b) => (b.exact % 1) - (a.exact % 1))) {
    if (left-- <= 0) break;
    counts[s.k]! += 1;
  }
  const perBatch = batches > 0 ? (after.batchBytes - before.batchBytes) / batches : 0;
  for (const s of shares) bytes[s.k] = perBatch * counts[s.k]!;
  for (const s of shares) if (counts[s.k] === 0) delete counts[s.k];
  return { counts, bytes };
}

async function runOnce(requests: number, connections: number, log: (s: string) => void): Promise<RoundTripRun> {
  const azurite = await startAzurite({ inMemory: true });
  const double = await startConnectorDouble();
  const prefix = `b${randomBytes(4).toString('hex')}`;
  const store = new TableStore({ connectionString: azurite.connectionString, tablePrefix: prefix });
  const repos = createRepositories(store, 'Europe/Stockholm');
  const countFile = path.join(os.tmpdir(), `kraftsamla-bench-${prefix}.json`);
  const cardFile = path.join(os.tmpdir(), `kraftsamla-bench-${prefix}-card.json`);
  const children: ChildServer[] = [];
  try {
    const bot = await startChild(
      'bot/index.js',
      { AZURE_TABLES_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: prefix },
      { countRequestsTo: countFile },
    );
    children.push(bot);
    const channelId = DEFAULT_CHANNEL.id;
    await postActivity(bot.url, channelMessage({ text: 'koppla bostäder', channelId, serviceUrl: double.url }));
    const actions: Action[] = Array.from({ length: ACTIONS }, (_, i) => ({
      programId: 'harnosand',
      id: `BOS-${String(i + 1).padStart(2, '0')}`,
      teamKey: 'bostader',
      title: `Bostäder etapp ${i + 1}`,
      description: '',
      owner: { name: `Ägare ${i}`, email: `agare${i}@harnosand.se` },
      responsibleBody: 'Samhällsbyggnadsnämnden',
      due: '2027-06-30',
      financing: '',
      status: 'on_track',
      progress: 10,
      indicatorIds: [],
    }));
    await repos.actions.saveAll(actions);
    await postActivity(bot.url, channelMessage({ text: 'incheckning', channelId, serviceUrl: double.url }));
    const week = isoWeek(new Date(), 'Europe/Stockholm');
    const checkIn = await repos.checkIns.get('harnosand', week, 'bostader');
    if (!checkIn?.messageId) throw new Error('the check-in was not posted');
    const body = (i: number) => {
      const id = actions[i % ACTIONS]!.id;
      return actionExecuteInvoke({
        verb: 'checkin.answer',
        channelId,
        serviceUrl: double.url,
        cardActivityId: checkIn.messageId,
        from: {
          id: `29:user-${i % 40}`,
          name: `Användare ${i % 40}`,
          aadObjectId: `00000000-0000-0000-0000-${String(i % 40).padStart(12, '0')}`,
        },
        data: {
          teamKey: 'bostader',
          week,
          actionId: id,
          [`${id}.status`]: i % 3 ? 'on_track' : 'at_risk',
          [`${id}.progress`]: String(i % 100),
          [`${id}.comment`]: `Svar ${i}`,
        },
      });
    };
    // The bot's refreshed card, as one answer returns it, is what the second bare app answers with.
    const first = await postActivity(bot.url, body(2_000_000));
    const card = (first.body as { value?: unknown } | undefined)?.value;
    if (first.status !== 200 || !card) throw new Error(`the bot's answer had no card (${first.status})`);
    fs.writeFileSync(cardFile, JSON.stringify(card));
    const baseline = await startChild('bench/baseline-server.js', {});
    children.push(baseline);
    const baselineCard = await startChild('bench/baseline-server.js', { BASELINE_CARD_FILE: cardFile });
    children.push(baselineCard);
    const staticCard = await postActivity(baseline.url, body(0));
    log(`round-trip: warming up`);
    for (const server of [baseline, baselineCard, bot]) {
      await runLoad({ url: `${server.url}/api/messages`, connections: 5, requests: 100, maxDurationMs: 10000, body });
    }
    const before = (await repos.events.listWeek({ programId: 'harnosand', week })).filter(
      (e) => e.type === 'status',
    ).length;
    const measure = async (server: ChildServer, offset: number, maxDurationMs: number) => {
      const [cpu0, load0] = [cpuMs(server.pid), ownCpu()];
      const result = await runLoad({
        url: `${server.url}/api/messages`,
        connections,
        requests,
        maxDurationMs,
        body: (i) => body(i + offset),
      });
      return {
        result,
        cpuMs: (cpuMs(server.pid) - cpu0) / result.requests,
        loadMs: (ownCpu() - load0) / result.requests,
      };
    };
    log(`round-trip: bare app, ${requests} requests at ${connections} connections`);
    const base = await measure(baseline, 0, 60000);
    log(`round-trip: bare app with the bot's card, ${requests} requests at ${connections} connections`);
    const baseCard = await measure(baselineCard, 0, 60000);
    log(`round-trip: bot, ${requests} requests at ${connections} connections`);
    const storeHost = `127.0.0.1:${azurite.port}`;
    const counts0 = await requestCounts(bot, countFile);
    const storeCpu0 = azurite.pid ? cpuMs(azurite.pid) : 0;
    const real = await measure(bot, 1_000_000, 120000);
    const storeCpu = (azurite.pid ? cpuMs(azurite.pid) : 0) - storeCpu0;
    const counts1 = await requestCounts(bot, countFile);
    const after = (await repos.events.listWeek({ programId: 'harnosand', week })).filter(
      (e) => e.type === 'status',
    ).length;
    const rss = { bot: rssMiB(bot.pid), baseline: rssMiB(baseline.pid), baselineCard: rssMiB(baselineCard.pid) };
    const { counts: kinds, bytes } = kindDiff(counts0, counts1);
    log(`round-trip: the bot's ${Object.values(kinds).reduce((a, b) => a + b, 0)} store requests, replayed alone`);
    const replayStore0 = azurite.pid ? cpuMs(azurite.pid) : 0;
    const replay = await runReplay({
      connectionString: azurite.connectionString,
      tablePrefix: prefix,
      kinds,
      answers: real.result.requests,
      concurrency: REPLAY_CONCURRENCY,
      warmup: 300,
    });
    const replayStoreMs = ((azurite.pid ? cpuMs(azurite.pid) : 0) - replayStore0) / real.result.requests;
    const sent = real.result.requests - real.result.non2xx;
    // The replay's own requests, counted as the bot's were: the same plain requests by kind, as
    // many transactions, and about as many bytes (its creates copy rows of the same partition).
    const made = replay.made;
    const plain = (c: Record<string, number>) =>
      Object.entries(c).filter(([k]) => (JSON.parse(k) as StoreKind).op !== 'batch');
    const madePlain = new Map(plain(kindDiff(made.before, made.after).counts));
    const sameKinds =
      plain(kinds).length === madePlain.size &&
      plain(kinds).every(([k, n]) => madePlain.get(k) === n) &&
      made.after.batches - made.before.batches === counts1.batches - counts0.batches;
    const sentBytes = (a: RequestCounts, b: RequestCounts) =>
      Object.entries(b.kindBytes).reduce((n, [k, v]) => n + v - (a.kindBytes[k] ?? 0), 0) + b.batchBytes - a.batchBytes;
    return {
      connections,
      bot: real.result,
      baseline: base.result,
      baselineCard: baseCard.result,
      answersSent: sent,
      logRows: after - before,
      lost: Math.max(0, sent - (after - before)),
      rssMiB: rss,
      cardBytes: {
        bot: Buffer.byteLength(JSON.stringify(card)),
        baseline: Buffer.byteLength(JSON.stringify((staticCard.body as { value?: unknown } | undefined)?.value)),
      },
      storeRequestsPerAnswer:
        ((counts1.hosts[storeHost] ?? 0) - (counts0.hosts[storeHost] ?? 0)) / real.result.requests,
      storeKinds: Object.entries(kinds)
        .map(([k, n]) => ({
          kind: JSON.parse(k) as StoreKind,
          perAnswer: n / real.result.requests,
          bytesPerRequest: bytes[k]! / n,
        }))
        .sort((a, b) => b.perAnswer - a.perAnswer),
      cpu: {
        botMs: real.cpuMs,
        storeMs: storeCpu / real.result.requests,
        baselineMs: base.cpuMs,
        baselineCardMs: baseCard.cpuMs,
        loadMs: base.loadMs,
        botLoadMs: real.loadMs,
        replayMs: replay.cpuMsPerAnswer,
        replayStoreMs,
      },
      replay: {
        requests: replay.requests,
        failures: replay.failures,
        sameKinds,
        bytesPerAnswer: sentBytes(made.before, made.after) / real.result.requests,
        botBytesPerAnswer: sentBytes(counts0, counts1) / real.result.requests,
      },
    };
  } finally {
    for (const child of children.reverse()) await child.stop();
    fs.rmSync(countFile, { force: true });
    fs.rmSync(cardFile, { force: true });
    store.close();
    await double.close();
    await azurite.stop();
  }
}

/**
 * `repeat` runs, each with processes of its own (a fresh Azurite, bot and bare apps), one after
 * the other: the bare app, then the bot, alternately. Medians are compared, not single runs.
 */
export async function runRoundTripBench(
  options: { requests?: number; connections?: number; repeat?: number; log?: (s: string) => void } = {},
): Promise<RoundTripResult> {
  const log = options.log ?? (() => undefined);
  const repeat = Math.max(1, options.repeat ?? 1);
  const runs: RoundTripRun[] = [];
  for (let i = 0; i < repeat; i++) {
    if (repeat > 1) log(`round-trip: run ${i + 1} of ${repeat}`);
    runs.push(await runOnce(options.requests ?? 3000, options.connections ?? 50, log));
  }
  return { runs };
}

/**
 * Fan-out: the scheduled check-in posted to 50 team channels through a Bot Connector double that
 * enforces Teams' documented limits (per thread, and 30 requests/s per app per tenant) and that
 * also throttles a share of requests with 429 + Retry-After, as Teams does under load. Prints the
 * time against the minimum the limits allow, the retries, duplicates (must be 0) and misses
 * (must be 0).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../config/config';
import { createLogger } from '../bot/logger';
import { startBot } from '../bot/index';
import { fixedClock, zonedTimeToUtc, mondayOfIsoWeek, isoWeek } from '../domain/time';
import type { Action } from '../domain/types';
import { startAzurite } from '../storage/azurite';
import { startConnectorDouble, TEAMS_PER_THREAD_LIMITS, type RecordedCall } from '../test/support/connector-double';

export interface FanOutResult {
  channels: number;
  seconds: number;
  minimumSeconds: number;
  retries: number;
  throttled: number;
  duplicates: number;
  misses: number;
}

const TENANT_RPS = 30;

export async function runFanOutBench(
  options: { channels?: number; throttleShare?: number; log?: (s: string) => void } = {},
): Promise<FanOutResult> {
  const channels = options.channels ?? 50;
  const share = options.throttleShare ?? 0.1;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-fanout-'));
  const programFile = path.join(dir, 'program.json');
  const base = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'program.default.json'), 'utf8'),
  ) as Record<string, unknown>;
  const letters = (i: number) => String.fromCharCode(65 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26));
  fs.writeFileSync(
    programFile,
    JSON.stringify({
      ...base,
      teams: Array.from({ length: channels }, (_, i) => ({
        key: `team${i}`,
        name: `Team ${i}`,
        actionPrefix: `T${letters(i)}`,
        aliases: [],
      })),
    }),
  );
  const azurite = await startAzurite({ inMemory: true });
  let n = 0;
  const double = await startConnectorDouble({
    rateLimits: [...TEAMS_PER_THREAD_LIMITS, { category: 'any', scope: 'global', windowMs: 1000, max: TENANT_RPS }],
  });
  // Teams also throttles under load it does not announce: every 1/share-th create gets a 429.
  double.faultFor((call: RecordedCall) =>
    call.route === 'createConversation' && ++n % Math.round(1 / share) === 0
      ? { status: 429, headers: { 'Retry-After': '1' } }
      : undefined,
  );

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
    for (let i = 0; i < channels; i++) {
      const channelId = `19:channel${i}@thread.tacv2`;
      await repos.bindings.put({
        programId: 'harnosand',
        channelId,
        teamsTeamId,
        channelName: `Team ${i}`,
        role: { kind: 'team', teamKey: `team${i}` },
        reference: reference(channelId),
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
    const t0 = performance.now();
    await bot.scheduler.tick();
    const seconds = (performance.now() - t0) / 1000;
    const creates = double.calls.filter((c) => c.route === 'createConversation');
    const accepted = double.sent().filter((s) => s.kind === 'create');
    const perChannel = new Map<string, number>();
    for (const s of accepted)
      perChannel.set(s.conversationId.split(';')[0]!, (perChannel.get(s.conversationId.split(';')[0]!) ?? 0) + 1);
    const throttled = creates.filter((c) => c.status === 429).length;
    return {
      channels,
      seconds,
      // The tenant limit lets TENANT_RPS posts through per second: the rest wait whole seconds.
      minimumSeconds: Math.max(0, Math.ceil(channels / TENANT_RPS) - 1),
      retries: creates.length - accepted.length,
      throttled,
      duplicates: [...perChannel.values()].filter((c) => c > 1).length,
      misses: channels - perChannel.size,
    };
  } finally {
    await bot.stop();
    await double.close();
    await azurite.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatFanOut(r: FanOutResult): string {
  return [
    '| channels | time s | minimum the limits allow s | requests throttled (429) | retries | duplicates | misses |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${r.channels} | ${r.seconds.toFixed(2)} | ${r.minimumSeconds.toFixed(2)} | ${r.throttled} | ${r.retries} | **${r.duplicates}** | **${r.misses}** |`,
  ].join('\n');
}

if (require.main === module) {
  runFanOutBench({ log: (s) => console.error(s) }).then(
    (r) => console.log(formatFanOut(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

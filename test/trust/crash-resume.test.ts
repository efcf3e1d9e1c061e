/**
 * A crash in the middle of a fan-out: a separate Node process (test/trust/fixtures/
 * fanout-child.ts) posts a check-in to 8 channels through the real BotMessenger and the
 * connector double, with delivery records in Azurite. When its 5th post reaches the double, the
 * test kills it with SIGKILL (that request is never answered, so Teams never showed it). The next
 * run, in another process (this one), completes the fan-out: the 3 posts that were never made and
 * the one that was in flight are made, the 4 that were made are not repeated.
 *
 * The one window no test can close: a post that Teams accepted just before the process died,
 * before its record said `sent`. Teams has no idempotency key; domain/delivery/fanout.ts writes the record
 * right after each post to keep that window to one request (docs/SECURITY.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { loadConfig } from '../../config/config';
import { createAdapter } from '../../bot/adapter';
import { BotMessenger } from '../../bot/messenger';
import { silentLogger } from '../../bot/logger';
import { fanOut } from '../../domain/delivery';
import { systemClock } from '../../domain/time';
import type { Repositories } from '../../domain/ports';
import { channelOfConversation } from '../support/activities';
import { faults, startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { startTestStorage, type TestStorage } from '../support/storage';
import { crashChannel, crashItems } from './fixtures/crash-items';

const TARGETS = 8;
const KILL_AT = 5;
const BATCH = 'checkin|2026-W48';
const ROOT = path.resolve(__dirname, '..', '..');

/** Lets a plain `node` run the TypeScript sources (type-stripping only, with the repo's settings). */
const TS_HOOK = `
const ts = require('typescript');
const fs = require('fs');
require.extensions['.ts'] = (m, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
  });
  m._compile(out.outputText, filename);
};
require(process.argv[1]);
`;

let storage: TestStorage;
let repos: Repositories;
let prefix: string;
let double: ConnectorDouble;

beforeAll(async () => {
  storage = await startTestStorage();
  ({ repositories: repos, prefix } = await storage.fresh());
  double = await startConnectorDouble();
});

afterAll(async () => {
  await double?.close();
  await storage?.stop();
});

it('kill -9 in the middle of a fan-out: the next run completes it without duplicates', async () => {
  const running: { child?: ChildProcess } = {};
  let creates = 0;
  const removeHook = double.faultFor((call) => {
    if (call.route !== 'createConversation') return undefined;
    creates++;
    if (creates !== KILL_AT) return undefined;
    running.child?.kill('SIGKILL');
    return faults.timeout();
  });

  const child = spawn(
    process.execPath,
    [
      '-e',
      TS_HOOK,
      path.join(__dirname, 'fixtures', 'fanout-child.ts'),
      storage.connectionString,
      prefix,
      double.url,
      BATCH,
      String(TARGETS),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.child = child;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  // 'close', not 'exit': it comes after the child's stdout and stderr are read to the end.
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  removeHook();

  expect({ exit, stderr }).toEqual({ exit: { code: null, signal: 'SIGKILL' }, stderr: '' });
  expect(stdout.trim().split('\n')).toEqual(['posted team-00', 'posted team-01', 'posted team-02', 'posted team-03']);
  expect(double.sent()).toHaveLength(KILL_AT - 1);

  // What the crash left: 4 sent, 1 pending (the one in flight), 3 never started.
  const left = await repos.deliveries.list('harnosand', BATCH);
  expect(left.map((r) => `${r.key}:${r.status}`).sort()).toEqual([
    'team-00:sent',
    'team-01:sent',
    'team-02:sent',
    'team-03:sent',
    'team-04:pending',
  ]);

  // The next start runs the same fan-out again.
  const report = await fanOut({
    programId: 'harnosand',
    batch: BATCH,
    items: crashItems(double.url, TARGETS),
    messenger: new BotMessenger(createAdapter(loadConfig({})), '', 5000),
    deliveries: repos.deliveries,
    clock: systemClock,
    logger: silentLogger(),
    concurrency: 2,
    minIntervalMs: 0,
  });
  expect(report).toMatchObject({ sent: TARGETS - (KILL_AT - 1), alreadySent: KILL_AT - 1, failed: 0 });

  // Every channel got its post exactly once.
  const perChannel = new Map<string, number>();
  for (const s of double.sent()) {
    const channel = channelOfConversation(s.conversationId);
    perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
  }
  expect([...perChannel.entries()].sort()).toEqual(Array.from({ length: TARGETS }, (_, i) => [crashChannel(i), 1]));
  const done = await repos.deliveries.list('harnosand', BATCH);
  expect(done.filter((r) => r.status === 'sent')).toHaveLength(TARGETS);
  expect(done.find((r) => r.key === 'team-04')).toMatchObject({ status: 'sent', runs: 2 });
});

/**
 * The store stops answering, or dies, and the bot stays useful:
 *
 * - a paused store (SIGSTOP: it accepts connections and never answers, as a hung server or a
 *   network that drops packets): /healthz answers within 2 s with `degraded`, /readyz says 503,
 *   a command gets the polite "Jag når inte lagringen…" within a few seconds (it took ~25 s),
 *   and once the store resumes /readyz says 200 and the same command works;
 * - a store that is slow but answers (every answer held 1.2 s) is not taken for a dead one: the
 *   command succeeds;
 * - the embedded Azurite killed with SIGKILL is started again on the same port with its data
 *   folder, the bot logs it and serves again without a restart, with what was saved.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { azuriteConnectionString, startAzurite, type AzuriteHandle } from '../../storage/azurite';
import { channelMessage, postActivity } from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { captureLogs } from './helpers';

jest.setTimeout(90_000);

let double: ConnectorDouble;
const dirs: string[] = [];

beforeAll(async () => {
  double = await startConnectorDouble();
});

afterAll(async () => {
  await double?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-outage2-'));
  dirs.push(dir);
  return dir;
}

/** Says `text` in `channelId`; the reply's JSON and how long the answer took. */
async function say(bot: TestBot, text: string, channelId: string): Promise<{ reply: string; ms: number }> {
  const before = double.sent().length;
  const started = Date.now();
  const res = await postActivity(bot.url, channelMessage({ text, channelId, serviceUrl: double.url }));
  const ms = Date.now() - started;
  expect(res.status).toBe(200);
  // However slow the turn, the answer is its one activity (no typing indicators).
  const replies = double.sent().slice(before);
  expect(replies.map((s) => (s.activity as { type?: string }).type)).toEqual(['message']);
  return { reply: JSON.stringify(replies[0]!.activity), ms };
}

async function probe(url: string): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const started = Date.now();
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, ms: Date.now() - started };
}

describe('a paused store', () => {
  let azurite: AzuriteHandle;
  let bot: TestBot;

  beforeAll(async () => {
    azurite = await startAzurite({ inMemory: true });
    bot = await startTestBot({ AZURE_TABLES_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: 'paused' });
  });

  afterAll(async () => {
    if (azurite?.pid) process.kill(azurite.pid, 'SIGCONT');
    await bot?.stop();
    await azurite?.stop();
  });

  it('/healthz within 2 s, /readyz 503 then 200, and a command answered politely within a few seconds', async () => {
    expect((await say(bot, 'koppla bostäder', '19:paused-before@thread.tacv2')).reply).toContain('Klart!');
    expect(await probe(`${bot.url}/readyz`)).toMatchObject({ status: 200, body: { ready: true, storage: 'up' } });

    process.kill(azurite.pid!, 'SIGSTOP');
    const health = await probe(`${bot.url}/healthz`);
    expect(health).toMatchObject({ status: 200, body: { status: 'degraded', storage: 'down' } });
    expect(health.ms).toBeLessThan(2000);
    const ready = await probe(`${bot.url}/readyz`);
    expect(ready).toMatchObject({ status: 503, body: { ready: false, storage: 'down' } });
    expect(ready.ms).toBeLessThan(2000);

    const during = await say(bot, 'koppla trygghet', '19:paused-during@thread.tacv2');
    expect(during.reply).toContain('Jag når inte lagringen just nu, så inget sparades. Försök igen om en liten stund.');
    expect(during.ms).toBeLessThan(8000); // a person is waiting; it took ~25 s

    process.kill(azurite.pid!, 'SIGCONT');
    expect(await probe(`${bot.url}/readyz`)).toMatchObject({ status: 200, body: { ready: true } });
    expect((await say(bot, 'koppla trygghet', '19:paused-during@thread.tacv2')).reply).toContain(
      'Klart! Den här kanalen hör nu till teamet Trygghet',
    );
    expect((await bot.storage.repositories.bindings.get('harnosand', '19:paused-during@thread.tacv2'))?.role).toEqual({
      kind: 'team',
      teamKey: 'trygghet',
    });
  });
});

describe('a slow store that answers', () => {
  let azurite: AzuriteHandle;
  let proxy: http.Server;
  let bot: TestBot;

  beforeAll(async () => {
    azurite = await startAzurite({ inMemory: true });
    let delay = 0;
    proxy = http.createServer((req, res) => {
      const upstream = http.request(
        { host: '127.0.0.1', port: azurite.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          setTimeout(() => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          }, delay);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    bot = await startTestBot({
      AZURE_TABLES_CONNECTION_STRING: azuriteConnectionString((proxy.address() as AddressInfo).port),
      TABLE_PREFIX: 'slow',
    });
    delay = 1200;
  });

  afterAll(async () => {
    await bot?.stop();
    proxy?.closeAllConnections();
    await new Promise((r) => proxy?.close(r));
    await azurite?.stop();
  });

  it('is not failed fast: the command succeeds', async () => {
    const { reply } = await say(bot, 'koppla bostäder', '19:slow@thread.tacv2');
    expect(reply).toContain('Klart! Den här kanalen hör nu till teamet Bostäder');
    expect(await probe(`${bot.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok', storage: 'up' } });
  });
});

describe('the embedded Azurite dies', () => {
  it('is started again on the same port with its data; the bot logs it and serves without a restart', async () => {
    const dataDir = tempDir();
    const logs = captureLogs('info');
    const bot = await startTestBot({ AZURITE_IN_MEMORY: 'false', DATA_DIR: dataDir }, { logger: logs.logger });
    try {
      const azurite = bot.storage.azurite!;
      const [port, pid] = [azurite.port, azurite.pid!];
      expect((await say(bot, 'koppla bostäder', '19:restart-before@thread.tacv2')).reply).toContain('Klart!');
      // Azurite writes its database every 5 s; wait until the binding is on disk.
      const db = path.join(dataDir, 'azurite', '__azurite_db_table__.json');
      const saved = () => fs.existsSync(db) && fs.readFileSync(db, 'utf8').includes('19:restart-before@thread.tacv2');
      for (let i = 0; i < 200 && !saved(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(saved()).toBe(true);

      azurite.kill('SIGKILL');
      // Wait for what is asserted: a new Azurite, announced in azurite.json, answering.
      const restarted = () =>
        azurite.pid !== pid &&
        (JSON.parse(fs.readFileSync(path.join(dataDir, 'azurite.json'), 'utf8')) as { azuritePid: number })
          .azuritePid === azurite.pid;
      for (let i = 0; i < 300 && !restarted(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(restarted()).toBe(true);
      expect(azurite.port).toBe(port);
      expect(await probe(`${bot.url}/readyz`)).toMatchObject({ status: 200 });
      expect(logs.text()).toContain('the embedded Azurite stopped unexpectedly; starting it again');
      expect(logs.text()).toContain('the embedded Azurite was started again with its data');

      expect(
        (await bot.storage.repositories.bindings.get('harnosand', '19:restart-before@thread.tacv2'))?.role,
      ).toEqual({ kind: 'team', teamKey: 'bostader' });
      expect((await say(bot, 'koppla trygghet', '19:restart-after@thread.tacv2')).reply).toContain(
        'Klart! Den här kanalen hör nu till teamet Trygghet',
      );
    } finally {
      await bot.stop();
    }
  });
});

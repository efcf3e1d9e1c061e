/**
 * Storage down and back: the bot runs on its own Azurite (AZURE_TABLES_CONNECTION_STRING, as in
 * production with Azure Table Storage). Azurite is killed (SIGKILL) mid-service: a command gets
 * the polite "try again" answer, a card action a "try again" card, /healthz says degraded (still
 * 200, so the platform does not restart a healthy process for a storage outage), nothing is
 * half-written; then a new Azurite comes up on the same port with the same data folder and the
 * bot recovers by itself, with no restart.
 *
 * The flows that write (a check-in answer, a decision submit) are pressed during the outage too:
 * each gets the "try again" card, nothing of either is stored, and after recovery the same
 * request succeeds with the next decision number (none was taken by the failed submit). A cut at
 * every single point of those paths is test/trust/storage-cut.e2e.test.ts.
 *
 * The Azurite keeps its data on disk, as Azure Table Storage keeps it through an outage
 * (Azurite's in-memory mode would come back empty, which is data loss, not an outage). Azurite
 * saves its database every 5 s, so the test waits for that before pulling the plug.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { startAzurite, type AzuriteHandle } from '../../storage/azurite';
import {
  DEFAULT_CHANNEL,
  DEFAULT_USER,
  actionExecuteInvoke,
  channelMessage,
  postActivity,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { fixedClock } from '../../domain/time';
import { captureLogs, type LogCapture } from './helpers';
import { testAction } from '../support/fixtures';

const FIRST = '19:outage-first@thread.tacv2';
const DURING = '19:outage-during@thread.tacv2';
const STEERING = '19:outage-steering@thread.tacv2';
const WEEK = '2026-W48';

let dataDir: string;
let azurite: AzuriteHandle;
let double: ConnectorDouble;
let bot: TestBot;
let logs: LogCapture;

async function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' }, () => {
      socket.end();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

async function say(text: string, channelId = DEFAULT_CHANNEL.id): Promise<string> {
  double.reset();
  const res = await postActivity(bot.url, channelMessage({ text, channelId, serviceUrl: double.url }));
  expect(res.status).toBe(200);
  expect(double.sent()).toHaveLength(1);
  return JSON.stringify(double.sent()[0]!.activity);
}

/** The rows Azurite's saved database file holds, per table (`undefined` before the first save). */
function savedRows(): Record<string, string[]> | undefined {
  // Azurite saves its LokiJS database (write to a temp file, then rename), so a read sees a whole save.
  const file = path.join(dataDir, 'azurite', '__azurite_db_table__.json');
  if (!fs.existsSync(file)) return undefined;
  const db = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    collections: { name: string; data: { RowKey?: string }[] }[];
  };
  return Object.fromEntries(db.collections.map((c) => [c.name, c.data.map((r) => r.RowKey ?? '')]));
}

/** Waits until Azurite's autosave (every 5 s) has put on disk what must survive the SIGKILL. */
async function savedToDisk(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const wanted = (rows: Record<string, string[]> | undefined): boolean =>
    !!rows?.['devstoreaccount1$outageActions']?.includes('BOS-01') &&
    [FIRST, STEERING].every((channel) => rows['devstoreaccount1$outageBindings']?.includes(channel));
  let rows = savedRows();
  while (!wanted(rows)) {
    if (Date.now() > deadline) {
      throw new Error(
        `Azurite did not save BOS-01 and the bindings of ${FIRST} and ${STEERING} to ${dataDir} within ${timeoutMs} ms; saved: ${JSON.stringify(rows)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
    rows = savedRows();
  }
}

async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${bot.url}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-outage-'));
  azurite = await startAzurite({ dataDir });
  double = await startConnectorDouble();
  logs = captureLogs('info');
  bot = await startTestBot(
    {
      AZURE_TABLES_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: 'outage',
      STEERING_MEMBERS: DEFAULT_USER.aadObjectId!,
    },
    { logger: logs.logger, clock: fixedClock('2026-11-23T08:00:00.000Z') },
  );
});

afterAll(async () => {
  await bot?.stop();
  await azurite?.stop();
  await double?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('answers "try again" while storage is down, reports degraded, writes nothing, and recovers by itself', async () => {
  // Up: a first channel is linked, a steering channel too, and the team has an action.
  expect(await say('koppla bostäder', FIRST)).toContain('Klart!');
  expect(await say('koppla styrgrupp', STEERING)).toContain('Klart!');
  await bot.storage.repositories.actions.saveAll([
    testAction('BOS-01', { title: 'Bygglov', owner: { name: 'Anna' }, progress: 10 }),
  ]);
  expect(await health()).toEqual({
    status: 200,
    body: expect.objectContaining({ status: 'ok', storage: 'up', storageMode: 'azure' }),
  });
  await savedToDisk(20_000); // Azurite's autosave (see above)

  // Down.
  const port = azurite.port;
  azurite.kill('SIGKILL');
  for (let i = 0; i < 50 && !(await portClosed(port)); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await portClosed(port)).toBe(true);

  const started = Date.now();
  const reply = await say('koppla bostäder', DURING);
  expect(reply).toContain('Jag når inte lagringen just nu, så inget sparades. Försök igen om en liten stund.');
  expect(reply).not.toMatch(/ECONNREFUSED|RestError|at .*\.js/);
  expect(Date.now() - started).toBeLessThan(10_000); // a person is waiting: fail fast

  const invoke = await postActivity(
    bot.url,
    actionExecuteInvoke({ verb: 'actions.page', data: { teamKey: 'bostader', page: 0 }, serviceUrl: double.url }),
  );
  expect(invoke.status).toBe(200);
  expect(JSON.stringify(invoke.body)).toContain('Jag når inte lagringen just nu');

  // The writing flows: a check-in answer and a decision submit get the same polite card.
  const answer = actionExecuteInvoke({
    verb: 'checkin.answer',
    data: {
      teamKey: 'bostader',
      week: WEEK,
      actionId: 'BOS-01',
      'BOS-01.status': 'at_risk',
      'BOS-01.comment': 'Under avbrottet',
    },
    channelId: FIRST,
    serviceUrl: double.url,
  });
  const answered = await postActivity(bot.url, answer);
  expect(answered.status).toBe(200);
  expect(JSON.stringify(answered.body)).toContain('Jag når inte lagringen just nu, så inget sparades.');
  const form = {
    formId: 'outage-form-0001',
    title: 'Beslut under avbrott',
    text: 'Styrgruppen beslutar.',
    meetingDate: '2026-11-23',
    teams: '',
    actions: '',
  };
  const submitted = await postActivity(
    bot.url,
    actionExecuteInvoke({ verb: 'decision.submit', data: form, channelId: STEERING, serviceUrl: double.url }),
  );
  expect(submitted.status).toBe(200);
  expect(JSON.stringify(submitted.body)).toContain('Jag når inte lagringen just nu, så inget sparades.');
  expect(JSON.stringify([answered.body, submitted.body])).not.toMatch(/ECONNREFUSED|RestError|at .*\.js/);

  expect(await health()).toEqual({
    status: 200,
    body: expect.objectContaining({ status: 'degraded', storage: 'down' }),
  });
  const storageErrors = logs.records().filter((r) => r.code === 'KS_STORAGE_UNAVAILABLE');
  expect(storageErrors.length).toBeGreaterThanOrEqual(4);
  expect(logs.text()).not.toContain('AccountKey=');

  // Back, on the same port with the same data: no bot restart.
  azurite = await startAzurite({ dataDir, port });
  expect(azurite.port).toBe(port);
  expect(await health()).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', storage: 'up' }) });
  // Nothing half-written during the outage; what was there before is still there.
  expect(await bot.storage.repositories.bindings.get('harnosand', DURING)).toBeUndefined();
  expect((await bot.storage.repositories.bindings.get('harnosand', FIRST))?.role).toEqual({
    kind: 'team',
    teamKey: 'bostader',
  });
  const repos = bot.storage.repositories;
  expect(await repos.actions.get('harnosand', 'BOS-01')).toMatchObject({ status: 'on_track', progress: 10 });
  // The log holds only the bindings made before the outage (access events), no answer or decision.
  expect(
    (await repos.events.listWeek({ programId: 'harnosand', week: WEEK })).filter(
      (e) => e.type !== 'access' || e.channelId === DURING,
    ),
  ).toEqual([]);
  expect(await repos.decisions.listYear('harnosand', 2026)).toEqual([]);
  // The same command, answer and form now work; the decision gets the first number of the year.
  expect(await say('koppla bostäder', DURING)).toContain('Klart! Den här kanalen hör nu till teamet Bostäder');
  expect((await repos.bindings.get('harnosand', DURING))?.role).toEqual({ kind: 'team', teamKey: 'bostader' });
  expect(JSON.stringify((await postActivity(bot.url, answer)).body)).toContain('BOS-01 är uppdaterad');
  expect(await repos.actions.get('harnosand', 'BOS-01')).toMatchObject({ status: 'at_risk' });
  const again = await postActivity(
    bot.url,
    actionExecuteInvoke({ verb: 'decision.submit', data: form, channelId: STEERING, serviceUrl: double.url }),
  );
  expect(JSON.stringify(again.body)).toContain('Beslutet är loggat som D-2026-001.');
  const second = await postActivity(
    bot.url,
    actionExecuteInvoke({
      verb: 'decision.submit',
      data: { ...form, formId: 'outage-form-0002' },
      channelId: STEERING,
      serviceUrl: double.url,
    }),
  );
  expect(JSON.stringify(second.body)).toContain('Beslutet är loggat som D-2026-002.');
  await bot.deps.background.drain();
});

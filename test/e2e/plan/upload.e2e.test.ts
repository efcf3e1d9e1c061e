/**
 * Importing the action plan from Teams, through the real HTTP endpoint: a program admin sends the
 * plan (.csv or .xlsx) to the bot in personal chat as Teams delivers a file — a
 * `file.download.info` attachment whose `downloadUrl` this test serves from a local HTTP server
 * (a plain GET, no Authorization, as SharePoint's pre-authorised links take it). The bot answers
 * with the preview card; "Importera" (Action.Execute) applies it once, "Avbryt" drops it; what
 * the bot then shows (`åtgärder`) and what is stored are checked.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { validateCard } from '../../../cards/validate';
import { importFile } from '../../../domain/plan';
import { fixedClock } from '../../../domain/time';
import {
  DEFAULT_CHANNEL,
  DEFAULT_PERSONAL_CONVERSATION_ID,
  DEFAULT_USER,
  actionExecuteInvoke,
  channelMessage,
  personalMessage,
  postActivity,
  type TeamsActivity,
} from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../../support/connector-double';
import { testAction } from '../../support/fixtures';
import { startTestStorage, type TestStorage } from '../../support/storage';
import { diffSnapshots, snapshotTables } from '../../trust/table-snapshot';

const P = 'harnosand';
const FILE_INFO = 'application/vnd.microsoft.teams.file.download.info';
const ADMIN = { id: '29:plan-admin', name: 'Ada Admin', aadObjectId: 'a1a1a1a1-0000-4000-8000-0000000000a1' };
const clock = fixedClock('2026-11-23T08:00:00.000Z');

// ---------------------------------------------------------------------------------------------
// A file server standing in for SharePoint's download links

interface FileServer {
  url(path: string): string;
  serve(path: string, body: Buffer, options?: { status?: number; contentType?: string }): void;
  requests: { path: string; method: string; authorization?: string }[];
  close(): Promise<void>;
}

async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, { body: Buffer; status: number; contentType: string }>();
  const requests: FileServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ path, method: req.method ?? '', authorization: req.headers.authorization });
    const f = files.get(path);
    if (!f) {
      res.writeHead(404);
      res.end();
      return;
    }
    // Not chained: restify, loaded in this process by the bot, replaces writeHead with one that returns nothing.
    res.writeHead(f.status, { 'content-type': f.contentType, 'content-length': String(f.body.length) });
    res.end(f.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}?UniqueId=1150d938&tempauth=short-lived-token`,
    serve: (path, body, o = {}) =>
      files.set(path, { body, status: o.status ?? 200, contentType: o.contentType ?? 'application/octet-stream' }),
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------
// Plan files made here

/** Saved by Swedish Excel as "CSV (semikolonavgränsad)": Windows-1252, semicolons. */
function ansiCsv(lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1');
}

const PLAN_CSV = ansiCsv([
  'Id;Team;Insats;Ansvarig;Slutdatum;Status',
  'BOS-01;Bostäder;Fler hyresrätter i centrum;Åsa Öberg;2026-12-31;Enligt plan',
  ';Bostäder;Studentbostäder vid campus;Per Ström;2027-06-30;Ej påbörjad',
]);

const BROKEN_CSV = ansiCsv([
  'Id;Team;Insats;E-post;Start',
  'BOS-01;Bostäder;Fler hyresrätter i centrum;asa@harnosand.se;2026-01-01',
  ';Bostäder;;per@harnosand.se;2026-01-01',
  ';Bostäder;Trygga trapphus;inte-en-adress;2026-01-01',
]);

async function planWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Handlingsplan');
  ws.addRow(['Id', 'Team', 'Insats', 'Ansvarig', 'Slutdatum', 'Status']);
  ws.addRow([
    'BOS-01',
    'Bostäder',
    'Fler hyresrätter i centrum',
    'Åsa Öberg',
    new Date(Date.UTC(2026, 11, 31)),
    'Pågår',
  ]);
  ws.addRow(['', 'Industrimark', 'Detaljplan för Saltvik', 'Lena Ek', new Date(Date.UTC(2026, 11, 1)), 'Risk']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// The bot, its storage and what it says

let storage: TestStorage;
let double: ConnectorDouble;
let files: FileServer;
let env: Record<string, string>;
let bot: TestBot;
const extraBots: TestBot[] = [];
const repos = () => bot.storage.repositories;
const snapshot = () => snapshotTables(storage.connectionString, env.TABLE_PREFIX!);
/** Changes to the plan and its log (everything but the pending uploads themselves). */
const planChanges = async (before: Awaited<ReturnType<typeof snapshot>>) =>
  diffSnapshots(before, await snapshot()).filter((d) => !d.table.endsWith('Uploads'));

function textsOf(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'text' || k === 'title') && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(value);
  return out.join(' | ');
}

interface Reply {
  text: string;
  card?: Record<string, unknown>;
}

/**
 * What the bot answered in the personal chat since the last reset: each message's text, or its
 * card. Kraftsamla sends no typing indicators, so every activity there is one of these.
 */
function personalReplies(): Reply[] {
  return double
    .sentTo(DEFAULT_PERSONAL_CONVERSATION_ID)
    .map((s) => s.activity as { type?: string; text?: string; attachments?: { content?: Record<string, unknown> }[] })
    .map((a) => {
      const card = a.attachments?.[0]?.content;
      return { text: card ? textsOf(card) : (a.text ?? ''), ...(card ? { card } : {}) };
    });
}

function fileAttachment(name: string, downloadUrl: string) {
  return {
    contentType: FILE_INFO,
    contentUrl: `https://contoso-my.sharepoint.com/personal/ada/Documents/Microsoft Teams Chat Files/${name}`,
    name,
    content: {
      downloadUrl,
      uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D',
      fileType: name.split('.').pop(),
      etag: '123',
    },
  };
}

/** A file sent in the personal chat, as Teams delivers it. */
function personalFile(name: string, path: string, o: { from?: typeof ADMIN; locale?: string } = {}): TeamsActivity {
  const activity = personalMessage({ text: '', from: o.from ?? ADMIN, serviceUrl: double.url, locale: o.locale });
  activity.attachments = [fileAttachment(name, files.url(path)), { contentType: 'text/html', content: '<p></p>' }];
  return activity;
}

/** Sends the file and returns the bot's one answer. */
async function send(activity: TeamsActivity, target: TestBot = bot): Promise<Reply> {
  double.reset();
  expect((await postActivity(target.url, activity)).status).toBe(200);
  const replies = personalReplies();
  expect(replies).toHaveLength(1);
  if (replies[0]!.card) expect(validateCard(replies[0]!.card)).toEqual([]);
  return replies[0]!;
}

function buttons(
  card: Record<string, unknown> | undefined,
): { verb: string; data: Record<string, unknown>; title: string }[] {
  return ((card?.actions ?? []) as { verb: string; data: Record<string, unknown>; title: string }[]).map((a) => ({
    verb: a.verb,
    data: a.data,
    title: a.title,
  }));
}

/** The upload the preview card offers to import. */
function offered(reply: Reply): { uploadId: string; hash: string } {
  const b = buttons(reply.card).find((x) => x.verb === 'plan.import');
  expect(b).toBeDefined();
  return { uploadId: String(b!.data.uploadId), hash: String(b!.data.hash) };
}

/** Presses a button of the card (Action.Execute in the personal chat); the texts of the card that comes back. */
async function press(
  verb: 'plan.import' | 'plan.cancel',
  upload: { uploadId: string; hash: string },
  o: { target?: TestBot; from?: { id: string; name: string; aadObjectId: string } } = {},
): Promise<{ text: string; card: Record<string, unknown> }> {
  const res = await postActivity(
    (o.target ?? bot).url,
    actionExecuteInvoke({
      verb,
      data: { ...upload },
      scope: 'personal',
      from: o.from ?? ADMIN,
      serviceUrl: double.url,
    }),
  );
  expect(res.status).toBe(200);
  const body = res.body as { type: string; value: Record<string, unknown> };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(validateCard(body.value)).toEqual([]);
  return { text: textsOf(body.value), card: body.value };
}

/** `åtgärder` in the Bostäder channel: the texts of the action list card. */
async function actionList(channelId = DEFAULT_CHANNEL.id): Promise<string> {
  double.reset();
  expect(
    (await postActivity(bot.url, channelMessage({ text: 'åtgärder', channelId, serviceUrl: double.url, from: ADMIN })))
      .status,
  ).toBe(200);
  const sent = double.sent().map((s) => s.activity as { attachments?: { content?: unknown }[] });
  expect(sent).toHaveLength(1);
  return textsOf(sent[0]!.attachments?.[0]?.content);
}

async function startAnother(): Promise<TestBot> {
  const b = await startTestBot(env, { clock });
  extraBots.push(b);
  return b;
}

beforeAll(async () => {
  storage = await startTestStorage();
  double = await startConnectorDouble();
  files = await startFileServer();
});

afterAll(async () => {
  await files?.close();
  await double?.close();
  await storage?.stop();
});

beforeEach(async () => {
  env = {
    AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
    TABLE_PREFIX: `up${randomBytes(4).toString('hex')}`,
    PROGRAM_ADMINS: ADMIN.aadObjectId,
  };
  bot = await startTestBot(env, { clock });
  files.requests.length = 0;
  // The plan as it stood: BOS-01 under an older title; the Bostäder channel is linked.
  await repos().actions.saveAll([
    testAction('BOS-01', { title: 'Fler hyresrätter', status: 'not_started', progress: 0, due: '2026-10-31' }),
  ]);
  expect(
    (await postActivity(bot.url, channelMessage({ text: 'koppla bostäder', serviceUrl: double.url, from: ADMIN })))
      .status,
  ).toBe(200);
});

afterEach(async () => {
  await Promise.all(extraBots.splice(0).map((b) => b.stop()));
  await bot?.stop();
});

// ---------------------------------------------------------------------------------------------

describe('a plan sent to the bot in personal chat', () => {
  it('an admin sends an ANSI CSV: the preview says what changes and writes nothing; Importera applies it; åtgärder shows it', async () => {
    files.serve('/handlingsplan.csv', PLAN_CSV, { contentType: 'text/csv' });
    const before = await snapshot();
    const preview = await send(personalFile('handlingsplan.csv', '/handlingsplan.csv'));

    // Downloaded at once, with a plain GET and no Authorization header.
    expect(files.requests).toEqual([{ path: '/handlingsplan.csv', method: 'GET', authorization: undefined }]);
    expect(preview.text).toContain('Import av handlingsplan.csv');
    expect(preview.text).toContain('Handlingsplan, 2 rader');
    expect(preview.text).toContain('1 nya, 1 ändrade, 0 utgår, 0 oförändrade');
    expect(preview.text).toContain('Läggs till (1)');
    expect(preview.text).toContain('BOS-02 · Studentbostäder vid campus (rad 3, nytt id)');
    expect(preview.text).toContain('Ändras (1)');
    expect(preview.text).toContain('BOS-01 · Fler hyresrätter i centrum (rad 2): titel, slutdatum, ansvarig, status');
    expect(buttons(preview.card).map((b) => [b.verb, b.title])).toEqual([
      ['plan.import', 'Importera'],
      ['plan.cancel', 'Avbryt'],
    ]);
    // A dry run: the plan and its log are as they were.
    expect(await planChanges(before)).toEqual([]);
    expect(await repos().actions.get(P, 'BOS-02')).toBeUndefined();

    // A card naming this upload with other content (a forged or mixed-up card) applies nothing.
    const forged = await press('plan.import', { ...offered(preview), hash: 'f'.repeat(64) });
    expect(forged.text).toContain('Jag hittar inte den här uppladdningen');
    expect(await planChanges(before)).toEqual([]);

    const done = await press('plan.import', offered(preview));
    expect(done.text).toContain('Importerat av Ada Admin. Planen är uppdaterad.');
    expect(done.text).toContain('Tillagda (1)');
    expect(done.text).toContain('BOS-02 · Studentbostäder vid campus (rad 3, nytt id)');
    expect(buttons(done.card)).toEqual([]);
    expect(await repos().actions.get(P, 'BOS-01')).toMatchObject({
      title: 'Fler hyresrätter i centrum',
      due: '2026-12-31',
      status: 'on_track',
      owner: { name: 'Åsa Öberg' },
    });
    expect(await repos().actions.get(P, 'BOS-02')).toMatchObject({
      teamKey: 'bostader',
      title: 'Studentbostäder vid campus',
      due: '2027-06-30',
      owner: { name: 'Per Ström' },
    });
    // Logged as the CLI logs it: the same author and the event ids of this content.
    const events = await repos().events.listWeek({ programId: P, week: '2026-W48' });
    expect(events.filter((e) => e.type === 'action').map((e) => [e.actionId, e.by, e.source])).toEqual(
      expect.arrayContaining([
        ['BOS-01', 'import:handlingsplan.csv', 'import'],
        ['BOS-02', 'import:handlingsplan.csv', 'import'],
      ]),
    );
    // The file's bytes are gone once applied; the upload row says who applied it.
    const upload = await repos().uploads.get(P, offered(preview).uploadId);
    expect(upload).toMatchObject({
      state: 'applied',
      finishedBy: { id: ADMIN.aadObjectId, name: 'Ada Admin' },
      summary: { added: 1, updated: 1 },
    });
    expect(await repos().uploads.content(upload!)).toBeUndefined();

    const list = await actionList();
    expect(list).toContain('BOS-01 · Fler hyresrätter i centrum');
    expect(list).toContain('BOS-02 · Studentbostäder vid campus');
    expect(list).toContain('Åsa Öberg');

    // The week's check-in card, posted in the channel, asks about both.
    double.reset();
    expect(
      (await postActivity(bot.url, channelMessage({ text: 'incheckning', serviceUrl: double.url, from: ADMIN })))
        .status,
    ).toBe(200);
    const posted = double.sent().filter((x) => x.kind === 'create');
    expect(posted).toHaveLength(1);
    const checkin = textsOf(
      (posted[0]!.activity as { attachments?: { content?: unknown }[] }).attachments?.[0]?.content,
    );
    expect(checkin).toContain('Fler hyresrätter i centrum');
    expect(checkin).toContain('Studentbostäder vid campus');
  });

  it('the yearly revision from Teams: the preview lists the actions it retires and the teams its new areas make; Importera applies both', async () => {
    await repos().actions.saveAll([testAction('BOS-03', { title: 'Gamla tomtkön', status: 'on_track' })]);
    files.serve(
      '/revision.csv',
      ansiCsv([
        'Id;Team;Insats;Ansvarig;Tidplan',
        'BOS-01;Bostäder;Fler hyresrätter;Åsa Öberg;Hösten 2027',
        ';Turism;Ny cykelled längs kusten;Tor Ek;2027',
      ]),
    );
    const before = await snapshot();
    const preview = await send(personalFile('revision.csv', '/revision.csv'));
    expect(preview.text).toContain('Utgår ur planen (1)');
    expect(preview.text).toContain('BOS-03 · Gamla tomtkön');
    expect(preview.text).toContain('Nya team (från planens insatsområden) (1)');
    expect(preview.text).toContain('Turism (id-prefix TUR); koppla en kanal med "koppla Turism"');
    // Listed once, as retired, not also as changed.
    expect(preview.text).not.toMatch(/Ändras \(\d+\)[^|]*\| BOS-03/);
    expect(await planChanges(before)).toEqual([]);
    const done = await press('plan.import', offered(preview));
    expect(done.text).toContain('Importerat av Ada Admin');
    expect((await repos().actions.get(P, 'BOS-03'))?.retiredAt).toBeTruthy();
    expect(await repos().actions.get(P, 'TUR-01')).toMatchObject({
      teamKey: 'turism',
      timeline: '2027',
      due: '2027-12-31',
    });
    expect((await repos().programTeams.list(P)).map((x) => x.key)).toEqual(['turism']);
    expect(await actionList()).not.toContain('BOS-03');
  });

  it('the same message delivered twice (a Teams retry) makes one upload; delivered after the import it says so', async () => {
    files.serve('/handlingsplan.csv', PLAN_CSV);
    const message = personalFile('handlingsplan.csv', '/handlingsplan.csv');
    const first = await send(message);
    const second = await send(message);
    expect(offered(second)).toEqual(offered(first));
    expect((await repos().uploads.list(P)).map((u) => u.id)).toEqual([offered(first).uploadId]);
    await press('plan.import', offered(first));
    const late = await send(message);
    expect(late.text).toContain('Den här filen importerades redan 23 november 2026 av Ada Admin. Inget ändrades nu.');
    expect(buttons(late.card)).toEqual([]);
  });

  it('the same import as the CLI: the stored plan equals what importFile makes of the same bytes', async () => {
    files.serve('/plan.xlsx', await planWorkbook());
    const preview = await send(personalFile('plan.xlsx', '/plan.xlsx'));
    expect(preview.text).toContain('blad "Handlingsplan"');
    await press('plan.import', offered(preview));
    const viaTeams = (await repos().actions.list(P)).map(({ etag: _e, lastUpdate: _l, ...a }) => a);

    const cliEnv = { ...env, TABLE_PREFIX: `${env.TABLE_PREFIX}c` };
    const other = await startTestBot(cliEnv, { clock });
    extraBots.push(other);
    const r = other.storage.repositories;
    await r.actions.saveAll([
      testAction('BOS-01', { title: 'Fler hyresrätter', status: 'not_started', progress: 0, due: '2026-10-31' }),
    ]);
    const cli = await importFile({
      fileName: 'plan.xlsx',
      content: await planWorkbook(),
      program: other.deps.program,
      repositories: r,
      clock,
    });
    expect(cli.errors).toEqual([]);
    expect((await r.actions.list(P)).map(({ etag: _e, lastUpdate: _l, ...a }) => a)).toEqual(viaTeams);
    expect(viaTeams.map((a) => `${a.id} ${a.title}`)).toEqual([
      'BOS-01 Fler hyresrätter i centrum',
      'IND-01 Detaljplan för Saltvik',
    ]);
  });

  it('pressing Importera twice, or on two instances at once, applies it once', async () => {
    files.serve('/plan.xlsx', await planWorkbook());
    const preview = await send(personalFile('plan.xlsx', '/plan.xlsx'));
    const upload = offered(preview);
    const second = await startAnother();

    const answers = await Promise.all([press('plan.import', upload), press('plan.import', upload, { target: second })]);
    const applied = answers.filter((a) => a.text.includes('Importerat av Ada Admin'));
    expect(applied).toHaveLength(1);
    const other = answers.find((a) => !a.text.includes('Importerat av'))!;
    expect(other.text).toMatch(/Den här filen (importeras just nu|importerades redan)/);

    const afterFirst = await snapshot();
    const eventsAfterFirst = await repos().events.listWeek({ programId: P, week: '2026-W48' });
    expect(eventsAfterFirst.filter((e) => e.type === 'action')).toHaveLength(2);

    // Again, as a retry or a second press would: nothing is written, and it says what the first did.
    for (const target of [bot, second]) {
      const again = await press('plan.import', upload, { target });
      expect(again.text).toContain(
        'Den här filen importerades redan 23 november 2026 av Ada Admin. Inget ändrades nu. 1 nya, 1 ändrade',
      );
    }
    expect(diffSnapshots(afterFirst, await snapshot())).toEqual([]);
  });

  it('an apply that died after writing is taken over later and completes without logging anything twice', async () => {
    files.serve('/handlingsplan.csv', PLAN_CSV);
    const preview = await send(personalFile('handlingsplan.csv', '/handlingsplan.csv'));
    const { uploadId, hash } = offered(preview);
    // The first press wrote the plan and its log, then the process died before marking the upload applied.
    const stored = (await repos().uploads.get(P, uploadId))!;
    const bytes = (await repos().uploads.content(stored))!;
    expect(bytes.equals(PLAN_CSV)).toBe(true);
    expect(
      (
        await importFile({
          fileName: 'handlingsplan.csv',
          content: bytes,
          program: bot.deps.program,
          repositories: repos(),
          clock,
        })
      ).errors,
    ).toEqual([]);
    await repos().uploads.update({
      ...stored,
      state: 'applying',
      claimedAt: '2026-11-23T07:50:00.000Z',
      claimedBy: ADMIN.aadObjectId,
    });
    const written = await snapshot();

    // Within the claim's lifetime another press waits for it...
    clock.set('2026-11-23T07:52:00.000Z');
    expect((await press('plan.import', { uploadId, hash })).text).toContain('Den här filen importeras just nu');
    // ...after it, the press takes over: the import finds everything in place and logs nothing again.
    clock.set('2026-11-23T08:00:00.000Z');
    expect((await press('plan.import', { uploadId, hash })).text).toContain('Importerat av Ada Admin');
    expect(await planChanges(written)).toEqual([]);
    expect(await repos().uploads.get(P, uploadId)).toMatchObject({ state: 'applied' });
  });

  it('when the plan changed since the preview, Importera shows the new preview and writes nothing', async () => {
    files.serve('/handlingsplan.csv', PLAN_CSV);
    const preview = await send(personalFile('handlingsplan.csv', '/handlingsplan.csv'));
    // Meanwhile someone renamed BOS-01 to what the file says: the import would now do less.
    const bos = (await repos().actions.get(P, 'BOS-01'))!;
    await repos().actions.update({
      ...bos,
      title: 'Fler hyresrätter i centrum',
      due: '2026-12-31',
      owner: { name: 'Åsa Öberg' },
      status: 'on_track',
    });
    const before = await snapshot();

    const answer = await press('plan.import', offered(preview));
    expect(answer.text).toContain('Planen har ändrats sedan förhandsvisningen, så inget sparades.');
    expect(answer.text).toContain('1 nya, 0 ändrade, 0 utgår, 1 oförändrade');
    expect(await planChanges(before)).toEqual([]);
    // The new preview can be applied.
    expect((await press('plan.import', offered({ text: answer.text, card: answer.card }))).text).toContain(
      'Importerat av Ada Admin',
    );
    expect(await repos().actions.get(P, 'BOS-02')).toMatchObject({ title: 'Studentbostäder vid campus' });
  });

  it('Avbryt drops the file and writes nothing of the plan; Importera on that card then does nothing', async () => {
    files.serve('/handlingsplan.csv', PLAN_CSV);
    const before = await snapshot();
    const preview = await send(personalFile('handlingsplan.csv', '/handlingsplan.csv'));
    const upload = offered(preview);

    const cancelled = await press('plan.cancel', upload);
    expect(cancelled.text).toContain('Importen avbröts. Inget av filen sparades.');
    expect(await planChanges(before)).toEqual([]);
    expect(await repos().uploads.get(P, upload.uploadId)).toMatchObject({
      state: 'cancelled',
      finishedBy: { name: 'Ada Admin' },
    });
    expect(await repos().uploads.content({ programId: P, id: upload.uploadId })).toBeUndefined();
    // Only the upload's own row is left: its bytes are deleted.
    expect((await snapshot()).get(`${env.TABLE_PREFIX}Uploads`)?.size).toBe(1);

    expect((await press('plan.import', upload)).text).toContain('Importen avbröts');
    expect(await planChanges(before)).toEqual([]);
  });

  it('a preview older than a day cannot be applied, and its bytes are dropped by the next upload', async () => {
    files.serve('/handlingsplan.csv', PLAN_CSV);
    const preview = await send(personalFile('handlingsplan.csv', '/handlingsplan.csv'));
    const upload = offered(preview);
    clock.set('2026-11-24T09:00:00.000Z');
    try {
      const before = await snapshot();
      expect((await press('plan.import', upload)).text).toContain('Förhandsvisningen är äldre än ett dygn');
      expect(await planChanges(before)).toEqual([]);
      await send(personalFile('handlingsplan.csv', '/handlingsplan.csv'));
      expect(await repos().uploads.get(P, upload.uploadId)).toMatchObject({ state: 'cancelled' });
      expect(await repos().uploads.content({ programId: P, id: upload.uploadId })).toBeUndefined();
    } finally {
      clock.set('2026-11-23T08:00:00.000Z');
    }
  });

  it('someone who is not a program admin is refused before anything is downloaded, and cannot press Importera', async () => {
    files.serve('/handlingsplan.csv', PLAN_CSV);
    const before = await snapshot();
    const refused = await send(
      personalFile('handlingsplan.csv', '/handlingsplan.csv', { from: { ...DEFAULT_USER } as typeof ADMIN }),
    );
    expect(refused.text).toBe('Det får du inte göra här: det kräver rollen programadministratör.');
    expect(files.requests).toEqual([]);
    expect(diffSnapshots(before, await snapshot())).toEqual([]);

    const preview = await send(personalFile('handlingsplan.csv', '/handlingsplan.csv'));
    const afterPreview = await snapshot();
    const pressed = await press('plan.import', offered(preview), { from: { ...DEFAULT_USER } as typeof ADMIN });
    expect(pressed.text).toContain('det kräver rollen programadministratör');
    expect(diffSnapshots(afterPreview, await snapshot())).toEqual([]);
    expect(
      (await press('plan.cancel', offered(preview), { from: { ...DEFAULT_USER } as typeof ADMIN })).text,
    ).toContain('det kräver rollen programadministratör');
    expect(diffSnapshots(afterPreview, await snapshot())).toEqual([]);
  });

  it('a broken file shows every problem with its row and column, offers no Importera, and stores nothing', async () => {
    files.serve('/trasig.csv', BROKEN_CSV);
    const before = await snapshot();
    const reply = await send(personalFile('trasig.csv', '/trasig.csv'));
    expect(reply.text).toContain('Filen kan inte importeras: den har 2 fel. Inget sparades.');
    expect(reply.text).toContain('Fel (2)');
    expect(reply.text).toContain('trasig.csv, rad 3, kolumn "Insats": ');
    expect(reply.text).toContain('trasig.csv, rad 4, kolumn "E-post": ');
    expect(reply.text).toContain('inte-en-adress');
    expect(buttons(reply.card)).toEqual([]);
    expect(diffSnapshots(before, await snapshot())).toEqual([]);
    // A card forged to name an upload that was never stored finds nothing.
    expect((await press('plan.import', { uploadId: 'a'.repeat(32), hash: 'b'.repeat(64) })).text).toContain(
      'Jag hittar inte den här uppladdningen',
    );
    expect(diffSnapshots(before, await snapshot())).toEqual([]);
  });

  it('the problems of a file on a card stay under the message limit, however many there are', async () => {
    const lines = ['Id;Team;Insats;E-post'];
    for (let i = 0; i < 400; i++) lines.push(`;Bostäder;;inte en adress ${'x'.repeat(150)} ${i}`);
    files.serve('/stor.csv', ansiCsv(lines));
    const reply = await send(personalFile('stor.csv', '/stor.csv'));
    expect(reply.text).toContain('Fel (800)');
    expect(reply.text).toMatch(/… och \d+ till/);
    expect(Buffer.byteLength(JSON.stringify(reply.card))).toBeLessThan(28 * 1024);
  });

  it('in English: the preview and its buttons', async () => {
    files.serve('/plan.csv', PLAN_CSV);
    const reply = await send(personalFile('plan.csv', '/plan.csv', { locale: 'en-US' }));
    expect(reply.text).toContain('Import of plan.csv');
    expect(reply.text).toContain('To be added (1)');
    expect(reply.text).toContain('BOS-01 · Fler hyresrätter i centrum (row 2): title, due date, owner, status');
    expect(buttons(reply.card).map((b) => b.title)).toEqual(['Import', 'Cancel']);
  });
});

describe('files the bot does not import', () => {
  it('a file in a channel gets “send it to me in a personal chat”, and nothing is downloaded', async () => {
    files.serve('/handlingsplan.csv', PLAN_CSV);
    const activity = channelMessage({ text: 'här är planen', serviceUrl: double.url, from: ADMIN });
    activity.attachments = [
      ...(activity.attachments ?? []),
      fileAttachment('handlingsplan.csv', files.url('/handlingsplan.csv')),
    ];
    double.reset();
    expect((await postActivity(bot.url, activity)).status).toBe(200);
    const sent = double.sent().map((s) => (s.activity as { text?: string }).text);
    expect(sent).toEqual([expect.stringContaining('Skicka handlingsplanen till mig i en personlig chatt')]);
    expect(files.requests).toEqual([]);
  });

  it('a channel message whose HTML holds a file (all Teams gives a bot there) gets the same answer', async () => {
    const activity = channelMessage({ text: 'planen', serviceUrl: double.url, from: ADMIN });
    activity.attachments = [
      {
        contentType: 'text/html',
        content: '<div>planen</div><attachment id="3b2f1e2c-6c4e-4d8e-9f3e-0b1a2c3d4e5f"></attachment>',
      },
    ];
    double.reset();
    expect((await postActivity(bot.url, activity)).status).toBe(200);
    expect(double.sent().map((s) => (s.activity as { text?: string }).text)).toEqual([
      expect.stringContaining('personlig chatt'),
    ]);
  });

  it('a file of another type, an expired link, a web page instead of the file, or a file over 5 MB: a clear answer, nothing stored', async () => {
    const before = await snapshot();
    files.serve('/rapport.pdf', Buffer.from('%PDF-1.7'));
    expect((await send(personalFile('rapport.pdf', '/rapport.pdf'))).text).toContain(
      'Jag kan bara importera handlingsplaner som .xlsx eller .csv. "rapport.pdf" är ingen sådan fil.',
    );
    expect(files.requests).toEqual([]);

    files.serve('/gammal.csv', Buffer.from('<error>expired</error>'), { status: 403 });
    expect((await send(personalFile('gammal.csv', '/gammal.csv'))).text).toContain('länken från Teams har gått ut');

    files.serve('/mobil.xlsx', Buffer.from('<!DOCTYPE html><html><body>Sign in</body></html>'), {
      contentType: 'text/html; charset=utf-8',
    });
    expect((await send(personalFile('mobil.xlsx', '/mobil.xlsx'))).text).toContain(
      'Teams gav mig en webbsida i stället för filen "mobil.xlsx"',
    );

    files.serve('/stor.csv', Buffer.alloc(5 * 1024 * 1024 + 1, 0x41));
    expect((await send(personalFile('stor.csv', '/stor.csv'))).text).toContain('"stor.csv" är större än 5 MB.');

    expect((await send(personalFile('borta.csv', '/borta.csv'))).text).toContain('länken från Teams har gått ut');

    // A file named in the message but not delivered as a Teams file (no download link): said so, never silence.
    const bare = personalMessage({ text: '', from: ADMIN, serviceUrl: double.url });
    bare.attachments = [{ contentType: 'application/vnd.ms-excel', name: 'plan.csv' }];
    expect((await send(bare)).text).toContain('Jag hittar ingen fil i meddelandet.');
    expect(files.requests.map((r) => r.path)).toEqual(['/gammal.csv', '/mobil.xlsx', '/stor.csv', '/borta.csv']);
    expect(diffSnapshots(before, await snapshot())).toEqual([]);
  });

  it('a file name with Markdown is shown as typed, never as a link', async () => {
    files.serve('/lank.pdf', Buffer.from('x'));
    const reply = await send(personalFile('[klicka](https://evil.example).pdf', '/lank.pdf'));
    const run = JSON.stringify(reply.card);
    expect(run).toContain(
      '"type":"TextRun","text":"Jag kan bara importera handlingsplaner som .xlsx eller .csv. \\"[klicka](https://evil.example).pdf\\"',
    );
  });
});

describe('large files', () => {
  it('a 3 MB plan is kept in chunks and applied byte for byte', async () => {
    const lines = ['Id;Team;Insats;Beskrivning'];
    for (let i = 1; i <= 1500; i++)
      lines.push(`;Bostäder;Åtgärd nummer ${i};${'Lång beskrivning med åäö. '.repeat(70).slice(0, 1990)}`);
    const big = ansiCsv(lines);
    expect(big.length).toBeGreaterThan(2_500_000);
    files.serve('/stor-plan.csv', big);
    const preview = await send(personalFile('stor-plan.csv', '/stor-plan.csv'));
    expect(preview.text).toContain('1500 nya');
    const upload = offered(preview);
    const stored = (await repos().uploads.content({ programId: P, id: upload.uploadId }))!;
    expect(stored.equals(big)).toBe(true);
    expect((await press('plan.import', upload)).text).toContain('Importerat av Ada Admin');
    expect(await repos().actions.listByTeam(P, 'bostader')).toHaveLength(1501);
  }, 120_000);
});

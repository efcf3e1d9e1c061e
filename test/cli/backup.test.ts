/**
 * `npm run backup` and `npm run restore` on Azurite: a year of the program's record goes to one
 * file and comes back row for row into a fresh table prefix, every property with its Edm type; an
 * existing file is not overwritten, a store with rows is refused, and a damaged or cut-off file
 * is refused with its line before anything is written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { main as backup } from '../../cli/backup';
import { main as restore } from '../../cli/restore';
import { seedDemo } from '../../cli/seed';
import { computeDigest } from '../../domain/digest';
import { loadProgram } from '../../domain/program';
import { addDays, fixedClock, mondayOfIsoWeek } from '../../domain/time';
import type { ActionStatus, LogEvent } from '../../domain/types';
import { createRepositories } from '../../storage';
import { annotateDoubles, backupTables, readTable, type BackupRow } from '../../storage/backup';
import { TABLES } from '../../storage/keys';
import { TableStore } from '../../storage/table-store';
import * as scenario from '../support/digest-scenario';
import { startTestStorage, type TestStorage } from '../support/storage';
import { sink } from './support';

const program = loadProgram();
const clock = fixedClock('2026-12-28T12:00:00Z');
let storage: TestStorage;
let sourcePrefix: string;
let dir: string;
let yearFile: string;

const newPrefix = () => `r${randomBytes(5).toString('hex')}`;

/** The row with every Edm type, written straight through the SDK (the repositories use few types). */
const EVERY_TYPE = {
  partitionKey: 'edm',
  rowKey: 'every-type',
  text: 'Åtgärd "BOS-03" – klar',
  int32: 42,
  negative: -7,
  int64: { value: '9007199254740993', type: 'Int64' as const },
  wholeDouble: { value: '2', type: 'Double' as const },
  bigDouble: { value: '30000000000', type: 'Double' as const },
  double: { value: '2.5', type: 'Double' as const },
  notANumber: { value: 'NaN', type: 'Double' as const },
  yes: true,
  no: false,
  when: { value: '2026-03-10T09:15:00.1234567Z', type: 'DateTime' as const },
  id: { value: 'c9da6455-213d-42c9-9a79-3e9149a57833', type: 'Guid' as const },
  bytes: new Uint8Array([0, 1, 2, 254, 255]),
};

/** A year of the program: the demo plan, an answer from each action every week, decisions through the year, and the rest of the tables. */
async function seedYear(prefix: string): Promise<void> {
  const store = new TableStore({ connectionString: storage.connectionString, tablePrefix: prefix });
  await store.ensureTables();
  const r = createRepositories(store, program.timezone);
  await seedDemo(r, program, clock);
  // The digest scenario's week 48 beside it (its actions are the demo's, already there).
  await r.events.appendAll(scenario.events());
  // The demo has its own check-ins and indicators: the scenario's are added where it has none.
  for (const c of scenario.checkIns())
    if (!(await r.checkIns.get(c.programId, c.week, c.teamKey))) await r.checkIns.create(c);
  for (const d of scenario.decisions()) await r.decisions.createNumbered(d);
  for (const i of scenario.indicators()) if (!(await r.indicators.get(i.programId, i.id))) await r.indicators.save(i);
  const actions = await r.actions.list(program.id);
  const statuses: ActionStatus[] = ['on_track', 'at_risk', 'off_track', 'on_track', 'done'];
  const events: LogEvent[] = [];
  for (let week = 1; week <= 52; week++) {
    const label = `2026-W${String(week).padStart(2, '0')}`;
    const monday = mondayOfIsoWeek(2026, week);
    actions.slice(0, 24).forEach((a, i) => {
      events.push({
        type: 'status',
        actionId: a.id,
        teamKey: a.teamKey,
        status: statuses[(week + i) % statuses.length]!,
        progress: Math.min(100, week * 2),
        comment: `Vecka ${week}: arbetet med ${a.title} går vidare – åäö`,
        blockers: '',
        nextStep: 'Nästa steg',
        forComms: week % 4 === 0 ? 'Bra nyheter' : '',
        checkInWeek: label,
        programId: program.id,
        at: `${addDays(monday, 1 + (i % 3))}T${String(8 + (i % 8)).padStart(2, '0')}:${String(i).padStart(2, '0')}:00.000Z`,
        by: a.owner.name,
        source: 'card',
        eventId: `year-${a.id}-${label}`,
      });
    });
  }
  await r.events.appendAll(events);
  for (let n = 0; n < 20; n++) {
    const date = addDays('2026-01-13', n * 14);
    const d = await r.decisions.createNumbered({
      programId: program.id,
      year: 2026,
      title: `Styrgruppens beslut ${n + 1}`,
      text: `Styrgruppen beslutar om punkt ${n + 1}.`,
      rationale: 'Enligt handlingsplanen.',
      meeting: { name: 'KLG', date },
      affectedTeams: ['bostader'],
      affectedActions: [],
      loggedBy: 'Anna Styrgren',
      loggedAt: `${date}T13:00:00.000Z`,
      state: 'active',
      history: [],
    });
    if (n === 3) {
      const revision = {
        at: `${date}T15:00:00.000Z`,
        by: 'Anna Styrgren',
        change: 'revoked' as const,
        reason: 'Fel underlag',
        previous: { title: d.title, text: d.text, rationale: d.rationale },
      };
      await r.decisions.update({ ...d, state: 'revoked', history: [revision] });
    }
  }
  for (const [i, team] of program.teams.entries()) {
    await r.bindings.put({
      programId: program.id,
      channelId: `19:${team.key}@thread.tacv2`,
      teamsTeamId: '19:team@thread.tacv2',
      channelName: team.name,
      role: { kind: 'team', teamKey: team.key },
      reference: {
        conversation: { id: `19:${team.key}@thread.tacv2` },
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
      },
      boundBy: 'Anna Admin',
      boundAt: `2026-01-0${1 + (i % 9)}T10:00:00.000Z`,
    });
  }
  await r.teams.upsert({
    teamsTeamId: '19:team@thread.tacv2',
    name: 'Kraftsamling',
    tenantId: 'tenant-1',
    active: true,
    reference: { conversation: { id: '19:team@thread.tacv2' } },
    channels: [{ id: '19:team@thread.tacv2', name: 'General' }],
    installedAt: '2026-01-01T09:00:00.000Z',
  });
  await r.admins.add(program.id, {
    id: 'anna@harnosand.se',
    name: 'Anna Admin',
    source: 'teams',
    addedBy: 'installer',
    addedAt: '2026-01-01T09:00:00.000Z',
  });
  await store.client('jobs').createEntity(EVERY_TYPE);
}

/** Every row of every table as our reader sees it (values with their types), by table. */
async function rowsOf(prefix: string): Promise<Record<string, BackupRow[]>> {
  const store = new TableStore({ connectionString: storage.connectionString, tablePrefix: prefix });
  const out: Record<string, BackupRow[]> = {};
  for (const table of backupTables()) {
    out[table] = [];
    for await (const row of readTable(store, table)) out[table]!.push(row);
  }
  return out;
}

/** The same rows as the SDK converts them by default (Date, bigint, Uint8Array, numbers), without ETag and timestamp. */
async function sdkRowsOf(prefix: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of Object.values(TABLES)) {
    const client = TableClient.fromConnectionString(storage.connectionString, `${prefix}${name}`, {
      allowInsecureConnection: true,
    });
    out[name] = [];
    for await (const entity of client.listEntities()) {
      const { etag: _etag, timestamp: _timestamp, ...rest } = entity;
      out[name]!.push(rest);
    }
  }
  return out;
}

const countOf = (rows: Record<string, unknown[]>) => Object.values(rows).reduce((n, x) => n + x.length, 0);

function env(prefix: string): Record<string, string> {
  return { AZURE_TABLES_CONNECTION_STRING: storage.connectionString, TABLE_PREFIX: prefix, LOG_LEVEL: 'silent' };
}

async function run(
  cli: typeof backup | typeof restore,
  argv: string[],
  prefix: string,
  extraEnv: Record<string, string | undefined> = {},
) {
  const stdout = sink();
  const stderr = sink();
  const code = await cli(argv, {
    env: { ...env(prefix), ...extraEnv },
    stdout,
    stderr,
    cwd: dir,
    ...(cli === backup ? { clock } : {}),
  });
  return { code, out: stdout.text, err: stderr.text };
}

beforeAll(async () => {
  storage = await startTestStorage();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-backup-cli-'));
  sourcePrefix = newPrefix();
  await seedYear(sourcePrefix);
  const made = await run(backup, ['--out', 'year.jsonl.gz'], sourcePrefix);
  expect(made.code).toBe(0);
  // A log (not a terminal) hears of the large tables as they are read.
  expect(made.err).toMatch(/^Events: [\d\s\u00a0]+ rader\n$/);
  yearFile = path.join(dir, 'year.jsonl.gz');
}, 120_000);

afterAll(async () => {
  await storage?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every table of the store is in a backup. */
const TABLE_COUNT = Object.keys(TABLES).length;
const linesOf = (file: string) => zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');

describe('npm run backup', () => {
  it('writes one gzipped JSON Lines file: a header with the counts, then a line per row with typed properties', async () => {
    const source = await rowsOf(sourcePrefix);
    const lines = linesOf(yearFile);
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(header).toEqual({
      format: 'kraftsamla-backup',
      version: 1,
      createdAt: '2026-12-28T12:00:00.000Z',
      tablePrefix: sourcePrefix,
      tables: Object.values(TABLES),
      rows: Object.fromEntries(Object.entries(source).map(([t, rows]) => [t, rows.length])),
    });
    // A year: 52 weeks of answers (event and marker rows) and the year's decisions.
    expect(source.Events!.length).toBeGreaterThan(52 * 24 * 2);
    expect(source.Decisions!.filter((r) => r.rowKey.startsWith('D|')).length).toBe(4 + 3 + 20);
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + countOf(source) + 1);
    const every = lines
      .map((l) => l && (JSON.parse(l) as BackupRow))
      .find((r) => r && r.rowKey === 'every-type') as BackupRow;
    expect(every).toEqual({
      table: 'Jobs',
      partitionKey: 'edm',
      rowKey: 'every-type',
      properties: {
        text: { type: 'String', value: 'Åtgärd "BOS-03" – klar' },
        int32: { type: 'Int32', value: 42 },
        negative: { type: 'Int32', value: -7 },
        int64: { type: 'Int64', value: '9007199254740993' },
        wholeDouble: { type: 'Double', value: 2 },
        bigDouble: { type: 'Double', value: 30000000000 },
        double: { type: 'Double', value: 2.5 },
        notANumber: { type: 'Double', value: 'NaN' },
        yes: { type: 'Boolean', value: true },
        no: { type: 'Boolean', value: false },
        when: { type: 'DateTime', value: '2026-03-10T09:15:00.1234567Z' },
        id: { type: 'Guid', value: 'c9da6455-213d-42c9-9a79-3e9149a57833' },
        bytes: { type: 'Binary', value: Buffer.from([0, 1, 2, 254, 255]).toString('base64') },
      },
    });
    // The service's own columns are not kept.
    expect(lines.join('\n')).not.toMatch(/"(etag|timestamp|Timestamp|odata\.etag)"/);
  });

  it('says what it wrote, and leaves an existing file alone unless --force', async () => {
    const first = await run(backup, ['--out', 'again.jsonl'], sourcePrefix);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      new RegExp(
        String.raw`^Säkerhetskopian är klar: ${TABLE_COUNT} tabeller, [\d\s\u00a0]+ rader, [\d,]+ (kB|MB) i .*again\.jsonl\.\n {2}Teams 1, Bindings 9, Actions `,
      ),
    );
    const plain = fs.readFileSync(path.join(dir, 'again.jsonl'), 'utf8');
    expect(JSON.parse(plain.split('\n')[0]!)).toMatchObject({ format: 'kraftsamla-backup' });

    fs.writeFileSync(path.join(dir, 'keep.jsonl'), 'mitt');
    const refused = await run(backup, ['--out', 'keep.jsonl', '--lang', 'en'], sourcePrefix);
    expect(refused).toMatchObject({ code: 1, out: '' });
    expect(refused.err).toContain('keep.jsonl exists. Choose another name, or pass --force to overwrite it.');
    expect(fs.readFileSync(path.join(dir, 'keep.jsonl'), 'utf8')).toBe('mitt');

    const forced = await run(backup, ['--out', 'keep.jsonl', '--force'], sourcePrefix);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'keep.jsonl'), 'utf8')).toBe(plain);
    // No temporary files are left beside it.
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('needs --out', async () => {
    const r = await run(backup, [], sourcePrefix);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--out behöver ett filnamn');
  });
});

describe('npm run restore', () => {
  it('brings a year back into a fresh prefix: every row of every table, its properties and their types', async () => {
    const target = newPrefix();
    const r = await run(restore, ['year.jsonl.gz'], target);
    expect(r.err).toContain(`Säkerhetskopian togs 2026-12-28T12:00:00.000Z med tabellprefixet ${sourcePrefix}.`);
    expect(r.err).toContain(`Den återställs till tabellprefixet ${target}.`);
    expect(r.out).toMatch(
      new RegExp(
        String.raw`^Återställde [\d\s\u00a0]+ rader i ${TABLE_COUNT} tabeller från .*year\.jsonl\.gz; varje rad är kontrollerad\.`,
      ),
    );
    expect(r.code).toBe(0);

    const [before, after] = [await rowsOf(sourcePrefix), await rowsOf(target)];
    expect(countOf(after)).toBeGreaterThan(2500);
    expect(after).toEqual(before);
    // The same through the SDK's own conversions (dates, 64-bit integers, bytes), independent of our reader.
    expect(await sdkRowsOf(target)).toEqual(await sdkRowsOf(sourcePrefix));
    // A whole-number Double stays a Double.
    const every = after.Jobs!.find((x) => x.rowKey === 'every-type')!;
    expect(every.properties.wholeDouble).toEqual({ type: 'Double', value: 2 });
    expect(every.properties.bigDouble).toEqual({ type: 'Double', value: 30000000000 });

    // And the bot reads the same record from it: the decision log and a week's digest.
    const [src, dst] = [sourcePrefix, target].map((p) =>
      createRepositories(
        new TableStore({ connectionString: storage.connectionString, tablePrefix: p }),
        program.timezone,
      ),
    );
    // (ETags are the store's own: new ones on the restored rows.)
    const decisionsOf = async (repos: typeof src) =>
      (await repos!.decisions.listYear(program.id, 2026)).map(({ etag: _etag, ...d }) => d);
    expect(await decisionsOf(dst)).toEqual(await decisionsOf(src));
    // A digest keeps the closed week before's summary beside its log; here it keeps none, so the
    // source stays row for row what the file holds (later tests compare the two).
    const digestOf = (repos: typeof src) =>
      computeDigest(
        {
          ...repos!,
          events: {
            listWeek: (q) => repos!.events.listWeek(q),
            weekSummary: (p, w) => repos!.events.weekSummary(p, w),
            keepWeekSummary: async () => undefined,
          },
        },
        program,
        scenario.WEEK,
        new Date(scenario.FRIDAY_1300),
      );
    expect(await digestOf(dst)).toEqual(await digestOf(src));
  }, 60_000);

  it('refuses a store with rows, naming its tables, and writes nothing; --force restores into it', async () => {
    const target = newPrefix();
    const store = new TableStore({ connectionString: storage.connectionString, tablePrefix: target });
    await store.ensureTables();
    const repos = createRepositories(store, program.timezone);
    await repos.indicators.save(scenario.indicators()[0]!);
    await repos.admins.add(program.id, {
      id: 'bo@harnosand.se',
      source: 'teams',
      addedBy: 'Anna',
      addedAt: '2026-02-01T00:00:00.000Z',
    });

    const refused = await run(restore, ['year.jsonl.gz'], target);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Lagringen är inte tom: Indicators, Roles har rader.');
    expect(refused.err).toContain('Inget återställdes.');
    expect(countOf(await rowsOf(target))).toBe(2);

    const dry = await run(restore, ['year.jsonl.gz', '--dry-run'], target);
    expect(dry.code).toBe(1);
    expect(countOf(await rowsOf(target))).toBe(2);

    const forced = await run(restore, ['year.jsonl.gz', '--into-non-empty'], target);
    expect(forced.code).toBe(0);
    const [before, after] = [await rowsOf(sourcePrefix), await rowsOf(target)];
    // Every row of the file is there; the admin that was only in the target stays.
    expect(after.Roles!.map((x) => x.rowKey)).toEqual(
      [...before.Roles!.map((x) => x.rowKey), 'admin|bo@harnosand.se'].sort(),
    );
    expect({ ...after, Roles: [] }).toEqual({ ...before, Roles: [] });
  }, 60_000);

  it('--dry-run checks the file and the store and counts, writing nothing', async () => {
    const target = newPrefix();
    const r = await run(restore, ['year.jsonl.gz', '--dry-run', '--lang', 'en'], target);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        String.raw`^Dry run: [\d,]+ rows in ${TABLE_COUNT} tables would be restored; nothing was written\.\n {2}Teams 1, Bindings 9, `,
      ),
    );
    expect(countOf(await rowsOf(target))).toBe(0);
  });

  describe('a damaged file is refused with its line, and nothing is written', () => {
    const write = (name: string, lines: string[], gzip = false) => {
      const text = lines.join('\n');
      fs.writeFileSync(path.join(dir, name), gzip ? zlib.gzipSync(text) : text);
      return name;
    };

    async function refusedAt(name: string, line: number, problem: RegExp) {
      const target = newPrefix();
      const r = await run(restore, [name], target);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`${name}, rad ${line}: ${problem.source}`));
      expect(r.err).toContain('Inget återställdes.');
      expect(r.out).toBe('');
      // Nothing: the store was not even opened, so there are no tables (or they are empty).
      const store = new TableStore({ connectionString: storage.connectionString, tablePrefix: target });
      await store.ensureTables();
      expect(countOf(await rowsOf(target))).toBe(0);
    }

    it('a garbled line in the middle', async () => {
      const lines = linesOf(yearFile);
      lines[1500] = lines[1500]!.slice(0, 40);
      await refusedAt(write('garbled.jsonl', lines), 1501, /raden är inte JSON/);
    });

    it('a file cut off in the middle of a line, and one cut off after a whole line', async () => {
      const text = zlib.gunzipSync(fs.readFileSync(yearFile)).toString('utf8');
      const lines = text.split('\n');
      const cut = lines.slice(0, 900).join('\n');
      await refusedAt(write('cut.jsonl', [cut.slice(0, -25)]), 900, /raden är inte JSON/);
      await refusedAt(
        write('cut-whole.jsonl', [cut, '']),
        901,
        /filen tar slut för tidigt: rubriken lovar \d+ rader i \w+, filen har \d+/,
      );
    });

    it('a gzip file cut short', async () => {
      const bytes = fs.readFileSync(yearFile);
      fs.writeFileSync(path.join(dir, 'short.jsonl.gz'), bytes.subarray(0, Math.floor(bytes.length / 2)));
      const target = newPrefix();
      const r = await run(restore, ['short.jsonl.gz'], target);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/short\.jsonl\.gz, rad \d+: (filen kan inte läsas härifrån|raden är inte JSON)/);
      expect(r.err).toContain('Inget återställdes.');
    });

    it('a value that does not fit its type, a row twice, no header', async () => {
      const lines = linesOf(yearFile);
      const row = JSON.parse(lines[5]!) as BackupRow;
      const bad = { ...row, properties: { ...row.properties, sequence: { type: 'Int32', value: 'tolv' } } };
      await refusedAt(
        write('badtype.jsonl', [...lines.slice(0, 5), JSON.stringify(bad), ...lines.slice(6)]),
        6,
        /egenskapen "sequence" har en okänd typ/,
      );
      await refusedAt(
        write('twice.jsonl', [...lines.slice(0, 6), lines[5]!, ...lines.slice(6)], true),
        7,
        /raden \w+ .+ finns redan tidigare i filen/,
      );
      await refusedAt(write('noheader.jsonl', lines.slice(1)), 1, /filen börjar inte med rubriken från npm run backup/);
    });
  });
});

describe('on the embedded Azurite', () => {
  it("backs up the running bot's store named in DATA_DIR/azurite.json", async () => {
    const dataDir = path.join(dir, 'bot-data');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(
      path.join(dataDir, 'azurite.json'),
      JSON.stringify({ port: storage.azurite.port, pid: storage.azurite.pid }),
    );
    const r = await run(backup, ['--out', 'shared.jsonl'], sourcePrefix, {
      AZURE_TABLES_CONNECTION_STRING: undefined,
      DATA_DIR: dataDir,
    });
    expect(r.code).toBe(0);
    expect(r.err).toContain(`Använder botens lagring (Azurite på port ${storage.azurite.port}).`);
    expect(fs.readFileSync(path.join(dir, 'shared.jsonl'), 'utf8').split('\n').slice(1)).toEqual(
      linesOf(yearFile).slice(1),
    );
  });

  it('restores into an Azurite of its own on DATA_DIR when no bot runs, and the data is there after it stopped', async () => {
    const embedded = { AZURE_TABLES_CONNECTION_STRING: undefined, DATA_DIR: path.join(dir, 'own-data') };
    const restored = await run(restore, ['year.jsonl.gz'], 'ks', embedded);
    expect(restored.code).toBe(0);
    // A second Azurite on the same folder reads what the first saved when it was stopped.
    const again = await run(backup, ['--out', 'from-embedded.jsonl'], 'ks', embedded);
    expect(again.code).toBe(0);
    const lines = fs.readFileSync(path.join(dir, 'from-embedded.jsonl'), 'utf8').split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ tablePrefix: 'ks' });
    expect(lines.slice(1)).toEqual(linesOf(yearFile).slice(1));
  }, 60_000);
});

describe('a restore drill', () => {
  it('restores and checks every row in a throwaway in-memory Azurite', async () => {
    const r = await run(restore, ['year.jsonl.gz', '--lang', 'en'], 'ks', {
      AZURE_TABLES_CONNECTION_STRING: undefined,
      AZURITE_IN_MEMORY: 'true',
      DATA_DIR: path.join(dir, 'drill'),
    });
    expect(r.err).toContain('Warning: AZURITE_IN_MEMORY is on; whatever is restored is gone when this command ends.');
    expect(r.out).toMatch(
      new RegExp(
        String.raw`^Restored [\d,]+ rows in ${TABLE_COUNT} tables from .*year\.jsonl\.gz; every row checked\.`,
      ),
    );
    expect(r.code).toBe(0);
  }, 60_000);
});

describe('whole-number Doubles', () => {
  it('get their type annotation back before the response is parsed; Int32 and strings are left alone', () => {
    const body =
      '{"value":[{"PartitionKey":"p","a":2.0,"b":5,"c":"2.0","d":-1.5E+300,"e":[1.0],"f@odata.type":"Edm.Double","f":"NaN","g":"x\\":1.0"}]}';
    expect(JSON.parse(annotateDoubles(body))).toEqual({
      value: [
        {
          PartitionKey: 'p',
          'a@odata.type': 'Edm.Double',
          a: 2,
          b: 5,
          c: '2.0',
          'd@odata.type': 'Edm.Double',
          d: -1.5e300,
          e: [1],
          'f@odata.type': 'Edm.Double',
          f: 'NaN',
          g: 'x":1.0',
        },
      ],
    });
  });
});

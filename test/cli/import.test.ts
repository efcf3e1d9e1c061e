/** The import CLI end to end (in process): arguments, storage selection, output, exit codes. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { main as exportMain } from '../../cli/export';
import { findRunningAzurite, main, parseArgs } from '../../cli/import';
import { createProgress, createStatus, formatSummary } from '../../cli/progress';
import type { Repositories } from '../../domain/ports';
import { emptyResult } from '../../domain/plan';
import { fixedClock } from '../../domain/time';
import { freePort } from '../../storage/azurite';
import { channelMessage, postActivity } from '../support/activities';
import { startTestBot } from '../support/bot';
import { startConnectorDouble } from '../support/connector-double';
import { startTestStorage, type TestStorage } from '../support/storage';
import { snapshotTables } from '../trust/table-snapshot';
import { programFile } from './support';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const clock = fixedClock('2026-11-24T10:00:00.000Z');

let storage: TestStorage;
let repos: Repositories;
let prefix: string;
let tmp: string;

beforeAll(async () => {
  storage = await startTestStorage();
});
afterAll(async () => {
  await storage.stop();
});
beforeEach(async () => {
  ({ repositories: repos, prefix } = await storage.fresh());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-import-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function sink(isTTY = false) {
  const s = {
    text: '',
    isTTY,
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s;
}

async function cli(argv: string[], env: Record<string, string | undefined> = {}, cwd = FIXTURES) {
  const stdout = sink();
  const stderr = sink();
  const code = await main(argv, {
    env: {
      AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
      TABLE_PREFIX: prefix,
      DATA_DIR: path.join(tmp, 'data'),
      ...env,
    },
    stdout,
    stderr,
    clock,
    cwd,
  });
  return { code, out: stdout.text, err: stderr.text };
}

describe('import CLI', () => {
  it('imports plan.csv, prints the summary, and a second run changes nothing', async () => {
    const first = await cli(['plan.csv']);
    expect(first.code).toBe(0);
    expect(first.out.split('\n')).toEqual([
      'plan.csv (handlingsplan, 4 rader): 4 tillagda, 0 uppdaterade, 0 oförändrade, 3 varningar',
      '  BOS-01 (rad 2): ny',
      '  BOS-02 (rad 3): nytt id',
      '  IND-01 (rad 4): nytt id',
      '  TRY-01 (rad 5): ny',
      '  6 händelser loggade',
      '  Nya id gavs ovan. Skriv in dem i filens Id-kolumn, eller utgå nästa gång från npm run export -- plan, så känns åtgärderna igen även om de byter namn.',
      '',
    ]);
    expect(first.err).toContain('varning: plan.csv, rad 2, kolumn "Indikator": indikatorn "INV" finns inte (ännu)');
    expect((await repos.actions.list('harnosand')).map((a) => a.id).sort()).toEqual([
      'BOS-01',
      'BOS-02',
      'IND-01',
      'TRY-01',
    ]);

    const second = await cli(['plan.csv']);
    expect(second.code).toBe(0);
    expect(second.out).toBe(
      'plan.csv (handlingsplan, 4 rader): 0 tillagda, 0 uppdaterade, 4 oförändrade, 3 varningar\n',
    );
  });

  it('rejects a bad file with exit code 1, every error on stderr, and nothing saved', async () => {
    fs.writeFileSync(
      path.join(tmp, 'plan.csv'),
      '\uFEFFTeam;Insats;Slutdatum\r\nBostäder;A;2026-02-30\r\nSkogen;B;\r\n',
    );
    const r = await cli(['plan.csv'], {}, tmp);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toEqual([
      'fel: plan.csv, rad 2, kolumn "Slutdatum": datumet 2026-02-30 finns inte',
      expect.stringMatching(
        /^fel: plan\.csv, rad 3, kolumn "Team": insatsområdet "Skogen" \(rad 3\) är inget team i programmet \(team: Industrimark, .*importera med --create-teams så skapas det$/,
      ),
      'plan.csv: 2 fel, inget från filen sparades',
      '',
    ]);
    expect(await repos.actions.list('harnosand')).toEqual([]);
  });

  it('speaks English with --lang en and writes nothing with --dry-run', async () => {
    const r = await cli(['--lang', 'en', '--dry-run', 'plan.csv']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('plan.csv (action plan, 4 rows): 4 added, 0 updated, 0 unchanged, 3 warnings');
    expect(r.out).toContain('  dry run: nothing was saved\n');
    expect(r.err).toContain('warning: plan.csv, row 2, column "Indikator": the indicator "INV" does not exist (yet)');
    expect(await repos.actions.list('harnosand')).toEqual([]);
  });

  it('recognises an indicator file by its header', async () => {
    const r = await cli(['indicators.csv']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 2)).toEqual([
      'indicators.csv (indikatorer, 4 rader): 2 tillagda, 0 uppdaterade, 0 oförändrade, 0 varningar',
      '  mätvärden: 4 nya, 0 ändrade',
    ]);
    expect((await repos.indicators.get('harnosand', 'SYSS'))?.values).toEqual([
      { period: '2024', value: 79.1 },
      { period: '2025-Q1', value: 79.4 },
    ]);
  });

  it('imports an XLSX file given with a path, and several files in one run', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Actions');
    ws.addRow(['Team', 'Action', 'Due']);
    ws.addRow(['Infrastructure', 'Double track to Sundsvall', new Date(Date.UTC(2030, 11, 31))]);
    ws.getCell('C2').numFmt = 'yyyy-mm-dd';
    fs.writeFileSync(path.join(tmp, 'actions.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
    const r = await cli([path.join(tmp, 'actions.xlsx'), 'indicators.csv']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('actions.xlsx (handlingsplan, blad "Actions", 1 rader): 1 tillagda');
    expect(r.out).toContain('indicators.csv (indikatorer, 4 rader): 2 tillagda');
    expect(await repos.actions.get('harnosand', 'INF-01')).toMatchObject({
      title: 'Double track to Sundsvall',
      due: '2030-12-31',
    });
  });

  it('refuses unknown file types and missing files before opening the store', async () => {
    fs.writeFileSync(path.join(tmp, 'plan.xls'), 'x');
    // A connection string to nowhere proves the store is never opened.
    const r = await cli(
      ['plan.xls', 'saknas.csv'],
      { AZURE_TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=false;nonsense' },
      tmp,
    );
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual([
      'plan.xls: filtypen ".xls" stöds inte; spara som .xlsx eller .csv',
      'saknas.csv: filen kan inte läsas (ENOENT)',
      '',
    ]);
  });

  it('prints usage for no arguments (exit 2), --help (exit 0) and rejects unknown options', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^Användning: npm run import -- <fil\.csv\|fil\.xlsx>/);
    const help = await cli(['--help', '--lang=en']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: npm run import/);
    const bad = await cli(['--force', 'plan.csv']);
    expect(bad.code).toBe(2);
    expect(bad.err.split('\n')[0]).toBe('okänt val --force');
    expect(bad.err.split('\n')[1]).toMatch(/^Användning: npm run import/);
    expect(parseArgs(['--sheet=Blad 2', '-n', '--', '--odd.csv'])).toEqual({
      files: ['--odd.csv'],
      dryRun: true,
      createTeams: false,
      retireMissing: false,
      help: false,
      sheet: 'Blad 2',
    });
  });

  it('explains a usage mistake in the language asked for, even when --lang comes after it', async () => {
    const bad = await cli(['--force', 'plan.csv', '--lang', 'en']);
    expect(bad.code).toBe(2);
    expect(bad.err.split('\n').slice(0, 2)).toEqual([
      'unknown option --force',
      expect.stringMatching(/^Usage: npm run import/),
    ]);
    const badLang = await cli(['--lang', 'fi', 'plan.csv']);
    expect(badLang.code).toBe(2);
    expect(badLang.err.split('\n')[0]).toBe('--lang tar sv eller en');
    expect(parseArgs(['--lang=EN', 'a.csv'])).toEqual({
      files: ['a.csv'],
      dryRun: false,
      createTeams: false,
      retireMissing: false,
      help: false,
      lang: 'en-US',
    });
  });

  it("speaks the program's language by default, and --lang wins over it", async () => {
    const english = { PROGRAM_FILE: programFile(tmp, 'en-US') };
    const r = await cli(['--dry-run', 'plan.csv'], english);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('plan.csv (action plan, 4 rows): 4 added, 0 updated, 0 unchanged, 3 warnings');
    expect(r.err).toContain('warning: plan.csv, row 2, column "Indikator": the indicator "INV" does not exist (yet)');
    const missing = await cli(['saknas.csv'], english, tmp);
    expect(missing.err).toBe('saknas.csv: cannot read the file (ENOENT)\n');
    const swedish = await cli(['--dry-run', '--lang', 'sv', 'plan.csv'], english);
    expect(swedish.out.split('\n')[0]).toBe(
      'plan.csv (handlingsplan, 4 rader): 4 tillagda, 0 uppdaterade, 0 oförändrade, 3 varningar',
    );
    expect(swedish.out).toContain('  provkörning: inget sparades\n');
  });

  it('reports a bad configuration with exit code 2', async () => {
    const r = await cli(['plan.csv'], { TABLE_PREFIX: '1bad' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('TABLE_PREFIX');
  });

  it('shows progress for a large file: a line per 10 % when stderr is not a terminal', async () => {
    const lines = ['Team;Insats'];
    for (let i = 1; i <= 600; i++) lines.push(`Trygghet;Insats ${i}`);
    fs.writeFileSync(path.join(tmp, 'stor.csv'), lines.join('\n'));
    const r = await cli(['stor.csv'], {}, tmp);
    expect(r.code).toBe(0);
    expect(r.err.split('\n')).toEqual([
      'stor.csv: 16 % (100/600)',
      'stor.csv: 33 % (200/600)',
      'stor.csv: 50 % (300/600)',
      'stor.csv: 66 % (400/600)',
      'stor.csv: 83 % (500/600)',
      'stor.csv: 100 % (600/600)',
      '',
    ]);
    expect(r.out.split('\n')[0]).toBe(
      'stor.csv (handlingsplan, 600 rader): 600 tillagda, 0 uppdaterade, 0 oförändrade, 0 varningar',
    );
    expect(r.out).toContain('  … och 550 till\n');
  });
});

describe('sharing the bot’s embedded Azurite', () => {
  const writeAzuriteJson = (content: object) => {
    fs.mkdirSync(path.join(tmp, 'data'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'data', 'azurite.json'), JSON.stringify(content));
  };

  it('connects to the running Azurite named in DATA_DIR/azurite.json instead of starting another', async () => {
    writeAzuriteJson({ port: storage.azurite.port, pid: storage.azurite.pid });
    const r = await cli(['plan.csv'], { AZURE_TABLES_CONNECTION_STRING: undefined });
    expect(r.code).toBe(0);
    expect(r.err).toContain(`Använder botens lagring (Azurite på port ${storage.azurite.port}).`);
    expect(await repos.actions.list('harnosand')).toHaveLength(4);
    // No Azurite data folder was created: nothing was started on DATA_DIR.
    expect(fs.existsSync(path.join(tmp, 'data', 'azurite'))).toBe(false);
  });

  it('explains what to do when the bot runs but its store does not answer', async () => {
    const port = await freePort();
    writeAzuriteJson({ port, pid: process.pid });
    expect(await findRunningAzurite(path.join(tmp, 'data'))).toEqual({ port, pid: process.pid, reachable: false });
    const r = await cli(['plan.csv'], { AZURE_TABLES_CONNECTION_STRING: undefined });
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `Boten verkar köra (process ${process.pid}) men dess lagring på port ${port} svarar inte. Stoppa boten, eller sätt AZURE_TABLES_CONNECTION_STRING, och försök igen.\n`,
    );
  });

  it('starts (and stops) an embedded Azurite on DATA_DIR when no bot runs; the data persists', async () => {
    const env = { AZURE_TABLES_CONNECTION_STRING: undefined, TABLE_PREFIX: 'ks' };
    const first = await cli(['plan.csv'], env);
    expect(first.code).toBe(0);
    expect(first.out.split('\n')[0]).toBe(
      'plan.csv (handlingsplan, 4 rader): 4 tillagda, 0 uppdaterade, 0 oförändrade, 3 varningar',
    );
    expect(fs.existsSync(path.join(tmp, 'data', 'azurite'))).toBe(true);
    const second = await cli(['plan.csv'], env);
    expect(second.out).toBe(
      'plan.csv (handlingsplan, 4 rader): 0 tillagda, 0 uppdaterade, 4 oförändrade, 3 varningar\n',
    );
  });

  it('ignores a file left behind by a stopped bot, and a missing or malformed file', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const deadPid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    writeAzuriteJson({ port: storage.azurite.port, pid: deadPid });
    expect(await findRunningAzurite(path.join(tmp, 'data'))).toBeUndefined();
    writeAzuriteJson({ port: 'x' });
    expect(await findRunningAzurite(path.join(tmp, 'data'))).toBeUndefined();
    expect(await findRunningAzurite(path.join(tmp, 'nowhere'))).toBeUndefined();
  });
});

describe('progress and summary printing', () => {
  it('redraws one line on a terminal, at most every interval, and ends it with a newline', () => {
    const stream = sink(true);
    let t = 0;
    const p = createProgress({ stream, label: 'plan.xlsx', now: () => t });
    p.update(0, 1000);
    t = 50;
    p.update(100, 1000); // within 100 ms: not drawn
    t = 200;
    p.update(500, 1000);
    p.update(1000, 1000); // the end is always drawn
    p.finish();
    const frames = stream.text.split('\r').filter((f) => f !== '');
    expect(frames.map((f) => f.split('\u001b[K').join(''))).toEqual([
      'plan.xlsx [--------------------] 0 % (0/1000)',
      'plan.xlsx [##########----------] 50 % (500/1000)',
      'plan.xlsx [####################] 100 % (1000/1000)\n',
    ]);
  });

  it('shows a status line only on a terminal, and wipes it when done', () => {
    const tty = sink(true);
    const status = createStatus(tty);
    status.show('Läser beslut (2026) …');
    status.show('beslutslogg-2026.xlsx: skriver 900 beslut …');
    status.clear();
    status.clear(); // a second clear writes nothing
    expect(tty.text).toBe(
      '\rLäser beslut (2026) …\u001b[K\rbeslutslogg-2026.xlsx: skriver 900 beslut …\u001b[K\r\u001b[K',
    );
    const log = sink(false);
    const quiet = createStatus(log);
    quiet.show('Läser beslut (2026) …');
    quiet.clear();
    expect(log.text).toBe('');
  });

  it('summarises changed fields and stored records not in the file', () => {
    const result = {
      ...emptyResult('plan', 'plan.csv', false),
      rows: 3,
      updated: 1,
      unchanged: 2,
      notInFile: 5,
      changes: [{ id: 'BOS-01', row: 2, change: 'updated' as const, fields: ['due', 'status'] }],
    };
    expect(formatSummary(result, 'sv-SE')).toEqual([
      'plan.csv (handlingsplan, 3 rader): 0 tillagda, 1 uppdaterade, 2 oförändrade, 0 varningar',
      '  5 sparade åtgärder finns inte i filen (lämnas orörda)',
      '  BOS-01 (rad 2): ändrad – due, status',
    ]);
    expect(formatSummary(result, 'en-US')[1]).toBe('  5 stored actions are not in the file (left alone)');
  });
});

// ---------------------------------------------------------------------------------------------
// Plans as municipalities keep them, through the CLI against Azurite.

/** Windows-1252 bytes (what Swedish Excel writes for "CSV (semikolonavgränsad)"). */
function ansi(text: string): Buffer {
  const extra: Record<string, number> = { '–': 0x96, '—': 0x97, '€': 0x80, '’': 0x92, '”': 0x94 };
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.codePointAt(0)!;
      if (extra[ch] !== undefined) return extra[ch]!;
      if (code > 0xff) throw new Error(`not in Windows-1252: ${ch}`);
      return code;
    }),
  );
}

/** Every row of the tables an import writes, etags and timestamps included. */
async function tables(): Promise<unknown> {
  const snap = await snapshotTables(storage.connectionString, prefix);
  return [...snap.entries()].map(([name, rows]) => [name, [...rows.entries()].sort()]);
}

const actionsById = async () =>
  Object.fromEntries((await repos.actions.list('harnosand')).map(({ etag: _e, ...a }) => [a.id, a]));
const indicatorsById = async () =>
  Object.fromEntries((await repos.indicators.list('harnosand')).map(({ etag: _e, ...i }) => [i.id, i]));

const RAGUNDA_CSV = [
  'Handlingsplan för Ragunda kommun 2026–2027;;;;;;;;',
  'Antagen av kommunfullmäktige 2025-12-15;;;;;;;;',
  ';;;;;;;;',
  'Nr;Insatsområde;Mål;Åtgärd;Ansvarig förvaltning;Tidplan;Status;Indikator;Målvärde',
  '1;Bostäder;Fler bostäder;Bygga hyresrätter i centrum;Samhällsbyggnadsförvaltningen;Hösten 2026;Pågår;Antal färdigställda bostäder;40 st',
  '2;Bostäder;Fler bostäder;Detaljplan för Kajen;Samhällsbyggnadsförvaltningen;2026–2027;Ej påbörjad;antal  färdigställda BOSTÄDER;40 st',
  '3;Trygghet;Ökad trygghet;Trygghetsvandringar;Kultur- och fritidsförvaltningen;Två gånger per år;Pågår;Andel som känner sig trygga;75 %',
  '4;Trygghet;Ökad trygghet;Belysning i parker;Tekniska förvaltningen;Q2 2026;Försenad;N00914;85',
  '5;Trygghet;Ökad trygghet;Grannsamverkan;Kommunledningsförvaltningen;Löpande;Okänd status;;',
  '',
].join('\r\n');

describe('import CLI: a plan as Swedish Excel saves it (ANSI, title rows, numbered rows, timelines, indicators)', () => {
  it('reads it whole, derives due dates, creates the named indicators with their targets, and a second run changes nothing', async () => {
    fs.writeFileSync(path.join(tmp, 'handlingsplan.csv'), ansi(RAGUNDA_CSV));
    const r = await cli(['handlingsplan.csv'], {}, tmp);
    expect(r.code).toBe(0);
    expect(r.err.split('\n')).toEqual([
      'varning: handlingsplan.csv: filen är inte UTF-8; den lästes som Windows-1252 (spara som "CSV UTF-8" för att vara säker)',
      'varning: handlingsplan.csv, rad 9, kolumn "Status": okänd status "Okänd status", statusen lämnas som den är (skriv Ej påbörjad, Pågår, Risk, Försenad, Klar eller Pausad)',
      '',
    ]);
    const out = r.out.split('\n');
    expect(out[0]).toBe(
      'handlingsplan.csv (handlingsplan, 5 rader): 5 tillagda, 0 uppdaterade, 0 oförändrade, 2 varningar',
    );
    expect(out).toContain('  rubrikrad 4');
    expect(out).toContain('  indikator ANTAL-FARDIGSTALLDA-BOSTADER "Antal färdigställda bostäder" (rad 5): ny');
    expect(out).toContain('  indikator N00914 "N00914" (rad 8): ny');

    const actions = await actionsById();
    expect(Object.keys(actions).sort()).toEqual(['BOS-01', 'BOS-02', 'TRY-01', 'TRY-02', 'TRY-03']);
    expect(actions['BOS-01']).toMatchObject({
      planNumber: '1',
      teamKey: 'bostader',
      goal: 'Fler bostäder',
      title: 'Bygga hyresrätter i centrum',
      responsibleBody: 'Samhällsbyggnadsförvaltningen',
      timeline: 'Hösten 2026',
      due: '2026-11-30',
      status: 'on_track',
      indicatorIds: ['ANTAL-FARDIGSTALLDA-BOSTADER'],
    });
    expect(actions['BOS-02']).toMatchObject({
      timeline: '2026–2027',
      due: '2027-12-31',
      status: 'not_started',
      indicatorIds: ['ANTAL-FARDIGSTALLDA-BOSTADER'],
    });
    // Ongoing work has no due date (it is never overdue).
    expect(actions['TRY-01']).toMatchObject({ timeline: 'Två gånger per år', ongoing: true, goal: 'Ökad trygghet' });
    expect(actions['TRY-01']!.due).toBeUndefined();
    expect(actions['TRY-02']).toMatchObject({
      timeline: 'Q2 2026',
      due: '2026-06-30',
      status: 'off_track',
      indicatorIds: ['N00914'],
    });
    expect(actions['TRY-03']).toMatchObject({ timeline: 'Löpande', ongoing: true, status: 'not_started' });

    expect(await indicatorsById()).toEqual({
      'ANTAL-FARDIGSTALLDA-BOSTADER': {
        programId: 'harnosand',
        id: 'ANTAL-FARDIGSTALLDA-BOSTADER',
        name: 'Antal färdigställda bostäder',
        unit: 'st',
        target: 40,
        values: [],
      },
      'ANDEL-SOM-KANNER-SIG-TRYGGA': {
        programId: 'harnosand',
        id: 'ANDEL-SOM-KANNER-SIG-TRYGGA',
        name: 'Andel som känner sig trygga',
        unit: '%',
        target: 75,
        values: [],
      },
      N00914: {
        programId: 'harnosand',
        id: 'N00914',
        name: 'N00914',
        unit: '',
        koladaKpi: 'N00914',
        target: 85,
        values: [],
      },
    });

    const before = await tables();
    const again = await cli(['handlingsplan.csv'], {}, tmp);
    expect(again.code).toBe(0);
    expect(again.out.split('\n')[0]).toBe(
      'handlingsplan.csv (handlingsplan, 5 rader): 0 tillagda, 0 uppdaterade, 5 oförändrade, 2 varningar',
    );
    expect(await tables()).toEqual(before);
  });

  it('a later plan matches indicators by name ignoring case and spacing, and changes a target', async () => {
    fs.writeFileSync(path.join(tmp, 'v1.csv'), ansi(RAGUNDA_CSV));
    expect((await cli(['v1.csv'], {}, tmp)).code).toBe(0);
    fs.writeFileSync(
      path.join(tmp, 'v2.csv'),
      ansi(
        RAGUNDA_CSV.replace(
          'Bygga hyresrätter i centrum;Samhällsbyggnadsförvaltningen;Hösten 2026;Pågår;Antal färdigställda bostäder;40 st',
          'Bygga hyresrätter i centrum;Samhällsbyggnadsförvaltningen;Hösten 2026;Pågår;ANTAL färdigställda   bostäder;45 st',
        ).replace('BOSTÄDER;40 st', 'BOSTÄDER;45 st'),
      ),
    );
    const r = await cli(['v2.csv'], {}, tmp);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '  indikator ANTAL-FARDIGSTALLDA-BOSTADER "Antal färdigställda bostäder" (rad 5): ändrad – målvärde',
    );
    expect(Object.keys(await indicatorsById())).toHaveLength(3);
    expect((await indicatorsById())['ANTAL-FARDIGSTALLDA-BOSTADER']).toMatchObject({ target: 45, unit: 'st' });
  });

  it('refuses two different targets for one indicator, naming both rows', async () => {
    fs.writeFileSync(path.join(tmp, 'plan.csv'), ansi(RAGUNDA_CSV.replace('BOSTÄDER;40 st', 'BOSTÄDER;50 st')));
    const r = await cli(['plan.csv'], {}, tmp);
    expect(r.code).toBe(1);
    expect(r.err).toContain('fel: plan.csv, rad 6, kolumn "Målvärde": skiljer sig från rad 5 ("50" mot "40")');
    expect(await repos.actions.list('harnosand')).toEqual([]);
    expect(await repos.indicators.list('harnosand')).toEqual([]);
  });
});

describe('import CLI: a workbook with title rows, merged area and goal cells, and date cells', () => {
  async function workbook(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Handlingsplan');
    ws.addRow(['Handlingsplan Bostäder 2026']);
    ws.mergeCells('A1:G1');
    ws.addRow(['Reviderad 2026-11-01']);
    ws.addRow([]);
    ws.addRow(['Insatsområde', 'Mål', 'Delmål', 'Åtgärd', 'Start', 'Slutdatum', 'Framdrift']);
    const d = (y: number, m: number, day: number) => new Date(Date.UTC(y, m - 1, day));
    ws.addRow(['Bostäder', 'Fler bostäder', 'Hyresrätter', 'Bygga vid Kajen', d(2026, 1, 15), d(2026, 12, 31), 0.25]);
    ws.addRow([
      null,
      null,
      'Studentbostäder',
      'Bygga vid campus',
      d(2026, 3, 1),
      46203,
      { formula: '10*2', result: 20 },
    ]);
    ws.addRow([
      null,
      'Attraktiv stadskärna',
      '',
      'Torgets upprustning',
      { formula: 'DATE(2026,4,1)', result: 46113 },
      'Hösten 2027',
      null,
    ]);
    ws.mergeCells('A5:A7');
    ws.mergeCells('B5:B6');
    ws.getCell('G5').numFmt = '0%';
    for (const c of ['E5', 'F5', 'E6', 'F6', 'E7']) ws.getCell(c).numFmt = 'yyyy-mm-dd';
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('finds the header under the title rows and gives each merged cell to every row it spans', async () => {
    fs.writeFileSync(path.join(tmp, 'plan.xlsx'), await workbook());
    const r = await cli(['plan.xlsx'], {}, tmp);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 2)).toEqual([
      'plan.xlsx (handlingsplan, blad "Handlingsplan", 3 rader): 3 tillagda, 0 uppdaterade, 0 oförändrade, 0 varningar',
      '  rubrikrad 4',
    ]);
    const a = await actionsById();
    expect(a['BOS-01']).toMatchObject({
      teamKey: 'bostader',
      goal: 'Fler bostäder',
      subGoal: 'Hyresrätter',
      title: 'Bygga vid Kajen',
      start: '2026-01-15',
      due: '2026-12-31',
      progress: 25,
    });
    // A serial with a date format and a formula's cached value read as the person sees them.
    expect(a['BOS-02']).toMatchObject({
      teamKey: 'bostader',
      goal: 'Fler bostäder',
      subGoal: 'Studentbostäder',
      start: '2026-03-01',
      due: '2026-06-30',
      progress: 20,
    });
    expect(a['BOS-03']).toMatchObject({
      teamKey: 'bostader',
      goal: 'Attraktiv stadskärna',
      title: 'Torgets upprustning',
      start: '2026-04-01',
      timeline: 'Hösten 2027',
      due: '2027-11-30',
    });
    expect(a['BOS-03']!.subGoal).toBeUndefined();
  });
});

describe('import CLI: areas that are not teams yet', () => {
  const AREAS = [
    'Insatsområde;Åtgärd;Tidplan',
    'Turism;Ny besöksportal;2026',
    'Kultur och fritid;Sommarlovsaktiviteter;Sommaren 2026',
    'Turism;Skyltning längs leden;Våren 2027',
    'Bostäder;Hyresrätter;2027',
    '',
  ].join('\r\n');

  it('refuses the file naming the unknown areas and the flag, and writes nothing', async () => {
    fs.writeFileSync(path.join(tmp, 'plan.csv'), AREAS);
    const before = await tables();
    const r = await cli(['plan.csv'], {}, tmp);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const errors = r.err.split('\n').filter((l) => l.startsWith('fel: '));
    expect(errors).toEqual([
      expect.stringMatching(
        /^fel: plan\.csv, rad 2, kolumn "Insatsområde": insatsområdet "Turism" \(rad 2, 4\) är inget team i programmet \(team: Industrimark, .*\); rätta namnet, lägg till teamet i programfilen, eller importera med --create-teams så skapas det$/,
      ),
      expect.stringMatching(
        /^fel: plan\.csv, rad 3, kolumn "Insatsområde": insatsområdet "Kultur och fritid" \(rad 3\) är inget team/,
      ),
    ]);
    expect(await tables()).toEqual(before);
  });

  it('with --create-teams makes them teams (key, name, prefix), and koppla finds them in the running bot', async () => {
    const double = await startConnectorDouble();
    const admin = { id: '29:admin', name: 'Ada Admin', aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000ad01' };
    // The bot runs before the import: the teams must reach it without a restart.
    const bot = await startTestBot({
      AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
      TABLE_PREFIX: prefix,
      PROGRAM_ADMINS: admin.aadObjectId,
      AZURITE_IN_MEMORY: 'false',
    });
    try {
      fs.writeFileSync(path.join(tmp, 'plan.csv'), AREAS);
      const dry = await cli(['plan.csv', '--create-teams', '--dry-run'], {}, tmp);
      expect(dry.code).toBe(0);
      expect(await repos.programTeams.list('harnosand')).toEqual([]);

      const r = await cli(['plan.csv', '--create-teams'], {}, tmp);
      expect(r.code).toBe(0);
      const out = r.out.split('\n');
      expect(out).toContain('  nya team från insatsområden (2):');
      expect(out).toContain('    Turism (nyckel turism, id-prefix TUR); koppla en kanal med "koppla Turism"');
      expect(out).toContain(
        '    Kultur och fritid (nyckel kultur-och-fritid, id-prefix KUL); koppla en kanal med "koppla Kultur och fritid"',
      );
      expect((await repos.programTeams.list('harnosand')).map((t) => [t.key, t.name, t.actionPrefix])).toEqual([
        ['kultur-och-fritid', 'Kultur och fritid', 'KUL'],
        ['turism', 'Turism', 'TUR'],
      ]);
      expect(Object.values(await actionsById()).map((a) => [a.id, a.teamKey, a.title, a.due])).toEqual(
        expect.arrayContaining([
          ['TUR-01', 'turism', 'Ny besöksportal', '2026-12-31'],
          ['KUL-01', 'kultur-och-fritid', 'Sommarlovsaktiviteter', '2026-08-31'],
          ['TUR-02', 'turism', 'Skyltning längs leden', '2027-05-31'],
          ['BOS-01', 'bostader', 'Hyresrätter', '2027-12-31'],
        ]),
      );
      // Twice: the teams are found stored, nothing is written.
      const before = await tables();
      expect((await cli(['plan.csv', '--create-teams'], {}, tmp)).out).not.toContain('nya team');
      expect(await tables()).toEqual(before);

      const channelId = '19:turism-kanal@thread.tacv2';
      const res = await postActivity(
        bot.url,
        channelMessage({ text: 'koppla Turism', channelId, serviceUrl: double.url, from: admin }),
      );
      expect(res.status).toBe(200);
      const replies = double.calls
        .filter((c) => c.route === 'replyToActivity' || c.route === 'sendToConversation')
        .map((c) => (c.body as { text?: string }).text);
      expect(replies).toContain(
        'Klart! Den här kanalen hör nu till teamet Turism. Incheckningar för Turism läggs ut här.',
      );
      expect((await repos.bindings.get('harnosand', channelId))?.role).toEqual({ kind: 'team', teamKey: 'turism' });

      // A bot started after the import has the created teams everywhere: the team's check-in card.
      const next = await startTestBot({
        AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
        TABLE_PREFIX: prefix,
        PROGRAM_ADMINS: admin.aadObjectId,
        AZURITE_IN_MEMORY: 'false',
      });
      try {
        double.reset();
        await postActivity(next.url, channelMessage({ text: 'incheckning', channelId, serviceUrl: double.url }));
        await next.deps.background.drain();
        const posted = JSON.stringify(double.sent().map((x) => x.activity));
        expect(posted).toContain('Incheckning – Turism');
        expect(posted).toContain('TUR-01');
      } finally {
        await next.stop();
      }
    } finally {
      await bot.stop();
      await double.close();
    }
  });
});

/** `npm run export -- …` against the same tables. */
async function exportCli(argv: string[]) {
  const stdout = sink();
  const stderr = sink();
  const code = await exportMain(argv, {
    env: {
      AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
      TABLE_PREFIX: prefix,
      DATA_DIR: path.join(tmp, 'data'),
    },
    stdout,
    stderr,
    clock,
    cwd: tmp,
  });
  return { code, out: stdout.text, err: stderr.text };
}

/** A CSV the way the export writes one, back as rows of cells (no quoted fields in these tests). */
const rowsOf = (file: string) =>
  fs
    .readFileSync(path.join(tmp, file), 'utf8')
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((l) => l.split(';'));
const csvOf = (rows: string[][]) => `\uFEFF${rows.map((r) => r.join(';')).join('\r\n')}\r\n`;

describe('import CLI: the yearly revision (export, edit, import)', () => {
  const PLAN_2026 = [
    'Insatsområde;Mål;Åtgärd;Ansvarig;Tidplan;Status;Indikator;Målvärde',
    'Bostäder;Fler bostäder;Hyresrätter vid Kajen;Åsa Öberg;Hösten 2026;Pågår;Antal färdigställda bostäder;40 st',
    'Bostäder;Fler bostäder;Studentbostäder;Per Ström;2027;Ej påbörjad;;',
    'Bostäder;Fler bostäder;Bostadsförsörjningsprogram;Per Ström;Q1 2026;Klar;;',
    'Trygghet;Ökad trygghet;Trygghetsvandringar;Karl Åkesson;Löpande;Pågår;Andel som känner sig trygga;75 %',
    'Trygghet;Ökad trygghet;=Nattvandring+grannsamverkan;Karl Åkesson;2027;Pågår;;',
    '',
  ].join('\r\n');

  it('exports the plan with ids; importing the export as it is changes nothing', async () => {
    fs.writeFileSync(path.join(tmp, 'plan-2026.csv'), PLAN_2026);
    expect((await cli(['plan-2026.csv'], {}, tmp)).code).toBe(0);
    const exported = await exportCli(['plan', '--format', 'csv', '--out', 'export.csv']);
    expect(exported.code).toBe(0);
    expect(exported.out).toBe(
      `Skrev handlingsplanen (5 åtgärder, varav 0 utgångna) till ${path.join(tmp, 'export.csv')}. Ändra i den och importera den igen: raderna känns igen på Id.\n`,
    );
    const rows = rowsOf('export.csv');
    expect(rows[0]).toEqual([
      'Id',
      'Nr',
      'Insatsområde',
      'Mål',
      'Delmål',
      'Åtgärd',
      'Beskrivning',
      'Ansvarig',
      'E-post',
      'Ansvarig förvaltning',
      'Start',
      'Tidplan',
      'Slutdatum',
      'Finansiering',
      'Status',
      'Framdrift',
      'Indikator',
      'Målvärde',
      'Utgått',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[5], r[11], r[12], r[14], r[16], r[17]])).toEqual([
      [
        'BOS-01',
        'Bostäder',
        'Hyresrätter vid Kajen',
        'Hösten 2026',
        '2026-11-30',
        'Enligt plan',
        'ANTAL-FARDIGSTALLDA-BOSTADER',
        '40 st',
      ],
      ['BOS-02', 'Bostäder', 'Studentbostäder', '2027', '2027-12-31', 'Ej påbörjad', '', ''],
      ['BOS-03', 'Bostäder', 'Bostadsförsörjningsprogram', 'Q1 2026', '2026-03-31', 'Klar', '', ''],
      [
        'TRY-01',
        'Trygghet',
        'Trygghetsvandringar',
        'Löpande',
        '',
        'Enligt plan',
        'ANDEL-SOM-KANNER-SIG-TRYGGA',
        '75 %',
      ],
      // Text a spreadsheet would run as a formula gets an apostrophe; the import takes it off again.
      ['TRY-02', 'Trygghet', "'=Nattvandring+grannsamverkan", '2027', '2027-12-31', 'Enligt plan', '', ''],
    ]);
    const before = await tables();
    const again = await cli(['export.csv'], {}, tmp);
    expect(again.code).toBe(0);
    expect(again.out.split('\n')[0]).toBe(
      'export.csv (handlingsplan, 5 rader): 0 tillagda, 0 uppdaterade, 5 oförändrade, 0 varningar',
    );
    expect(await tables()).toEqual(before);

    // The workbook says the same.
    expect((await exportCli(['plan', '--format', 'xlsx', '--out', 'export.xlsx'])).code).toBe(0);
    const fromXlsx = await cli(['export.xlsx'], {}, tmp);
    expect(fromXlsx.out.split('\n')[0]).toBe(
      'export.xlsx (handlingsplan, blad "Handlingsplan", 5 rader): 0 tillagda, 0 uppdaterade, 5 oförändrade, 0 varningar',
    );
    expect(await tables()).toEqual(before);
  });

  it('a revision that drops, renames and adds: the dropped action is listed, then retired with --retire-missing', async () => {
    fs.writeFileSync(path.join(tmp, 'plan-2026.csv'), PLAN_2026);
    expect((await cli(['plan-2026.csv'], {}, tmp)).code).toBe(0);
    expect((await exportCli(['plan', '--out', 'export.csv'])).code).toBe(0);
    const [header, ...rows] = rowsOf('export.csv');
    // 2027: BOS-03 is done and dropped, BOS-02 renamed (matched by its id), one action added without id.
    const revised = rows
      .filter((r) => r[0] !== 'BOS-03')
      .map((r) => (r[0] === 'BOS-02' ? r.map((c, i) => (i === 5 ? 'Studentbostäder vid campus' : c)) : r));
    const added = header!.map(
      (h) => ({ Insatsområde: 'Bostäder', Åtgärd: 'Trygghetsboende för äldre', Tidplan: 'Våren 2027' })[h] ?? '',
    );
    fs.writeFileSync(path.join(tmp, 'plan-2027.csv'), csvOf([header!, ...revised, added]));

    const before = await tables();
    const dry = await cli(['plan-2027.csv', '--dry-run'], {}, tmp);
    expect(dry.code).toBe(0);
    expect(await tables()).toEqual(before);

    const listed = await cli(['plan-2027.csv'], {}, tmp);
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n')).toEqual([
      'plan-2027.csv (handlingsplan, 5 rader): 1 tillagda, 1 uppdaterade, 3 oförändrade, 0 varningar',
      '  BOS-02 (rad 3): ändrad – åtgärd',
      '  BOS-04 (rad 6): nytt id',
      '  2 händelser loggade',
      '  Nya id gavs ovan. Skriv in dem i filens Id-kolumn, eller utgå nästa gång från npm run export -- plan, så känns åtgärderna igen även om de byter namn.',
      '  1 åtgärder i filens team finns inte längre i filen (lämnas som de är):',
      '    BOS-03 Bostadsförsörjningsprogram',
      '  Importera med --retire-missing för att avsluta dem (de finns kvar i loggen, i besluten och i exporter).',
      '',
    ]);
    expect((await actionsById())['BOS-02']!.title).toBe('Studentbostäder vid campus');
    expect((await actionsById())['BOS-03']!.retiredAt).toBeUndefined();

    const retired = await cli(['plan-2027.csv', '--retire-missing'], {}, tmp);
    expect(retired.code).toBe(0);
    expect(retired.out.split('\n')).toEqual([
      'plan-2027.csv (handlingsplan, 5 rader): 0 tillagda, 0 uppdaterade, 5 oförändrade, 0 varningar',
      '  1 händelser loggade',
      '  1 åtgärder avslutas, de finns inte längre i filen:',
      '    BOS-03 Bostadsförsörjningsprogram',
      '',
    ]);
    const bos3 = (await actionsById())['BOS-03']!;
    expect(bos3.retiredAt).toBe('2026-11-24T10:00:00.000Z');
    const log = await repos.events.listWeek({ programId: 'harnosand', week: '2026-W48' });
    const bos3Changes = log
      .filter((e) => e.type === 'action' && e.actionId === 'BOS-03')
      .map((e) => (e as { fields: unknown }).fields);
    expect(bos3Changes).toHaveLength(2);
    expect(bos3Changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ title: 'Bostadsförsörjningsprogram' }),
        { retiredAt: '2026-11-24T10:00:00.000Z' },
      ]),
    );
    // The same revision again: nothing left to retire, nothing written.
    const settled = await tables();
    expect((await cli(['plan-2027.csv', '--retire-missing'], {}, tmp)).out.split('\n')).toEqual([
      'plan-2027.csv (handlingsplan, 5 rader): 0 tillagda, 0 uppdaterade, 5 oförändrade, 0 varningar',
      '',
    ]);
    expect(await tables()).toEqual(settled);

    // The export keeps the retired action, marked with its date; importing it changes nothing.
    expect((await exportCli(['plan', '--out', 'export-2027.csv'])).code).toBe(0);
    const bos3Row = rowsOf('export-2027.csv').find((r) => r[0] === 'BOS-03')!;
    expect(bos3Row[18]).toBe('2026-11-24');
    expect((await cli(['export-2027.csv'], {}, tmp)).out.split('\n')[0]).toBe(
      'export-2027.csv (handlingsplan, 6 rader): 0 tillagda, 0 uppdaterade, 6 oförändrade, 0 varningar',
    );
    expect(await tables()).toEqual(settled);
  });
});

describe('import CLI: a broken file', () => {
  it('is refused whole: every problem with sheet, Excel row and column header and what to write, nothing written', async () => {
    fs.writeFileSync(path.join(tmp, 'plan-2026.csv'), 'Insatsområde;Åtgärd\r\nBostäder;Finns redan\r\n');
    expect((await cli(['plan-2026.csv'], {}, tmp)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Handlingsplan');
    ws.addRow(['Handlingsplan 2027']);
    ws.addRow(['Insatsområde', 'Åtgärd', 'Start', 'Slutdatum', 'Framdrift', 'Indikator', 'Målvärde', 'Anteckning']);
    ws.addRow(['Bostäder', 'Ny åtgärd', '2026-01-01', '2026-12-31', '10', 'Antal bostäder', '40 st', 'ok']);
    ws.addRow(['Bostäder', 'Fel datum', 'Hösten 2026', '2026-02-30', '', '', '', '']);
    ws.addRow(['Skogsbruk', 'Okänt område', '', '', '', '', '', '']);
    ws.addRow(['Trygghet', 'För mycket', '', '', '150', 'A; B', '1; 2; 3', '']);
    ws.addRow(['Trygghet', '', '', '', '', '', 'öka', '']);
    const before = await tables();
    fs.writeFileSync(path.join(tmp, 'plan-2027.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
    const r = await cli(['plan-2027.xlsx'], {}, tmp);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toEqual([
      'varning: plan-2027.xlsx, blad "Handlingsplan", rad 2, kolumn "Anteckning": okänd kolumn, hoppas över',
      'fel: plan-2027.xlsx, blad "Handlingsplan", rad 4, kolumn "Start": "Hösten 2026" är inte ett datum (skriv startdatumet som 2026-09-01; en period som "Hösten 2026" hör hemma i Tidplan)',
      'fel: plan-2027.xlsx, blad "Handlingsplan", rad 4, kolumn "Slutdatum": datumet 2026-02-30 finns inte',
      expect.stringMatching(
        /^fel: plan-2027\.xlsx, blad "Handlingsplan", rad 5, kolumn "Insatsområde": insatsområdet "Skogsbruk" \(rad 5\) är inget team i programmet .* importera med --create-teams så skapas det$/,
      ),
      'fel: plan-2027.xlsx, blad "Handlingsplan", rad 6, kolumn "Framdrift": "150" är inte ett tal mellan 0 och 100',
      'fel: plan-2027.xlsx, blad "Handlingsplan", rad 7, kolumn "Åtgärd": värde saknas',
      'fel: plan-2027.xlsx, blad "Handlingsplan", rad 7, kolumn "Målvärde": "öka" är inget målvärde (skriv ett tal, gärna med enhet: 85, 75 %, 40 ha, 42 000)',
      'plan-2027.xlsx: 6 fel, inget från filen sparades',
      '',
    ]);
    expect(await tables()).toEqual(before);

    // Rows that are fine on their own but wrong together are refused the same way (and in English).
    const wb2 = new ExcelJS.Workbook();
    const ws2 = wb2.addWorksheet('Handlingsplan');
    ws2.addRow(['Insatsområde', 'Åtgärd', 'Indikator', 'Målvärde']);
    ws2.addRow(['Trygghet', 'Trygghetsvandringar', 'Antal vandringar', '12']);
    ws2.addRow(['Trygghet', 'För mycket', 'A; B', '1; 2; 3']);
    fs.writeFileSync(path.join(tmp, 'plan-2027.xlsx'), Buffer.from(await wb2.xlsx.writeBuffer()));
    const en = await cli(['plan-2027.xlsx', '--lang', 'en'], {}, tmp);
    expect(en.code).toBe(1);
    expect(en.err).toContain(
      'error: plan-2027.xlsx, sheet "Handlingsplan", row 3, column "Målvärde": 3 targets but 2 indicators; write one target per indicator, in the same order, separated by semicolons',
    );
    expect(await tables()).toEqual(before);
  });
});

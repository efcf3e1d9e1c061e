/** Plan and indicator import against a real Azurite table service. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { ConcurrencyError, StorageUnavailableError } from '../../../domain/errors';
import { importIndicators } from '../../../domain/plan/indicator-import';
import { importFile } from '../../../domain/plan/import';
import { importPlan } from '../../../domain/plan/plan-import';
import { parseStatus } from '../../../domain/plan/rows';
import type { ActionRepository, Repositories } from '../../../domain/ports';
import { findTeam, loadProgram, withStoredTeams } from '../../../domain/program';
import { teamFromArea } from '../../../domain/plan/program-teams';
import type { ImportResult } from '../../../domain/plan/import-result';
import { formatIssue } from '../../../domain/plan/issues';
import { fixedClock } from '../../../domain/time';
import type { Action, LogEvent } from '../../../domain/types';
import type { TableStore } from '../../../storage/table-store';
import { useFreshTables } from '../../support/storage';

const program = loadProgram();
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const planCsv = fs.readFileSync(path.join(FIXTURES, 'plan.csv'));
const indicatorsCsv = fs.readFileSync(path.join(FIXTURES, 'indicators.csv'));
// Tuesday of week 48 in Stockholm.
const AT = '2026-11-24T10:00:00.000Z';
const WEEK = '2026-W48';

let repos: Repositories;
let store: TableStore;

useFreshTables((t) => {
  ({ repositories: repos, store } = t);
});

const run = (fileName: string, content: Buffer | string, extra: { repositories?: Repositories; at?: string } = {}) =>
  importPlan({
    fileName,
    content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    program,
    repositories: extra.repositories ?? repos,
    clock: fixedClock(extra.at ?? AT),
  });

/** Every row of a table, etags and timestamps included: equal snapshots mean nothing was written. */
async function snapshot(table: 'actions' | 'events' | 'indicators'): Promise<unknown[]> {
  const rows: unknown[] = [];
  for await (const e of store.client(table).listEntities()) rows.push(e);
  return rows;
}

/** The real action repository with some methods replaced (it is a class: spreading it loses its methods). */
function actionsWith(over: Partial<ActionRepository>): ActionRepository {
  const a = repos.actions;
  return {
    get: (p, id) => a.get(p, id),
    list: (p) => a.list(p),
    listByTeam: (p, t) => a.listByTeam(p, t),
    create: (x) => a.create(x),
    update: (x) => a.update(x),
    saveAll: (xs) => a.saveAll(xs),
    ...over,
  };
}

const byId = (actions: Action[]) => Object.fromEntries(actions.map(({ etag: _etag, ...a }) => [a.id, a]));
const events = () => repos.events.listWeek({ programId: program.id, week: WEEK });
const counts = (r: ImportResult) => ({
  added: r.added,
  updated: r.updated,
  unchanged: r.unchanged,
  notInFile: r.notInFile,
  errors: r.errors.map((e) => formatIssue(e)),
});

/** What `plan.csv` holds, as stored actions. */
const EXPECTED: Record<string, Omit<Action, 'etag'>> = {
  'BOS-01': {
    programId: 'harnosand',
    id: 'BOS-01',
    teamKey: 'bostader',
    title: 'Fler hyresrätter i centrum',
    description: 'Bygga 200 lägenheter; etapp 1 "Kajen"\noch etapp 2 vid Östra hamnen',
    owner: { name: 'Åsa Öberg', email: 'asa.oberg@harnosand.se' },
    responsibleBody: 'Samhällsbyggnadsnämnden',
    start: '2026-01-15',
    due: '2026-12-31',
    financing: 'Budget 2026',
    status: 'on_track',
    progress: 25,
    indicatorIds: ['INV'],
    lastUpdate: { at: AT, by: 'import:plan.csv' },
  },
  'BOS-02': {
    programId: 'harnosand',
    id: 'BOS-02',
    teamKey: 'bostader',
    title: 'Studentbostäder vid campus',
    description: '',
    owner: { name: 'Per Ström', email: 'per.strom@harnosand.se' },
    responsibleBody: 'Härnösandshus AB',
    start: '2026-03-01',
    due: '2027-06-30',
    financing: 'Extern finansiering',
    status: 'not_started',
    progress: 0,
    indicatorIds: [],
  },
  'IND-01': {
    programId: 'harnosand',
    id: 'IND-01',
    teamKey: 'industrimark',
    title: 'Detaljplan för Saltvik',
    description: 'Ny industrimark söder om älven',
    owner: { name: 'Lena Ek', email: 'lena.ek@harnosand.se' },
    responsibleBody: 'Samhällsbyggnadsnämnden',
    start: '2026-04-01',
    due: '2026-12-01',
    financing: '',
    status: 'at_risk',
    progress: 10,
    indicatorIds: ['INV', 'SYSS'],
    lastUpdate: { at: AT, by: 'import:plan.csv' },
  },
  'TRY-01': {
    programId: 'harnosand',
    id: 'TRY-01',
    teamKey: 'trygghet',
    title: 'Trygga stråk längs ån',
    description: 'Belysning och röjning',
    owner: { name: 'Karl Åkesson' },
    responsibleBody: 'Tekniska nämnden',
    start: '2026-02-01',
    due: '2026-10-31',
    financing: 'Statsbidrag',
    status: 'not_started',
    progress: 0,
    indicatorIds: [],
  },
};

describe('plan import: CSV', () => {
  it('the fixture is what Swedish Excel writes: BOM, semicolons, CRLF', () => {
    expect([...planCsv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(planCsv.toString('utf8')).toContain(';Bostäder;');
    expect(planCsv.toString('utf8')).toContain('\r\n');
  });

  it('imports BOM + semicolons + Swedish headers and characters, generating missing ids', async () => {
    const r = await run('plan.csv', planCsv);
    expect(counts(r)).toEqual({ added: 4, updated: 0, unchanged: 0, notInFile: 0, errors: [] });
    // INV and SYSS are not imported yet: a warning per reference, not an error.
    expect(r.warnings.map((w) => formatIssue(w))).toEqual([
      'plan.csv, rad 2, kolumn "Indikator": indikatorn "INV" finns inte (ännu); importera indikatorfilen, eller skriv indikatorns namn så skapas den',
      'plan.csv, rad 4, kolumn "Indikator": indikatorn "INV" finns inte (ännu); importera indikatorfilen, eller skriv indikatorns namn så skapas den',
      'plan.csv, rad 4, kolumn "Indikator": indikatorn "SYSS" finns inte (ännu); importera indikatorfilen, eller skriv indikatorns namn så skapas den',
    ]);
    expect(r.changes.map((c) => [c.id, c.row, c.change, !!c.generatedId])).toEqual([
      ['BOS-01', 2, 'created', false],
      ['BOS-02', 3, 'created', true],
      ['IND-01', 4, 'created', true],
      ['TRY-01', 5, 'created', false],
    ]);
    expect(byId(await repos.actions.list(program.id))).toEqual(EXPECTED);
  });

  it('logs one ActionChanged per action and a StatusUpdate where the file set a status', async () => {
    const r = await run('plan.csv', planCsv);
    const log = await events();
    expect(r.events).toBe(6);
    expect(log).toHaveLength(6);
    expect(log.every((e) => e.source === 'import' && e.by === 'import:plan.csv' && e.at === AT)).toBe(true);
    const changed = log.filter((e): e is Extract<LogEvent, { type: 'action' }> => e.type === 'action');
    expect(changed.map((e) => [e.actionId, e.change]).sort()).toEqual([
      ['BOS-01', 'created'],
      ['BOS-02', 'created'],
      ['IND-01', 'created'],
      ['TRY-01', 'created'],
    ]);
    expect(changed.find((e) => e.actionId === 'TRY-01')!.fields).toEqual({
      teamKey: 'trygghet',
      title: 'Trygga stråk längs ån',
      description: 'Belysning och röjning',
      responsibleBody: 'Tekniska nämnden',
      financing: 'Statsbidrag',
      start: '2026-02-01',
      due: '2026-10-31',
      owner: { name: 'Karl Åkesson', email: null },
    });
    const status = log.filter((e): e is Extract<LogEvent, { type: 'status' }> => e.type === 'status');
    expect(status.map((e) => [e.actionId, e.status, e.progress, e.previousStatus]).sort()).toEqual([
      ['BOS-01', 'on_track', 25, undefined],
      ['IND-01', 'at_risk', 10, undefined],
    ]);
  });

  it('reads comma CSV with English headers, codes and labels', async () => {
    const csv = [
      'Team,Action,Owner,Email,Responsible body,Due,Status,Progress,Indicator',
      'housing,"Renovate, then rent",Anna Berg,anna.berg@harnosand.se,Housing board,2026-09-30,On track,40%,"INV;SYSS"',
      'Crime prevention,Night walkers,Ola Lind,,,30/6 2026,off_track,,',
    ].join('\n');
    const r = await run('plan-en.csv', csv);
    expect(counts(r)).toEqual({ added: 2, updated: 0, unchanged: 0, notInFile: 0, errors: [] });
    const stored = byId(await repos.actions.list(program.id));
    expect(stored['BOS-01']).toMatchObject({
      teamKey: 'bostader',
      title: 'Renovate, then rent',
      owner: { name: 'Anna Berg', email: 'anna.berg@harnosand.se' },
      responsibleBody: 'Housing board',
      due: '2026-09-30',
      status: 'on_track',
      progress: 40,
      indicatorIds: ['INV', 'SYSS'],
    });
    expect(stored['TRY-01']).toMatchObject({
      teamKey: 'trygghet',
      title: 'Night walkers',
      due: '2026-06-30',
      status: 'off_track',
      progress: 0,
    });
    expect(stored['TRY-01']!.start).toBeUndefined();
  });

  it('reads an export from a planning tool: English headers, Action id, Area, Goal (the ADMIN.md example)', async () => {
    const csv = [
      'Action id,Area,Goal,Action,Owner,Email,Due,Status,Progress,Indicator',
      'BOS-01,Housing,More homes,Rental flats,Anna Berg,anna.berg@harnosand.se,2026-09-30,On track,40%,INV',
    ].join('\n');
    const r = await run('export.csv', csv);
    expect(counts(r)).toEqual({ added: 1, updated: 0, unchanged: 0, notInFile: 0, errors: [] });
    expect(r.unknownColumns).toEqual([]);
    expect(byId(await repos.actions.list(program.id))['BOS-01']).toMatchObject({
      teamKey: 'bostader',
      goal: 'More homes',
      title: 'Rental flats',
      due: '2026-09-30',
      progress: 40,
    });
  });

  it('maps every status word', () => {
    const cases: [string, string][] = [
      ['Ej påbörjad', 'not_started'],
      ['ENLIGT PLAN', 'on_track'],
      ['risk', 'at_risk'],
      ['Avviker', 'off_track'],
      ['Klar', 'done'],
      ['Pausad', 'paused'],
      ['not_started', 'not_started'],
      ['off-track', 'off_track'],
      ['At risk', 'at_risk'],
      ['Done', 'done'],
    ];
    expect(cases.map(([w]) => parseStatus(w))).toEqual(cases.map(([, s]) => s));
    expect(parseStatus('Grön')).toBeUndefined();
  });
});

describe('plan import: XLSX', () => {
  async function planWorkbook(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Läs mig').addRow(['Fyll i bladet Handlingsplan. Id lämnas tomt för nya insatser.']);
    const ws = wb.addWorksheet('Handlingsplan');
    ws.addRow([
      'Id',
      'Team',
      'Insats',
      'Beskrivning',
      'Ansvarig',
      'E-post',
      'Ansvarig nämnd',
      'Start',
      'Slutdatum',
      'Finansiering',
      'Status',
      'Indikator',
      'Framdrift',
    ]);
    // Excel dates are wall-clock serials; exceljs writes a Date's UTC fields, so build them in UTC.
    const d = (y: number, m: number, day: number) => new Date(Date.UTC(y, m - 1, day));
    ws.addRow([
      'BOS-01',
      'Bostäder',
      { richText: [{ text: 'Fler hyresrätter ' }, { text: 'i centrum', font: { italic: true } }] },
      'Bygga 200 lägenheter; etapp 1 "Kajen"\r\noch etapp 2 vid Östra hamnen',
      'Åsa Öberg',
      { text: 'asa.oberg@harnosand.se', hyperlink: 'mailto:asa.oberg@harnosand.se' },
      'Samhällsbyggnadsnämnden',
      d(2026, 1, 15),
      d(2026, 12, 31),
      'Budget 2026',
      'Enligt plan',
      'INV',
      { formula: '5*5', result: 25 },
    ]);
    ws.addRow([
      '',
      'Bostäder',
      'Studentbostäder vid campus',
      '',
      'Per Ström',
      'per.strom@harnosand.se',
      'Härnösandshus AB',
      d(2026, 3, 1),
      d(2027, 6, 30),
      'Extern finansiering',
      'Ej påbörjad',
      '',
      null,
    ]);
    ws.addRow([
      null,
      'industrimark',
      'Detaljplan för Saltvik',
      'Ny industrimark söder om älven',
      'Lena Ek',
      'lena.ek@harnosand.se',
      'Samhällsbyggnadsnämnden',
      '1.4.2026',
      d(2026, 12, 1),
      null,
      'Risk',
      'INV, SYSS',
      0.1,
    ]);
    ws.getCell('M4').numFmt = '0%';
    ws.addRow([
      'TRY-01',
      'Trygghet',
      'Trygga stråk längs ån',
      'Belysning och röjning',
      'Karl Åkesson',
      null,
      'Tekniska nämnden',
      d(2026, 2, 1),
      d(2026, 10, 31),
      'Statsbidrag',
    ]);
    for (const cell of ['H2', 'I2', 'H3', 'I3', 'I4', 'H5', 'I5']) ws.getCell(cell).numFmt = 'yyyy-mm-dd';
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('imports the same actions as the CSV (rich text, hyperlink, formula, Date and percent cells)', async () => {
    const xlsx = await planWorkbook();
    const r = await run('plan.xlsx', xlsx);
    expect(counts(r)).toEqual({ added: 4, updated: 0, unchanged: 0, notInFile: 0, errors: [] });
    expect(r.sheet).toBe('Handlingsplan');
    const expected = JSON.parse(JSON.stringify(EXPECTED).replace(/import:plan\.csv/g, 'import:plan.xlsx'));
    expect(byId(await repos.actions.list(program.id))).toEqual(expected);
  });

  it('re-importing the CSV after the XLSX changes nothing: both say the same', async () => {
    await run('plan.xlsx', await planWorkbook());
    const r = await run('plan.csv', planCsv);
    expect(counts(r)).toEqual({ added: 0, updated: 0, unchanged: 4, notInFile: 0, errors: [] });
  });

  it('importFile reads the workbook as a plan', async () => {
    const r = await importFile({
      fileName: 'plan.xlsx',
      content: await planWorkbook(),
      program,
      repositories: repos,
      clock: fixedClock(AT),
    });
    expect(r.kind).toBe('plan');
    expect(r.added).toBe(4);
  });
});

describe('plan import: idempotency and updates', () => {
  it('re-importing the same file writes nothing and logs nothing', async () => {
    await run('plan.csv', planCsv);
    const before = { actions: await snapshot('actions'), events: await snapshot('events') };
    const r = await run('plan.csv', planCsv, { at: '2026-11-25T08:00:00.000Z' });
    expect(counts(r)).toEqual({ added: 0, updated: 0, unchanged: 4, notInFile: 0, errors: [] });
    expect(r.events).toBe(0);
    expect(r.changes).toEqual([]);
    expect(await snapshot('actions')).toEqual(before.actions);
    expect(await snapshot('events')).toEqual(before.events);
  });

  it('an edited file updates exactly the changed fields and logs one event per changed action', async () => {
    await run('plan.csv', planCsv);
    // Someone updates TRY-01 from the bot; the file's Status cell for it is empty: keep that.
    const tryAction = (await repos.actions.get(program.id, 'TRY-01'))!;
    await repos.actions.update({
      ...tryAction,
      status: 'at_risk',
      progress: 30,
      owner: { ...tryAction.owner, aadObjectId: 'aad-karl' },
    });
    const edited = planCsv
      .toString('utf8')
      .replace('31/12 2026;Budget 2026;Enligt plan', '2027-03-31;Budget 2026;Avviker')
      .replace('Karl Åkesson;;', 'Karl Åkesson;karl.akesson@harnosand.se;');
    const eventsBefore = (await events()).length;
    const at = '2026-11-26T09:00:00.000Z';
    const r = await run('plan.csv', Buffer.from(edited, 'utf8'), { at });
    expect(counts(r)).toEqual({ added: 0, updated: 2, unchanged: 2, notInFile: 0, errors: [] });
    expect(r.changes.map((c) => [c.id, c.fields])).toEqual([
      ['BOS-01', ['due', 'status']],
      ['TRY-01', ['owner']],
    ]);

    const stored = byId(await repos.actions.list(program.id));
    expect(stored['BOS-01']).toEqual({
      ...EXPECTED['BOS-01'],
      due: '2027-03-31',
      status: 'off_track',
      lastUpdate: { at, by: 'import:plan.csv' },
    });
    // The e-mail is new, so the Teams id learned for the old owner record is not carried over.
    expect(stored['TRY-01']).toEqual({
      ...EXPECTED['TRY-01'],
      status: 'at_risk',
      progress: 30,
      owner: { name: 'Karl Åkesson', email: 'karl.akesson@harnosand.se' },
    });
    expect(stored['BOS-02']).toEqual(EXPECTED['BOS-02']);

    const log = (await events()).slice(eventsBefore);
    expect(log.map((e) => [e.type, (e as { actionId: string }).actionId]).sort()).toEqual([
      ['action', 'BOS-01'],
      ['action', 'TRY-01'],
      ['status', 'BOS-01'],
    ]);
    const bos = log.find((e) => e.type === 'action' && e.actionId === 'BOS-01') as Extract<
      LogEvent,
      { type: 'action' }
    >;
    expect(bos).toMatchObject({
      change: 'updated',
      fields: { due: '2027-03-31', status: 'off_track' },
      source: 'import',
      at,
    });
    const status = log.find((e) => e.type === 'status') as Extract<LogEvent, { type: 'status' }>;
    expect(status).toMatchObject({ status: 'off_track', previousStatus: 'on_track', progress: 25, source: 'import' });
  });

  it('leaves actions that are not in the file alone and counts them', async () => {
    await run('plan.csv', planCsv);
    const r = await run('one.csv', 'Id;Team;Insats\nBOS-01;Bostäder;Fler hyresrätter i centrum\n');
    expect(counts(r)).toEqual({ added: 0, updated: 0, unchanged: 1, notInFile: 3, errors: [] });
    // Columns missing from the file leave their fields as stored.
    expect(byId(await repos.actions.list(program.id))['BOS-01']).toEqual(EXPECTED['BOS-01']);
  });

  it('an empty cell in a present column clears the field; Status and Framdrift stay', async () => {
    await run('plan.csv', planCsv);
    const r = await run(
      'clear.csv',
      'Id;Team;Insats;Finansiering;Slutdatum;Status;Framdrift\nBOS-01;Bostäder;Fler hyresrätter i centrum;;;;\n',
    );
    expect(r.changes.map((c) => c.fields)).toEqual([['financing', 'due']]);
    const a = (await repos.actions.get(program.id, 'BOS-01'))!;
    expect([a.financing, a.due, a.status, a.progress]).toEqual(['', undefined, 'on_track', 25]);
  });

  it('generates ids after the highest stored and given ones, and matches id-less rows by title on re-import', async () => {
    const existing = (id: string, title: string): Action => ({ ...EXPECTED['BOS-02']!, id, title });
    await repos.actions.saveAll([existing('BOS-01', 'Ett'), existing('BOS-07', 'Sju')]);
    const file = [
      'Id;Team;Insats',
      ';Bostäder;Ny A',
      'BOS-09;Bostäder;Ny B',
      ';bostad;Ny C',
      ';Trygghet;Ny D',
      ';Bostäder;sju',
    ].join('\r\n');
    const r = await run('ids.csv', file);
    expect(counts(r)).toEqual({ added: 4, updated: 1, unchanged: 0, notInFile: 1, errors: [] });
    expect(r.changes.map((c) => [c.row, c.id, c.change])).toEqual([
      [2, 'BOS-10', 'created'],
      [3, 'BOS-09', 'created'],
      [4, 'BOS-11', 'created'],
      [5, 'TRY-01', 'created'],
      [6, 'BOS-07', 'updated'],
    ]);
    expect((await repos.actions.get(program.id, 'BOS-07'))!.title).toBe('sju');
    const again = await run('ids.csv', file);
    expect(counts(again)).toEqual({ added: 0, updated: 0, unchanged: 5, notInFile: 1, errors: [] });
    expect((await repos.actions.list(program.id)).map((a) => a.id).sort()).toEqual([
      'BOS-01',
      'BOS-07',
      'BOS-09',
      'BOS-10',
      'BOS-11',
      'TRY-01',
    ]);
    // Ids typed the way people type them find the stored action.
    const typed = await run('typed.csv', 'Id;Team;Insats\nbos-1;Bostäder;Ett\nBOS-007;Bostäder;sju\n');
    expect(counts(typed)).toEqual({ added: 0, updated: 0, unchanged: 2, notInFile: 4, errors: [] });
  });
});

describe('plan import: validation before any write', () => {
  it('rejects bad rows with file, row and column, and writes nothing', async () => {
    await run('plan.csv', planCsv);
    const before = { actions: await snapshot('actions'), events: await snapshot('events') };
    const file = [
      'Id;Team;Insats;Slutdatum;Start;E-post;Status;Framdrift;Kommentar',
      'BOS-01;Bostäder;Ändrad titel;2026-12-31;;;;;ok',
      'BOS-05;Bostäder;Ny insats;2026-02-30;;;;;',
      ';Skogsbruk;Ny insats;;;;;;',
      ';Trygghet;;;;;;;',
      ';Trygghet;Datum fel ordning;2026-01-01;2026-03-01;;;;',
      ';Trygghet;Dålig e-post;;;anna(at)harnosand.se;Grön;150;',
      'BOS-05;Bostäder;Samma id igen;;;;;;',
      `;Trygghet;${'x'.repeat(201)};;;;;;`,
    ].join('\r\n');
    const r = await run('plan.csv', file);
    expect(r.errors.map((e) => formatIssue(e))).toEqual([
      'plan.csv, rad 3, kolumn "Slutdatum": datumet 2026-02-30 finns inte',
      'plan.csv, rad 4, kolumn "Team": insatsområdet "Skogsbruk" (rad 4) är inget team i programmet (team: Industrimark, Bostäder, Utbildningar, Platsvarumärke, Kompetensförsörjning, Affärsstöd, Infrastruktur, Finansiering, Trygghet); rätta namnet, lägg till teamet i programfilen, eller importera med --create-teams så skapas det',
      'plan.csv, rad 5, kolumn "Insats": värde saknas',
      'plan.csv, rad 7, kolumn "E-post": "anna(at)harnosand.se" ser inte ut som en e-postadress',
      'plan.csv, rad 7, kolumn "Framdrift": "150" är inte ett tal mellan 0 och 100',
      'plan.csv, rad 8, kolumn "Id": id BOS-05 finns redan på rad 3',
      'plan.csv, rad 9, kolumn "Insats": texten är för lång (201 tecken, högst 200)',
      'plan.csv, rad 6, kolumn "Slutdatum": slutdatum 2026-01-01 är före start 2026-03-01',
    ]);
    expect(r.errors[0]).toMatchObject({
      file: 'plan.csv',
      row: 3,
      column: 'Slutdatum',
      code: 'cell.noSuchDate',
      params: { value: '2026-02-30' },
    });
    expect(formatIssue(r.errors[0]!, 'en-US')).toBe(
      'plan.csv, row 3, column "Slutdatum": the date 2026-02-30 does not exist',
    );
    // An unknown status word does not stop the plan: a warning, the status is left as it is.
    expect(r.warnings.map((w) => formatIssue(w))).toEqual([
      'plan.csv, rad 1, kolumn "Kommentar": okänd kolumn, hoppas över',
      'plan.csv, rad 7, kolumn "Status": okänd status "Grön", statusen lämnas som den är (skriv Ej påbörjad, Pågår, Risk, Försenad, Klar eller Pausad)',
    ]);
    expect([r.added, r.updated, r.events, r.changes]).toEqual([0, 0, 0, []]);
    expect(await snapshot('actions')).toEqual(before.actions);
    expect(await snapshot('events')).toEqual(before.events);
  });

  it('names a missing required column and does not look at the rows', async () => {
    const r = await run('plan.csv', 'Id;Insats\nBOS-01;X\n');
    expect(r.errors.map((e) => formatIssue(e))).toEqual([
      'plan.csv, rad 1, kolumn "Insatsområde": kolumnen "Insatsområde" saknas (även: Team, Område, Fokusområde, Arbetsgrupp, Area, Focus area)',
    ]);
    expect(await snapshot('actions')).toEqual([]);
  });

  it('strips control characters and accepts a description up to 2000 characters', async () => {
    const r = await run(
      'plan.csv',
      `Team;Insats;Beskrivning\nBostäder;"Ti\u0007tel\u0000";${'å'.repeat(2000)}\nBostäder;Lång;${'å'.repeat(2001)}\n`,
    );
    expect(r.errors.map((e) => formatIssue(e))).toEqual([
      'plan.csv, rad 3, kolumn "Beskrivning": texten är för lång (2001 tecken, högst 2000)',
    ]);
    const ok = await run('plan.csv', `Team;Insats;Beskrivning\nBostäder;"Ti\u0007tel\u0000";${'å'.repeat(2000)}\n`);
    expect(ok.errors).toEqual([]);
    expect((await repos.actions.get(program.id, 'BOS-01'))!.title).toBe('Titel');
  });

  it('rejects two id-less rows about the same action and a title that matches several stored actions', async () => {
    await repos.actions.saveAll([
      { ...EXPECTED['BOS-02']!, id: 'BOS-01', title: 'Samma' },
      { ...EXPECTED['BOS-02']!, id: 'BOS-02', title: 'samma' },
    ]);
    const r = await run('plan.csv', 'Team;Insats\nBostäder;Ny\nBostäder;ny\nBostäder;Samma\n');
    expect(r.errors.map((e) => formatIssue(e))).toEqual([
      'plan.csv, rad 3, kolumn "Insats": raden gäller samma åtgärd (ny) som rad 2',
      'plan.csv, rad 4, kolumn "Insats": flera sparade åtgärder i teamet heter "Samma" (BOS-01, BOS-02); ange Id',
    ]);
  });

  it('rejects unsupported files and files without data rows', async () => {
    expect((await run('plan.ods', 'x')).errors.map((e) => e.code)).toEqual(['file.unsupportedType']);
    expect((await run('plan.csv', 'Team;Insats\r\n')).errors.map((e) => e.code)).toEqual(['file.noRows']);
  });
});

describe('plan import: writing', () => {
  it('reports a conflict when someone edits an action during the import', async () => {
    await run('plan.csv', planCsv);
    const racing: Repositories = {
      ...repos,
      actions: actionsWith({
        saveAll: async (actions) => {
          // The bot learns the owner's Teams id between our read and our write.
          const current = (await repos.actions.get(program.id, 'BOS-01'))!;
          await repos.actions.update({ ...current, owner: { ...current.owner, aadObjectId: 'aad-asa' } });
          return repos.actions.saveAll(actions);
        },
      }),
    };
    const edited = planCsv.toString('utf8').replace('Fler hyresrätter i centrum', 'Fler hyresrätter i stadskärnan');
    const r = await run('plan.csv', Buffer.from(edited, 'utf8'), { repositories: racing });
    expect(r.errors.map((e) => formatIssue(e))).toEqual([
      'plan.csv: någon annan ändrade BOS-01 under importen; 0 av 1 ändringar sparades. Kör importen igen.',
    ]);
    expect(r.updated).toBe(0);
    const a = (await repos.actions.get(program.id, 'BOS-01'))!;
    expect([a.title, a.owner.aadObjectId]).toEqual(['Fler hyresrätter i centrum', 'aad-asa']);
    // Run again: the bot's change stays, the title is updated, the change is logged once.
    const again = await run('plan.csv', Buffer.from(edited, 'utf8'));
    expect(counts(again)).toEqual({ added: 0, updated: 1, unchanged: 3, notInFile: 0, errors: [] });
    const b = (await repos.actions.get(program.id, 'BOS-01'))!;
    expect([b.title, b.owner.aadObjectId]).toEqual(['Fler hyresrätter i stadskärnan', 'aad-asa']);
    const titleEvents = (await events()).filter((e) => e.type === 'action' && e.change === 'updated');
    expect(titleEvents).toHaveLength(1);
  });

  it('a re-run after a failed write does not log twice', async () => {
    let fail = true;
    const flaky: Repositories = {
      ...repos,
      actions: actionsWith({
        saveAll: async (actions) => {
          if (fail) throw new StorageUnavailableError('save actions: storage unavailable');
          return repos.actions.saveAll(actions);
        },
      }),
    };
    const first = await run('plan.csv', planCsv, { repositories: flaky });
    expect(first.errors.map((e) => e.code)).toEqual(['write.failed']);
    expect(await repos.actions.list(program.id)).toEqual([]);
    expect(await events()).toHaveLength(6);
    fail = false;
    const second = await run('plan.csv', planCsv, { repositories: flaky, at: '2026-11-24T10:05:00.000Z' });
    expect(counts(second)).toEqual({ added: 4, updated: 0, unchanged: 0, notInFile: 0, errors: [] });
    expect(second.events).toBe(0);
    expect(await events()).toHaveLength(6);
    expect(await repos.actions.list(program.id)).toHaveLength(4);
  });

  it('writes a large plan in transactions of 100 and reports progress', async () => {
    const lines = ['Team;Insats;Status'];
    for (let i = 1; i <= 250; i++) lines.push(`Bostäder;Insats ${i};${i % 2 ? 'Enligt plan' : ''}`);
    const progress: number[] = [];
    const r = await importPlan({
      fileName: 'stor.csv',
      content: Buffer.from(lines.join('\n')),
      program,
      repositories: repos,
      clock: fixedClock(AT),
      onProgress: (p) => progress.push(p.done),
    });
    expect(counts(r)).toEqual({ added: 250, updated: 0, unchanged: 0, notInFile: 0, errors: [] });
    expect(progress).toEqual([100, 200, 250]);
    expect(await repos.actions.list(program.id)).toHaveLength(250);
    expect((await repos.actions.get(program.id, 'BOS-250'))!.title).toBe('Insats 250');
    expect(await events()).toHaveLength(250 + 125);
  });

  it('a dry run reports what would change and writes nothing', async () => {
    const r = await importPlan({
      fileName: 'plan.csv',
      content: planCsv,
      program,
      repositories: repos,
      clock: fixedClock(AT),
      dryRun: true,
    });
    expect([r.added, r.updated, r.dryRun, r.changes.length]).toEqual([4, 0, true, 4]);
    expect(await snapshot('actions')).toEqual([]);
    expect(await snapshot('events')).toEqual([]);
  });

  it('does not swallow a ConcurrencyError thrown outside the write phase', async () => {
    const broken: Repositories = {
      ...repos,
      actions: actionsWith({ list: async () => Promise.reject(new ConcurrencyError('x')) }),
    };
    await expect(run('plan.csv', planCsv, { repositories: broken })).rejects.toBeInstanceOf(ConcurrencyError);
  });
});

describe('indicator import', () => {
  const runIndicators = (fileName: string, content: Buffer | string) =>
    importIndicators({
      fileName,
      content: typeof content === 'string' ? Buffer.from(content) : content,
      program,
      repositories: repos,
      clock: fixedClock(AT),
    });

  it('imports definitions and values with Swedish numbers', async () => {
    const r = await importFile({
      fileName: 'indicators.csv',
      content: indicatorsCsv,
      program,
      repositories: repos,
      clock: fixedClock(AT),
    });
    expect(r.kind).toBe('indicators');
    expect(counts(r)).toEqual({ added: 2, updated: 0, unchanged: 0, notInFile: 0, errors: [] });
    expect(r.values).toEqual({ added: 4, updated: 0 });
    const stored = Object.fromEntries((await repos.indicators.list(program.id)).map(({ etag: _e, ...i }) => [i.id, i]));
    expect(stored).toEqual({
      INV: {
        programId: 'harnosand',
        id: 'INV',
        name: 'Invånare',
        unit: 'st',
        baseline: 25000,
        target: 30000,
        targetYear: 2030,
        koladaKpi: 'N01951',
        values: [
          { period: '2024', value: 24950 },
          { period: '2025', value: 25120 },
        ],
      },
      SYSS: {
        programId: 'harnosand',
        id: 'SYSS',
        name: 'Sysselsättningsgrad 20–64 år',
        unit: '%',
        baseline: 78.5,
        target: 82,
        targetYear: 2030,
        values: [
          { period: '2024', value: 79.1 },
          { period: '2025-Q1', value: 79.4 },
        ],
      },
    });
  });

  it('merges values by period, keeps periods not in the file, and re-import writes nothing', async () => {
    await repos.indicators.save({
      programId: 'harnosand',
      id: 'INV',
      name: 'Invånare',
      unit: 'st',
      values: [
        { period: '2023', value: 24800 },
        { period: '2024', value: 24900 },
      ],
    });
    const r = await runIndicators('indicators.csv', indicatorsCsv);
    expect(counts(r)).toEqual({ added: 1, updated: 1, unchanged: 0, notInFile: 0, errors: [] });
    expect(r.values).toEqual({ added: 3, updated: 1 });
    expect(r.changes.find((c) => c.id === 'INV')!.fields).toEqual([
      'koladaKpi',
      'baseline',
      'target',
      'targetYear',
      'values',
    ]);
    expect((await repos.indicators.get(program.id, 'INV'))!.values).toEqual([
      { period: '2023', value: 24800 },
      { period: '2024', value: 24950 },
      { period: '2025', value: 25120 },
    ]);
    const before = await snapshot('indicators');
    const again = await runIndicators('indicators.csv', indicatorsCsv);
    expect(counts(again)).toEqual({ added: 0, updated: 0, unchanged: 2, notInFile: 0, errors: [] });
    expect(await snapshot('indicators')).toEqual(before);
  });

  it('rejects bad numbers, periods and conflicting rows, writing nothing', async () => {
    const file = [
      'Indikator-id;Namn;Enhet;Målvärde;Målår;Period;Värde',
      'INV;Invånare;st;30 000;2030;2024;12,5,3',
      'INV;Invånare;st;31 000;;2025-13;1',
      'INV;;;;;2026;',
      'NY;;;;;2024;5',
      'INV;;;;tjugo;2024;7',
    ].join('\n');
    const r = await runIndicators('ind.csv', file);
    expect(r.errors.map((e) => formatIssue(e))).toEqual([
      'ind.csv, rad 2, kolumn "Värde": "12,5,3" är inte ett tal',
      'ind.csv, rad 3, kolumn "Period": "2025-13" är ingen period (t.ex. 2026, 2026-03, 2026-K1, 2026-W12)',
      'ind.csv, rad 3, kolumn "Målvärde": skiljer sig från rad 2 ("31000" mot "30000")',
      'ind.csv, rad 4, kolumn "Värde": perioden 2026 saknar värde',
      'ind.csv, rad 6, kolumn "Målår": "tjugo" är inte ett årtal',
      'ind.csv, rad 5, kolumn "Namn": en ny indikator behöver ett namn',
    ]);
    expect(await snapshot('indicators')).toEqual([]);
  });

  it('plan rows referring to stored indicators do not warn and take their spelling', async () => {
    await runIndicators('indicators.csv', indicatorsCsv);
    const r = await run('plan.csv', 'Team;Insats;Indikator\nBostäder;X;"inv; syss"\n');
    expect(r.warnings).toEqual([]);
    expect((await repos.actions.get(program.id, 'BOS-01'))!.indicatorIds).toEqual(['INV', 'SYSS']);
  });
});

describe('teams made from areas', () => {
  const taken = { keys: program.teams.map((t) => t.key), prefixes: program.teams.map((t) => t.actionPrefix) };

  it('derives key, name and a free action prefix', () => {
    expect(teamFromArea('Kultur och fritid', taken)).toEqual({
      key: 'kultur-och-fritid',
      name: 'Kultur och fritid',
      actionPrefix: 'KUL',
      aliases: [],
    });
    expect(teamFromArea('Turism', taken)).toEqual({ key: 'turism', name: 'Turism', actionPrefix: 'TUR', aliases: [] });
    // BOS is Bostäder's: the initials, then more letters.
    expect(teamFromArea('Bostadssociala frågor', taken)).toMatchObject({
      key: 'bostadssociala-fragor',
      actionPrefix: 'BF',
    });
    expect(teamFromArea('Bostöd', taken)).toMatchObject({ key: 'bostod', actionPrefix: 'BOST' });
    expect(teamFromArea('Ö', taken)).toBeUndefined();
  });

  it('the program file wins over a stored team with the same key or prefix', () => {
    const stored = [
      { key: 'turism', name: 'Turism', actionPrefix: 'TUR', aliases: [] },
      { key: 'bostader', name: 'Bostäder (gammal)', actionPrefix: 'BOX', aliases: [] },
      { key: 'annat', name: 'Annat', actionPrefix: 'BOS', aliases: [] },
    ];
    const merged = withStoredTeams(program, stored);
    expect(merged.teams.map((t) => t.key)).toEqual([...program.teams.map((t) => t.key), 'turism']);
    expect(findTeam(merged, 'turism')?.actionPrefix).toBe('TUR');
  });
});

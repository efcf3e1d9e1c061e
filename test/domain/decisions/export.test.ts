/**
 * The registry export: CSV for Swedish Excel (BOM, `;`, RFC 4180, no formulas) and XLSX, and the
 * `npm run export -- decisions` command against Azurite (directly, and through a running bot's
 * `azurite.json`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { main, parseArgs, periodOf } from '../../../cli/export';
import { csvField, EXPORT_COLUMNS, exportTable, toCsv, toXlsx } from '../../../domain/decisions/export';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import { fixedClock } from '../../../domain/time';
import type { Decision } from '../../../domain/types';
import { startTestStorage, type TestStorage } from '../../support/storage';

const program = loadProgram();

/** A strict RFC 4180 reader (what Excel does with `;`), so the test does not trust the writer. */
function readCsv(buf: Buffer): { bom: boolean; rows: string[][] } {
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  const s = buf.subarray(bom ? 3 : 0).toString('utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ';') {
      row.push(field);
      field = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '\n' || c === '\r' || c === '"') throw new Error(`unquoted ${JSON.stringify(c)} at ${i}`);
    else field += c;
  }
  if (field !== '' || row.length) throw new Error('no CRLF after the last record');
  return { bom, rows };
}

const base = (extra: Partial<Decision>): Omit<Decision, 'number' | 'sequence' | 'etag'> => ({
  programId: program.id,
  year: 2026,
  title: 'Bostäder vid Saltvik',
  text: 'Styrgruppen beslutar; "förtur" för detaljplanen.\nAndra raden.',
  rationale: '=HYPERLINK("http://evil","klicka")',
  meeting: { name: 'Styrgruppsmöte', date: '2026-03-10' },
  affectedTeams: ['bostader', 'kompetensforsorjning'],
  affectedActions: ['BOS-03', 'KOM-01'],
  followUp: { owner: 'Karin Ås', due: '2026-04-15', done: false },
  loggedBy: 'Anna Styrgren',
  loggedAt: '2026-03-10T09:15:00.000Z',
  state: 'active',
  history: [],
  ...extra,
});

describe('CSV and XLSX writers', () => {
  it('quotes per RFC 4180 and guards against formulas', () => {
    expect(csvField('vanlig')).toBe('vanlig');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('säger "ja"')).toBe('"säger ""ja"""');
    expect(csvField('rad\nrad')).toBe('"rad\nrad"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+46 70')).toBe("'+46 70");
    expect(csvField('-5')).toBe("'-5");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('=A1;B1')).toBe(`"'=A1;B1"`);
    expect(csvField('D-2026-001')).toBe('D-2026-001');
  });

  it('writes a BOM, semicolons and CRLF; reads back to the same table', () => {
    const d = { ...base({}), number: 'D-2026-001', sequence: 1 } as Decision;
    const table = exportTable([d], program);
    const csv = toCsv(table);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { rows } = readCsv(csv);
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    expect(rows[1]).toEqual(table[1]!.map((c) => (/^[=+\-@]/.test(c) ? `'${c}` : c)));
  });
});

describe('npm run export -- decisions', () => {
  let storage: TestStorage;
  let repos: Repositories;
  let prefix: string;
  let dir: string;
  const clock = fixedClock('2026-05-20T12:00:00Z');

  const run = async (argv: string[], env: Record<string, string> = {}) => {
    let out = Buffer.alloc(0);
    let err = '';
    const code = await main(argv, {
      env: {
        AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
        TABLE_PREFIX: prefix,
        LOG_LEVEL: 'silent',
        ...env,
      },
      stdout: { write: (c: string | Uint8Array) => (out = Buffer.concat([out, Buffer.from(c)])) },
      stderr: { write: (c: string) => (err += c) },
      clock,
      cwd: dir,
    });
    return { code, out, stdout: out.toString('utf8'), stderr: err };
  };

  beforeAll(async () => {
    storage = await startTestStorage();
    const fresh = await storage.fresh();
    repos = fresh.repositories;
    prefix = fresh.prefix;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-export-'));
    await repos.decisions.createNumbered(
      base({ year: 2025, meeting: { name: 'Höstmöte', date: '2025-11-20' }, title: 'Förra året' }),
    );
    await repos.decisions.createNumbered(base({}));
    await repos.decisions.createNumbered(
      base({
        title: 'Ändrat och upphävt',
        meeting: { name: 'Styrgruppsmöte', date: '2026-04-02' },
        state: 'revoked',
        affectedTeams: ['trygghet'],
        followUp: undefined,
        history: [
          {
            at: '2026-04-03T07:00:00.000Z',
            by: 'Bertil Ek',
            change: 'amended',
            reason: 'Fel datum',
            previous: { title: 'Först', text: 'x', rationale: '' },
          },
          {
            at: '2026-04-10T14:30:00.000Z',
            by: 'Anna Styrgren',
            change: 'revoked',
            reason: 'Ersatt',
            previous: { title: 'Ändrat och upphävt', text: 'x', rationale: '' },
          },
        ],
      }),
    );
    await repos.decisions.createNumbered(
      base({ title: 'Efter perioden', meeting: { name: 'Sommarmöte', date: '2026-08-20' }, rationale: '' }),
    );
  });

  afterAll(async () => {
    await storage?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports a year as CSV that Swedish Excel opens: BOM, columns, characters, no formulas', async () => {
    const r = await run(['decisions', '--format', 'csv', '--year', '2026', '--out', 'diarium.csv']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Skrev 3 beslut (2026) till ${path.join(dir, 'diarium.csv')}.\n`);
    const { bom, rows } = readCsv(fs.readFileSync(path.join(dir, 'diarium.csv')));
    expect(bom).toBe(true);
    expect(rows[0]).toEqual([
      'Nummer',
      'Datum',
      'Möte',
      'Rubrik',
      'Beslut',
      'Motivering',
      'Berörda team',
      'Berörda åtgärder',
      'Uppföljning ansvarig',
      'Uppföljning datum',
      'Status',
      'Loggat av',
      'Loggat',
      'Ändringar',
      'Ersätter',
      'Ersatt av',
    ]);
    expect(rows.slice(1).map((r2) => r2[0])).toEqual(['D-2026-001', 'D-2026-002', 'D-2026-003']);
    expect(rows[1]).toEqual([
      'D-2026-001',
      '2026-03-10',
      'Styrgruppsmöte',
      'Bostäder vid Saltvik',
      'Styrgruppen beslutar; "förtur" för detaljplanen.\nAndra raden.',
      `'=HYPERLINK("http://evil","klicka")`,
      'Bostäder, Kompetensförsörjning',
      'BOS-03, KOM-01',
      'Karin Ås',
      '2026-04-15',
      'Gällande',
      'Anna Styrgren',
      '2026-03-10 10:15',
      '',
      '',
      '',
    ]);
    expect(rows[2]!.slice(10)).toEqual([
      'Upphävt',
      'Anna Styrgren',
      '2026-03-10 10:15',
      '2: ändrat 2026-04-03 09:00 av Bertil Ek (Fel datum); upphävt 2026-04-10 16:30 av Anna Styrgren (Ersatt)',
      '',
      '',
    ]);
  });

  it('exports a date range as XLSX that reads back with exceljs', async () => {
    const r = await run(['decisions', '--format=xlsx', '--from', '2025-06-01', '--to', '2026-06-30']);
    expect(r.code).toBe(0);
    const file = path.join(dir, 'exports', 'beslutslogg-2025-06-01_2026-06-30.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.getWorksheet('Beslut')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual([...EXPORT_COLUMNS]);
    expect(sheet.rowCount).toBe(4);
    expect(values(2).slice(0, 4)).toEqual(['D-2025-001', '2025-11-20', 'Höstmöte', 'Förra året']);
    expect(values(3)[4]).toBe('Styrgruppen beslutar; "förtur" för detaljplanen.\nAndra raden.');
    expect(values(3)[5]).toBe('=HYPERLINK("http://evil","klicka")'); // a text cell, not a formula
    expect(sheet.getRow(3).getCell(6).type).toBe(ExcelJS.ValueType.String);
    expect(values(4)[0]).toBe('D-2026-002'); // D-2026-003 met in August, after the period
  });

  it('writes CSV to standard output with --out -, and says so when the period is empty', async () => {
    const r = await run(['beslut', '--year', '2024', '--out', '-']);
    expect(r.code).toBe(0);
    expect([...r.out.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readCsv(r.out).rows).toHaveLength(1);
    const empty = await run(['decisions', '--year', '2024', '--lang', 'en']);
    expect(empty.stdout).toBe(
      `No decisions with a meeting date 2024; ${path.join(dir, 'exports', 'beslutslogg-2024.csv')} has the header row only.\n`,
    );
  });

  it('uses the running bot’s Azurite named in DATA_DIR/azurite.json', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-export-data-'));
    fs.writeFileSync(
      path.join(dataDir, 'azurite.json'),
      JSON.stringify({ port: storage.azurite.port, pid: process.pid, azuritePid: storage.azurite.pid }),
    );
    const r = await run(['decisions', '--out', 'nu.csv'], { AZURE_TABLES_CONNECTION_STRING: '', DATA_DIR: dataDir });
    expect(r.stderr).toBe(`Använder botens lagring (Azurite på port ${storage.azurite.port}).\n`);
    expect(r.code).toBe(0);
    expect(readCsv(fs.readFileSync(path.join(dir, 'nu.csv'))).rows.map((x) => x[0])).toEqual([
      'Nummer',
      'D-2026-001',
      'D-2026-002',
      'D-2026-003',
    ]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('explains usage mistakes with exit code 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['decisions', '--format', 'pdf'])).stderr).toContain('--format tar csv eller xlsx');
    expect((await run(['decisions', '--year', '2026', '--from', '2026-01-01'])).stderr).toContain(
      'antingen --year eller --from/--to',
    );
    expect((await run(['decisions', '--from', '2026-02-30'])).code).toBe(2);
    expect((await run(['decisions', '--from', '2000-01-01', '--to', '2026-01-01'])).stderr).toContain('högst 10 år');
    expect((await run(['--help'])).stdout).toContain('Användning: npm run export -- decisions');
  });

  it('reads periods as documented', () => {
    const args = (argv: string[]) => {
      const a = parseArgs(argv);
      if ('error' in a) throw new Error(a.error);
      return a;
    };
    expect(periodOf(args(['decisions']), '2026-05-20')).toEqual({
      from: '2026-01-01',
      to: '2026-12-31',
      label: '2026',
    });
    expect(periodOf(args(['decisions', '--from', '2026-01-01']), '2026-05-20')).toEqual({
      from: '2026-01-01',
      to: '2026-05-20',
      label: '2026-01-01_2026-05-20',
    });
    expect(periodOf(args(['decisions', '--to', '30/6 2026']), '2026-05-20')).toMatchObject({
      from: '2026-01-01',
      to: '2026-06-30',
    });
  });
});

describe('XLSX writer on its own', () => {
  it('keeps Swedish characters and line breaks', async () => {
    const buf = await toXlsx([['Rubrik'], ['Åtgärd för ökad trygghet\nrad två']]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getCell('A2').value).toBe('Åtgärd för ökad trygghet\nrad två');
  });
});

describe('retired actions in the export', () => {
  let storage: TestStorage;
  let repos: Repositories;
  let prefix: string;
  let dir: string;

  beforeAll(async () => {
    storage = await startTestStorage();
    const fresh = await storage.fresh();
    repos = fresh.repositories;
    prefix = fresh.prefix;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-export-retired-'));
    await repos.decisions.createNumbered(base({}));
    const action = (id: string, teamKey: string, retiredAt?: string) => ({
      programId: program.id,
      id,
      teamKey,
      title: `Insats ${id}`,
      description: '',
      owner: { name: 'Anna' },
      responsibleBody: '',
      financing: '',
      status: 'on_track' as const,
      progress: 0,
      indicatorIds: [],
      ...(retiredAt ? { retiredAt } : {}),
    });
    // Retired late on 4 May UTC: 5 May in Stockholm, the date the registry reads.
    await repos.actions.saveAll([
      action('BOS-03', 'bostader', '2026-05-04T22:30:00.000Z'),
      action('KOM-01', 'kompetensforsorjning'),
    ]);
  });

  afterAll(async () => {
    await storage?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a retired action among the decision’s affected actions, marked retired with the date (CSV through the CLI)', async () => {
    let err = '';
    const code = await main(['decisions', '--format', 'csv', '--year', '2026', '--out', 'diarium.csv'], {
      env: { AZURE_TABLES_CONNECTION_STRING: storage.connectionString, TABLE_PREFIX: prefix, LOG_LEVEL: 'silent' },
      stdout: { write: () => true },
      stderr: { write: (c: string) => (err += c) },
      clock: fixedClock('2026-05-20T12:00:00Z'),
      cwd: dir,
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    const { rows } = readCsv(fs.readFileSync(path.join(dir, 'diarium.csv')));
    expect(rows[1]![EXPORT_COLUMNS.indexOf('Berörda åtgärder')]).toBe('BOS-03 (avförd ur planen 2026-05-05), KOM-01');
  });

  it('leaves actions unmarked without retired ones', () => {
    const [d] = [{ ...base({}), number: 'D-2026-001', sequence: 1 }];
    expect(exportTable([d], program)[1]![EXPORT_COLUMNS.indexOf('Berörda åtgärder')]).toBe('BOS-03, KOM-01');
  });
});

describe('superseded decisions in the export', () => {
  it('names the replaced and the replacing decision in their columns and the replacement among the changes', () => {
    const base: Decision = {
      programId: program.id,
      number: 'D-2026-001',
      year: 2026,
      sequence: 1,
      title: 'Först',
      text: 'x',
      rationale: '',
      meeting: { name: 'Styrgruppsmöte', date: '2026-03-10' },
      affectedTeams: [],
      affectedActions: [],
      loggedBy: 'Anna Styrgren',
      loggedAt: '2026-03-10T09:15:00.000Z',
      state: 'superseded',
      supersededBy: 'D-2026-002',
      history: [
        {
          at: '2026-04-02T08:00:00.000Z',
          by: 'Bertil Ek',
          change: 'superseded',
          reason: '',
          supersededBy: 'D-2026-002',
          previous: { title: 'Först', text: 'x', rationale: '' },
        },
      ],
    };
    const later: Decision = {
      ...base,
      number: 'D-2026-002',
      sequence: 2,
      title: 'Sedan',
      state: 'active',
      supersedes: 'D-2026-001',
      supersededBy: undefined,
      history: [],
    };
    const rows = exportTable([base, later], program);
    const col = (name: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(name);
    expect([
      rows[1]![col('Status')],
      rows[1]![col('Ersätter')],
      rows[1]![col('Ersatt av')],
      rows[1]![col('Ändringar')],
    ]).toEqual(['Ersatt', '', 'D-2026-002', '1: ersatt 2026-04-02 10:00 av D-2026-002 (Bertil Ek)']);
    expect([rows[2]![col('Status')], rows[2]![col('Ersätter')], rows[2]![col('Ersatt av')]]).toEqual([
      'Gällande',
      'D-2026-001',
      '',
    ]);
  });
});

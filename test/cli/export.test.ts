/**
 * The export CLI's words and progress: Swedish by default (the program's language), English with
 * `--lang en` or an English program, a clean standard output with `--out -` (the summary goes to
 * stderr), and what a terminal and a log see while a large export is written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/export';
import { loadProgram } from '../../domain/program';
import { fixedClock } from '../../domain/time';
import type { Decision } from '../../domain/types';
import { startTestStorage, type TestStorage } from '../support/storage';
import { programFile, screen, sink } from './support';

const program = loadProgram();
const clock = fixedClock('2026-05-20T12:00:00Z');
let storage: TestStorage;
let prefix: string;
let dir: string;

const decision = (n: number): Omit<Decision, 'number' | 'sequence' | 'etag'> => ({
  programId: program.id,
  year: 2026,
  title: `Beslut ${n}`,
  text: 'Styrgruppen beslutar.',
  rationale: '',
  meeting: { name: 'Styrgruppsmöte', date: '2026-03-10' },
  affectedTeams: ['bostader'],
  affectedActions: [],
  loggedBy: 'Anna Styrgren',
  loggedAt: '2026-03-10T09:15:00.000Z',
  state: 'active',
  history: [],
});

beforeAll(async () => {
  storage = await startTestStorage();
  const fresh = await storage.fresh();
  prefix = fresh.prefix;
  for (let n = 1; n <= 3; n++) await fresh.repositories.decisions.createNumbered(decision(n));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-export-cli-'));
});

afterAll(async () => {
  await storage?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(
  argv: string[],
  options: { env?: Record<string, string>; ttyErr?: boolean; largeFrom?: number } = {},
) {
  const stdout = sink();
  const stderr = sink(options.ttyErr ?? false);
  const code = await main(argv, {
    env: {
      AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
      TABLE_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      ...options.env,
    },
    stdout,
    stderr,
    clock,
    cwd: dir,
    largeFrom: options.largeFrom,
  });
  return { code, out: stdout.text, err: stderr.text };
}

describe('export CLI language', () => {
  it('speaks Swedish by default and English with --lang en', async () => {
    const sv = await run(['decisions', '--out', 'a.csv']);
    expect([sv.code, sv.out, sv.err]).toEqual([0, `Skrev 3 beslut (2026) till ${path.join(dir, 'a.csv')}.\n`, '']);
    const en = await run(['decisions', '--out', 'a.csv', '--lang', 'en']);
    expect([en.code, en.out, en.err]).toEqual([0, `Wrote 3 decisions (2026) to ${path.join(dir, 'a.csv')}.\n`, '']);

    const svBad = await run(['decisions', '--year', 'nästa']);
    expect(svBad.code).toBe(2);
    expect(svBad.err.split('\n').slice(0, 2)).toEqual([
      '--year tar ett år som 2026, inte "nästa"',
      expect.stringMatching(/^Användning: npm run export/),
    ]);
    const enBad = await run(['--lang=en', 'decisions', '--year', 'next']);
    expect(enBad.code).toBe(2);
    expect(enBad.err.split('\n').slice(0, 2)).toEqual([
      '--year takes a year such as 2026, got "next"',
      expect.stringMatching(/^Usage: npm run export/),
    ]);
    expect((await run(['minutes'])).err.split('\n')[0]).toBe(
      'okänd export "minutes" (bara: decisions, plan, protocol)',
    );
    expect((await run(['decisions', 'extra', '--lang', 'en'])).err.split('\n')[0]).toBe('unexpected argument "extra"');
    // The plan is exported whole: a period is a mistake, said in the language asked for.
    const plan = await run(['plan', '--year', '2026', '--lang', 'en']);
    expect(plan.code).toBe(2);
    expect(plan.err).toBe('the plan is exported whole: --year, --from and --to are for decisions only\n');
  });

  it("speaks the program's language when --lang is not given", async () => {
    const env = { PROGRAM_FILE: programFile(dir, 'en-US') };
    const r = await run(['decisions', '--year', '2024'], { env });
    expect(r.out).toBe(
      `No decisions with a meeting date 2024; ${path.join(dir, 'exports', 'beslutslogg-2024.csv')} has the header row only.\n`,
    );
    expect((await run(['decisions', '--format', 'pdf'], { env })).err.split('\n')[0]).toBe(
      '--format takes csv or xlsx',
    );
    expect((await run(['decisions', '--year', '2024', '--lang', 'sv'], { env })).out).toMatch(
      /^Inga beslut med mötesdatum 2024; /,
    );
  });

  it('writes into exports/ under the working directory without --out, and only there', async () => {
    const here = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-export-default-'));
    try {
      const stdout = sink();
      const code = await main(['decisions', '--format', 'xlsx'], {
        env: { AZURE_TABLES_CONNECTION_STRING: storage.connectionString, TABLE_PREFIX: prefix, LOG_LEVEL: 'silent' },
        stdout,
        stderr: sink(),
        clock,
        cwd: here,
      });
      const file = path.join(here, 'exports', 'beslutslogg-2026.xlsx');
      expect([code, stdout.text]).toEqual([0, `Skrev 3 beslut (2026) till ${file}.\n`]);
      expect(fs.readdirSync(here)).toEqual(['exports']);
      expect(fs.readdirSync(path.join(here, 'exports'))).toEqual(['beslutslogg-2026.xlsx']);
      expect(fs.readFileSync(file).subarray(0, 2).toString()).toBe('PK');
    } finally {
      fs.rmSync(here, { recursive: true, force: true });
    }
  });

  it('keeps standard output for the data with --out -: the summary goes to stderr', async () => {
    const sv = await run(['decisions', '--out', '-']);
    expect(sv.code).toBe(0);
    expect(sv.out.startsWith('\uFEFFNummer;Datum;')).toBe(true);
    expect(sv.out.trimEnd().split('\r\n')).toHaveLength(4);
    expect(sv.err).toBe('Skrev 3 beslut (2026) till standard ut.\n');
    const en = await run(['decisions', '--out', '-', '--lang', 'en', '--year', '2024']);
    expect(en.out.trimEnd().split('\r\n')).toHaveLength(1);
    expect(en.err).toBe('No decisions with a meeting date 2024; standard output has the header row only.\n');
  });
});

describe('export CLI progress', () => {
  it('tells a log when a large export is being written, then sums up', async () => {
    const r = await run(['decisions', '--format', 'xlsx', '--out', 'stor.xlsx'], { largeFrom: 3 });
    expect(r.code).toBe(0);
    expect(r.err).toBe('stor.xlsx: skriver 3 beslut …\n');
    expect(r.out).toBe(`Skrev 3 beslut (2026) till ${path.join(dir, 'stor.xlsx')}.\n`);
    // Below the threshold a log hears only the summary.
    expect((await run(['decisions', '--out', 'liten.csv'], { largeFrom: 4 })).err).toBe('');
  });

  it('shows a terminal what it is doing and leaves only the summary', async () => {
    const r = await run(['decisions', '--out', '-', '--lang', 'en'], { ttyErr: true });
    expect(r.code).toBe(0);
    expect(r.err).toContain('\rReading decisions (2026) …\u001b[K');
    expect(r.err).toContain('\rstandard output: writing 3 decisions …\u001b[K');
    // The status line is wiped before the summary, so no part of it can show past the summary's end.
    expect(r.err.endsWith('\r\u001b[KWrote 3 decisions (2026) to standard output.\n')).toBe(true);
    expect(screen(r.err)).toBe('Wrote 3 decisions (2026) to standard output.\n');
  });
});

/**
 * The digest CLI's words and progress: Swedish by default (the program's language), English with
 * `--lang en` or an English program; a terminal sees a status line while the week is compiled,
 * and when the digest is redirected to a file by the shell it hears where it went.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/digest';
import { fixedClock } from '../../domain/time';
import { startTestStorage, type TestStorage } from '../support/storage';
import { programFile, screen, sink } from './support';

// Friday 27 November 2026, noon in Stockholm: week 48.
const clock = fixedClock('2026-11-27T11:00:00.000Z');
let storage: TestStorage;
let prefix: string;
let dir: string;

beforeAll(async () => {
  storage = await startTestStorage();
  prefix = (await storage.fresh()).prefix;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-digest-cli-'));
});

afterAll(async () => {
  await storage?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[], options: { env?: Record<string, string>; ttyOut?: boolean; ttyErr?: boolean } = {}) {
  const stdout = sink(options.ttyOut ?? false);
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
  });
  return { code, out: stdout.text, err: stderr.text };
}

describe('digest CLI language', () => {
  it('speaks Swedish by default and English with --lang en', async () => {
    const sv = await run(['--format', 'pdf']);
    expect(sv.code).toBe(2);
    expect(sv.err.split('\n').slice(0, 2)).toEqual([
      '--format tar md, html eller json',
      expect.stringMatching(/^Användning: npm run digest/),
    ]);
    const en = await run(['--format', 'pdf', '--lang', 'en']);
    expect(en.code).toBe(2);
    expect(en.err.split('\n').slice(0, 2)).toEqual([
      '--format takes md, html or json',
      expect.stringMatching(/^Usage: npm run digest/),
    ]);
    expect((await run(['--wek', '48'])).err.split('\n')[0]).toBe('okänt val --wek');
    expect((await run(['--lang', 'de'])).err.split('\n')[0]).toBe('--lang tar sv eller en');

    const written = await run(['--out', 'v48.md']);
    expect([written.code, written.err]).toEqual([0, 'Skrev vecka 48 2026 (md) till v48.md.\n']);
    expect(fs.readFileSync(path.join(dir, 'v48.md'), 'utf8')).toContain('vecka 48');
  });

  it("speaks the program's language when --lang is not given", async () => {
    const env = { PROGRAM_FILE: programFile(dir, 'en-US') };
    const r = await run(['--week', '2026-W48', '--out', 'w48.md'], { env });
    expect([r.code, r.err]).toEqual([0, 'Wrote week 48 2026 (md) to w48.md.\n']);
    expect(fs.readFileSync(path.join(dir, 'w48.md'), 'utf8')).toContain('week 48');
    expect((await run(['--out'], { env })).err.split('\n')[0]).toBe('--out needs a file name');
    expect((await run(['--lang', 'sv', '--out'], { env })).err.split('\n')[0]).toBe('--out behöver ett filnamn');
  });
});

describe('digest CLI progress', () => {
  it('shows a terminal that it is working, and says where a redirected digest went', async () => {
    const r = await run(['--week', '48'], { ttyErr: true });
    expect(r.code).toBe(0);
    expect(r.out).toContain('vecka 48');
    expect(r.err.startsWith('\rSammanställer vecka 48 2026 …\u001b[K')).toBe(true);
    expect(r.err.endsWith('\r\u001b[KSkrev vecka 48 2026 (md) till standard ut.\n')).toBe(true);
    expect(screen(r.err)).toBe('Skrev vecka 48 2026 (md) till standard ut.\n');
  });

  it('adds nothing to the digest on a terminal, and nothing to a log', async () => {
    const onScreen = await run(['--week', '48'], { ttyErr: true, ttyOut: true });
    expect(onScreen.code).toBe(0);
    expect(screen(onScreen.err)).toBe('');
    const piped = await run(['--week', '48', '--format', 'json']);
    expect(piped.err).toBe('');
    expect((JSON.parse(piped.out) as { week: string }).week).toBe('2026-W48');
  });
});

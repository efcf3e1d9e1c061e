/**
 * `npm run export -- protocol --meeting <date> --format html|md|pdf`: the meeting's protocol for
 * the registry in three formats with the same content; the PDF's text is read back with pdfjs-dist
 * and compared with the Markdown's, Swedish characters intact.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/export';
import { winAnsi } from '../../cli/protocol-pdf';
import { loadProgram } from '../../domain/program';
import { buildProtocol, protocolDocument, protocolText } from '../../domain/protocol';
import { fixedClock } from '../../domain/time';
import { protocolDecision, protocolMeeting } from '../support/protocol-fixtures';
import { startTestStorage, type TestStorage } from '../support/storage';
import { sink } from './support';

const program = loadProgram();
const clock = fixedClock('2026-03-11T12:00:00Z');
let storage: TestStorage;
let prefix: string;
let dir: string;

const draft = (n: number, extra: Parameters<typeof protocolDecision>[1] = {}) => {
  const { number: _n, sequence: _s, etag: _e, ...rest } = protocolDecision(n, extra);
  return rest;
};

beforeAll(async () => {
  storage = await startTestStorage();
  const fresh = await storage.fresh();
  prefix = fresh.prefix;
  await fresh.repositories.meetings.save(protocolMeeting());
  await fresh.repositories.decisions.createNumbered(
    draft(1, {
      title: 'Bostäder vid Saltvik – § 7 i planen',
      text: 'Styrgruppen beslutar att Härnösand säljs in: “Välkommen” – även för Örnsköldsvik. Emoji 🚀 och łódź.',
    }),
  );
  await fresh.repositories.decisions.createNumbered(
    draft(2, { followUp: { owner: 'Åsa Öberg', done: true }, rationale: '' }),
  );
  await fresh.repositories.decisions.createNumbered(draft(3, { meeting: { name: 'Nästa möte', date: '2026-03-24' } }));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-protocol-cli-'));
});

afterAll(async () => {
  await storage?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[]) {
  const stdout = sink();
  const stderr = sink();
  const code = await main(argv, {
    env: { AZURE_TABLES_CONNECTION_STRING: storage.connectionString, TABLE_PREFIX: prefix, LOG_LEVEL: 'silent' },
    stdout,
    stderr,
    clock,
    cwd: dir,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('export protocol', () => {
  it('writes Markdown with every decision of the date as § 1, § 2', async () => {
    const r = await run(['protocol', '--meeting', '2026-03-10', '--format', 'md']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('Protokollet för 2026-03-10 med 2 beslut är skrivet till');
    const md = fs.readFileSync(path.join(dir, 'exports', 'protokoll-2026-03-10.md'), 'utf8');
    expect(md).toContain('# Protokoll – Styrgruppsmöte 5 – Sälja Härnösand');
    expect(md).toContain('**Närvarande:** Anna Styrgren, Örjan Åberg');
    expect(md).toContain('## § 1 · D-2026-001 · Bostäder vid Saltvik – § 7 i planen');
    expect(md).toContain('## § 2 · D-2026-002 ·');
    expect(md).toContain('**Uppföljning:** Åsa Öberg (klar)');
    expect(md).not.toContain('D-2026-003');
  });

  it('writes inert HTML with the same content', async () => {
    const r = await run(['protocol', '--meeting=2026-03-10', '--format', 'html', '--out', 'p.html']);
    expect(r.code).toBe(0);
    const html = fs.readFileSync(path.join(dir, 'p.html'), 'utf8');
    expect(html).toContain('<h1>Protokoll – Styrgruppsmöte 5 – Sälja Härnösand</h1>');
    expect(html).toContain('&lt;b&gt;ingen tagg&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<b>|href=/i);
  });

  it("writes a PDF whose text is the Markdown's content, Swedish characters intact", async () => {
    const r = await run(['protocol', '--meeting', '2026-03-10', '--format', 'pdf', '--out', 'p.pdf', '--lang', 'sv']);
    expect(r.code).toBe(0);
    const pdf = fs.readFileSync(path.join(dir, 'p.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const printed = execFileSync(process.execPath, [path.join(__dirname, 'fixtures', 'pdf-text.mjs')], {
      input: pdf,
      cwd: path.resolve(__dirname, '..', '..'),
    }).toString('utf8');
    const out = JSON.parse(printed.trim().split('\n').pop()!) as { pages: number; title: string; lines: string[] };
    expect(out.title).toBe('Protokoll – Styrgruppsmöte 5 – Sälja Härnösand');
    const squash = (s: string) => s.replace(/\s+/g, '');
    const pdfText = squash(out.lines.join(''));

    // The reference: the same blocks the Markdown was written from.
    const stored = await (async () => {
      const { createRepositories } = await import('../../storage');
      const { TableStore } = await import('../../storage/table-store');
      const store = new TableStore({ connectionString: storage.connectionString, tablePrefix: prefix });
      const repos = createRepositories(store, program.timezone);
      const [meetings, decisions] = await Promise.all([
        repos.meetings.listDate(program.id, '2026-03-10'),
        repos.decisions.listYear(program.id, 2026),
      ]);
      store.close();
      return { meetings, decisions };
    })();
    const lines = protocolText(
      protocolDocument(buildProtocol({ program, date: '2026-03-10', ...stored }, 'sv-SE'), 'sv-SE'),
    );
    expect(lines.length).toBeGreaterThan(15);
    for (const line of lines) expect([line, pdfText.includes(squash(winAnsi(line)))]).toEqual([line, true]);
    // Swedish letters, §, the dash and the quotes came through as themselves; what WinAnsi lacks is `?`.
    for (const s of [
      'Härnösand',
      'Örjan Åberg',
      'Åsa Öberg',
      '§1·D-2026-001',
      '“Välkommen”–ävenförÖrnsköldsvik',
      'Emoji?och?ód?',
    ])
      expect([s, pdfText.includes(squash(s))]).toEqual([s, true]);
    expect(pdfText).not.toContain('D-2026-003');
  });

  it('refuses a missing or impossible date and an unknown format', async () => {
    expect((await run(['protocol', '--format', 'md'])).stderr).toContain('Ange mötets datum med --meeting');
    const bad = await run(['protocol', '--meeting', '2026-02-30', '--format', 'pdf']);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain('"2026-02-30" är inget datum som finns');
    expect((await run(['protocol', '--meeting', '2026-03-10', '--format', 'docx'])).stderr).toContain(
      '--format tar html, md eller pdf',
    );
    const empty = await run(['protocol', '--meeting', '2026-03-11', '--format', 'md', '--out', '-']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('Inga beslut loggades vid mötet 11 mars 2026.');
    expect(empty.stderr).toContain('Inga beslut är loggade för 2026-03-11');
  });
});

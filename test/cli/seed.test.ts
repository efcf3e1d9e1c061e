/** `npm run seed` on Azurite: the demo program lands once, in the right weeks, and a rerun adds nothing. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DEMO_DECISIONS, DEMO_PLAN, demoData } from '../../cli/demo-data';
import { main, seedDemo } from '../../cli/seed';
import { loadProgram } from '../../domain/program';
import { fixedClock, isoWeek } from '../../domain/time';
import type { StatusUpdate } from '../../domain/types';
import { startTestStorage, type TestStorage } from '../support/storage';
import { programFile } from './support';

const program = loadProgram();
// Friday 27 November 2026, 13:00 in Stockholm: week 48.
const clock = fixedClock('2026-11-27T12:00:00Z');
let storage: TestStorage;

beforeAll(async () => {
  storage = await startTestStorage();
});

afterAll(async () => {
  await storage?.stop();
});

function sink() {
  let text = '';
  return { write: (s: string) => (text += s), text: () => text };
}

describe('demo data', () => {
  const data = demoData(program, clock);

  it('has about five actions with Swedish titles for each of the nine teams', () => {
    expect(program.teams).toHaveLength(9);
    for (const team of program.teams) {
      const actions = data.actions.filter((a) => a.teamKey === team.key);
      expect(actions.length).toBeGreaterThanOrEqual(4);
      expect(actions.map((a) => a.id)).toEqual(actions.map((_, i) => `${team.actionPrefix}-0${i + 1}`));
    }
    expect(data.actions.find((a) => a.id === 'IND-02')?.title).toBe('Markförvärv för batterifabrikens etapp 2');
  });

  it("answers fall in the last four weeks, never after now, and end in the plan's status", () => {
    expect(data.weeks).toEqual(['2026-W45', '2026-W46', '2026-W47', '2026-W48']);
    const statusEvents = data.events.filter((e): e is typeof e & StatusUpdate => e.type === 'status');
    expect(statusEvents.length).toBeGreaterThan(60);
    for (const e of statusEvents) {
      expect(new Date(e.at).getTime()).toBeLessThanOrEqual(clock.now().getTime());
      expect(isoWeek(new Date(e.at), program.timezone)).toBe(e.checkInWeek);
    }
    for (const action of data.actions) {
      const last = statusEvents.filter((e) => e.actionId === action.id).at(-1);
      if (action.status === 'not_started') expect(last).toBeUndefined();
      else expect(last).toMatchObject({ status: action.status, progress: action.progress });
    }
    // The same clock gives the same data: seeding is repeatable.
    expect(demoData(program, clock)).toEqual(data);
  });
});

describe('seedDemo', () => {
  it('writes the plan, the answers and numbered decisions once; a second run changes nothing', async () => {
    const { repositories } = await storage.fresh();
    const first = await seedDemo(repositories, program, clock);
    const planned = Object.values(DEMO_PLAN).reduce((n, team) => n + team.length, 0);
    expect(first).toMatchObject({
      actionsCreated: planned,
      actionsExisting: 0,
      decisionsCreated: DEMO_DECISIONS.length,
      eventsExisting: 0,
    });

    const actions = await repositories.actions.listByTeam(program.id, 'bostader');
    expect(actions.map((a) => `${a.id} ${a.status}`).sort()).toEqual([
      'BOS-01 on_track',
      'BOS-02 on_track',
      'BOS-03 at_risk',
      'BOS-04 done',
      'BOS-05 not_started',
    ]);
    const decisions = await repositories.decisions.listYear(program.id, 2026);
    expect(decisions.map((d) => d.number).sort()).toEqual(['D-2026-001', 'D-2026-002', 'D-2026-003', 'D-2026-004']);
    expect(decisions.find((d) => d.number === 'D-2026-001')?.title).toBe(DEMO_DECISIONS[0]!.title);

    const week48 = await repositories.events.listWeek({ programId: program.id, week: '2026-W48' });
    expect(week48.filter((e) => e.type === 'status').length).toBeGreaterThan(10);
    expect(week48.filter((e) => e.type === 'decision')).toHaveLength(1);

    const second = await seedDemo(repositories, program, clock);
    expect(second).toMatchObject({
      actionsCreated: 0,
      actionsExisting: planned,
      decisionsCreated: 0,
      decisionsExisting: 4,
      eventsAppended: 0,
      eventsExisting: first.eventsAppended,
    });
    expect(await repositories.decisions.listYear(program.id, 2026)).toHaveLength(4);
  });
});

describe('npm run seed', () => {
  it("uses the running bot's Azurite named in DATA_DIR/azurite.json and prints a summary", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kraftsamla-seed-'));
    // The bot writes this file while it runs; a live pid (ours) makes the seed use that port.
    fs.writeFileSync(
      path.join(dataDir, 'azurite.json'),
      JSON.stringify({ port: storage.azurite.port, pid: process.pid }),
    );
    const env = { DATA_DIR: dataDir, TABLE_PREFIX: `s${randomBytes(4).toString('hex')}` };
    try {
      const out = sink();
      const err = sink();
      expect(await main([], { env, stdout: out, stderr: err, clock })).toBe(0);
      expect(err.text()).toContain(`Använder botens lagring (Azurite på port ${storage.azurite.port})`);
      expect(out.text()).toContain('Åtgärder: 45 nya, 0 fanns redan.');
      expect(out.text()).toContain('Beslut: 4 nya, 0 fanns redan.');

      const again = sink();
      expect(await main(['--lang', 'en'], { env, stdout: again, stderr: sink(), clock })).toBe(0);
      expect(again.text()).toContain('Actions: 0 new, 45 already there.');
      expect(again.text()).toContain('Decisions: 0 new, 4 already there.');
      // Nothing of Azurite's own went into the data folder: the bot's store was used.
      expect(fs.readdirSync(dataDir)).toEqual(['azurite.json']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('rejects unknown arguments with the usage and exit code 2', async () => {
    const err = sink();
    expect(await main(['--bogus'], { env: {}, stdout: sink(), stderr: err })).toBe(2);
    expect(err.text()).toContain('Användning: npm run seed');
    expect(err.text().split('\n')[0]).toBe('okänt val --bogus');
    const en = sink();
    expect(await main(['--bogus', '--lang=en'], { env: {}, stdout: sink(), stderr: en })).toBe(2);
    expect(en.text().split('\n').slice(0, 2)).toEqual([
      'unknown option --bogus',
      'Usage: npm run seed [-- --lang sv|en]',
    ]);
    const badLang = sink();
    expect(await main(['--lang', 'de'], { env: {}, stdout: sink(), stderr: badLang })).toBe(2);
    expect(badLang.text().split('\n')[0]).toBe('--lang tar sv eller en');
  });

  it("speaks the program's language by default, and Swedish when the configuration cannot be read", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kraftsamla-seed-'));
    try {
      const env = { PROGRAM_FILE: programFile(dir, 'en-US') };
      const help = sink();
      expect(await main(['--help'], { env, stdout: help, stderr: sink() })).toBe(0);
      expect(help.text()).toMatch(/^Usage: npm run seed/);
      // A configuration that cannot be read names no program: Swedish, unless --lang says otherwise.
      const bad = sink();
      expect(await main([], { env: { ...env, TABLE_PREFIX: '1bad' }, stdout: sink(), stderr: bad })).toBe(2);
      expect(bad.text().split('\n')[0]).toBe('Konfigurationen är inte giltig:');
      expect(bad.text()).toContain('  - TABLE_PREFIX');
      const enBad = sink();
      expect(
        await main(['--lang', 'en'], { env: { ...env, TABLE_PREFIX: '1bad' }, stdout: sink(), stderr: enBad }),
      ).toBe(2);
      expect(enBad.text().split('\n')[0]).toBe('Invalid configuration:');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

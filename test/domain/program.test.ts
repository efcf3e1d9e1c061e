import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationError } from '../../domain/errors';
import { findTeam, loadProgram, parseProgram, resolveChannelRole } from '../../domain/program';

describe('program definition', () => {
  it('loads the default program: Härnösand, nine teams, Swedish, Stockholm', () => {
    const p = loadProgram();
    expect(p.municipality).toBe('Härnösands kommun');
    expect(p.locale).toBe('sv-SE');
    expect(p.timezone).toBe('Europe/Stockholm');
    expect(p.teams.map((t) => t.key)).toEqual([
      'industrimark',
      'bostader',
      'utbildningar',
      'platsvarumarke',
      'kompetensforsorjning',
      'affarsstod',
      'infrastruktur',
      'finansiering',
      'trygghet',
    ]);
    expect(p.schedules).toEqual({
      checkIn: '0 9 * * 1',
      reminder: '0 9 * * 3',
      digest: '0 13 * * 5',
      brief: '30 7 * * 1',
      briefWeeks: 'even',
    });
  });

  it('gives a program file written before the brief its schedule: Monday 07:30 in even ISO weeks', () => {
    const good = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'program.default.json'), 'utf8'),
    );
    const older = parseProgram({
      ...good,
      schedules: { checkIn: '0 9 * * 1', reminder: '0 9 * * 3', digest: '0 13 * * 5' },
    });
    expect(older.schedules).toEqual({
      checkIn: '0 9 * * 1',
      reminder: '0 9 * * 3',
      digest: '0 13 * * 5',
      brief: '30 7 * * 1',
      briefWeeks: 'even',
    });
    expect(
      parseProgram({ ...good, schedules: { ...good.schedules, brief: '0 8 * * 3', briefWeeks: 'every' } }).schedules,
    ).toMatchObject({ brief: '0 8 * * 3', briefWeeks: 'every' });
    expect(() => parseProgram({ ...good, schedules: { ...good.schedules, brief: 'every other monday' } })).toThrow(
      /schedules\.brief/,
    );
    expect(() => parseProgram({ ...good, schedules: { ...good.schedules, briefWeeks: 'biweekly' } })).toThrow(
      /schedules\.briefWeeks/,
    );
  });

  it('merges steering members and admins from the environment', () => {
    const p = loadProgram(undefined, { steeringMembers: ['per@harnosand.se'], admins: ['admin@harnosand.se'] });
    expect(p.steeringMembers).toEqual(['per@harnosand.se']);
    expect(p.admins).toEqual(['admin@harnosand.se']);
  });

  it('names the bad field of a program file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-program-'));
    const file = path.join(dir, 'program.json');
    const good = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'program.default.json'), 'utf8'),
    );
    fs.writeFileSync(file, JSON.stringify({ ...good, schedules: { ...good.schedules, reminder: 'every wednesday' } }));
    expect(() => loadProgram(file)).toThrow(/schedules\.reminder/);
    fs.writeFileSync(file, JSON.stringify({ ...good, teams: [{ ...good.teams[0], key: 'Bad Key' }] }));
    expect(() => loadProgram(file)).toThrow(/teams\.0\.key/);
    fs.writeFileSync(file, JSON.stringify({ ...good, timezone: 'Mars/Olympus' }));
    expect(() => loadProgram(file)).toThrow(/timezone/);
    fs.writeFileSync(file, '{ not json');
    expect(() => loadProgram(file)).toThrow(/not valid JSON/);
    expect(() => loadProgram(path.join(dir, 'missing.json'))).toThrow(ValidationError);
  });

  it('rejects duplicate team keys and unknown fields', () => {
    const base = { id: 'x1', name: 'X', municipality: 'X', teams: [{ key: 'aa', name: 'A', actionPrefix: 'AA' }] };
    expect(() =>
      parseProgram({ ...base, teams: [...base.teams, { key: 'aa', name: 'B', actionPrefix: 'BB' }] }),
    ).toThrow(/teams\.1\.key: duplicate/);
    expect(() => parseProgram({ ...base, colour: 'red' })).toThrow(/colour/);
    expect(parseProgram(base).locale).toBe('sv-SE');
  });

  it('finds teams by key, name, alias, in any case and without Swedish letters', () => {
    const p = loadProgram();
    expect(findTeam(p, 'Bostäder')?.key).toBe('bostader');
    expect(findTeam(p, 'BOSTADER')?.key).toBe('bostader');
    expect(findTeam(p, 'housing')?.key).toBe('bostader');
    expect(findTeam(p, 'kompetensförsörjning')?.key).toBe('kompetensforsorjning');
    expect(findTeam(p, 'nothing')).toBeUndefined();
    expect(resolveChannelRole(p, 'Kommunikation')).toEqual({ kind: 'comms' });
    expect(resolveChannelRole(p, 'steering')).toEqual({ kind: 'steering' });
    expect(resolveChannelRole(p, 'trygghet')).toEqual({ kind: 'team', teamKey: 'trygghet' });
  });
});

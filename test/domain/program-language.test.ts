/**
 * A program file that cannot be used is explained in Swedish or English, with the JSON field's
 * path as written (`teams.1.key`). zod's own English messages never reach a person.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSetup, setupProblem } from '../../cli/common';
import { ValidationError } from '../../domain/errors';
import { describeProgramError, loadProgram, parseProgram } from '../../domain/program';

const base = { id: 'x1', name: 'X', municipality: 'X', teams: [{ key: 'aa', name: 'A', actionPrefix: 'AA' }] };

function failure(run: () => unknown): ValidationError {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('no ValidationError');
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-program-lang-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('program file errors in Swedish and English', () => {
  it('translates our own checks (cron, time zone, duplicates, key pattern) and keeps the paths', () => {
    const err = failure(() =>
      parseProgram(
        {
          ...base,
          timezone: 'Mars/Olympus',
          schedules: { checkIn: 'every monday', reminder: '0 9 * * 3', digest: '0 13 * * 5' },
          teams: [...base.teams, { key: 'aa', name: 'B', actionPrefix: 'b' }],
        },
        'program.json',
      ),
    );
    expect(describeProgramError(err, 'sv-SE')!.split('\n')).toEqual([
      'program.json: programdefinitionen är inte giltig',
      '  - timezone: ska vara en IANA-tidszon, t.ex. Europe/Stockholm',
      '  - schedules.checkIn: ska vara ett cron-uttryck med 5 fält, t.ex. "0 9 * * 1" (måndag 09:00)',
      '  - teams.1.actionPrefix: 2–5 versaler, t.ex. BOS',
      '  - teams.1.key: dubblett: key "aa" finns redan',
    ]);
    expect(describeProgramError(err, 'en-US')!.split('\n')).toEqual([
      'program.json: invalid program definition',
      '  - timezone: expected an IANA time zone such as Europe/Stockholm',
      '  - schedules.checkIn: expected a 5-field cron expression, e.g. "0 9 * * 1" (Monday 09:00)',
      '  - teams.1.actionPrefix: 2–5 capital letters, e.g. BOS',
      '  - teams.1.key: duplicate key "aa"',
    ]);
    // The details are kept: the source, the problems (in Swedish, the default) and the first field.
    expect(err.details.source).toBe('program.json');
    expect(err.details.field).toBe('timezone');
    expect(err.details.problems).toEqual(
      describeProgramError(err, 'sv-SE')!
        .split('\n')
        .slice(1)
        .map((l) => l.slice(4)),
    );
  });

  it("translates zod's own issues: types, enums, unknown fields, empty texts and lists", () => {
    const err = failure(() =>
      parseProgram({ ...base, name: 5, municipality: ' ', locale: 'fi-FI', colour: 'red', teams: [] }),
    );
    expect(describeProgramError(err, 'sv-SE')!.split('\n').slice(1)).toEqual([
      '  - name: ska vara en text, inte ett tal',
      '  - municipality: får inte vara tom',
      '  - locale: "fi-FI" är inte tillåtet; välj ett av: sv-SE, en-US',
      '  - teams: får inte vara tom',
      '  - (roten): okända fält: "colour"',
    ]);
    expect(describeProgramError(err, 'en-US')!.split('\n').slice(1)).toEqual([
      '  - name: expected a string, got a number',
      '  - municipality: must not be empty',
      '  - locale: "fi-FI" is not allowed; choose one of: sv-SE, en-US',
      '  - teams: must not be empty',
      '  - (root): unknown fields: "colour"',
    ]);
    expect(err.message).not.toMatch(/Expected string|Unrecognized key|Invalid enum value|String must contain/);
  });

  it('puts the English beside the Swedish in the message, where no language is known', () => {
    const err = failure(() =>
      parseProgram({ ...base, teams: [{ key: 'Bad Key', name: 'A', actionPrefix: 'AA' }] }, 'p.json'),
    );
    expect(err.message.split('\n')).toEqual([
      'p.json: programdefinitionen är inte giltig',
      '  - teams.0.key: små ASCII-bokstäver, siffror och bindestreck, 2–40 tecken',
      'p.json: invalid program definition',
      '  - teams.0.key: lower-case ASCII letters, digits and dashes, 2–40 characters',
    ]);
  });

  it('translates a file that is not JSON or cannot be read', () => {
    const file = path.join(dir, 'program.json');
    fs.writeFileSync(file, '{ not json');
    const notJson = failure(() => loadProgram(file));
    expect(describeProgramError(notJson, 'sv-SE')).toMatch(new RegExp(`^${escape(file)}: inte giltig JSON \\(.+\\)$`));
    expect(describeProgramError(notJson, 'en-US')).toMatch(new RegExp(`^${escape(file)}: not valid JSON \\(.+\\)$`));
    const missing = path.join(dir, 'missing.json');
    const unreadable = failure(() => loadProgram(missing));
    expect(describeProgramError(unreadable, 'sv-SE')).toMatch(
      new RegExp(`^${escape(missing)}: programfilen kan inte läsas \\(ENOENT`),
    );
    expect(describeProgramError(unreadable, 'en-US')).toMatch(
      new RegExp(`^${escape(missing)}: cannot read the program file \\(ENOENT`),
    );
    expect(unreadable.details.source).toBe(missing);
  });

  it('lets a CLI explain a bad program file in its language', () => {
    const file = path.join(dir, 'program.json');
    fs.writeFileSync(file, JSON.stringify({ ...base, timezone: 'Mars/Olympus' }));
    const setup = loadSetup({ PROGRAM_FILE: file }, dir);
    expect(setup.ok).toBe(false);
    if (setup.ok) return;
    expect(setupProblem(setup.error, 'sv-SE')).toEqual([
      `Programfilen kan inte användas: ${file}: programdefinitionen är inte giltig\n  - timezone: ska vara en IANA-tidszon, t.ex. Europe/Stockholm`,
    ]);
    expect(setupProblem(setup.error, 'en-US')).toEqual([
      `The program file cannot be used: ${file}: invalid program definition\n  - timezone: expected an IANA time zone such as Europe/Stockholm`,
    ]);
  });

  it('says nothing for an error that is not about a program file', () => {
    expect(describeProgramError(new ValidationError('other', { problem: 'x' }), 'sv-SE')).toBeUndefined();
    expect(describeProgramError(new Error('boom'), 'en-US')).toBeUndefined();
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

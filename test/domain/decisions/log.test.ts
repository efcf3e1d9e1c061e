/** The filter typed after `beslutslogg`: a team, a period, or both. */
import { problemText } from '../../../bot/errors';
import { parseDecisionFilter } from '../../../domain/decisions/log';
import { ValidationError } from '../../../domain/errors';
import { loadProgram } from '../../../domain/program';

const program = loadProgram();

describe('decision filters', () => {
  const parse = (args: string) => parseDecisionFilter(args, program, '2026-03-10');

  it('reads a team and a period in any order', () => {
    expect(parse('')).toEqual({ from: '2025-01-01', to: '2026-12-31', period: { kind: 'default' } });
    expect(parse('bostäder')).toMatchObject({ from: '2025-01-01', to: '2026-12-31', teamKey: 'bostader' });
    expect(parse('2024')).toEqual({ from: '2024-01-01', to: '2024-12-31', period: { kind: 'year', year: 2024 } });
    expect(parse('vecka 47')).toEqual({
      from: '2026-11-16',
      to: '2026-11-22',
      period: { kind: 'week', week: '2026-W47' },
    });
    expect(parse('v. 1 2027 trygghet')).toMatchObject({ from: '2027-01-04', to: '2027-01-10', teamKey: 'trygghet' });
    expect(parse('2026-W53')).toMatchObject({ from: '2026-12-28', to: '2027-01-03' });
    expect(parse('housing 2026-06-30..2026-01-01')).toEqual({
      from: '2026-01-01',
      to: '2026-06-30',
      teamKey: 'bostader',
      period: { kind: 'range' },
    });
    expect(parse('1/1/2026..31/3/2026')).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
  });

  it('refuses what it cannot read', () => {
    expect(() => parse('vecka 53 2025')).toThrow(ValidationError);
    expect(() => parse('2026-02-30..2026-03-01')).toThrow(ValidationError);
    expect(() => parse('fotboll')).toThrow(ValidationError);
    try {
      parse('fotboll');
    } catch (err) {
      expect(problemText(err as ValidationError, 'sv-SE')).toContain('Jag känner inte till "fotboll"');
    }
    expect(() => parse('2000-01-01..2026-01-01')).toThrow(ValidationError);
  });
});

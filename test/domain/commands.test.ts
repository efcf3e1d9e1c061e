import { cleanMessageText, parseCommand } from '../../domain/commands';

describe('commands', () => {
  it.each([
    ['hjälp', 'help', ''],
    ['HELP', 'help', ''],
    ['koppla bostäder', 'link', 'bostäder'],
    ['Link  Housing ', 'link', 'Housing'],
    ['åtgärder', 'actions', ''],
    ['actions', 'actions', ''],
    ['beslut: Vi bygger 200 bostäder', 'decision', 'Vi bygger 200 bostäder'],
    ['decision:Build', 'decision', 'Build'],
    ['beslutslogg bostäder', 'decisions', 'bostäder'],
    ['sammanfattning vecka 47', 'digest', 'vecka 47'],
    ['digest 2026-W47', 'digest', '2026-W47'],
    ['incheckning', 'checkin', ''],
    ['inför mötet', 'brief', ''],
    ['Inför  Mötet', 'brief', ''],
    ['infor motet:', 'brief', ''],
    ['inför mötet i morgon', 'brief', 'i morgon'],
    ['brief', 'brief', ''],
    ['BRIEF', 'brief', ''],
  ])('%p → %s(%p)', (text, name, args) => {
    expect(parseCommand(text)).toEqual({ name, args });
  });

  it('ignores unknown verbs and empty text', () => {
    expect(parseCommand('fika?')).toBeUndefined();
    expect(parseCommand('')).toBeUndefined();
    expect(parseCommand('   ')).toBeUndefined();
  });

  it('reads a two-word command only as a whole', () => {
    expect(parseCommand('inför')).toBeUndefined();
    expect(parseCommand('inför mötets agenda')).toBeUndefined();
    expect(parseCommand('mötet inför')).toBeUndefined();
  });

  it('cleans what Teams delivers: mentions, tags, entities, control characters', () => {
    expect(cleanMessageText('<at>Kraftsamla</at>&nbsp;koppla bostäder\u0007')).toBe('koppla bostäder');
    expect(parseCommand('<p><at>Kraftsamla</at> hjälp</p>')).toEqual({ name: 'help', args: '' });
  });
});

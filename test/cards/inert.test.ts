/** The one cleaning of typed text (domain/text.ts) and the one way to echo it inert. */
import { cleanText, inert, stripControl } from '../../domain/text';

describe('cleanText: invisible formatting characters', () => {
  it.each([
    ['zero-width space', '\u200b'],
    ['zero-width non-joiner', '\u200c'],
    ['a joiner between letters', '\u200d'],
    ['word joiner', '\u2060'],
    ['byte order mark', '\ufeff'],
    ['left-to-right mark', '\u200e'],
    ['right-to-left mark', '\u200f'],
    ['Arabic letter mark', '\u061c'],
    ['LRE', '\u202a'],
    ['RLE', '\u202b'],
    ['PDF', '\u202c'],
    ['LRO', '\u202d'],
    ['RLO', '\u202e'],
    ['LRI', '\u2066'],
    ['RLI', '\u2067'],
    ['FSI', '\u2068'],
    ['PDI', '\u2069'],
  ])('removes the %s', (_name, ch) => {
    expect(cleanText(`Be${ch}slut${ch}`)).toBe('Beslut');
    expect(stripControl(`a${ch}b`)).toBe('ab');
  });

  it('keeps Swedish letters, emoji and their joined sequences, and line breaks in multi-line text', () => {
    const text = 'Åtgärd för ÄLVÖN 🙂\nNästa steg: 👩\u200d💻 och 👨\u200d👩\u200d👧 och 👍🏽 och ❤\ufe0f\u200d🔥';
    expect(cleanText(text)).toBe(text);
  });

  it('removes a joiner that joins no emoji (before text, at the end, doubled)', () => {
    expect(cleanText('👩\u200dx \u200d👩 a\u200d\u200db')).toBe('👩x 👩 ab');
  });

  it('a bidi override that reverses what is read is gone', () => {
    expect(cleanText('Budget 100 \u202e000 1\u202c kr')).toBe('Budget 100 000 1 kr');
  });
});

describe('inert: an echo that Markdown and HTML leave as typed', () => {
  it('escapes links, mentions, HTML and emphasis (an entity such as &lt; only ever becomes text)', () => {
    expect(inert('[Logga in här](https://evil.example)')).toBe('\\[Logga in här\\]\\(https://evil.example\\)');
    expect(inert('<at>Anna</at> <a href="x">y</a>')).toBe('\\<at\\>Anna\\</at\\> \\<a href="x"\\>y\\</a\\>');
    expect(inert('**fet** _kursiv_ ~~bort~~ `kod` &lt; # rubrik')).toBe(
      '\\*\\*fet\\*\\* \\_kursiv\\_ \\~\\~bort\\~\\~ \\`kod\\` &lt; \\# rubrik',
    );
  });

  it('puts everything on one line, so no heading, list or quote can start', () => {
    expect(inert('a\n# rubrik\n> citat\n- punkt')).toBe('a \\# rubrik \\> citat - punkt');
    expect(inert('- punkt')).toBe('\\- punkt');
    expect(inert('12. punkt')).toBe('12\\. punkt');
  });

  it('cleans before escaping and cuts long text with an ellipsis', () => {
    expect(inert('fot\u0000bo\u200bll\u202e')).toBe('fotboll');
    expect(inert('å'.repeat(300), 60)).toBe(`${'å'.repeat(59)}…`);
  });
});

/** A Teams message as the start of a decision: its HTML taken out, its author and meeting read. */
import { formValuesFromMessage, htmlToText, messageText } from '../../../domain/decisions/message';
import { loadProgram } from '../../../domain/program';

const program = loadProgram();

describe('htmlToText', () => {
  it('keeps the words and the line breaks, drops every tag and decodes entities once', () => {
    expect(htmlToText('<p>Deploy to <strong>prod</strong> failed at 09:14 &mdash; see build 4711.</p>')).toBe(
      'Deploy to prod failed at 09:14 — see build 4711.',
    );
    expect(htmlToText('<div>Rad ett<br>rad två</div><div>Tre &amp; fyra</div>')).toBe('Rad ett\nrad två\nTre & fyra');
    expect(htmlToText('<ul><li>Ett</li><li>Två</li></ul>')).toBe('• Ett\n• Två');
    expect(htmlToText('&amp;lt;b&amp;gt; &#229;&#xE4;')).toBe('&lt;b&gt; åä');
    expect(htmlToText('<at id="0">Kraftsamla</at>&nbsp;hej')).toBe('Kraftsamla hej');
    expect(htmlToText('före<script>alert(1)</script><style>p{}</style> efter <img src=x onerror=alert(1)>')).toBe(
      'före efter',
    );
    expect(htmlToText('&unknown; &#0;')).toBe('&unknown; &#0;');
  });

  it('reads a text body as it is', () => {
    expect(messageText({ body: { contentType: 'text', content: 'a <b> c' } })).toBe('a <b> c');
    expect(messageText({})).toBe('');
  });
});

describe('formValuesFromMessage', () => {
  const message = {
    body: { contentType: 'html', content: '<p>Saltvik prioriteras. Detaljplanen tas fram.</p>' },
    author: 'Adele Vance',
    createdAt: '2026-03-08T23:30:00Z',
  };

  it('fills title, text and where it came from; today and the default meeting outside a meeting', () => {
    const v = formValuesFromMessage(message, program, '2026-03-10');
    expect(v).toMatchObject({
      title: 'Saltvik prioriteras.',
      text: 'Saltvik prioriteras. Detaljplanen tas fram.',
      rationale: 'Från ett meddelande av Adele Vance (9 mars 2026).',
      meetingName: 'Styrgruppsmöte',
      meetingDate: '2026-03-10',
      supersedes: '',
    });
  });

  it("in a meeting's chat: the meeting's name and the local day the message was written", () => {
    expect(formValuesFromMessage(message, program, '2026-03-10', { name: 'Styrgrupp v. 11' })).toMatchObject({
      meetingName: 'Styrgrupp v. 11',
      meetingDate: '2026-03-09',
    });
    expect(formValuesFromMessage(message, program, '2026-03-10', {})).toMatchObject({
      meetingName: 'Styrgruppsmöte',
      meetingDate: '2026-03-09',
    });
  });

  it('leaves the form empty but usable for a message without text or author', () => {
    expect(formValuesFromMessage({}, program, '2026-03-10')).toMatchObject({
      title: '',
      text: '',
      rationale: '',
      meetingDate: '2026-03-10',
    });
  });
});

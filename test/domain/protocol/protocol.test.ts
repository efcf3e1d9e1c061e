/** The protocol: which decisions belong to a meeting, § numbering, notes, and the Markdown and HTML renderings. */
import { loadProgram } from '../../../domain/program';
import {
  buildProtocol,
  protocolDocument,
  protocolHtml,
  protocolMarkdown,
  protocolText,
} from '../../../domain/protocol';
import { MEETING_ID, protocolDecision, protocolMeeting } from '../../support/protocol-fixtures';

const program = loadProgram();

describe('building the protocol', () => {
  it("numbers the meeting's decisions § 1, § 2 … in decision order, with teams, follow-up and notes", () => {
    const decisions = [
      protocolDecision(3, { supersedes: 'D-2026-001' }),
      protocolDecision(1, {
        state: 'revoked',
        supersededBy: 'D-2026-003',
        history: [
          {
            at: '2026-03-12T08:00:00.000Z',
            by: 'Anna',
            change: 'amended',
            previous: { title: 'x', text: 'y', rationale: '' },
            reason: 'Fel datum',
          },
          {
            at: '2026-03-20T08:00:00.000Z',
            by: 'Anna',
            change: 'revoked',
            previous: { title: 'x', text: 'y', rationale: '' },
            reason: 'Ersatt',
          },
        ],
      }),
      protocolDecision(2, { meeting: { name: 'Annat möte', date: '2026-03-10', id: 'another-meeting' } }),
      protocolDecision(4, { meeting: { name: 'Styrgruppsmöte', date: '2026-03-11' } }),
    ];
    const p = buildProtocol(
      { program, date: '2026-03-10', meetings: [protocolMeeting()], decisions, meeting: protocolMeeting() },
      'sv-SE',
    );
    expect(p.paragraphs.map((x) => [x.paragraph, x.number])).toEqual([
      [1, 'D-2026-001'],
      [2, 'D-2026-003'],
    ]);
    expect(p).toMatchObject({
      title: 'Styrgruppsmöte 5 – Sälja Härnösand',
      date: '2026-03-10',
      startTime: '10:02',
      endTime: '11:31',
      meetingIds: [MEETING_ID],
      participants: ['Anna Styrgren', 'Örjan Åberg'],
    });
    expect(p.paragraphs[0]!.teams).toEqual(['Bostäder', 'Industrimark']);
    expect(p.paragraphs[0]!.notes.map((n) => n.key)).toEqual([
      'protocol.note.amended',
      'protocol.note.revoked',
      'protocol.note.supersededBy',
    ]);
    expect(p.paragraphs[1]!.notes).toEqual([{ key: 'protocol.note.supersedes', params: { number: 'D-2026-001' } }]);

    // A date's protocol takes every decision of the date, whichever meeting.
    const day = buildProtocol({ program, date: '2026-03-10', meetings: [protocolMeeting()], decisions }, 'sv-SE');
    expect(day.paragraphs.map((x) => x.number)).toEqual(['D-2026-001', 'D-2026-002', 'D-2026-003']);
  });

  it("takes a decision without a meeting id when the meeting was the day's only one, and says so when nobody gave participants", () => {
    const plain = protocolDecision(1, { meeting: { name: 'Styrgruppsmöte', date: '2026-03-10' } });
    const m = protocolMeeting({ participants: undefined, participantsSource: undefined, endedAt: undefined });
    const p = buildProtocol({ program, date: '2026-03-10', meetings: [m], decisions: [plain], meeting: m }, 'sv-SE');
    expect(p.paragraphs).toHaveLength(1);
    expect(p.participants).toBeUndefined();
    expect(p.endTime).toBeUndefined();
    const two = buildProtocol(
      {
        program,
        date: '2026-03-10',
        meetings: [m, protocolMeeting({ id: 'b', title: 'Annat' })],
        decisions: [plain],
        meeting: m,
      },
      'sv-SE',
    );
    expect(two.paragraphs).toHaveLength(0);
    const text = protocolText(protocolDocument(p, 'sv-SE'));
    expect(text).toContain('Närvarande: Teams har inte lämnat någon deltagarlista.');
  });
});

describe('rendering', () => {
  const p = buildProtocol(
    {
      program,
      date: '2026-03-10',
      meetings: [protocolMeeting()],
      decisions: [protocolDecision(1), protocolDecision(2, { followUp: { owner: 'Olle', done: true } })],
      meeting: protocolMeeting(),
    },
    'sv-SE',
  );

  it('words the protocol in Swedish and in English', () => {
    const sv = protocolText(protocolDocument(p, 'sv-SE'));
    expect(sv.slice(0, 5)).toEqual([
      'Protokoll – Styrgruppsmöte 5 – Sälja Härnösand',
      'Datum: 10 mars 2026 (2026-03-10)',
      'Tid: 10:02–11:31',
      'Närvarande: Anna Styrgren, Örjan Åberg',
      'Antal beslut: 2',
    ]);
    expect(sv).toContain('§ 1 · D-2026-001 · Beslut 1: bostäder vid Saltvik');
    expect(sv).toContain('Uppföljning: Karin Ås, senast 2026-04-15');
    expect(sv).toContain('Uppföljning: Olle (klar)');
    expect(sv).toContain('Berörda team: Bostäder, Industrimark');
    const en = protocolText(protocolDocument(p, 'en-US'));
    expect(en[0]).toBe('Minutes – Styrgruppsmöte 5 – Sälja Härnösand');
    expect(en).toContain('Follow-up: Karin Ås, by 2026-04-15');
  });

  it('escapes user text in Markdown and HTML: nothing typed becomes markup', () => {
    const blocks = protocolDocument(p, 'sv-SE');
    const md = protocolMarkdown(blocks);
    expect(md).toContain('# Protokoll – Styrgruppsmöte 5 – Sälja Härnösand');
    expect(md).toContain(
      '## § 1 · D\\-2026\\-001 · Beslut 1: bostäder vid Saltvik'.replace('D\\-2026\\-001', 'D-2026-001'),
    );
    expect(md).toContain('\\*\\*inte fet\\*\\* &lt;b&gt;ingen tagg&lt;/b&gt;');
    const html = protocolHtml(blocks, 'sv-SE');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('**inte fet** &lt;b&gt;ingen tagg&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<a |href=|<b>/i);
    expect(html).toContain('<h2 id="D-2026-001">§ 1 · D-2026-001 · Beslut 1: bostäder vid Saltvik</h2>');
  });
});

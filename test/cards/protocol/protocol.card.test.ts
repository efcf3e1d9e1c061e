/** The protocol card validates as Adaptive Card 1.5, shows what the exports show, and stays within a message. */
import { cardBytes, MAX_CARD_BYTES } from '../../../cards/card';
import { protocolCard } from '../../../cards/protocol/protocol.card';
import { validateCard } from '../../../cards/validate';
import { loadProgram } from '../../../domain/program';
import { buildProtocol, protocolDocument, protocolText } from '../../../domain/protocol';
import type { Locale } from '../../../domain/types';
import { protocolDecision, protocolMeeting } from '../../support/protocol-fixtures';

const program = loadProgram();

describe.each<Locale>(['sv-SE', 'en-US'])('protocol card in %s', (locale) => {
  it('validates and carries every line of the document, user text as literal runs', () => {
    const p = buildProtocol(
      {
        program,
        date: '2026-03-10',
        meetings: [protocolMeeting()],
        decisions: [protocolDecision(1), protocolDecision(2)],
        meeting: protocolMeeting(),
      },
      locale,
    );
    const blocks = protocolDocument(p, locale);
    const c = protocolCard(blocks, locale);
    expect(validateCard(c)).toEqual([]);
    const s = JSON.stringify(c);
    for (const b of blocks) {
      if (b.kind === 'field') {
        expect(s).toContain(JSON.stringify(`${b.label}: `));
        expect(s).toContain(JSON.stringify(b.value));
      } else expect(s).toContain(JSON.stringify(b.text));
    }
    expect(s).toContain(
      '"type":"TextRun","text":"Styrgruppen beslutar att detaljplanen för Saltvik ges förtur; **inte fet** <b>ingen tagg</b>."',
    );
    expect(protocolText(blocks).length).toBeGreaterThan(10);
  });

  it('an empty meeting says so; a very long one is cut to fit a message', () => {
    const empty = protocolCard(
      protocolDocument(buildProtocol({ program, date: '2026-03-10', meetings: [], decisions: [] }, locale), locale),
      locale,
    );
    expect(validateCard(empty)).toEqual([]);
    const long = Array.from({ length: 25 }, (_, i) =>
      protocolDecision(i + 1, { text: 'Lång text om bostäder. '.repeat(170) }),
    );
    const c = protocolCard(
      protocolDocument(
        buildProtocol({ program, date: '2026-03-10', meetings: [protocolMeeting()], decisions: long }, locale),
        locale,
      ),
      locale,
    );
    expect(validateCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(JSON.stringify(c)).toContain('§ 25 · D-2026-025');
  });
});

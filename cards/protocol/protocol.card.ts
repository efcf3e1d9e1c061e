/**
 * The protocol of a steering meeting as a card: the same blocks as the exported files (meeting,
 * date, who took part, § 1, § 2 …), all user text as literal text runs. A protocol too large for
 * one card is shortened at the decisions' texts; the exports always carry everything.
 */
import { t } from '../../domain/i18n';
import type { ProtocolBlock } from '../../domain/protocol';
import { stripControl } from '../../domain/text';
import type { Locale } from '../../domain/types';
import {
  type AdaptiveCard,
  type CardElement,
  MAX_CARD_BYTES,
  card,
  cardBytes,
  container,
  heading,
  literal,
} from '../card';

function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

const labelled = (label: string, value: string): CardElement => ({
  type: 'RichTextBlock',
  spacing: 'None',
  inlines: [
    { type: 'TextRun', text: `${stripControl(label)}: `, weight: 'Bolder' },
    { type: 'TextRun', text: stripControl(value) },
  ],
});

/** How far a card is shortened: decision texts cut to `textMax`; from `brief` on, only headings, teams, follow-up, state and notes. */
interface Cut {
  textMax: number;
  brief: boolean;
}

function build(blocks: readonly ProtocolBlock[], cut: Cut, locale: Locale): AdaptiveCard {
  const body: CardElement[] = [];
  let section: CardElement[] = body;
  let inParagraph = false;
  const rationale = t(locale, 'protocol.field.rationale');
  const actions = t(locale, 'protocol.field.actions');
  for (const b of blocks) {
    if (
      cut.brief &&
      inParagraph &&
      (b.kind === 'text' || (b.kind === 'field' && (b.label === rationale || b.label === actions)))
    )
      continue;
    switch (b.kind) {
      case 'title':
        body.push(heading(stripControl(b.text)));
        break;
      case 'paragraph': {
        const items: CardElement[] = [literal(b.text, {}, { weight: 'Bolder', size: 'Medium' })];
        body.push(container(items, { separator: true, spacing: 'Medium' }));
        section = items;
        inParagraph = true;
        break;
      }
      case 'field':
        section.push(labelled(b.label, b.value));
        break;
      case 'text':
        section.push(literal(clip(b.text, cut.textMax), { spacing: 'Small' }));
        break;
      case 'note':
        section.push(literal(b.text, { spacing: 'Small' }, { italic: true, isSubtle: true }));
        break;
      case 'remark':
        section.push(literal(b.text, { spacing: 'Medium' }));
        break;
    }
  }
  if (cut.textMax < FULL_TEXT || cut.brief)
    body.push(
      literal(
        t(locale, 'protocol.shortened'),
        { spacing: 'Large', separator: true },
        { isSubtle: true, size: 'Small' },
      ),
    );
  return card(body, [], { fallbackText: blocks.find((b) => b.kind === 'title')?.text ?? '' });
}

const FULL_TEXT = 4000;

export function protocolCard(blocks: readonly ProtocolBlock[], locale: Locale): AdaptiveCard {
  let cut: Cut = { textMax: FULL_TEXT, brief: false };
  let c = build(blocks, cut, locale);
  // Many long decisions: shorten their texts until the card fits in one message, then keep only the essentials.
  while (cardBytes(c) > MAX_CARD_BYTES && !cut.brief) {
    cut = cut.textMax > 60 ? { textMax: Math.floor(cut.textMax / 2), brief: false } : { textMax: 0, brief: true };
    c = build(blocks, cut, locale);
  }
  return c;
}

/** The words that go with the card in the message (its summary in notifications). */
export const protocolSummary = (locale: Locale, meeting: string) => t(locale, 'protocol.title', { meeting });

/**
 * The meeting protocol as PDF for the registry (diarium), with pdfkit: A4, the standard
 * Helvetica fonts, the same blocks as the card and the other exports. The standard fonts encode
 * WinAnsi (Windows-1252), which holds Swedish (å ä ö, é, §, –, …); a character outside it is
 * written as `?` rather than as a wrong glyph.
 */
import PDFDocument from 'pdfkit';
import type { ProtocolBlock } from '../domain/protocol';

/** The characters Windows-1252 adds in 0x80–0x9F, beyond Latin-1. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Text the standard fonts can write: WinAnsi kept, control characters out, anything else `?`. */
export function winAnsi(value: string): string {
  let out = '';
  for (const c of value.normalize('NFC')) {
    const code = c.codePointAt(0)!;
    if (c === '\n') out += c;
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0 && !WIN_ANSI_EXTRA.has(c))) out += ' ';
    else if (code <= 0xff || WIN_ANSI_EXTRA.has(c)) out += c;
    else out += '?';
  }
  return out;
}

export async function protocolPdf(
  blocks: readonly ProtocolBlock[],
  meta: { title: string; created?: Date; language?: string },
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 62, right: 62 },
    info: {
      Title: winAnsi(meta.title),
      Creator: 'Kraftsamla',
      Producer: 'Kraftsamla',
      ...(meta.created ? { CreationDate: meta.created, ModDate: meta.created } : {}),
    },
    lang: meta.language,
    bufferPages: false,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        doc.font('Helvetica-Bold').fontSize(17).text(winAnsi(b.text));
        doc.moveDown(0.6);
        break;
      case 'paragraph':
        doc.moveDown(0.8);
        doc.font('Helvetica-Bold').fontSize(12.5).text(winAnsi(b.text));
        doc.moveDown(0.2);
        break;
      case 'field':
        doc
          .font('Helvetica-Bold')
          .fontSize(10)
          .text(`${winAnsi(b.label)}: `, { continued: true });
        doc.font('Helvetica').text(winAnsi(b.value));
        break;
      case 'text':
        doc.font('Helvetica').fontSize(10.5).text(winAnsi(b.text));
        doc.moveDown(0.3);
        break;
      case 'note':
        doc.font('Helvetica-Oblique').fontSize(10).text(winAnsi(b.text));
        break;
      case 'remark':
        doc.moveDown(0.5);
        doc.font('Helvetica').fontSize(10.5).text(winAnsi(b.text));
        break;
    }
  }
  doc.end();
  return done;
}

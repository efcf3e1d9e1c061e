/**
 * The protocol after a steering meeting, the public face of `domain/protocol/`:
 * - `protocol.ts`: which decisions belong to a meeting or a date, numbered § 1, § 2 …;
 * - `document.ts`: the protocol as blocks of words, and those blocks as Markdown and HTML (the
 *   card and the PDF render the same blocks).
 */
export {
  belongsTo,
  buildProtocol,
  loadProtocol,
  type Protocol,
  type ProtocolNote,
  type ProtocolParagraph,
} from './protocol';
export {
  protocolDocument,
  protocolHtml,
  protocolHtmlBody,
  protocolMarkdown,
  protocolText,
  type ProtocolBlock,
} from './document';

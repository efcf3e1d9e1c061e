/** Cleaning text that people type, before it is stored or shown, and making an echo of it inert. */

// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Characters that change how text looks or reads without being seen: zero-width space and
 * non-joiner, word joiner, byte order mark, and the bidirectional marks, embeddings, overrides
 * and isolates (LRM, RLM, ALM, LRE…RLO, LRI…PDI). They can hide or reorder what a decision or an
 * export says ("Trojan Source"), so they are removed. No Swedish or English text needs them.
 */
const INVISIBLE = /[\u200b\u200c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u061c]/g;

/**
 * The zero-width joiner is kept only between two emoji (after an optional variation selector or
 * skin tone), where it joins a sequence such as 👩‍💻 or 👨‍👩‍👧; anywhere else it is removed.
 */
const STRAY_JOINER =
  /(?<!\p{Extended_Pictographic}(?:\u{fe0f}|[\u{1f3fb}-\u{1f3ff}])?)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;

/** Removes invisible formatting characters (see INVISIBLE) and joiners outside emoji sequences. */
export function stripInvisible(value: string): string {
  return value.replace(INVISIBLE, '').replace(STRAY_JOINER, '');
}

/** Removes control and invisible formatting characters; keeps tab, line feed and carriage return. */
export function stripControl(value: string): string {
  return stripInvisible(value.replace(CONTROL, ''));
}

/** Strips control characters, normalises line ends and trims; for any free-text field. */
export function cleanText(value: string): string {
  return stripControl(value.replace(/\r\n?/g, '\n')).trim();
}

/**
 * User text made inert for a place that renders Markdown (a message's text, a TextBlock, a
 * FactSet value): cleaned, on one line (no headings, lists or quotes), at most `max` characters,
 * and every character Markdown or HTML gives a meaning backslash-escaped, so `[a](https://…)`,
 * `<at>…</at>`, `<a href>` and `**x**` show as typed, never as a link, mention or markup in
 * the bot's voice. Teams does not turn a bare URL in a bot's message into a link. Where a card can
 * hold the text in a TextRun (`literal()` in cards/card.ts), that needs no escaping at all.
 */
export function inert(value: string, max = 200): string {
  const line = cleanText(value).replace(/\s+/g, ' ');
  const short =
    line.length > max
      ? stripInvisible(
          `${[...line]
            .slice(0, max - 1)
            .join('')
            .trimEnd()}…`,
        )
      : line;
  return short
    .replace(/[\\`*_[\]()#~<>]/g, '\\$&')
    .replace(/^([-+])/, '\\$1')
    .replace(/^(\d+)\./, '$1\\.');
}

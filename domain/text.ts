/** Cleaning text that people type, before it is stored or shown. */

// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Removes control characters; keeps tab, line feed and carriage return. */
export function stripControl(value: string): string {
  return value.replace(CONTROL, '');
}

/** Strips control characters, normalises line ends and trims; for any free-text field. */
export function cleanText(value: string): string {
  return stripControl(value.replace(/\r\n?/g, '\n')).trim();
}

/**
 * The app's two icons, read with pngjs: the colour icon must be 192×192 pixels, the outline
 * icon 32×32 and white on a transparent background (Teams tints the outline icon; any other
 * colour shows up as a smudge).
 */
import { PNG } from 'pngjs';
import { type Params, t, type TextKey } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import { API_LOCALE } from './common';

export const ICON_SIZES = Object.freeze({ color: 192, outline: 32 });

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG we cannot read; the message is English, `describe` gives it in any language. */
export class PngError extends Error {
  constructor(
    readonly key: TextKey,
    readonly params: Params = {},
  ) {
    super(t(API_LOCALE, key, params));
    this.name = 'PngError';
  }

  describe(locale: Locale): string {
    return t(locale, this.key, this.params);
  }
}

export interface DecodedPng {
  width: number;
  height: number;
  /** Four bytes a pixel, row by row: red, green, blue, alpha (0 is transparent). */
  rgba: Buffer;
}

/**
 * Decodes any PNG into 8-bit RGBA. A file that does not start as a PNG does (the signature, then
 * the IHDR chunk) is not one; anything pngjs cannot unpack after that is bad image data, with
 * pngjs's words as the reason. Checksums are not checked: the pixels are what Teams shows.
 */
export function decodePngRgba(buf: Buffer): DecodedPng {
  if (buf.length < 33 || !buf.subarray(0, 8).equals(PNG_SIGNATURE) || buf.toString('ascii', 12, 16) !== 'IHDR') {
    throw new PngError('cli.package.png.notPng');
  }
  let png;
  try {
    png = PNG.sync.read(buf, { checkCRC: false });
  } catch (err) {
    throw new PngError('cli.package.png.badData', { reason: err instanceof Error ? err.message : String(err) });
  }
  return { width: png.width, height: png.height, rgba: png.data };
}

/** Problems with one icon: its pixel size, and for the outline icon white on transparent. */
export function checkIcon(
  kind: 'color' | 'outline',
  fileName: string,
  png: Buffer,
  locale: Locale = API_LOCALE,
): string[] {
  let image: DecodedPng;
  try {
    image = decodePngRgba(png);
  } catch (err) {
    return [`${fileName}: ${err instanceof PngError ? err.describe(locale) : (err as Error).message}`];
  }
  const size = ICON_SIZES[kind];
  if (image.width !== size || image.height !== size) {
    const icon = t(locale, kind === 'color' ? 'cli.package.icon.color' : 'cli.package.icon.outline');
    return [
      t(locale, 'cli.package.icon.size', { file: fileName, icon, size, width: image.width, height: image.height }),
    ];
  }
  if (kind === 'color') return [];
  const { rgba } = image;
  let transparent = 0;
  let coloured = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = rgba[i + 3];
    if (alpha === 0) transparent++;
    // Faint edge pixels may carry any colour; the visible ones must be white.
    else if (alpha >= 16 && Math.min(rgba[i], rgba[i + 1], rgba[i + 2]) < 235) coloured++;
  }
  const problems: string[] = [];
  if (transparent === 0) problems.push(t(locale, 'cli.package.icon.notTransparent', { file: fileName }));
  if (coloured > 0) problems.push(t(locale, 'cli.package.icon.notWhite', { file: fileName, count: coloured }));
  if (transparent === size * size) problems.push(t(locale, 'cli.package.icon.empty', { file: fileName }));
  return problems;
}

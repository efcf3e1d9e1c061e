/**
 * Texts of the command-line tools, one file per tool (./import.ts, ./export.ts, ./package.ts …)
 * and ./common.ts for what they share, merged here into the one table domain/i18n reads.
 * A usage text is one multi-line string.
 */
import * as commonTexts from './common';
import * as importTexts from './import';
import * as exportTexts from './export';
import * as digestTexts from './digest';
import * as seedTexts from './seed';
import * as backupTexts from './backup';
import * as packageTexts from './package';
import * as devTexts from './dev';

export const sv = {
  ...commonTexts.sv,
  ...importTexts.sv,
  ...exportTexts.sv,
  ...digestTexts.sv,
  ...seedTexts.sv,
  ...backupTexts.sv,
  ...packageTexts.sv,
  ...devTexts.sv,
} as const;

export type CliKey = keyof typeof sv;

export const en: Record<CliKey, string> = {
  ...commonTexts.en,
  ...importTexts.en,
  ...exportTexts.en,
  ...digestTexts.en,
  ...seedTexts.en,
  ...backupTexts.en,
  ...packageTexts.en,
  ...devTexts.en,
};

/**
 * `npm run digest -- [--week 2026-W48] [--format md|html|json] [--out file] [--lang sv|en] [--group team|goal] [--no-ai]`
 *
 * Writes the weekly digest for publishing: Markdown for the newsletter, standalone HTML for the
 * intranet, JSON for other tools. The same digest the bot posts (domain/digest/digest.ts). Exit code 0
 * on success, 1 when the store cannot be read or the file cannot be written, 2 for usage
 * mistakes (including weeks that do not exist or have not started).
 *
 * Storage: the configured connection string; otherwise the bot's embedded Azurite if it is
 * running (`DATA_DIR/azurite.json` names a live process), else an embedded Azurite of our own on
 * the same data folder, stopped when we are done.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config/config';
import {
  buildDigest,
  type DigestFormat,
  type DigestGrouping,
  parseWeekRequest,
  renderDigest,
  type SummaryWriter,
  weekProblem,
} from '../domain/digest';
import { formatWeek, t, type TextKey } from '../domain/i18n';
import type { Logger } from '../domain/ports';
import { type Clock, systemClock } from '../domain/time';
import type { Locale } from '../domain/types';
import { type CliSpec, HELP_OPTION, LANG_OPTION, nonEmpty, oneOf, readArgs } from './args';
import { fileReason, readySetup, runMain, startCli, withReadStore } from './common';
import type { OutStream } from './progress';

export interface DigestCliIo {
  /** Environment (as from `.env` + the process); default: `readEnvironment(cwd)`. */
  env?: Record<string, string | undefined>;
  stdout?: OutStream;
  stderr?: OutStream;
  clock?: Clock;
  /** Relative paths are resolved against this; default: the process's working directory. */
  cwd?: string;
  /** Replaces the configured model writer (tests). */
  summaryWriter?: SummaryWriter;
  logger?: Logger;
}

interface Args {
  week?: string;
  format: DigestFormat;
  out?: string;
  lang?: Locale;
  ai: boolean;
  help: boolean;
  groupBy?: DigestGrouping;
}

/** The options of `npm run digest`; it takes no positional argument. */
const DIGEST_ARGS = {
  options: {
    help: HELP_OPTION,
    week: { type: 'string', short: 'w', read: nonEmpty((locale) => t(locale, 'cli.digest.weekNeedsValue')) },
    format: {
      type: 'string',
      short: 'f',
      read: oneOf(['md', 'html', 'json'], (locale) => t(locale, 'cli.digest.formatInvalid'), { markdown: 'md' }),
    },
    out: { type: 'string', short: 'o', read: nonEmpty((locale) => t(locale, 'cli.digest.outNeedsName')) },
    lang: LANG_OPTION,
    'no-ai': { type: 'boolean' },
    group: { type: 'string', read: oneOf(['team', 'goal'], (locale) => t(locale, 'digest.cli.groupInvalid')) },
  },
} as const satisfies CliSpec;

/** Reads the arguments; a mistake comes back as a message in `locale`. */
export function parseArgs(argv: readonly string[], locale: Locale = 'sv-SE'): Args | { error: string } {
  const read = readArgs(DIGEST_ARGS, argv, locale);
  if ('error' in read) return read;
  const { values } = read;
  return {
    week: values.week,
    format: values.format ?? 'md',
    out: values.out,
    lang: values.lang,
    ai: values['no-ai'] !== true,
    help: values.help === true,
    groupBy: values.group,
  };
}

const USAGE: TextKey[] = [
  'digest.cli.usage',
  'digest.cli.usageWeek',
  'digest.cli.usageFormat',
  'digest.cli.usageOut',
  'digest.cli.usageLang',
  'digest.cli.usageGroup',
  'digest.cli.usageAi',
];

/** The model writer when one is configured; teams-ai is only loaded then. */
async function configuredWriter(config: Config): Promise<SummaryWriter | undefined> {
  const ai = config.ai;
  if (!ai.openAiKey && !ai.openAiBaseUrl && !(ai.azureKey && ai.azureEndpoint && ai.azureDeployment)) return undefined;
  const { createSummaryWriter } = await import('../bot/ai-summary');
  return createSummaryWriter(ai);
}

/** Writes the digest; returns the exit code (never calls `process.exit`). */
export async function main(argv: readonly string[], io: DigestCliIo = {}): Promise<number> {
  const start = startCli(argv, io, (l) => USAGE.map((k) => t(l, k)).join('\n'), parseArgs);
  if ('exit' in start) return start.exit;
  const { stdout, stderr, err, cwd, locale, args } = start;
  const clock = io.clock ?? systemClock;
  const ready = readySetup(start);
  if ('exit' in ready) return ready.exit;
  const { config, program } = ready;
  const request = parseWeekRequest(args.week ?? '', clock.now(), program.timezone);
  if (!request.ok) {
    err(weekProblem(request, locale));
    return 2;
  }
  const week = request.week;
  const weekText = formatWeek(locale, week, true);

  // Reading the week and (with a model) writing its summary take a moment that cannot be
  // measured: a terminal sees a status line, wiped before the result.
  const result = await withReadStore(
    { config, timeZone: program.timezone, locale, err, stderr },
    async (repositories, status) => {
      status.show(t(locale, 'cli.digest.working', { week: weekText }));
      const writer = args.ai ? (io.summaryWriter ?? (await configuredWriter(config))) : undefined;
      const digest = await buildDigest(repositories, program, {
        week,
        now: clock.now(),
        locale,
        writer,
        logger: io.logger,
        groupBy: args.groupBy,
      });
      return renderDigest(digest, locale, args.format);
    },
  );
  if (!result) return 1;
  const output = result.value;

  if (!args.out) {
    stdout.write(output);
    // Redirected to a file by the shell while a person watches: say what went there, on stderr.
    if (stderr.isTTY && !stdout.isTTY)
      err(t(locale, 'digest.cli.written', { week: weekText, format: args.format, file: t(locale, 'cli.stdout') }));
    return 0;
  }
  const file = path.resolve(cwd, args.out);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, output, 'utf8');
  } catch (e) {
    err(t(locale, 'digest.cli.cannotWrite', { file: args.out, reason: fileReason(e) }));
    return 1;
  }
  err(t(locale, 'digest.cli.written', { week: weekText, format: args.format, file: args.out }));
  return 0;
}

if (require.main === module) runMain(main);

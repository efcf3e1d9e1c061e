/**
 * `npm run digest -- [--week 2026-W48] [--format md|html|json] [--out file] [--lang sv|en] [--no-ai]`
 *
 * Writes the weekly digest for publishing: Markdown for the newsletter, standalone HTML for the
 * intranet, JSON for other tools. The same digest the bot posts (domain/digest.ts). Exit code 0
 * on success, 1 when the store cannot be read or the file cannot be written, 2 for usage
 * mistakes (including weeks that do not exist or have not started).
 *
 * Storage: the configured connection string; otherwise the bot's embedded Azurite if it is
 * running (`DATA_DIR/azurite.json` names a live process), else an embedded Azurite of our own on
 * the same data folder, stopped when we are done.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Config, ConfigError, loadConfig, readEnvironment } from '../config/config';
import { buildDigest, parseWeekRequest, weekProblem } from '../domain/digest';
import { type DigestFormat, renderDigest } from '../domain/digest-render';
import type { SummaryWriter } from '../domain/digest-summary';
import { formatWeek, t, type TextKey } from '../domain/i18n';
import type { Logger } from '../domain/ports';
import { loadProgram } from '../domain/program';
import { type Clock, systemClock } from '../domain/time';
import type { Locale, Program } from '../domain/types';
import { type OpenedStorage, openStorage } from '../storage';
import { azuriteConnectionString } from '../storage/azurite';
import { findRunningAzurite } from './import';
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
}

export function parseArgs(argv: readonly string[]): Args | { error: string } {
  const args: Args = { format: 'md', ai: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--week':
      case '-w': {
        const v = value();
        if (!v) return { error: '--week needs a week, e.g. 2026-W48' };
        args.week = v;
        break;
      }
      case '--format':
      case '-f': {
        const v = value()?.toLowerCase();
        if (v !== 'md' && v !== 'html' && v !== 'json' && v !== 'markdown') return { error: '--format takes md, html or json' };
        args.format = v === 'markdown' ? 'md' : v;
        break;
      }
      case '--out':
      case '-o': {
        const v = value();
        if (!v) return { error: '--out needs a file name' };
        args.out = v;
        break;
      }
      case '--lang': {
        const v = value()?.toLowerCase();
        if (v !== 'sv' && v !== 'en') return { error: '--lang takes sv or en' };
        args.lang = v === 'en' ? 'en-US' : 'sv-SE';
        break;
      }
      case '--no-ai':
        args.ai = false;
        break;
      default:
        return { error: `unknown argument ${a}` };
    }
  }
  return args;
}

const USAGE: TextKey[] = ['digest.cli.usage', 'digest.cli.usageWeek', 'digest.cli.usageFormat', 'digest.cli.usageOut', 'digest.cli.usageLang', 'digest.cli.usageAi'];

class StoreError extends Error {}

async function openStore(config: Config, timeZone: string, locale: Locale, stderr: OutStream): Promise<OpenedStorage> {
  const settings = config.storage;
  if (settings.connectionString || settings.azuriteInMemory) return openStorage(settings, timeZone);
  // Two Azurite processes on one data folder would overwrite each other's files: use the bot's.
  const running = await findRunningAzurite(settings.dataDir);
  if (running) {
    if (!running.reachable) throw new StoreError(t(locale, 'digest.cli.unreachable', { pid: running.pid, port: running.port }));
    stderr.write(`${t(locale, 'digest.cli.shared', { port: running.port })}\n`);
    return openStorage({ ...settings, connectionString: azuriteConnectionString(running.port) }, timeZone);
  }
  return openStorage(settings, timeZone);
}

/** The model writer when one is configured; teams-ai is only loaded then. */
async function configuredWriter(config: Config): Promise<SummaryWriter | undefined> {
  const ai = config.ai;
  if (!ai.openAiKey && !ai.openAiBaseUrl && !(ai.azureKey && ai.azureEndpoint && ai.azureDeployment)) return undefined;
  const { createSummaryWriter } = await import('../bot/ai-summary');
  return createSummaryWriter(ai);
}

/** Writes the digest; returns the exit code (never calls `process.exit`). */
export async function main(argv: readonly string[], io: DigestCliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const err = (line: string) => stderr.write(`${line}\n`);
  const cwd = io.cwd ?? process.cwd();
  const clock = io.clock ?? systemClock;

  const args = parseArgs(argv);
  if ('error' in args) {
    err(args.error);
    USAGE.forEach((k) => err(t('sv-SE', k)));
    return 2;
  }
  if (args.help) {
    USAGE.forEach((k) => stdout.write(`${t(args.lang ?? 'sv-SE', k)}\n`));
    return 0;
  }

  let config: Config;
  let program: Program;
  try {
    config = loadConfig(io.env ?? readEnvironment(cwd));
    program = loadProgram(config.program.file, { steeringMembers: config.program.steeringMembers, admins: config.program.admins });
  } catch (e) {
    err(e instanceof ConfigError ? e.message : (e as Error).message);
    return 2;
  }
  const locale: Locale = args.lang ?? program.locale;
  const request = parseWeekRequest(args.week ?? '', clock.now(), program.timezone);
  if (!request.ok) {
    err(weekProblem(request, locale));
    return 2;
  }
  const week = request.week;

  let storage: OpenedStorage;
  try {
    storage = await openStore(config, program.timezone, locale, stderr);
  } catch (e) {
    err(e instanceof StoreError ? e.message : t(locale, 'digest.cli.storage', { reason: (e as Error).message.split('\n')[0] ?? '' }));
    return 1;
  }
  let output: string;
  try {
    const writer = args.ai ? (io.summaryWriter ?? (await configuredWriter(config))) : undefined;
    const digest = await buildDigest(storage.repositories, program, { week, now: clock.now(), locale, writer, logger: io.logger });
    output = renderDigest(digest, locale, args.format);
  } catch (e) {
    err(t(locale, 'digest.cli.storage', { reason: (e as Error).message.split('\n')[0] ?? '' }));
    return 1;
  } finally {
    await storage.close();
  }

  if (!args.out) {
    stdout.write(output);
    return 0;
  }
  const file = path.resolve(cwd, args.out);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, output, 'utf8');
  } catch (e) {
    err(t(locale, 'digest.cli.cannotWrite', { file: args.out, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }));
    return 1;
  }
  err(t(locale, 'digest.cli.written', { week: formatWeek(locale, week, true), format: args.format, file: args.out }));
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
